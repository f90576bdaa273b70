"""Reading labeled calls: the shared eval set as it is; clear errors for bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evals.dataset import CaseError, load_cases, read_case
from tests.evals.builders import HELEN, NOBODY, case_data, make_case


def write(folder: Path, data: dict, name: str | None = None) -> Path:
    path = folder / f"{name or data['id']}.json"
    path.write_text(json.dumps(data))
    return path


def test_every_labeled_call_in_the_shared_eval_set_loads(shared_dir):
    folders = [
        shared_dir / "evalset" / "cases",
        shared_dir / "evalset" / "real-precision",
    ]
    files = sorted(f.stem for folder in folders for f in folder.glob("*.json"))

    cases = load_cases(folders)

    assert sorted(case.id for case in cases) == files
    for case in cases:
        assert case.bundle["call"]["metaData"]["id"]
        assert case.bundle["transcript"] is case.transcript
        assert "teams" in case.workspace
        assert case.utterances


def test_a_folder_is_read_in_file_name_order(tmp_path):
    for name in ("b-call", "a-call", "c-call"):
        write(tmp_path, case_data(name))

    assert [case.id for case in load_cases([tmp_path])] == [
        "a-call",
        "b-call",
        "c-call",
    ]


def test_utterances_carry_speaker_names_and_times():
    case = make_case()

    first, last = case.utterances[1], case.utterances[-1]
    assert (first.speaker, first.start_ms, first.end_ms) == (HELEN, 60000, 64000)
    assert last.speaker == NOBODY


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d.pop("expected"), "expected: Field required"),
        (
            lambda d: d["expected"]["findings"][0].update(kind="wish"),
            "expected.findings.0.kind",
        ),
        (
            lambda d: d["transcript"][0]["sentences"][0].update(start="soon"),
            "transcript.0.sentences.0.start",
        ),
        (
            lambda d: d["workspace"].update(default_team="OPS"),
            "workspace: default_team",
        ),
        (
            lambda d: d["expected"]["findings"][0].update(team="OPS"),
            "finding f1 names unknown team OPS",
        ),
        (
            lambda d: d["expected"].update(eligible=False),
            "skip_reason must be given exactly when eligible is false",
        ),
        (
            lambda d: d["expected"]["findings"][0]["evidence"][0].update(end_ms=1),
            "window ends (1) before it starts",
        ),
        (
            lambda d: d["expected"].update(
                customer={"match": "a", "create": {"name": "b"}}
            ),
            "give exactly one of match or create",
        ),
    ],
)
def test_a_file_that_is_not_a_valid_case_raises_an_error_naming_it(
    tmp_path, change, problem
):
    data = case_data("broken")
    change(data)
    path = write(tmp_path, data, "broken")

    with pytest.raises(CaseError) as raised:
        load_cases([tmp_path])

    message = str(raised.value)
    assert message.startswith(f"{path} is not a valid labeled call: ")
    assert problem in message
    assert message.endswith(".") and "\n" not in message


def test_a_file_that_is_not_json_raises_an_error_naming_it(tmp_path):
    path = tmp_path / "notes.json"
    path.write_text("{ not json")

    with pytest.raises(CaseError, match=f"^{path} is not valid JSON"):
        load_cases([path])


def test_a_case_whose_id_is_not_its_file_name_is_refused(tmp_path):
    path = write(tmp_path, case_data("one"), "two")

    with pytest.raises(CaseError, match=f"^{path} has id 'one'"):
        read_case(path)


def test_two_files_with_the_same_case_id_are_refused(tmp_path):
    first = tmp_path / "a"
    first.mkdir()
    write(first, case_data("same"))
    second = tmp_path / "b"
    second.mkdir()
    write(second, case_data("same"))

    with pytest.raises(CaseError, match="repeats case id 'same'"):
        load_cases([first, second])


def test_a_missing_path_is_refused(tmp_path):
    with pytest.raises(CaseError, match="does not exist"):
        load_cases([tmp_path / "nowhere"])
