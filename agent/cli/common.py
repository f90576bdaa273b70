"""Options and helpers every command shares."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from pydantic import AliasChoices, ValidationError
from sqlalchemy.exc import DBAPIError

from agent.runtime import (
    ConfigError,
    Runtime,
    choose_tracker,
    choose_triager,
    load_or_restore_workspace,
    open_store,
)
from agent.settings import Settings
from agent.workspace import WorkspaceError
from evals.dataset import CaseError
from tools.store.db import StoreError
from tools.trackers.base import TrackerAuthError

CONFIG_EXIT = 2
INTERRUPTED_EXIT = 130

# Errors whose message is already one sentence for a person: any command that
# meets one stops with it and exit status 2, never a traceback.
PERSON_ERRORS = (ConfigError, WorkspaceError, StoreError, CaseError, TrackerAuthError)


class CalltriageGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PERSON_ERRORS as exc:
            fail(str(exc))
        except KeyboardInterrupt:
            fail("interrupted; what was done is kept", code=INTERRUPTED_EXIT)
        except DBAPIError as exc:
            # Drivers explain over several lines; the first says what went wrong.
            reason = str(exc.orig).strip().splitlines()[0]
            fail(f"the database failed: {reason}", code=1)


@click.group(
    cls=CalltriageGroup, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.version_option(package_name="calltriage", prog_name="calltriage")
@click.option(
    "--database-url",
    help="SQLAlchemy URL of the store [env CALLTRIAGE_DATABASE_URL; default a SQLite "
    "file in .calltriage/].",
)
@click.option("-v", "--verbose", is_flag=True, help="Log one line per call and write.")
@click.pass_context
def main(ctx: click.Context, database_url: str | None, verbose: bool) -> None:
    """Turn product feedback in recorded customer calls into triage issues."""
    import logging

    if verbose:
        logging.getLogger().setLevel(logging.INFO)
    overrides = {"database_url": database_url} if database_url else {}
    try:
        ctx.obj = Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = variable_name(str(first["loc"][0])) if first["loc"] else "settings"
        fail(f"invalid configuration: {name}: {first['msg']}")


def variable_name(field: str) -> str:
    """The environment variable a person sets for the settings field `field`."""
    info = Settings.model_fields.get(field)
    if info is None:
        return field
    if isinstance(info.validation_alias, AliasChoices):
        return str(info.validation_alias.choices[0])
    return f"CALLTRIAGE_{field.upper()}"


def fail(message: str, code: int = CONFIG_EXIT) -> None:
    """Stop with one sentence for a person, no traceback."""
    click.echo(f"calltriage: {message}", err=True)
    sys.exit(code)


def workspace_option(function: Callable) -> Callable:
    return click.option(
        "--workspace",
        "workspace_path",
        type=click.Path(path_type=Path),
        help="JSON or TOML file with teams, routing guidance and known customers "
        "[env CALLTRIAGE_WORKSPACE].",
    )(function)


def open_runtime(settings: Settings, workspace_path: Path | None) -> Runtime:
    """Everything a command needs."""
    store = open_store(settings)
    workspace = load_or_restore_workspace(store, workspace_path or settings.workspace)
    tracker = choose_tracker(settings, store)
    triager = choose_triager(settings)
    return Runtime(settings, store, workspace, tracker, triager)


def require_teams(runtime: Runtime) -> None:
    """Stop unless the workspace has teams to file into."""
    if not runtime.workspace.teams:
        # Without teams nothing can be filed, yet every call would be marked
        # as triaged and never looked at again.
        fail(
            "no teams are configured; give --workspace a JSON or TOML file "
            "that lists them"
        )


def with_settings(function: Callable) -> Callable:
    """Pass the settings built by the group to a command."""

    @functools.wraps(function)
    @click.pass_obj
    def wrapper(settings: Settings, *args: Any, **kwargs: Any) -> Any:
        return function(settings, *args, **kwargs)

    return wrapper


def emit_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, default=str))
