from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

WriteFile = Callable[[str, "str | bytes | dict | list"], Path]


@pytest.fixture
def write_file(tmp_path: Path) -> WriteFile:
    """Write text, bytes or JSON to a file named `name` under tmp_path."""

    def write(name: str, content: str | bytes | dict | list) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_text(content, encoding="utf-8", newline="")
        else:
            path.write_text(json.dumps(content), encoding="utf-8")
        return path

    return write


@pytest.fixture
def gong_sample(shared_dir: Path, write_file: WriteFile) -> Callable[[str], Path]:
    """A shared Gong sample as the API returned it: without the sample's wrapper."""

    def unwrap(name: str) -> Path:
        data = json.loads((shared_dir / "gong-samples" / name).read_text())
        return write_file(name, data.get("body", data))

    return unwrap
