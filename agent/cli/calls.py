"""`calltriage calls`: the call ledger."""

from __future__ import annotations

import click

from agent.cli.common import emit_json, main, with_settings
from agent.ledger import Ledger
from agent.records import ledger_json
from agent.runtime import open_store
from agent.settings import Settings


@main.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object per call.")
@with_settings
def calls(settings: Settings, as_json: bool) -> None:
    """What was seen, triaged or skipped, and why."""
    for entry in Ledger(open_store(settings)).entries():
        if as_json:
            emit_json(ledger_json(entry))
            continue
        row = entry.row
        why = f" ({row.skip_reason})" if row.skip_reason else ""
        error = f"  error: {row.error}" if row.error else ""
        click.echo(
            f"{row.call_id}  {row.status}{why}  {entry.issues} issue(s)  "
            f"{row.title or ''}  [{row.source}]{error}"
        )
