from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from agent.calls import Affiliation, CrmAccount, Party
from agent.eligibility import SkipReason, skip_reason
from agent.readers import ReadError, read_call_file, read_calls
from agent.workspace import Workspace

EST = timezone(timedelta(hours=-5))


def _bundle(**overrides: object) -> dict:
    call = {
        "metaData": {
            "id": "7001",
            "url": "https://app.gong.io/call?id=7001",
            "title": "Acme weekly",
            "started": "2026-02-17T10:01:47.318-05:00",
            "duration": 900,
            "scope": "External",
        },
        "parties": [
            {"speakerId": "s1", "name": "Dana", "affiliation": "Internal"},
            {"speakerId": "s2", "name": "Raj", "emailAddress": "raj@acme.example"},
        ],
    }
    transcript = [
        {"speakerId": "s2", "topic": None, "sentences": [
            {"start": 5000, "end": 7000, "text": "Exports keep timing out."},
        ]},
        {"speakerId": "s1", "topic": None, "sentences": [
            {"start": 1000, "end": 4000, "text": "Welcome, everyone."},
        ]},
    ]  # fmt: skip
    return {"call": call, "transcript": transcript} | overrides


def test_a_bundle_gives_its_metadata_parties_and_sentences_in_time_order(write_file):
    call = read_call_file(write_file("acme.json", _bundle()))[0]

    assert call.call_id == "7001"
    assert call.url == "https://app.gong.io/call?id=7001"
    assert call.started == datetime(2026, 2, 17, 10, 1, 47, 318000, tzinfo=EST)
    assert call.duration_s == 900
    assert call.scope == "External"
    assert call.is_private is False
    assert [(s.speaker_id, s.start_ms, s.text) for s in call.sentences] == [
        ("s1", 1000, "Welcome, everyone."),
        ("s2", 5000, "Exports keep timing out."),
    ]
    assert call.party("s2").affiliation is Affiliation.UNKNOWN


def test_a_byte_order_mark_and_crlf_line_ends_do_not_disturb_json(write_file):
    text = json.dumps(_bundle(), indent=2).replace("\n", "\r\n")
    path = write_file("bom.json", b"\xef\xbb\xbf" + text.encode())

    assert read_call_file(path)[0].call_id == "7001"


def test_the_source_is_the_path_as_given(write_file):
    path = write_file("acme.json", _bundle())

    assert read_call_file(path)[0].source == str(path)


def test_an_unknown_affiliation_with_an_internal_email_domain_is_internal(write_file):
    workspace = Workspace(internal_domains=["acme.example"])

    call = read_call_file(write_file("acme.json", _bundle()), workspace)[0]

    assert call.party("s2").affiliation is Affiliation.INTERNAL


def test_a_subdomain_of_an_internal_domain_is_internal(write_file):
    workspace = Workspace(internal_domains=["example"])

    call = read_call_file(write_file("acme.json", _bundle()), workspace)[0]

    assert call.party("s2").affiliation is Affiliation.INTERNAL


def test_a_speaker_no_party_claims_is_an_unknown_speaker_not_a_guess(write_file):
    bundle = _bundle()
    bundle["call"]["parties"] = [bundle["call"]["parties"][0]]

    call = read_call_file(write_file("acme.json", bundle))[0]

    assert Party(speaker_id="s2") in call.parties
    assert call.party("s2").name is None


def test_a_sentence_that_ends_before_it_starts_is_refused(write_file):
    bundle = _bundle()
    bundle["transcript"][0]["sentences"][0]["end"] = 10
    path = write_file("acme.json", bundle)

    with pytest.raises(ReadError, match="sentence at 5000 ms ends before it starts"):
        read_call_file(path)


def test_a_malformed_field_is_named_with_its_path(write_file):
    bundle = _bundle()
    del bundle["call"]["metaData"]["id"]
    path = write_file("acme.json", bundle)

    with pytest.raises(ReadError) as caught:
        read_call_file(path)

    assert str(caught.value) == (
        f"{path} has a malformed Gong field call.metaData.id (Field required)."
    )


def test_json_of_another_kind_is_named_as_not_a_gong_call(write_file):
    path = write_file("other.json", {"teams": []})

    with pytest.raises(ReadError) as caught:
        read_call_file(path)

    assert str(caught.value) == (
        f"{path} is JSON but not a Gong call bundle or Gong API response."
    )
    assert caught.value.path == path


def test_a_json_syntax_error_names_its_line(write_file):
    path = write_file("broken.json", '{\n  "call": {\n    "metaData": ,\n}')

    with pytest.raises(ReadError, match=r"is not valid JSON: .* at line 3, column 17"):
        read_call_file(path)


def test_a_gong_error_response_says_what_gong_answered(shared_dir):
    path = shared_dir / "gong-samples" / "spec_example_error_response.json"

    with pytest.raises(ReadError, match=r"Gong error response \(An error has"):
        read_call_file(path)


def test_every_labeled_case_reads_as_a_bundle(shared_dir):
    cases = sorted((shared_dir / "evalset" / "cases").glob("*.json"))

    calls = [call for path in cases for call in read_call_file(path)]

    assert len(calls) == len(cases) >= 10
    assert all(call.sentences and call.parties for call in calls)
    assert all(s.end_ms >= s.start_ms for call in calls for s in call.sentences)


def test_six_digit_fractions_and_offsets_keep_their_instant(shared_dir):
    case = shared_dir / "evalset" / "cases" / "nw01-globex-qbr-2026-02.json"

    call = read_call_file(case)[0]

    assert call.started == datetime(2026, 2, 17, 15, 1, 47, 318207, tzinfo=UTC)


def test_the_crm_account_comes_from_the_context(shared_dir):
    case = shared_dir / "evalset" / "cases" / "nw01-globex-qbr-2026-02.json"

    call = read_call_file(case)[0]

    assert call.accounts == [
        CrmAccount(
            system="Salesforce",
            object_id="0018c00002GLBXhAAF",
            name="Globex Corporation",
            website="https://www.globex.example",
        )
    ]


def test_a_party_without_a_speaker_id_stays_a_participant(shared_dir):
    case = (
        shared_dir
        / "evalset"
        / "cases"
        / "nw04-marigold-support-escalation-2026-02.json"
    )

    call = read_call_file(case)[0]

    silent = [party for party in call.parties if party.name == "Grant Ellison"]
    assert [party.affiliation for party in silent] == [Affiliation.EXTERNAL]
    assert not any(s.speaker_id == silent[0].speaker_id for s in call.sentences)


def test_a_dialer_call_keeps_its_unknown_scope(shared_dir):
    case = shared_dir / "evalset" / "cases" / "nw06-ashgrove-short-checkin-2026-02.json"

    assert read_call_file(case)[0].scope == "Unknown"


def test_a_private_call_is_private(shared_dir):
    case = shared_dir / "evalset" / "cases" / "nw07-quillon-private-exec-2026-01.json"

    assert read_call_file(case)[0].is_private is True


def test_the_2020_extensive_record_reads_without_is_private(gong_sample):
    path = gong_sample("real_shape_redacted_calls_extensive_record_2020.json")

    call = read_call_file(path)[0]

    assert call.call_id == "1000000000000000001"
    assert call.is_private is False
    assert call.started is not None
    assert call.started.microsecond == 683579
    assert call.started.utcoffset() == timedelta(hours=-4)
    assert call.accounts[0].name == "ExampleCo Analytics"
    assert call.party("5000000000000000002").affiliation is Affiliation.EXTERNAL
    assert call.sentences == []


def test_the_2024_extensive_response_reads_all_its_parties(gong_sample):
    path = gong_sample("recorded_2024_POST_v2_calls_extensive_redacted.json")

    call = read_call_file(path)[0]

    assert call.call_id == "6922223202660173264"
    assert len(call.parties) == 5
    assert call.party("2325407555428516247").affiliation is Affiliation.UNKNOWN


def test_recorded_calls_and_transcript_pair_by_call_id(gong_sample):
    paths = [
        gong_sample("recorded_2025_GET_v2_calls.json"),
        gong_sample("recorded_2025_POST_v2_calls_transcript.json"),
    ]

    calls = {call.call_id: call for call in read_calls(paths)}

    shopify = calls["1220490555266799467"]
    assert shopify.scope == "Unknown"
    assert shopify.sentences[0].text.startswith("Load your Shopify data")
    assert all(not c.sentences for i, c in calls.items() if i != shopify.call_id)


def test_consecutive_monologues_of_one_speaker_stay_in_order(gong_sample):
    paths = [
        gong_sample("recorded_2025_GET_v2_calls_id.json"),
        gong_sample("recorded_2025_POST_v2_calls_transcript.json"),
    ]

    (call,) = read_calls(paths)

    assert [s.start_ms for s in call.sentences] == [
        0, 8560, 39690, 39890, 40640, 45210, 55950,
    ]  # fmt: skip
    last_turn = call.turns()[-1]
    assert [s.start_ms for s in last_turn] == [45210, 55950]
    assert {party.name for party in call.parties} == {None}


def test_a_transcript_without_call_metadata_is_an_error_naming_the_call(gong_sample):
    path = gong_sample("recorded_2025_POST_v2_calls_transcript.json")

    (error,) = read_calls([path])

    assert isinstance(error, ReadError)
    assert str(error) == (
        f"{path} holds a transcript for call 1220490555266799467 but no call metadata."
    )
    with pytest.raises(ReadError):
        read_call_file(path)


def test_a_calls_response_without_a_transcript_gives_calls_without_sentences(
    gong_sample,
):
    path = gong_sample("recorded_2025_GET_v2_calls.json")

    calls = read_call_file(path)

    assert len(calls) == 4
    assert all(call.sentences == [] for call in calls)


def test_spec_example_responses_pair_across_files(shared_dir: Path):
    samples = shared_dir / "gong-samples"
    paths = [
        samples / "spec_example_POST_v2_calls_extensive_response.json",
        samples / "spec_example_POST_v2_calls_transcript_response.json",
    ]

    (call,) = read_calls(paths)

    assert call.call_id == "7782342274025937895"
    assert [s.text for s in call.sentences] == [
        "No wait, I think we should check that out first."
    ]


def _with_sentence_times(start: object, end: object) -> dict:
    bundle = _bundle()
    bundle["transcript"][0]["sentences"][0].update(start=start, end=end)
    return bundle


@pytest.mark.parametrize(
    ("start", "end", "problem"),
    [
        (5000, float("inf"), "transcript.0.sentences.0.end"),
        (5000, float("nan"), "transcript.0.sentences.0.end"),
        (float("-inf"), 7000, "transcript.0.sentences.0.start"),
        (-1, 7000, "transcript.0.sentences.0.start"),
        (5000, 604_800_001, "transcript.0.sentences.0.end"),
    ],
)
def test_a_sentence_time_that_is_not_within_a_week_is_one_error_naming_the_file(
    write_file, start, end, problem
):
    bad = write_file("bad.json", _with_sentence_times(start, end))
    good = write_file("good.json", _bundle())

    error, call = read_calls([bad, good])

    assert isinstance(error, ReadError)
    assert str(error).startswith(f"{bad} has a malformed Gong field {problem} (")
    assert call.call_id == "7001"


def test_a_sentence_ending_at_the_end_of_a_week_of_call_is_read(write_file):
    bundle = _with_sentence_times(604_799_000, 604_800_000)

    call = read_call_file(write_file("long.json", bundle))[0]

    assert call.sentences[-1].end_ms == 604_800_000


@pytest.mark.parametrize("duration", [float("nan"), float("inf"), -1, 604_801])
def test_a_duration_that_is_not_a_sane_length_is_one_error_naming_the_file(
    write_file, duration
):
    bundle = _bundle()
    bundle["call"]["metaData"]["duration"] = duration
    path = write_file("bad.json", bundle)

    with pytest.raises(ReadError) as caught:
        read_call_file(path)

    assert str(caught.value).startswith(
        f"{path} has a malformed Gong field call.metaData.duration ("
    )


def test_a_fractional_duration_is_read(write_file):
    bundle = _bundle()
    bundle["call"]["metaData"]["duration"] = 1830.5

    call = read_call_file(write_file("acme.json", bundle))[0]

    assert call.duration_s == 1830.5


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[" * 100_000 + "]" * 100_000, "is JSON nested too deeply to read"),
        ('{"call": ' * 100_000 + "{}" + "}" * 100_000, "is JSON nested too deeply"),
        ('{"n": 1' + "0" * 5000 + "}", "has a number too long to read"),
    ],
)
def test_json_too_deep_or_too_long_to_read_is_one_error_naming_the_file(
    write_file, text, problem
):
    bad = write_file("deep.json", text)
    good = write_file("good.json", _bundle())

    error, call = read_calls([bad, good])

    assert isinstance(error, ReadError)
    assert str(error).startswith(f"{bad} {problem}")
    assert call.call_id == "7001"


def test_a_deeply_nested_field_is_named_briefly(write_file):
    bundle = _bundle()
    nested: list = []
    for _ in range(500):
        nested = [nested]
    bundle["call"]["context"] = [
        {
            "system": "Salesforce",
            "objects": [
                {
                    "objectType": "Account",
                    "objectId": "1",
                    "fields": [{"name": "name", "value": nested}],
                }
            ],
        }
    ]
    path = write_file("deep.json", bundle)

    with pytest.raises(ReadError) as caught:
        read_call_file(path)

    field = "call.context.0.objects.0.fields.0.value..."
    assert str(caught.value).startswith(f"{path} has a malformed Gong field {field} (")
    assert len(str(caught.value)) < len(str(path)) + 200


def test_a_gong_error_response_is_quoted_briefly(write_file):
    nested: list = ["denied"]
    for _ in range(500):
        nested = [nested]
    path = write_file("error.json", {"errors": [nested]})

    with pytest.raises(ReadError, match="is a Gong error response") as caught:
        read_call_file(path)

    assert len(str(caught.value)) < len(str(path)) + 200


def test_calls_whose_transcripts_are_in_no_file_read_without_sentences(
    write_file, gong_sample
):
    calls_response = gong_sample("recorded_2025_GET_v2_calls.json")
    bundle = _bundle()
    del bundle["transcript"]
    lone_bundle = write_file("lone.json", bundle)
    other = write_file("other.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\nHi.\n")

    results = list(read_calls([calls_response, lone_bundle, other]))

    assert not [r for r in results if isinstance(r, ReadError)]
    gong_calls = [r for r in results if r.source != str(other)]
    assert len(gong_calls) == 5
    assert all(call.sentences == [] for call in gong_calls)
    (customer_call,) = [call for call in gong_calls if call.call_id == "7001"]
    assert skip_reason(customer_call) is SkipReason.NO_TRANSCRIPT
