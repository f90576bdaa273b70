"""Read recorded calls from files: Gong JSON, WebVTT, SRT and plain text.

A file's format is decided by its content first and its extension second. Every
problem with a file is a ReadError whose message is one sentence naming the file.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from pathlib import Path

from agent.calls import Call
from agent.readers.cues import read_srt, read_webvtt
from agent.readers.errors import ReadError
from agent.readers.gong import GongFile, pair_transcripts, read_gong
from agent.readers.plaintext import read_text
from agent.readers.source import Format, detect_format, load_source
from agent.workspace import Workspace

__all__ = ["ReadError", "read_call_file", "read_calls"]

logger = logging.getLogger(__name__)

CALL_FILE_SUFFIXES = frozenset({".json", ".vtt", ".srt", ".txt"})
NOT_CALL_FILES = frozenset({"workspace.json", "workspace.toml"})


def read_calls(
    paths: Sequence[Path], workspace: Workspace | None = None
) -> Iterator[Call | ReadError]:
    """Every call in `paths` (files or folders); a bad file yields its ReadError.

    Gong API responses are paired across all the files: a calls response is matched
    with the transcripts response holding the same call ids.
    """
    workspace = workspace or Workspace()
    awaiting_pairs: list[GongFile] = []
    for path in _call_files(paths):
        if isinstance(path, ReadError):
            yield path
            continue
        try:
            read = _read(path, workspace)
        except ReadError as err:
            yield err
            continue
        if isinstance(read, GongFile) and not read.complete:
            awaiting_pairs.append(read)
        elif isinstance(read, GongFile):
            yield from read.calls
        else:
            yield from read
    yield from pair_transcripts(awaiting_pairs)


def read_call_file(path: Path, workspace: Workspace | None = None) -> list[Call]:
    """The calls in one file; raises ReadError when the file cannot be read."""
    read = _read(path, workspace or Workspace())
    if not isinstance(read, GongFile):
        return read
    calls = []
    for result in pair_transcripts([read]):
        if isinstance(result, ReadError):
            raise result
        calls.append(result)
    return calls


def _read(path: Path, workspace: Workspace) -> list[Call] | GongFile:
    source = load_source(path)
    file_format = detect_format(source)
    logger.debug("reading %s as %s", path, file_format)
    if file_format is Format.JSON:
        return read_gong(source, workspace)
    if file_format is Format.WEBVTT:
        return [read_webvtt(source, workspace)]
    if file_format is Format.SRT:
        return [read_srt(source, workspace)]
    return [read_text(source, workspace)]


def _call_files(paths: Sequence[Path]) -> Iterator[Path | ReadError]:
    """The files to read, once each: given files as they are, folders walked sorted."""
    seen: set[Path] = set()
    for path in paths:
        found = _walk(path, set()) if path.is_dir() else iter([path])
        for item in found:
            if isinstance(item, Path):
                key = item.resolve()
                if key in seen:
                    continue
                seen.add(key)
            yield item


def _walk(folder: Path, visited: set[Path]) -> Iterator[Path | ReadError]:
    if folder.resolve() in visited:
        return
    visited.add(folder.resolve())
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:
        yield ReadError(folder, f"{folder} cannot be listed: {exc.strerror}.")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            is_folder, is_call = entry.is_dir(), _is_call_file(entry)
        except OSError as exc:
            yield ReadError(entry, f"{entry} cannot be looked at: {exc.strerror}.")
            continue
        if is_folder:
            yield from _walk(entry, visited)
        elif is_call:
            yield entry


def _is_call_file(path: Path) -> bool:
    """A regular file named like a call; FIFOs, sockets and devices never are."""
    suffix_known = path.suffix.lower() in CALL_FILE_SUFFIXES
    named_as_call = suffix_known and path.name.lower() not in NOT_CALL_FILES
    return named_as_call and path.is_file()
