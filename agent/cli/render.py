"""How calls and issues look on the terminal and as JSON."""

from __future__ import annotations

import click

from agent.pipeline import CallResult
from tools.grounding import clock
from tools.trackers.base import IssueRecord


def print_call(result: CallResult) -> None:
    call = result.call
    click.secho(f"{call.source}", bold=True, nl=False)
    click.echo(f"  {call.title or ''}  (call {call.call_id})")
    if result.status == "in_progress":
        click.echo("  in progress elsewhere: another worker holds it; not triaged here")
        return
    if result.skip_reason:
        prefix = "already skipped" if result.status == "already_done" else "skipped"
        click.echo(f"  {prefix}: {result.skip_reason}")
        return
    if result.customer:
        made = " (new)" if result.customer_created else ""
        click.echo(f"  customer: {result.customer.name}{made}")
    if result.error:
        click.secho(f"  {result.status}: {result.error}", fg="red")
    if result.status == "failed":
        click.echo(f"  {len(result.issues)} issue(s) filed before it failed")
    elif result.status == "already_done":
        click.echo(
            f"  already triaged: {len(result.issues)} issue(s), nothing new filed"
        )
    elif not result.issues:
        click.echo("  nothing actionable")
    else:
        click.echo(f"  filed {len(result.new_issues)} new issue(s):")
    for issue in result.issues:
        print_issue(issue, indent="    ")


def print_issue(issue: IssueRecord, indent: str = "") -> None:
    click.echo(f"{indent}{issue.id}  [{issue.team_key}] {issue.title}")
    for excerpt in issue.excerpts:
        text = excerpt.text if len(excerpt.text) < 160 else excerpt.text[:157] + "…"
        click.echo(f"{indent}  “{text}” — {excerpt.speaker}, {clock(excerpt.start_ms)}")
