"""`calltriage calls`: the call ledger."""

from __future__ import annotations

import click
from sqlalchemy import func
from sqlmodel import select

from agent.cli.common import emit_json, main, with_settings
from agent.ledger import Ledger
from agent.runtime import open_store
from agent.settings import Settings
from tools.store.tables import IssueRow


@main.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object per call.")
@with_settings
def calls(settings: Settings, as_json: bool) -> None:
    """What was seen, triaged or skipped, and why."""
    store = open_store(settings)
    with store.session() as session:
        counts = dict(
            session.exec(
                select(IssueRow.call_id, func.count()).group_by(IssueRow.call_id)
            ).all()
        )
    for row in Ledger(store).all():
        entry = {
            "call_id": row.call_id,
            "source": row.source,
            "title": row.title,
            "status": row.status,
            "skip_reason": row.skip_reason,
            "issues": counts.get(row.call_id, 0),
            "error": row.error,
        }
        if as_json:
            emit_json(entry)
            continue
        why = f" ({row.skip_reason})" if row.skip_reason else ""
        error = f"  error: {row.error}" if row.error else ""
        click.echo(
            f"{row.call_id}  {row.status}{why}  {entry['issues']} issue(s)  "
            f"{row.title or ''}  [{row.source}]{error}"
        )
