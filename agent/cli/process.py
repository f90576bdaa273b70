"""`calltriage process PATH…`: triage call files now and print what was filed."""

from __future__ import annotations

import asyncio
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from agent.cli.common import (
    INTERRUPTED_EXIT,
    emit_json,
    fail,
    main,
    open_runtime,
    require_teams,
    with_settings,
    workspace_option,
)
from agent.cli.render import print_call
from agent.readers import ReadError, read_calls
from agent.records import call_json
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
    require_teams(runtime)
    announce_triager(runtime)
    progress = Progress()
    try:
        asyncio.run(_process_all(runtime, list(paths), as_json, again, progress))
    except KeyboardInterrupt:
        fail(
            f"interrupted after {progress.done} call(s); run the same command again "
            "to go on with the rest",
            code=INTERRUPTED_EXIT,
        )
    sys.exit(0 if progress.ok else READ_FAILED_EXIT)


def announce_triager(runtime: Runtime) -> None:
    if runtime.triager.name == "offline":
        click.echo(
            "calltriage: no Claude model configured (ANTHROPIC_API_KEY unset or model "
            "'offline'); using the offline rules triager.",
            err=True,
        )


@dataclass
class Progress:
    done: int = 0
    ok: bool = True


async def _process_all(
    runtime: Runtime,
    paths: list[Path],
    as_json: bool,
    again: bool,
    progress: Progress,
) -> None:
    pipeline = runtime.pipeline()
    show_progress = not as_json and sys.stderr.isatty()
    try:
        for item in read_calls(paths, runtime.workspace):
            # Yielding between calls lets Ctrl-C stop a batch promptly.
            await asyncio.sleep(0)
            if isinstance(item, ReadError):
                click.echo(f"calltriage: {item}", err=True)
                progress.ok = False
                continue
            if show_progress:
                click.echo(f"triaging {item.source} …", err=True)
            result = await pipeline.process(item, again=again)
            progress.done += 1
            progress.ok = progress.ok and result.status != "failed"
            if as_json:
                emit_json(call_json(result))
            else:
                print_call(result)
    finally:
        await runtime.aclose()
