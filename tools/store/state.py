"""Small named values kept in the store, such as the workspace and the watermark."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from tools.store.db import Store
from tools.store.tables import StateRow, utcnow


def read_state(store: Store, key: str) -> dict[str, Any]:
    """The value stored under `key`; empty when there is none."""
    with store.session() as session:
        row = session.get(StateRow, key)
        return dict(row.value) if row is not None else {}


def write_state(store: Store, key: str, value: dict[str, Any]) -> None:
    def change(session: Session) -> None:
        row = session.get(StateRow, key) or StateRow(key=key)
        row.value, row.updated_at = value, utcnow()
        session.add(row)

    store.write(change)
