"""The engine, sessions and schema migrations of the local store."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlmodel import Session, create_engine

logger = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"


class StoreError(Exception):
    """The store cannot be opened; the message says which and why."""


class Store:
    """A database holding the ledger, runs, and the local tracker's records."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.label = engine.url.render_as_string(hide_password=True)

    @classmethod
    def open(cls, url: str) -> Store:
        """Connect to `url` and bring its schema up to date."""
        store = cls(_engine(url))
        store.migrate()
        return store

    def migrate(self) -> None:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        try:
            with self.engine.begin() as connection:
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except DBAPIError as exc:
            # Drivers explain over several lines; the first says what went wrong.
            reason = str(exc.orig).strip().splitlines()[0]
            raise StoreError(
                f"cannot open the database {self.label}: {reason}"
            ) from exc

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits when the block ends cleanly."""
        with Session(self.engine, expire_on_commit=False) as session:
            yield session
            session.commit()

    def close(self) -> None:
        self.engine.dispose()


def _engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"{url!r} is not a database URL") from exc
    try:
        if parsed.get_backend_name() != "sqlite":
            return create_engine(parsed, pool_pre_ping=True)
        _make_folder(parsed.database)
        engine = create_engine(parsed, connect_args={"timeout": 30})
    except (ArgumentError, ImportError) as exc:
        label = parsed.render_as_string(hide_password=True)
        raise StoreError(
            f"cannot open the database {label}: no driver for {parsed.drivername}"
        ) from exc
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _make_folder(database: str | None) -> None:
    if not database or database == ":memory:":
        return
    folder = Path(database).parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"cannot make the folder {folder} for the database ({exc.strerror})"
        ) from exc


def _sqlite_pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
