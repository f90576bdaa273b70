"""`calltriage eval PATH…` and `calltriage eval compare A.json B.json`."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from agent.cli.common import emit_json, fail, main, with_settings
from agent.runtime import choose_triager
from agent.settings import Settings
from evals.dataset import load_cases
from evals.record import EvalReport, EvalSettings
from evals.report import (
    RecordError,
    build_report,
    compare,
    headline,
    read_record,
    render_table,
    write_html,
    write_record,
)
from evals.run import run_cases

BELOW_BAR_EXIT = 1


@main.command("eval")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--model",
    help="'offline', a Claude model id, or scripted:FILE [default: as configured].",
)
@click.option("--epochs", default=1, show_default=True, type=click.IntRange(1, 50))
@click.option(
    "--out", type=click.Path(path_type=Path), help="Write JSON and HTML here."
)
@click.option("--json", "as_json", is_flag=True, help="Print headline metrics as JSON.")
@click.option("--min-f1", type=click.FloatRange(0, 1), help="Exit 1 below this F1.")
@click.option("--min-precision", type=click.FloatRange(0, 1), help="Exit 1 below this.")
@with_settings
def evaluate(
    settings: Settings,
    paths: tuple[str, ...],
    model: str | None,
    epochs: int,
    out: Path | None,
    as_json: bool,
    min_f1: float | None,
    min_precision: float | None,
) -> None:
    """Run labeled calls through a triager and score them (FORMAT.md rules).

    `calltriage eval compare A.json B.json` shows what moved between two records.
    """
    if paths[0] == "compare":
        _compare(paths[1:])
        return
    cases = load_cases([Path(p) for p in paths])
    if out is not None:
        _check_writable(out)
    if model:
        settings = settings.model_copy(update={"model": model})
    triager = choose_triager(settings)

    def progress(run) -> None:
        if not as_json and sys.stderr.isatty():
            click.echo(f"  {run.case_id}: {len(run.issues)} issue(s)", err=True)

    epoch_runs = [
        asyncio.run(run_cases(cases, lambda _case: triager, progress))
        for _ in range(epochs)
    ]
    report = build_report(
        EvalSettings(
            triager=triager.name,
            model=triager.model,
            prompt_version=triager.prompt_version,
            epochs=epochs,
            date=datetime.now(UTC),
            case_paths=list(paths),
        ),
        cases,
        epoch_runs,
    )
    _publish(report, out, as_json)
    _enforce(report, min_f1, min_precision)


def _publish(report: EvalReport, out: Path | None, as_json: bool) -> None:
    failed = [(r.case_id, r.error) for c in report.cases for r in c.runs if r.error]
    if failed:
        case_id, error = failed[0]
        click.echo(
            f"calltriage: {len(failed)} run(s) failed and count as misses; "
            f"the first, {case_id}: {error}",
            err=True,
        )
    if out is not None:
        record = write_record(report, out)
        page = write_html(report, out)
        click.echo(f"wrote {record} and {page}", err=True)
    if as_json:
        emit_json(headline(report))
    else:
        click.echo(render_table(report))


def _enforce(
    report: EvalReport, min_f1: float | None, min_precision: float | None
) -> None:
    numbers = headline(report)
    for name, bar in (("f1", min_f1), ("precision", min_precision)):
        value = numbers.get(name)
        if bar is not None and (value is None or value < bar):
            click.echo(f"calltriage: {name} {value} is below the bar {bar}", err=True)
            sys.exit(BELOW_BAR_EXIT)


def _check_writable(out: Path) -> None:
    """Fail before a long run, not after it, when results cannot be written."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".calltriage-write-check"
        probe.touch()
        probe.unlink()
    except OSError as exc:
        fail(f"cannot write eval results to {out} ({exc.strerror})")


def _compare(paths: tuple[str, ...]) -> None:
    if len(paths) != 2:
        fail("eval compare takes two record files: A.json B.json")
    try:
        before, after = (read_record(Path(p)) for p in paths)
    except RecordError as exc:
        fail(str(exc))
    click.echo(compare(before, after))
