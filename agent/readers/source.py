"""Loading a call file's bytes as text and deciding which reader it needs."""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from agent.readers.errors import ReadError

_NO_WAIT = getattr(os, "O_NONBLOCK", 0)
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_TIMING_ARROW = re.compile(r"\d\s*-->\s*\d")
# A bracket opens JSON only when it holds JSON; "[00:01:02] Dana: hi" is text.
_JSON_START = re.compile(r"\{|\[\s*[\[{\"\]]")


class Format(StrEnum):
    JSON = "json"
    WEBVTT = "webvtt"
    SRT = "srt"
    TEXT = "text"


@dataclass(frozen=True)
class SourceFile:
    """A call file as given: its path, its bytes and their text with LF line ends."""

    path: Path
    data: bytes
    text: str

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def error(self, problem: str) -> ReadError:
        return ReadError(self.path, f"{self.path} {problem}.")


def load_source(path: Path) -> SourceFile:
    """Read `path` as UTF-8 text (a BOM is dropped); raise ReadError when it is not."""
    data = _read_bytes(path)
    if not data.strip():
        raise ReadError(path, f"{path} is empty.")
    if data.startswith(_UTF16_BOMS):
        raise ReadError(path, f"{path} is UTF-16 text; save it as UTF-8.")
    if b"\x00" in data:
        raise ReadError(path, f"{path} is a binary file, not a call transcript.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReadError(
            path, f"{path} is not UTF-8 text (bad byte at offset {exc.start})."
        ) from exc
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return SourceFile(path=path, data=data, text=text)


def _read_bytes(path: Path) -> bytes:
    try:
        return _read_regular_file(path)
    except FileNotFoundError as exc:
        raise ReadError(path, f"{path} does not exist.") from exc
    except PermissionError as exc:
        raise ReadError(path, f"{path} cannot be read: permission denied.") from exc
    except OSError as exc:
        raise ReadError(path, f"{path} cannot be read: {exc.strerror}.") from exc


def _read_regular_file(path: Path) -> bytes:
    """The bytes of `path`; ReadError when it is a folder, FIFO, socket or device.

    Reading a FIFO waits for a writer, perhaps forever. The file is opened without
    waiting and checked again once open, so a FIFO put in its place after the first
    look cannot stall the read either.
    """
    _check_regular(path, path.stat().st_mode)
    fd = os.open(path, os.O_RDONLY | _NO_WAIT)
    with os.fdopen(fd, "rb") as opened:
        _check_regular(path, os.fstat(fd).st_mode)
        return opened.read()


def _check_regular(path: Path, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise ReadError(path, f"{path} is a folder, not a call file.")
    if not stat.S_ISREG(mode):
        raise ReadError(path, f"{path} is not a regular file.")


def detect_format(source: SourceFile) -> Format:
    """Content decides first; the extension settles files whose content is ambiguous."""
    head = source.text.lstrip()
    suffix = source.path.suffix.lower()
    if _JSON_START.match(head) or suffix == ".json":
        return Format.JSON
    if head.startswith("WEBVTT") or suffix == ".vtt":
        return Format.WEBVTT
    if suffix == ".srt" or _starts_with_timed_cue(head):
        return Format.SRT
    return Format.TEXT


def _starts_with_timed_cue(head: str) -> bool:
    first_lines = head.split("\n", 2)[:2]
    return any(_TIMING_ARROW.search(line) for line in first_lines)
