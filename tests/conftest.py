"""Fixtures shared by every test."""

from __future__ import annotations

import importlib
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
