"""Which call files an MCP client may have the server read.

A client names a path, but the server reads it, with the server's rights. So a
path is followed through every symlink and must end inside one folder, chosen by
whoever started the server; without one, no path is read at all.
"""

from __future__ import annotations

from pathlib import Path

from tools.registry import ToolRefusal

NO_FILES = (
    "this server takes call ids, not paths; start it with --files DIR to allow files"
)


class CallFiles:
    """The folder call files may come from; None lets no path in."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder.resolve() if folder is not None else None

    def resolve(self, path: str) -> Path:
        """The file `path` names, relative paths taken inside the folder.

        Raises ToolRefusal when it lies outside the folder or there is none.
        """
        if self.folder is None:
            raise ToolRefusal(NO_FILES)
        resolved = (self.folder / Path(path).expanduser()).resolve()
        if not resolved.is_relative_to(self.folder):
            raise ToolRefusal(
                f"{path} is outside {self.folder}, "
                "the folder this server reads call files from"
            )
        return resolved
