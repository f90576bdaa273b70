from __future__ import annotations

import asyncio
import json
import logging
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from agent.claims import Claims
from agent.gong import GongClient
from agent.sources import FolderSource, GongSource
from tests.agent.worker_kit import WORKSPACE, Clock, ledger, open_store
from tests.fakes.gong_calls import FakeCall, make_call
from tests.fakes.gong_server import FakeGong
from tools.store.db import Store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return open_store(f"sqlite:///{tmp_path / 'store.db'}")


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    return folder


def write_bundle(path: Path, fake: FakeCall) -> Path:
    bundle = {"call": fake.extensive(), "transcript": fake.transcript()}
    path.write_text(json.dumps(bundle), encoding="utf-8")
    return path


def settled_folder(folder: Path, store: Store) -> FolderSource:
    """A folder source for which every file has long stopped changing."""
    later = Clock(datetime.now(UTC) + timedelta(hours=1))
    return FolderSource(folder, store, WORKSPACE, clock=later)


def poll(source: FolderSource | GongSource, store: Store) -> int:
    return asyncio.run(source.poll(Claims(store, "w")))


def test_a_call_file_appearing_in_the_folder_is_queued(
    inbox: Path, store: Store
) -> None:
    write_bundle(inbox / "acme.json", make_call(0))

    assert poll(settled_folder(inbox, store), store) == 1
    row = ledger(store)[make_call(0).call_id]
    assert (row.status, row.source) == ("pending", str(inbox / "acme.json"))


def test_files_in_subfolders_are_found_and_hidden_files_are_not(
    inbox: Path, store: Store
) -> None:
    (inbox / "2025").mkdir()
    write_bundle(inbox / "2025" / "acme.json", make_call(0))
    write_bundle(inbox / ".partial.json", make_call(1))

    assert poll(settled_folder(inbox, store), store) == 1
    assert list(ledger(store)) == [make_call(0).call_id]


def test_a_bad_file_is_reported_once_and_not_read_again_until_it_changes(
    inbox: Path, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    bad = inbox / "broken.json"
    bad.write_text("{not json", encoding="utf-8")
    source = settled_folder(inbox, store)

    with caplog.at_level(logging.WARNING, logger="agent.sources"):
        poll(source, store)
        poll(source, store)
    assert [r.getMessage() for r in caplog.records] == [
        f"{bad} is not valid JSON: Expecting property name enclosed in double "
        "quotes at line 1, column 2. It is skipped until it changes."
    ]

    write_bundle(bad, make_call(3))
    assert poll(source, store) == 1


def test_a_changed_file_is_read_again(inbox: Path, store: Store) -> None:
    notes = inbox / "notes.txt"
    notes.write_text("Dana: We need a scheduled export.\n", encoding="utf-8")
    source = settled_folder(inbox, store)
    assert poll(source, store) == 1

    notes.write_text("Dana: We need single sign-on with Okta.\n", encoding="utf-8")
    stat = notes.stat()
    os.utime(notes, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))

    assert poll(source, store) == 1
    assert len(ledger(store)) == 2


def test_a_file_still_being_written_is_left_for_a_later_poll(
    inbox: Path, store: Store
) -> None:
    path = write_bundle(inbox / "acme.json", make_call(0))
    modified = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    clock = Clock(modified + timedelta(seconds=1))
    source = FolderSource(inbox, store, WORKSPACE, clock=clock)

    assert poll(source, store) == 0
    clock.advance(seconds=5)
    assert poll(source, store) == 1


class UnreadableCall(FakeCall):
    def extensive(self) -> dict[str, Any]:
        record = super().extensive()
        record["metaData"]["started"] = "the day before yesterday"
        return record


def test_a_gong_call_that_cannot_be_read_is_recorded_as_failed_with_the_reason(
    store: Store, gong_server: FakeGong
) -> None:
    good = make_call(0)
    bad = UnreadableCall(**{**vars(make_call(1))})
    gong_server.calls = [good, bad]

    async def one_poll() -> int:
        async with httpx.AsyncClient() as http:
            client = GongClient(
                http,
                gong_server.url,
                access_key=gong_server.access_key,
                access_key_secret=gong_server.access_key_secret,
            )
            since = datetime(2025, 1, 1, tzinfo=UTC)
            source = GongSource(client, store, WORKSPACE, since=since)
            return await source.poll(Claims(store, "w"))

    assert asyncio.run(one_poll()) == 1
    row = ledger(store)[bad.call_id]
    assert (row.status, row.source) == ("failed", f"gong:{bad.call_id}")
    assert row.error == (
        f"Gong call {bad.call_id} could not be read: call.metaData.started: "
        "Input should be a valid datetime or date, invalid character in year"
    )
