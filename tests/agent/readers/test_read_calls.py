from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from agent.calls import Call
from agent.readers import ReadError, read_call_file, read_calls

VTT = "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Dana>{words}</v>\n"


def _sources(results: list[Call | ReadError]) -> list[tuple[str, str]]:
    return [
        ("error", Path(r.path).name) if isinstance(r, ReadError) else ("call", r.title)
        for r in results
    ]


def test_a_folder_is_walked_sorted_skipping_hidden_workspace_and_other_files(
    write_file, tmp_path
):
    write_file("b.vtt", VTT.format(words="Bee."))
    write_file("a.srt", "1\n00:00:01,000 --> 00:00:02,000\nAy.\n")
    write_file("sub/c.txt", "Dana: See.\n")
    write_file(".hidden.vtt", VTT.format(words="Hidden."))
    write_file(".cache/d.vtt", VTT.format(words="Cached."))
    write_file("workspace.json", {"teams": []})
    write_file("README.md", "Dana: not a call\n")

    results = list(read_calls([tmp_path]))

    assert _sources(results) == [("call", "a"), ("call", "b"), ("call", "c")]


def test_one_bad_file_yields_its_error_and_the_rest_are_read(write_file):
    paths = [
        write_file("one.vtt", VTT.format(words="One.")),
        write_file("empty.vtt", ""),
        write_file("two.vtt", VTT.format(words="Two.")),
    ]

    results = list(read_calls(paths))

    assert _sources(results) == [
        ("call", "one"),
        ("error", "empty.vtt"),
        ("call", "two"),
    ]
    assert str(results[1]) == f"{paths[1]} is empty."


def test_a_missing_path_is_an_error_naming_it(tmp_path):
    missing = tmp_path / "gone.vtt"

    (error,) = read_calls([missing])

    assert isinstance(error, ReadError)
    assert error.path == missing
    assert str(error) == f"{missing} does not exist."


def test_a_file_given_twice_is_read_once(write_file, tmp_path):
    path = write_file("one.vtt", VTT.format(words="One."))

    results = list(read_calls([path, tmp_path, Path(str(path))]))

    assert _sources(results) == [("call", "one")]


def test_calls_and_transcripts_given_in_separate_folders_pair_up(write_file, tmp_path):
    write_file("calls/page1.json", {"calls": [{"metaData": {"id": "42"}}]})
    write_file(
        "transcripts/page1.json",
        {"callTranscripts": [{"callId": "42", "transcript": [
            {"speakerId": "s1", "sentences": [{"start": 0, "end": 900, "text": "Hi."}]}
        ]}]},
    )  # fmt: skip

    (call,) = read_calls([tmp_path / "transcripts", tmp_path / "calls"])

    assert [s.text for s in call.sentences] == ["Hi."]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"   \n\t\n", "is empty"),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "is a binary file, not a call transcript",
        ),
        (b"Dana: caf\xe9\n", "is not UTF-8 text (bad byte at offset 9)"),
        ("Dana: hi\n".encode("utf-16"), "is UTF-16 text; save it as UTF-8"),
        (b'[{"id": 1}]', "is JSON but not a Gong call bundle or Gong API response"),
    ],
)
def test_unreadable_content_is_one_sentence_naming_the_file(
    write_file, content, problem
):
    path = write_file("call.txt", content)

    with pytest.raises(ReadError) as caught:
        read_call_file(path)

    assert str(caught.value) == f"{path} {problem}."


def test_a_folder_is_not_a_call_file(tmp_path):
    with pytest.raises(ReadError, match="is a folder, not a call file"):
        read_call_file(tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_file_says_permission_denied(write_file):
    path = write_file("locked.vtt", VTT.format(words="Secret."))
    path.chmod(0)

    with pytest.raises(ReadError, match="cannot be read: permission denied"):
        read_call_file(path)


def test_the_shared_calls_folder_reads_without_errors(shared_dir):
    results = list(read_calls([shared_dir / "calls"]))

    assert not [r for r in results if isinstance(r, ReadError)]
    assert len(results) == 3 + 9 + 9


@pytest.mark.parametrize(
    ("name", "content", "line"),
    [
        ("late.vtt", "WEBVTT\n\n168:00:00.001 --> 168:00:02.000\n<v Dana>Hi.</v>\n", 3),
        ("late.srt", "1\n00:00:01,000 --> 999999:00:00,000\nDana: Hi.\n", 2),
        ("late.txt", "Dana: Hi.\n[1000000000000:00:00] Raj: Hello.\n", 2),
    ],
)
def test_a_time_beyond_a_week_of_call_is_one_error_and_the_rest_are_read(
    write_file, name, content, line
):
    bad = write_file(name, content)
    good = write_file("good.vtt", VTT.format(words="Fine."))

    error, call = read_calls([bad, good])

    assert isinstance(error, ReadError)
    assert str(error) == f"{bad} line {line} has a time beyond a week of call."
    assert call.title == "good"


def test_a_time_of_exactly_a_week_is_read(write_file):
    path = write_file("week.txt", "Dana: Hi.\n[168:00:00] Raj: Bye.\n")

    (call,) = read_calls([path])

    assert call.sentences[-1].start_ms == 604_800_000


@contextmanager
def _fifo(path: Path) -> Iterator[Path]:
    """A FIFO at `path` with a writer waiting, so a reader that opens it is not stuck.

    A reader that opens it reads an empty file; one that never opens it leaves the
    writer waiting until the FIFO is opened here, on the way out.
    """
    os.mkfifo(path)
    writer = threading.Thread(target=lambda: open(path, "wb").close())
    writer.start()
    try:
        yield path
    finally:
        release = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        writer.join()
        os.close(release)


@contextmanager
def _socket(path: Path) -> Iterator[Path]:
    with socket.socket(socket.AF_UNIX) as listening:
        listening.bind(str(path))
        yield path


def test_a_fifo_given_by_name_is_not_a_regular_file(tmp_path):
    with _fifo(tmp_path / "x.json") as path:
        (error,) = read_calls([path])

    assert str(error) == f"{path} is not a regular file."


def test_a_socket_given_by_name_is_not_a_regular_file(tmp_path):
    with _socket(tmp_path / "x.vtt") as path, pytest.raises(ReadError) as caught:
        read_call_file(path)

    assert str(caught.value) == f"{path} is not a regular file."


def test_a_device_given_by_name_is_not_a_regular_file():
    with pytest.raises(ReadError, match="^/dev/null is not a regular file.$"):
        read_call_file(Path("/dev/null"))


def test_fifos_sockets_and_devices_in_a_folder_are_skipped(write_file, tmp_path):
    write_file("good.vtt", VTT.format(words="Fine."))
    (tmp_path / "null.srt").symlink_to("/dev/null")

    with _fifo(tmp_path / "x.json"), _socket(tmp_path / "y.txt"):
        results = list(read_calls([tmp_path]))

    assert _sources(results) == [("call", "good")]
