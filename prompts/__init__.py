"""jinja2 templates for prompts and issue text, rendered from typed contexts."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from tools.grounding import clock

TEMPLATE_DIR = Path(__file__).parent


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters["clock"] = clock
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)


def template_version(*templates: str) -> str:
    """A short hash of the named templates' text, recorded with every run."""
    digest = hashlib.sha256()
    for name in sorted(templates):
        digest.update(name.encode())
        digest.update((TEMPLATE_DIR / name).read_bytes())
    return digest.hexdigest()[:12]
