from __future__ import annotations

import socket
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from tools.store.db import MIGRATIONS, Store, StoreError

HEAD = ScriptDirectory(str(MIGRATIONS)).get_current_head()

TABLES = {
    "alembic_version",
    "calls",
    "customer_requests",
    "customers",
    "excerpts",
    "issues",
    "runs",
    "state",
    "teams",
}


def _tables(store: Store) -> set[str]:
    return set(inspect(store.engine).get_table_names())


def _revision(store: Store) -> list[str]:
    with store.engine.connect() as connection:
        rows = connection.execute(text("SELECT version_num FROM alembic_version"))
        return [row[0] for row in rows]


def _opened_twice(url: str) -> tuple[Store, Store]:
    first = Store.open(url)
    with first.engine.begin() as connection:
        connection.execute(
            text("INSERT INTO state (key, value, updated_at) VALUES ('k', '{}', :at)"),
            {"at": "2025-01-01 00:00:00"},
        )
    first.close()
    return first, Store.open(url)


def test_opening_a_fresh_sqlite_file_creates_every_table(tmp_path: Path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'nested' / 'store.db'}")

    assert _tables(store) == TABLES
    assert _revision(store) == [HEAD]
    store.close()


def test_opening_a_sqlite_store_twice_keeps_its_data(tmp_path: Path) -> None:
    _, second = _opened_twice(f"sqlite:///{tmp_path / 'store.db'}")

    with second.engine.connect() as connection:
        assert connection.execute(text("SELECT key FROM state")).all() == [("k",)]
    assert _revision(second) == [HEAD]
    second.close()


def test_opening_a_fresh_postgres_database_creates_every_table(
    postgres_url: str,
) -> None:
    store = Store.open(postgres_url)

    assert _tables(store) == TABLES
    assert _revision(store) == [HEAD]
    store.close()


def test_opening_a_postgres_store_twice_keeps_its_data(postgres_url: str) -> None:
    _, second = _opened_twice(postgres_url)

    with second.engine.connect() as connection:
        assert connection.execute(text("SELECT key FROM state")).all() == [("k",)]
    assert _revision(second) == [HEAD]
    second.close()


def _refusal(url: str) -> str:
    with pytest.raises(StoreError) as refused:
        Store.open(url)
    message = str(refused.value)
    assert "\n" not in message, message
    return message


def test_a_string_that_is_no_url_is_refused_in_one_sentence() -> None:
    assert _refusal("not a url") == "'not a url' is not a database URL"


def test_an_unknown_kind_of_database_is_refused_in_one_sentence() -> None:
    assert "nosuchdb://" in _refusal("nosuchdb://host/db")


def test_a_database_without_its_driver_is_refused_in_one_sentence() -> None:
    assert "mysql" in _refusal("mysql+nosuchdriver://user@127.0.0.1/db")


def test_a_database_server_that_is_not_there_is_refused_in_one_sentence() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        # Bound but not listening: a connection to it is refused.
        url = f"postgresql+psycopg://postgres@127.0.0.1:{probe.getsockname()[1]}/x"
        message = _refusal(url)

    assert message.startswith(f"cannot open the database {url}: ")
    assert "refused" in message
    assert "\n" not in message


def test_a_file_that_is_not_a_database_is_refused_in_one_sentence(
    tmp_path: Path,
) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a database, just some notes " * 100)

    assert "not a database" in _refusal(f"sqlite:///{path}")


def test_a_sqlite_file_whose_folder_cannot_be_made_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")

    assert str(blocker) in _refusal(f"sqlite:///{blocker / 'store.db'}")


def test_upgrading_numbers_issues_that_once_shared_a_number(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = Store(Store.open(url).engine)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with old.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
        for issue_id in ("iss_a", "iss_b"):
            connection.execute(
                text(
                    "INSERT INTO issues (id, number, call_id, dedup_key, team_key, "
                    "title, summary, motivation, kind, description, status, "
                    "created_at, updated_at) VALUES (:id, 7, 'c', :id, 'T', 't', "
                    "'s', '', 'bug', 'd', 'triage', :at, :at)"
                ),
                {"id": issue_id, "at": "2025-01-01 00:00:00"},
            )
    old.close()

    upgraded = Store.open(url)

    with upgraded.engine.connect() as connection:
        numbers = connection.execute(
            text("SELECT id, number FROM issues ORDER BY id")
        ).all()
    assert [tuple(row) for row in numbers] == [("iss_a", 1), ("iss_b", 2)]
    assert _revision(upgraded) == [HEAD]


def test_the_migrations_build_exactly_the_tables_the_code_declares(
    tmp_path: Path,
) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'store.db'}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))

    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.check(config)


def test_a_first_migration_cut_short_leaves_a_store_that_opens_later(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"

    def cut_short(config: Config, revision: str) -> None:
        config.attributes["connection"].execute(text("CREATE TABLE calls (x int)"))
        raise KeyboardInterrupt

    with monkeypatch.context() as patched:
        patched.setattr("tools.store.db.command.upgrade", cut_short)
        with pytest.raises(KeyboardInterrupt):
            Store.open(url)

    store = Store.open(url)
    assert _tables(store) == TABLES
