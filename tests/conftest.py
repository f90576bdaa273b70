"""Fixtures shared by every test."""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import Any

import pytest

# --- Fake Gong server: the `gong_server` fixture ----------------------------------

pytest_plugins = ["tests.fakes.gong_server"]


# --- Network guard: HTTP from tests may only reach this machine -------------------

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


class RealNetworkBlocked(AssertionError):
    """A test tried to reach a host other than this machine."""


def _refuse_remote(request: Any) -> None:
    host = request.url.host
    if host not in LOCAL_HOSTS:
        raise RealNetworkBlocked(f"tests may not reach {host}; fake it on 127.0.0.1")


def _guard_transports(monkeypatch: pytest.MonkeyPatch, module_name: str) -> None:
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return
    send_sync = module.HTTPTransport.handle_request
    send_async = module.AsyncHTTPTransport.handle_async_request

    def handle_request(self: Any, request: Any) -> Any:
        _refuse_remote(request)
        return send_sync(self, request)

    async def handle_async_request(self: Any, request: Any) -> Any:
        _refuse_remote(request)
        return await send_async(self, request)

    monkeypatch.setattr(module.HTTPTransport, "handle_request", handle_request)
    monkeypatch.setattr(
        module.AsyncHTTPTransport, "handle_async_request", handle_async_request
    )


@pytest.fixture(autouse=True)
def _only_local_http(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any real httpx request (and httpx2, which the anthropic SDK uses) to another
    host fails loudly. Mock transports are not guarded: they never leave the process.
    """
    for module_name in ("httpx", "httpx2"):
        _guard_transports(monkeypatch, module_name)


# --- End of network guard ---------------------------------------------------------


# --- Isolation: every data directory and database lives in tmp_path ---------------


PRODUCT_ENV = ("CALLTRIAGE_", "ANTHROPIC_", "LINEAR_", "GONG_")
# Variables that steer the test run itself rather than the product.
KEPT_VARIABLES = frozenset(
    {
        "CALLTRIAGE_TEST_POSTGRES_URL",
        "CALLTRIAGE_SHARED_DIR",
        "CALLTRIAGE_UPDATE_SNAPSHOTS",
    }
)


@pytest.fixture(autouse=True)
def _isolated_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(PRODUCT_ENV) and name not in KEPT_VARIABLES:
            monkeypatch.delenv(name)
    monkeypatch.setenv("CALLTRIAGE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)


# --- Shared sample calls ----------------------------------------------------------

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
