"""Where the worker finds new calls: Gong, polled from a watermark, or a folder."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError

from agent.calls import Call
from agent.claims import Claims, Clock
from agent.gong import GongClient, GongNotFound
from agent.readers import (
    CALL_FILE_SUFFIXES,
    NOT_CALL_FILES,
    ReadError,
    read_call_file,
)
from agent.readers.gong import call_from_gong
from agent.readers.gong_payloads import GongBundle
from agent.workspace import Workspace
from tools.store.db import Store
from tools.store.state import read_state, write_state
from tools.store.tables import utcnow

logger = logging.getLogger(__name__)


WATERMARK_KEY = "gong_watermark"
DEFAULT_SINCE = timedelta(hours=24)
DEFAULT_OVERLAP = timedelta(hours=6)


class Source(Protocol):
    name: str

    async def poll(self, claims: Claims) -> int:
        """Queue the calls that are new here; return how many were queued."""
        ...


class GongSource:
    """Calls from the Gong API, listed from a watermark kept in the store.

    Each poll lists the calls started since the last poll, less `overlap`, so a
    call Gong finishes processing late is still found; the ledger drops the calls
    already seen before their transcripts are fetched, except those still waiting
    for a transcript.
    """

    name = "gong"

    def __init__(
        self,
        client: GongClient,
        store: Store,
        workspace: Workspace,
        *,
        since: datetime | None = None,
        overlap: timedelta = DEFAULT_OVERLAP,
        clock: Clock = utcnow,
    ) -> None:
        self.client = client
        self.store = store
        self.workspace = workspace
        self.since = since
        self.overlap = overlap
        self.clock = clock

    async def poll(self, claims: Claims) -> int:
        start, end = self._window(), self.clock()
        records = await self.client.list_calls(start, end)
        settled = claims.settled([_call_id(record) for record in records])
        new = [record for record in records if _call_id(record) not in settled]
        transcripts = await self.client.get_transcripts([_call_id(r) for r in new])

        queued = 0
        for record in new:
            call_id = _call_id(record)
            call = self._convert(record, transcripts.get(call_id), claims)
            queued += bool(call and claims.enqueue(call))
        write_state(self.store, WATERMARK_KEY, {"polled_to": end.isoformat()})
        self.since = None
        logger.info("polled Gong from %s to %s: %d new call(s)", start, end, queued)
        return queued

    async def fetch(self, call_id: str) -> Call | None:
        """One call with its transcript; None when Gong has no such call."""
        try:
            record = await self.client.get_call(call_id)
        except GongNotFound:
            return None
        transcripts = await self.client.get_transcripts([call_id])
        return gong_call(record, transcripts.get(call_id), self.workspace)

    def _window(self) -> datetime:
        """An explicit `since` first, then the watermark less the overlap."""
        if self.since is not None:
            return self.since
        state = read_state(self.store, WATERMARK_KEY)
        if "polled_to" in state:
            return datetime.fromisoformat(state["polled_to"]) - self.overlap
        return self.clock() - DEFAULT_SINCE

    def _convert(
        self, record: dict[str, Any], transcript: list[dict] | None, claims: Claims
    ) -> Call | None:
        try:
            return gong_call(record, transcript, self.workspace)
        except (ValidationError, ValueError) as exc:
            call_id = _call_id(record)
            error = f"Gong call {call_id} could not be read: {_first_problem(exc)}"
            logger.warning("%s", error)
            claims.reject(call_id, f"gong:{call_id}", error)
            return None


def gong_call(
    record: dict[str, Any], transcript: list[dict] | None, workspace: Workspace
) -> Call:
    """A Gong extensive call record and its transcript as a Call."""
    bundle = GongBundle.model_validate({"call": record, "transcript": transcript})
    source = f"gong:{bundle.call.meta_data.id}"
    return call_from_gong(
        bundle.call, bundle.transcript, source=source, workspace=workspace
    )


class FolderSource:
    """Call files appearing in a folder; each file is read again only when it changes.

    A file still being written is left for a later poll: it must have been
    unchanged for `settle` seconds.
    """

    name = "folder"

    def __init__(
        self,
        folder: Path,
        store: Store,
        workspace: Workspace,
        *,
        settle: timedelta = timedelta(seconds=2),
        clock: Clock = utcnow,
    ) -> None:
        self.folder = folder.resolve()
        self.store = store
        self.workspace = workspace
        self.settle = settle
        self.clock = clock
        self.state_key = f"folder:{self.folder}"

    async def poll(self, claims: Claims) -> int:
        seen = read_state(self.store, self.state_key).get("files", {})
        current: dict[str, list[int]] = {}
        queued = 0
        for path in _call_files(self.folder):
            try:
                stat = path.stat()
            except OSError:
                continue
            signature = [stat.st_mtime_ns, stat.st_size]
            key = str(path)
            if seen.get(key) == signature:
                current[key] = signature
                continue
            if self._still_changing(stat.st_mtime_ns):
                continue
            queued += self._queue_file(path, claims)
            current[key] = signature
        write_state(self.store, self.state_key, {"files": current})
        return queued

    def _still_changing(self, mtime_ns: int) -> bool:
        modified = datetime.fromtimestamp(mtime_ns / 1e9, UTC)
        return self.clock() - modified < self.settle

    def _queue_file(self, path: Path, claims: Claims) -> int:
        try:
            calls = read_call_file(path, self.workspace)
        except ReadError as err:
            logger.warning("%s It is skipped until it changes.", err)
            return 0
        return sum(claims.enqueue(call) for call in calls)


def _call_files(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        hidden = any(part.startswith(".") for part in path.relative_to(folder).parts)
        if hidden or not path.is_file():
            continue
        known_suffix = path.suffix.lower() in CALL_FILE_SUFFIXES
        if known_suffix and path.name.lower() not in NOT_CALL_FILES:
            yield path


def _call_id(record: dict[str, Any]) -> str:
    meta = record.get("metaData") or record
    return str(meta.get("id"))


def _first_problem(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return f"{where}: {first['msg']}"
    return str(exc)
