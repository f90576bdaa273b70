"""The engine, sessions and schema migrations of the local store."""

from __future__ import annotations

import logging

try:
    import fcntl
except ImportError:  # Windows: no advisory file locks
    fcntl = None
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from alembic import command
from alembic.config import Config
from alembic.util.exc import CommandError
from sqlalchemy import Engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError
from sqlmodel import Session, create_engine

logger = logging.getLogger(__name__)

T = TypeVar("T")

MIGRATIONS = Path(__file__).parent / "migrations"
# Any fixed number: processes opening one Postgres database migrate in turn.
LOCK_KEY = 0x63616C6C


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
        """Upgrade the schema to the newest revision, one process at a time."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        try:
            with (
                _migration_lock(self.engine),
                _migration_engine(self.engine) as engine,
                engine.begin() as connection,
            ):
                if connection.dialect.name == "postgresql":
                    connection.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY}
                    )
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except CommandError as exc:
            raise StoreError(
                f"cannot open the database {self.label}: its schema is not one this "
                f"version of calltriage knows ({exc})"
            ) from exc
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

    def write(self, change: Callable[[Session], T]) -> T:
        """Run `change` in a session; when a concurrent writer inserted the same
        row first, run it once more, now seeing that row."""
        try:
            with self.session() as session:
                return change(session)
        except IntegrityError:
            with self.session() as session:
                return change(session)

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


def _sqlite_pragmas(connection: DBAPIConnection, _record: object) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # Switching the journal needs the database to itself, so only the first
    # connection to a new file does it; the mode then stays with the file.
    if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    """Two processes starting on one SQLite file must not both create tables."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:" or fcntl is None:
        yield
        return
    with open(f"{database}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@contextmanager
def _migration_engine(engine: Engine) -> Iterator[Engine]:
    """An engine whose transactions hold schema changes too.

    The sqlite3 module commits before CREATE TABLE on its own, so a migration
    interrupted half-way would leave tables without their revision. Taking
    transactions out of its hands (and the write lock at BEGIN) makes a
    migration all or nothing.
    """
    if engine.dialect.name != "sqlite":
        yield engine
        return
    own = create_engine(
        engine.url, connect_args={"isolation_level": None, "timeout": 30}
    )
    event.listen(own, "connect", _sqlite_pragmas)
    event.listen(
        own, "begin", lambda connection: connection.exec_driver_sql("BEGIN IMMEDIATE")
    )
    try:
        yield own
    finally:
        own.dispose()
