"""Fixtures every test may use."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The read-only folder of shared sample calls; the test skips when it is absent."""
    configured = os.environ.get("CALLTRIAGE_SHARED_DIR")
    if configured:
        candidates = [Path(configured)]
    else:
        candidates = [REPO_ROOT.parent / "shared", Path("/work/shared")]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    where = " or ".join(str(candidate) for candidate in candidates)
    pytest.skip(f"the shared sample calls are not at {where}")
