"""Fixtures shared by every test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


# The read-only `shared` folder (calls, Gong samples, the eval set) -----------


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """CALLTRIAGE_SHARED_DIR, else `shared` beside the repo, else /work/shared."""
    configured = os.environ.get("CALLTRIAGE_SHARED_DIR")
    candidates = [Path(configured)] if configured else []
    candidates += [REPO_ROOT.parent / "shared", Path("/work/shared")]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    pytest.skip(
        "no shared folder: set CALLTRIAGE_SHARED_DIR to the folder with evalset/"
    )
