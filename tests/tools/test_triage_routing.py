from __future__ import annotations

import pytest

from agent.workspace import Workspace
from tests import builders
from tools.context import ToolContext
from tools.triage import registry

pytestmark = pytest.mark.anyio

VA = Workspace(
    teams=[
        {"key": "APPT", "name": "Appointments", "description": "Scheduling"},
        {"key": "WEB", "name": "Web", "description": "Navigation, accessibility"},
    ],
    guidance="Accessibility problems go to WEB whatever page they are on.",
)


async def _find(ctx: ToolContext, about: str) -> list[str]:
    outcome = await registry.call("find_team", {"about": about}, ctx)
    assert not outcome.is_error, outcome.content
    return [match.key for match in outcome.value.matches]


async def test_find_team_ranks_teams_by_their_descriptions(ctx: ToolContext) -> None:
    assert (await _find(ctx, "the weekly CSV export is empty"))[0] == "DATA"
    assert (await _find(ctx, "Okta single sign-on"))[0] == "AUTH"
    assert (await _find(ctx, "the Android app crashes"))[0] == "MOBI"


async def test_find_team_names_the_default_team_and_why_each_matched(
    ctx: ToolContext,
) -> None:
    outcome = await registry.call("find_team", {"about": "CSV exports"}, ctx)

    assert outcome.value.default_team == "DATA"
    assert outcome.value.matches[0].reasons == ["description: csv, export"]


async def test_a_text_that_fits_no_team_puts_the_default_team_first(
    ctx: ToolContext,
) -> None:
    assert (await _find(ctx, "the weather was lovely"))[0] == "DATA"


async def test_find_team_follows_the_guidance_over_the_page_named(
    ctx: ToolContext,
) -> None:
    ctx.workspace = VA

    about = "screen reader can't read the appointments page"
    ranked = await _find(ctx, about)

    assert ranked == ["WEB", "APPT"]


async def test_link_timestamp_links_to_the_moment_in_the_recording(
    ctx: ToolContext,
) -> None:
    arguments = {"start_ms": 20_000, "end_ms": 26_000}

    outcome = await registry.call("link_timestamp", arguments, ctx)

    assert outcome.content.startswith(builders.GONG_URL + "&highlights=")


async def test_link_timestamp_is_refused_for_a_call_without_a_recording(
    ctx: ToolContext,
) -> None:
    ctx.call = builders.call(url=None)

    outcome = await registry.call("link_timestamp", {"start_ms": 1}, ctx)

    assert outcome.is_error
    assert "no recording URL" in outcome.content


async def test_link_timestamp_refuses_a_negative_time(ctx: ToolContext) -> None:
    outcome = await registry.call("link_timestamp", {"start_ms": -5}, ctx)

    assert outcome.is_error
    assert "start_ms" in outcome.content
