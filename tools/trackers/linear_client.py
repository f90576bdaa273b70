"""Linear's GraphQL API: one authenticated POST, the errors it answers with, retries."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
    wait_random,
)

from tools.trackers.base import TrackerAuthError, TrackerError

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://api.linear.app/graphql"

# Each budget Linear meters has its own headers; a reset is a UTC epoch in ms.
RATE_LIMIT_BUDGETS = ("Requests", "Complexity", "Endpoint-Requests")

Sleep = Callable[[float], Awaitable[None]]


class LinearError(TrackerError):
    """Linear refused or failed a request; `errors` holds its GraphQL errors."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        body: str = "",
        request_id: str | None = None,
        errors: list[dict[str, Any]] | None = None,
        data: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.body = body
        self.request_id = request_id
        self.errors = errors or []
        self.data = data


class LinearAuthError(LinearError, TrackerAuthError):
    """The key was refused or may not do this; nothing works until it changes."""


class LinearRateLimited(LinearError):
    """Over one of Linear's budgets; `retry_after` says for how long, when known."""

    retry_after: float | None = None


class LinearNotFound(LinearError):
    """The entity asked for does not exist, or this key cannot see it."""


class LinearServerError(LinearError):
    """Linear failed on its side (HTTP 5xx)."""


class LinearConnectionError(LinearError):
    """Linear could not be reached, or did not answer in time."""


RETRYABLE = (LinearRateLimited, LinearServerError, LinearConnectionError)


class LinearClient:
    """Sends GraphQL documents to Linear and returns their `data`.

    Retries use tenacity: it bounds attempts, takes an injected sleep and lets each
    wait depend on the error, which is all a rate limit's reset time needs.
    A write is retried after a timeout too, so every write sent through this client
    must carry its own id or key (Linear then refuses or merges the copy).
    """

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        api_key: str,
        api_url: str = DEFAULT_API_URL,
        max_attempts: int = 4,
        max_wait_s: float = 60.0,
        sleep: Sleep = asyncio.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._http = http
        self._api_url = api_url
        self._headers = {"Authorization": authorization(api_key)}
        self._max_attempts = max_attempts
        self._max_wait_s = max_wait_s
        self._sleep = sleep
        self._clock = clock
        self._backoff = wait_exponential(multiplier=0.5, max=8) + wait_random(0, 0.5)

    async def aclose(self) -> None:
        """Close the HTTP client this client was given."""
        await self._http.aclose()

    async def execute(
        self, query: str, variables: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Run one query or mutation; raise a `LinearError` on any error at all."""
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self._max_attempts),
            wait=self._wait,
            retry=retry_if_exception_type(RETRYABLE),
            sleep=self._sleep,
            before_sleep=_log_retry,
            reraise=True,
        )
        return await retrying(self._post, query, variables or {})

    async def _post(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        body = {"query": query, "variables": variables}
        try:
            response = await self._http.post(
                self._api_url, json=body, headers=self._headers
            )
        except httpx.TimeoutException as exc:
            raise LinearConnectionError(
                f"Linear at {self._api_url} did not answer in time "
                f"({type(exc).__name__})."
            ) from exc
        except httpx.TransportError as exc:
            raise LinearConnectionError(
                f"Cannot reach Linear at {self._api_url} ({type(exc).__name__})."
            ) from exc

        payload = _json(response)
        data = payload.get("data")
        if response.is_success and not payload.get("errors") and isinstance(data, dict):
            return data
        raise error_for(response, payload, self._clock())

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, LinearRateLimited) and error.retry_after is not None:
            return min(max(error.retry_after, 0.0), self._max_wait_s)
        return self._backoff(state)


def authorization(api_key: str) -> str:
    """Personal keys (`lin_api_…`) are sent as they are; OAuth tokens as Bearer."""
    key = api_key.strip()
    if key.startswith("lin_api_") or key.lower().startswith("bearer "):
        return key
    return f"Bearer {key}"


def error_for(
    response: httpx.Response, payload: dict[str, Any], now: float
) -> LinearError:
    """The exception that says what went wrong with `response`."""
    errors = [e for e in payload.get("errors") or [] if isinstance(e, dict)]
    kind, message = _classify(response.status_code, errors)
    error = kind(
        message,
        status=response.status_code,
        body=response.text[:2000],
        request_id=response.headers.get("x-request-id"),
        errors=errors,
        data=payload.get("data") if isinstance(payload.get("data"), dict) else None,
    )
    if isinstance(error, LinearRateLimited):
        error.retry_after = retry_after(response.headers, now)
    return error


def _classify(
    status: int, errors: list[dict[str, Any]]
) -> tuple[type[LinearError], str]:
    codes = {str(_ext(e).get("code", "")).upper() for e in errors}
    types = {str(_ext(e).get("type", "")).lower() for e in errors}
    detail = _detail(status, errors)
    if "RATELIMITED" in codes or "ratelimited" in types or status == 429:
        return LinearRateLimited, f"Linear rate-limited the request ({detail})."
    if (
        "AUTHENTICATION_ERROR" in codes
        or "authentication error" in types
        or status == 401
    ):
        return LinearAuthError, f"Linear rejected the API key ({detail})."
    if "FORBIDDEN" in codes or "forbidden" in types or status == 403:
        return LinearAuthError, f"Linear refused this API key access ({detail})."
    if status >= 500:
        return LinearServerError, f"Linear failed with HTTP {status} ({detail})."
    if any(str(e.get("message", "")).startswith("Entity not found") for e in errors):
        return LinearNotFound, f"Linear found no such entity ({detail})."
    return LinearError, f"Linear refused the request ({detail})."


def retry_after(headers: httpx.Headers, now: float) -> float | None:
    """Seconds until the exhausted budget refills, from Linear's rate-limit headers."""
    if "retry-after" in headers:
        return _number(headers["retry-after"])
    resets = {
        budget: _number(headers.get(f"x-ratelimit-{budget}-reset"))
        for budget in RATE_LIMIT_BUDGETS
    }
    exhausted = [
        reset
        for budget, reset in resets.items()
        if reset is not None
        and (_number(headers.get(f"x-ratelimit-{budget}-remaining")) or 0) <= 0
    ]
    known = exhausted or [reset for reset in resets.values() if reset is not None]
    return max(known) / 1000 - now if known else None


def _detail(status: int, errors: list[dict[str, Any]]) -> str:
    for error in errors:
        text = _ext(error).get("userPresentableMessage") or error.get("message")
        if text:
            return str(text).strip().rstrip(".")
    return f"HTTP {status}"


def _ext(error: dict[str, Any]) -> dict[str, Any]:
    extensions = error.get("extensions")
    return extensions if isinstance(extensions, dict) else {}


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        payload = response.json()
    except ValueError:
        return {}
    return payload if isinstance(payload, dict) else {}


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _log_retry(state: RetryCallState) -> None:
    error = state.outcome.exception() if state.outcome else None
    wait = state.next_action.sleep if state.next_action else 0.0
    logger.info("%s Retrying in %.1fs (attempt %s).", error, wait, state.attempt_number)
