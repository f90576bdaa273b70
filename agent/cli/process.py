"""`calltriage process PATH…`: triage call files now and print what was filed."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import click

from agent.cli.common import (
    emit_json,
    fail,
    main,
    open_runtime,
    with_settings,
    workspace_option,
)
from agent.cli.render import call_json, print_call
from agent.readers import ReadError, read_calls
from agent.runtime import Runtime
from agent.settings import Settings

READ_FAILED_EXIT = 1


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@workspace_option
@click.option("--json", "as_json", is_flag=True, help="One JSON object per call.")
@click.option(
    "--tracker",
    type=click.Choice(["local", "linear"]),
    help="Where issues are filed [env CALLTRIAGE_TRACKER; default local].",
)
@click.option("--model", help="Claude model id, or 'offline' [env CALLTRIAGE_MODEL].")
@click.option("--again", is_flag=True, help="Triage calls already in the ledger again.")
@with_settings
def process(
    settings: Settings,
    paths: tuple[Path, ...],
    workspace_path: Path | None,
    as_json: bool,
    tracker: str | None,
    model: str | None,
    again: bool,
) -> None:
    """Triage call files (Gong JSON, WebVTT, SRT, text) or folders of them."""
    updates = {k: v for k, v in {"tracker": tracker, "model": model}.items() if v}
    settings = settings.model_copy(update=updates)
    runtime = open_runtime(settings, workspace_path)
    if not runtime.workspace.teams:
        # Without teams nothing can be filed, yet every call would be marked
        # as triaged and never looked at again.
        fail(
            "no teams are configured; give --workspace a JSON or TOML file "
            "that lists them"
        )
    announce_triager(runtime)
    ok = asyncio.run(_process_all(runtime, list(paths), as_json, again))
    sys.exit(0 if ok else READ_FAILED_EXIT)


def announce_triager(runtime: Runtime) -> None:
    if runtime.triager.name == "offline":
        click.echo(
            "calltriage: no Claude model configured (ANTHROPIC_API_KEY unset or model "
            "'offline'); using the offline rules triager.",
            err=True,
        )


async def _process_all(
    runtime: Runtime, paths: list[Path], as_json: bool, again: bool
) -> bool:
    pipeline = runtime.pipeline()
    ok = True
    show_progress = not as_json and sys.stderr.isatty()
    for item in read_calls(paths, runtime.workspace):
        if isinstance(item, ReadError):
            click.echo(f"calltriage: {item}", err=True)
            ok = False
            continue
        if show_progress:
            click.echo(f"triaging {item.source} …", err=True)
        result = await pipeline.process(item, again=again)
        if result.status == "failed":
            ok = False
        if as_json:
            emit_json(call_json(result))
        else:
            print_call(result)
    return ok
