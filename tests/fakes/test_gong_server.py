"""The fake must look like Gong, or tests against it prove nothing."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path
from typing import Any

import httpx

from tests.fakes.gong_calls import make_call, mixed_calls
from tests.fakes.gong_server import NO_CALLS_FOUND, FakeGong

EXTENSIVE_2024 = "recorded_2024_POST_v2_calls_extensive_redacted.json"
EXTENSIVE_2020 = "real_shape_redacted_calls_extensive_record_2020.json"


def recorded(samples: Path, name: str) -> dict[str, Any]:
    return json.loads((samples / name).read_text())


def test_fake_call_records_have_the_keys_of_a_recorded_one(gong_samples: Path) -> None:
    sample = recorded(gong_samples, EXTENSIVE_2024)
    real = sample["body"]["calls"][0]
    fake = make_call(0).extensive()

    assert fake["metaData"].keys() == real["metaData"].keys()
    real_party_keys = set().union(*(party.keys() for party in real["parties"]))
    assert all(party.keys() <= real_party_keys for party in fake["parties"])


def test_fake_call_context_has_the_shape_of_a_recorded_one(gong_samples: Path) -> None:
    real = recorded(gong_samples, EXTENSIVE_2020)
    fake = make_call(0).extensive()

    real_account = real["context"][0]["objects"][0]
    fake_account = fake["context"][0]["objects"][0]
    assert fake["context"][0].keys() == real["context"][0].keys()
    assert fake_account.keys() - {"timing"} == real_account.keys()


def test_fake_transcripts_have_the_shape_of_a_recorded_one(gong_samples: Path) -> None:
    sample = recorded(gong_samples, "recorded_2025_POST_v2_calls_transcript.json")
    real = sample["body"]["callTranscripts"][0]["transcript"][0]
    fake = make_call(0).transcript()[0]

    assert fake.keys() == real.keys()
    assert fake["sentences"][0].keys() == real["sentences"][0].keys()


def test_the_empty_window_answer_is_the_one_gong_gives(gong_samples: Path) -> None:
    sample = recorded(gong_samples, "recorded_404_no_calls_found_calls_extensive.json")

    assert sample["status"] == 404
    assert sample["response"]["errors"] == [NO_CALLS_FOUND]


def test_mixed_calls_cover_every_case_intake_must_tell_apart() -> None:
    calls = mixed_calls(30)

    assert len({call.call_id for call in calls}) == 30
    assert sum(call.scope == "Internal" for call in calls) == 5
    assert sum(call.is_private for call in calls) == 5
    assert sum(call.duration < 600 for call in calls) == 5
    assert sum(not call.has_transcript for call in calls) == 5


def test_an_internal_call_has_only_internal_parties_and_no_account() -> None:
    call = make_call(2, scope="Internal").extensive()

    assert {party["affiliation"] for party in call["parties"]} == {"Internal"}
    assert "context" not in call


def test_transcript_sentences_run_forward_and_every_speaker_is_a_party() -> None:
    call = make_call(1)
    speakers = {party["speakerId"] for party in call.parties}
    sentences = [s for monologue in call.transcript() for s in monologue["sentences"]]

    assert {monologue["speakerId"] for monologue in call.transcript()} == speakers
    assert all(a["end"] <= b["start"] for a, b in pairwise(sentences))
    assert sentences[-1]["end"] < call.duration * 1000


def test_the_server_refuses_a_request_without_basic_auth(gong_server: FakeGong) -> None:
    response = httpx.post(f"{gong_server.url}/v2/calls/extensive", json={})

    assert response.status_code == 401
    assert response.json()["requestId"] == "fake000000000000001"


def test_the_server_records_each_request(gong_server: FakeGong) -> None:
    auth = (gong_server.access_key, gong_server.access_key_secret)
    body = {"filter": {"callIds": ["1"]}}

    httpx.post(f"{gong_server.url}/v2/calls/transcript", json=body, auth=auth)

    [request] = gong_server.requests
    assert (request.method, request.path, request.body) == (
        "POST",
        "/v2/calls/transcript",
        body,
    )
    assert request.headers["authorization"].startswith("Basic ")


def test_a_scripted_failure_answers_only_its_request(gong_server: FakeGong) -> None:
    gong_server.calls = [make_call(0)]
    gong_server.fail_on(2, 500)
    auth = (gong_server.access_key, gong_server.access_key_secret)
    url = f"{gong_server.url}/v2/calls/extensive"

    statuses = [httpx.post(url, json={}, auth=auth).status_code for _ in range(3)]

    assert statuses == [200, 500, 200]
