"""The Gong API: listing calls, fetching their transcripts, pacing and retries.

Retries use tenacity rather than a hand-written loop: it takes an injected sleep, a
wait computed from the failed attempt (so a 429's Retry-After is honoured), and
capped exponential backoff with jitter, which is everything needed here. Pacing is
written out below because it must share the injected clock and log when it waits.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import httpx
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    stop_after_attempt,
    wait_exponential_jitter,
)

logger = logging.getLogger(__name__)

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

TRANSCRIPT_BATCH = 100
DAY_S = 86_400
_EXTENSIVE_SELECTOR = {"context": "Extended", "exposedFields": {"parties": True}}
_TRANSIENT_TRANSPORT = (httpx.NetworkError, httpx.TimeoutException, httpx.ProtocolError)


class GongError(Exception):
    """A failed Gong request, with what Gong said about it."""

    def __init__(
        self,
        status: int | None,
        body: str | None = None,
        request_id: str | None = None,
        errors: Sequence[str] = (),
    ) -> None:
        self.status = status
        self.body = body
        self.request_id = request_id
        self.errors = list(errors)
        what = f"Gong answered {status}" if status else "Gong could not be reached"
        detail = "; ".join(self.errors) or "no error message"
        request = f" (request {request_id})" if request_id else ""
        super().__init__(f"{what}: {detail}{request}")


class GongAuthError(GongError):
    """The credentials were refused (401) or lack a scope (403)."""


class GongNotFound(GongError):
    """Nothing matched; Gong also says this for a date window without calls."""

    @property
    def no_calls_found(self) -> bool:
        return any(error.startswith("No calls found") for error in self.errors)


class GongRateLimited(GongError):
    """Too many requests (429); `retry_after` is Gong's Retry-After in seconds."""

    def __init__(
        self,
        status: int | None,
        body: str | None = None,
        request_id: str | None = None,
        errors: Sequence[str] = (),
        *,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(status, body, request_id, errors)
        self.retry_after = retry_after


class GongServerError(GongError):
    """Gong failed with a 5xx."""


class GongConnectionError(GongError):
    """Gong could not be reached, or the connection broke."""


def to_bundle(call: dict[str, Any], transcript: list[dict[str, Any]]) -> dict[str, Any]:
    """One extensive call record and its transcript, as the Gong bundle reader takes."""
    return {"call": call, "transcript": transcript}


class Pacer:
    """Spaces requests `1/per_second` apart and keeps a day's count under `per_day`."""

    def __init__(self, per_second: float, per_day: int, clock: Clock, sleep: Sleep):
        self._gap = 1 / per_second
        self._per_day = per_day
        self._clock = clock
        self._sleep = sleep
        self._day: deque[float] = deque()
        self._lock = asyncio.Lock()

    async def wait_turn(self) -> None:
        async with self._lock:
            now = self._clock()
            while self._day and self._day[0] <= now - DAY_S:
                self._day.popleft()

            delay = self._delay(now)
            if delay > 0:
                logger.info(
                    "Pacing Gong requests: waiting %.2fs to stay under %g a second "
                    "and %s a day",
                    delay,
                    1 / self._gap,
                    self._per_day,
                )
                await self._sleep(delay)
            self._day.append(now + delay)

    def _delay(self, now: float) -> float:
        since_last = now - self._day[-1] if self._day else self._gap
        delay = max(0.0, self._gap - since_last)
        if len(self._day) >= self._per_day:
            delay = max(delay, self._day[-self._per_day] + DAY_S - now)
        return delay


class GongClient:
    """Reads calls and transcripts from one company's Gong.

    `base_url` is the company's API address, e.g. https://us-12345.api.gong.io.
    """

    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str,
        *,
        access_key: str | None = None,
        access_key_secret: str | None = None,
        bearer_token: str | None = None,
        max_retries: int = 5,
        max_retry_after: float = 300,
        per_second: float = 3,
        per_day: int = 10_000,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._http = http
        self._base_url = base_url.rstrip("/")
        self._authorization = _authorization(
            access_key, access_key_secret, bearer_token
        )
        self._max_retries = max_retries
        self._max_retry_after = max_retry_after
        self._sleep = sleep
        self._pacer = Pacer(per_second, per_day, clock, sleep)
        self._backoff = wait_exponential_jitter(initial=1, max=60, jitter=1)

    async def list_calls(
        self, from_dt: datetime, to_dt: datetime
    ) -> list[dict[str, Any]]:
        """Extensive records (with parties) of calls started in [from_dt, to_dt)."""
        window = {"fromDateTime": _iso(from_dt), "toDateTime": _iso(to_dt)}
        body = {"filter": window, "contentSelector": _EXTENSIVE_SELECTOR}
        return await self._collect("/v2/calls/extensive", body, "calls")

    async def get_call(self, call_id: str) -> dict[str, Any]:
        """The extensive record of one call; GongNotFound when Gong has no such call."""
        body = {
            "filter": {"callIds": [call_id]},
            "contentSelector": _EXTENSIVE_SELECTOR,
        }
        calls = await self._collect("/v2/calls/extensive", body, "calls")
        if not calls:
            raise GongNotFound(404, errors=[f"No calls found with id {call_id}"])
        return calls[0]

    async def get_transcripts(self, call_ids: Sequence[str]) -> dict[str, list[dict]]:
        """Transcripts by call id; a call Gong has no transcript for is left out."""
        transcripts: dict[str, list[dict]] = {}
        for start in range(0, len(call_ids), TRANSCRIPT_BATCH):
            batch = list(call_ids[start : start + TRANSCRIPT_BATCH])
            body = {"filter": {"callIds": batch}}
            found = await self._collect("/v2/calls/transcript", body, "callTranscripts")
            for item in found:
                transcripts[item["callId"]] = item["transcript"]
        return transcripts

    async def _collect(self, path: str, body: dict, key: str) -> list[dict[str, Any]]:
        """Every record under `key` across all pages; none for an empty result."""
        records: list[dict[str, Any]] = []
        cursor: str | None = None
        while True:
            page_body = {**body, "cursor": cursor} if cursor else body
            try:
                page = await self._post(path, page_body)
            except GongNotFound as exc:
                if exc.no_calls_found:
                    return records
                raise
            records.extend(page.get(key, []))
            cursor = page.get("records", {}).get("cursor")
            if not cursor:
                return records

    async def _post(self, path: str, body: dict) -> dict[str, Any]:
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self._max_retries + 1),
            wait=self._wait,
            retry=self._is_worth_retrying,
            sleep=self._sleep,
            before_sleep=_log_retry,
            reraise=True,
        )
        return await retrying(self._send, path, body)

    async def _send(self, path: str, body: dict) -> dict[str, Any]:
        await self._pacer.wait_turn()
        headers = {"Authorization": self._authorization, "Accept": "application/json"}
        try:
            url = self._base_url + path
            response = await self._http.post(url, json=body, headers=headers)
        except httpx.TransportError as exc:
            errors = [f"POST {path}: {exc!r}"]
            raise GongConnectionError(None, errors=errors) from exc
        if not response.is_success:
            raise _error_from(response)
        try:
            return response.json()
        except ValueError as exc:
            errors = [f"POST {path} answered with a body that is not JSON"]
            raise GongError(response.status_code, response.text, None, errors) from exc

    def _is_worth_retrying(self, state: RetryCallState) -> bool:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, GongRateLimited):
            return (error.retry_after or 0) <= self._max_retry_after
        if isinstance(error, GongConnectionError):
            return isinstance(error.__cause__, _TRANSIENT_TRANSPORT)
        return isinstance(error, GongServerError)

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, GongRateLimited) and error.retry_after is not None:
            return error.retry_after
        return self._backoff(state)


def _authorization(key: str | None, secret: str | None, bearer: str | None) -> str:
    if key and secret:
        token = base64.b64encode(f"{key}:{secret}".encode()).decode("ascii")
        return f"Basic {token}"
    if bearer:
        return f"Bearer {bearer}"
    raise ValueError("Gong needs an access key and secret, or a bearer token")


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError(f"Gong needs timezone-aware datetimes, got {moment}")
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _error_from(response: httpx.Response) -> GongError:
    """The exception for a failed response, parsed from Gong's error body."""
    request_id, errors = _parse_error_body(response)
    args = (response.status_code, response.text, request_id, errors)
    status = response.status_code
    if status in (401, 403):
        return GongAuthError(*args)
    if status == 404:
        return GongNotFound(*args)
    if status == 429:
        return GongRateLimited(*args, retry_after=_retry_after(response))
    if status >= 500:
        return GongServerError(*args)
    return GongError(*args)


def _parse_error_body(response: httpx.Response) -> tuple[str | None, list[str]]:
    """Gong's `{requestId, errors}`; each error is a string or a `{message}`."""
    try:
        body = response.json()
    except ValueError:
        return None, [response.text[:200]] if response.text else []
    if not isinstance(body, dict):
        return None, []

    errors = []
    for error in body.get("errors") or []:
        if isinstance(error, dict):
            errors.append(str(error.get("message", error)))
        else:
            errors.append(str(error))
    return body.get("requestId"), errors


def _retry_after(response: httpx.Response) -> float | None:
    try:
        return max(0.0, float(response.headers["Retry-After"]))
    except (KeyError, ValueError):
        return None


def _log_retry(state: RetryCallState) -> None:
    error = state.outcome.exception() if state.outcome else None
    wait = state.next_action.sleep if state.next_action else 0
    logger.warning("Gong request failed (%s); retrying in %.1fs", error, wait)
