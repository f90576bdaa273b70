from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def gong_samples() -> Path:
    """The recorded Gong payloads in the shared directory."""
    candidates = [REPO_ROOT.parent / "shared", Path("/work/shared")]
    if "CALLTRIAGE_SHARED_DIR" in os.environ:
        candidates.insert(0, Path(os.environ["CALLTRIAGE_SHARED_DIR"]))
    for shared in candidates:
        if (shared / "gong-samples").is_dir():
            return shared / "gong-samples"
    pytest.skip("no shared directory with gong-samples/ (set CALLTRIAGE_SHARED_DIR)")
