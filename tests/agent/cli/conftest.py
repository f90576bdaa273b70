from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from agent.cli import main
from tests import builders

Invoke = Callable[..., Result]


@pytest.fixture
def invoke() -> Invoke:
    """Run `calltriage ARGS…` in-process; stdout and stderr kept apart."""
    runner = CliRunner()

    def run(*args: str | Path) -> Result:
        return runner.invoke(main, [str(arg) for arg in args], catch_exceptions=False)

    return run


@pytest.fixture
def workspace_file(tmp_path: Path) -> Path:
    path = tmp_path / "workspace.json"
    path.write_text(builders.workspace().model_dump_json())
    return path


@pytest.fixture
def call_file(tmp_path: Path) -> Callable[..., Path]:
    """A Gong bundle of an eligible call with two findings, as changed."""

    def write(call_id: str = "7001", **changes: Any) -> Path:
        script = builders.sentences(builders.FEEDBACK_SCRIPT)
        call = builders.call(call_id=call_id, sentences=script, **changes)
        path = tmp_path / "calls" / f"{call_id}.json"
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(builders.gong_bundle(call)))
        return path

    return write


def json_lines(text: str) -> list[dict[str, Any]]:
    """Every line of `text` parsed as one JSON object; fails on any other line."""
    return [json.loads(line) for line in text.splitlines()]
