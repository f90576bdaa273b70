"""Who the workspace counts as being on the company's side."""

from __future__ import annotations

from agent.calls import Affiliation, Party
from agent.workspace import Workspace

WORKSPACE = Workspace(
    internal_speakers=["Moderator"], internal_domains=["vendor.example"]
)


def test_gong_internal_parties_named_speakers_and_internal_domains_count() -> None:
    assert WORKSPACE.is_internal(
        Party(speaker_id="1", affiliation=Affiliation.INTERNAL)
    )
    assert WORKSPACE.is_internal(Party(speaker_id="2", name="moderator"))
    assert WORKSPACE.is_internal(Party(speaker_id="3", email="a@vendor.example"))
    assert WORKSPACE.is_internal(Party(speaker_id="4", email="a@eu.vendor.example"))


def test_everyone_else_may_be_the_customer() -> None:
    assert not WORKSPACE.is_internal(Party(speaker_id="5", name="Participant P2"))
    assert not WORKSPACE.is_internal(Party(speaker_id="6", email="a@notvendor.example"))
    assert not WORKSPACE.is_internal(Party(speaker_id="7"))
