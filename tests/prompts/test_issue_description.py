from __future__ import annotations

import os
from pathlib import Path

import pytest

from prompts import template_version
from tools.description import TEMPLATE, IssueDescription, render_description
from tools.trackers.base import ExcerptRecord

SNAPSHOTS = Path(__file__).parent / "snapshots"

FULL = IssueDescription(
    summary="Acme wants reports exported as CSV every Monday.",
    motivation="Someone copies the numbers by hand, it takes half a day.",
    excerpts=[
        ExcerptRecord(
            speaker="Dana Whitfield",
            affiliation="External",
            start_ms=9_000,
            end_ms=14_000,
            text="We need a scheduled CSV export every Monday morning.",
            link="https://us-1234.app.gong.io/call?id=7001&highlights=%5B%5D",
        ),
        ExcerptRecord(
            speaker="Unknown speaker",
            affiliation="Unknown",
            start_ms=3_725_000,
            end_ms=3_730_000,
            text="It takes half a day every week.",
        ),
    ],
    call_title="Acme <> Vendor check-in",
    call_started="2025-03-03",
    customer_name="Acme Logistics",
    recording_url="https://us-1234.app.gong.io/call?id=7001",
)
BARE = IssueDescription(
    summary="The participant could not find the print button.",
    excerpts=FULL.excerpts[1:],
    call_title="file:b4173207ff28e761",
)


def _matches_snapshot(name: str, rendered: str) -> None:
    snapshot = SNAPSHOTS / name
    if os.environ.get("CALLTRIAGE_UPDATE_SNAPSHOTS") == "1":
        snapshot.write_text(rendered, encoding="utf-8")
    if not snapshot.exists():
        pytest.fail(f"no snapshot {snapshot}; run with CALLTRIAGE_UPDATE_SNAPSHOTS=1")
    assert rendered == snapshot.read_text(encoding="utf-8")


def test_an_issue_description_renders_as_its_snapshot() -> None:
    _matches_snapshot("issue_description.md", render_description(FULL))


def test_an_issue_description_without_optional_parts_renders_as_its_snapshot() -> None:
    _matches_snapshot("issue_description_bare.md", render_description(BARE))


def test_the_template_version_changes_with_the_template_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import prompts

    before = template_version(TEMPLATE)
    copy = tmp_path / TEMPLATE
    copy.write_text((prompts.TEMPLATE_DIR / TEMPLATE).read_text() + "\nMore.\n")
    monkeypatch.setattr(prompts, "TEMPLATE_DIR", tmp_path)

    assert len(before) == 12
    assert template_version(TEMPLATE) != before


def test_each_excerpt_is_a_blockquote_of_its_own() -> None:
    blocks = render_description(FULL).split("\n\n")

    quotes = [block for block in blocks if block.startswith("> ")]
    assert [quote.splitlines()[0] for quote in quotes] == [
        "> We need a scheduled CSV export every Monday morning.",
        "> It takes half a day every week.",
    ]
    assert blocks[-1].startswith("---\n")
