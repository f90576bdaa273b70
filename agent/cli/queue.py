"""`calltriage triage …`: review the local Triage queue."""

from __future__ import annotations

import click

from agent.cli.common import emit_json, fail, main, with_settings
from agent.cli.render import print_issue
from agent.records import queued_issue_json
from agent.runtime import open_store
from agent.settings import Settings
from tools.queue import QueueError, TriageQueue
from tools.trackers.base import IssueRecord


@main.group()
def triage() -> None:
    """Review the local Triage queue: list, show, accept, decline, duplicate, move."""


def _queue(settings: Settings) -> TriageQueue:
    return TriageQueue(open_store(settings))


@triage.command("list")
@click.option(
    "--status",
    default="triage",
    show_default=True,
    type=click.Choice(["triage", "accepted", "declined", "duplicate", "all"]),
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per issue.")
@with_settings
def list_issues(settings: Settings, status: str, as_json: bool) -> None:
    """List issues waiting in Triage (or with another status)."""
    entries = _queue(settings).list(None if status == "all" else status)
    for issue, customer in entries:
        if as_json:
            emit_json(queued_issue_json(issue, customer))
        else:
            who = f"  ({customer})" if customer else ""
            click.echo(
                f"{issue.id}  {issue.status:<9} [{issue.team_key}] {issue.title}{who}"
            )
    if not entries and not as_json:
        click.echo(f"no issues with status {status}")


@triage.command()
@click.argument("issue_id")
@click.option("--json", "as_json", is_flag=True)
@with_settings
def show(settings: Settings, issue_id: str, as_json: bool) -> None:
    """Show one issue with its description and excerpts."""
    issue = _act(lambda q: q.get(issue_id), settings)
    if as_json:
        emit_json(queued_issue_json(issue))
        return
    print_issue(issue)
    copy = f" of {issue.duplicate_of}" if issue.duplicate_of else ""
    click.echo(f"status: {issue.status}{copy}   call: {issue.call_id}\n")
    click.echo(issue.description)


@triage.command()
@click.argument("issue_id")
@with_settings
def accept(settings: Settings, issue_id: str) -> None:
    """Accept an issue into its team's backlog."""
    _report(_act(lambda q: q.accept(issue_id), settings))


@triage.command()
@click.argument("issue_id")
@with_settings
def decline(settings: Settings, issue_id: str) -> None:
    """Decline an issue."""
    _report(_act(lambda q: q.decline(issue_id), settings))


@triage.command()
@click.argument("issue_id")
@click.option("--of", "original", required=True, help="The issue it duplicates.")
@with_settings
def duplicate(settings: Settings, issue_id: str, original: str) -> None:
    """Mark an issue as a duplicate of another."""
    _report(_act(lambda q: q.duplicate(issue_id, original), settings))


@triage.command()
@click.argument("issue_id")
@click.option("--team", required=True, help="Key of the team to move it to.")
@with_settings
def move(settings: Settings, issue_id: str, team: str) -> None:
    """Move an issue to another team."""
    _report(_act(lambda q: q.move(issue_id, team), settings))


def _act(action, settings: Settings) -> IssueRecord:
    try:
        return action(_queue(settings))
    except QueueError as exc:
        fail(str(exc), code=1)


def _report(issue: IssueRecord) -> None:
    click.echo(f"{issue.id}  {issue.status}  [{issue.team_key}] {issue.title}")
