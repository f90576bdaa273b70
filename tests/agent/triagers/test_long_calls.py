"""A call too long for one conversation is read in windows, and filed once."""

from __future__ import annotations

import pytest

from agent.calls import Affiliation, Call, Party, Sentence
from agent.triagers.claude import ClaudeOptions
from agent.triagers.scripted import ScriptPlayer, scripted_triager
from agent.triagers.transcript_view import plan_windows, turn_views
from tests.agent.triagers.replies import done, file_issue, reply

pytestmark = pytest.mark.anyio

CUSTOMER = "Ann Loe"


@pytest.fixture
def long_call() -> Call:
    """Forty turns, the customer's every other turn a request of its own."""
    sentences = []
    for n in range(40):
        speaker = "ann" if n % 2 else "sam"
        words = (
            f"We need report number {n:02d} to land in our bucket every week."
            if n % 2
            else f"Understood, noted point {n:02d} and I will pass it on today."
        )
        start = 30_000 * n
        sentences.append(
            Sentence(
                speaker_id=speaker, start_ms=start, end_ms=start + 9000, text=words
            )
        )
    return Call(
        call_id="call-long-1",
        source="long.json",
        title="Acme quarterly review",
        duration_s=1200,
        scope="External",
        parties=[
            Party(
                speaker_id="ann",
                name=CUSTOMER,
                email="ann@acme.com",
                affiliation=Affiliation.EXTERNAL,
            ),
            Party(
                speaker_id="sam",
                name="Sam Lee",
                email="sam@northwind.example",
                affiliation=Affiliation.INTERNAL,
            ),
        ],
        sentences=sentences,
    )


@pytest.fixture
def long_settings(settings):
    return settings.model_copy(
        update={"context_tokens": 1300, "context_share": 0.5, "window_overlap": 0.2}
    )


def overlap_finding(call: Call, workspace, settings) -> tuple[str, int, str]:
    """A customer sentence that lies in both of the call's two windows."""
    options = ClaudeOptions.from_settings(settings)
    limit = options.window_chars
    first, second = plan_windows(
        turn_views(call, workspace), limit, int(limit * options.window_overlap)
    )
    shared = range(second.first_turn, first.first_turn + len(first.turns))
    index = next(i for i in shared if call.turns()[i][0].speaker_id == "ann")
    sentence = call.turns()[index][0]
    return CUSTOMER, sentence.start_ms, sentence.text


async def test_a_finding_in_the_overlap_of_two_windows_is_filed_once(
    long_call, workspace, long_settings, make_pipeline, store
):
    finding = overlap_finding(long_call, workspace, long_settings)
    filing = file_issue("Deliver the weekly report into S3", [finding])
    player = ScriptPlayer([reply(filing), done(), reply(filing), done()])
    pipeline = make_pipeline(scripted_triager(player, long_settings))

    result = await pipeline.process(long_call)

    first_prompts = [r["messages"][0]["content"][0]["text"] for r in player.requests]
    assert "This is part 1 of 2" in first_prompts[0]
    assert "This is part 2 of 2" in first_prompts[2]
    later = first_prompts[2]
    assert "## Issues already filed from this call" in later
    assert "- Deliver the weekly report into S3 (`DASH`; quotes at" in later
    assert "Already identified as Acme Corp" in later
    filed, again = player.tool_results()
    assert '"created": true' in filed["content"]
    assert '"created": false' in again["content"]
    assert len(result.new_issues) == 1
    assert result.run.outcome == "filed"
    assert result.run.coverage == 1.0


async def test_a_run_stopped_in_the_first_window_says_how_much_it_read(
    long_call, workspace, long_settings, make_pipeline
):
    finding = overlap_finding(long_call, workspace, long_settings)
    player = ScriptPlayer([reply(file_issue("Deliver the weekly report", [finding]))])
    settings = long_settings.model_copy(update={"max_turns": 1})

    result = await make_pipeline(scripted_triager(player, settings)).process(long_call)

    assert result.run.outcome == "partial"
    assert 0.5 < result.run.coverage < 1.0
    assert len(result.new_issues) == 1
