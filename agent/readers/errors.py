"""The one error every reader raises."""

from __future__ import annotations

from pathlib import Path


class ReadError(Exception):
    """A call file that cannot be read; the message is one sentence naming the file."""

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(message)
        self.path = path
