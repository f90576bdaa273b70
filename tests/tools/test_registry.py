from __future__ import annotations

from typing import Annotated

import pytest
from pydantic import Field

from tests import builders
from tools.context import ToolContext
from tools.registry import ToolRefusal, ToolRegistry, ToolStop
from tools.trackers.base import TrackerError
from tools.triage import registry as triage_registry

pytestmark = pytest.mark.anyio

sample = ToolRegistry()


@sample.tool
async def greet(
    ctx: ToolContext,
    name: Annotated[str, Field(min_length=2, description="Who to greet")],
    times: Annotated[int, Field(ge=1, description="How often")] = 1,
) -> str:
    """Greet someone by name."""
    if name == "nobody":
        raise ToolRefusal("there is nobody to greet")
    if name == "stop":
        raise ToolStop("told to stop")
    if name == "tracker":
        raise TrackerError("the tracker is down")
    return " ".join([f"hello {name}"] * times)


@pytest.fixture
def ctx() -> ToolContext:
    return ToolContext(builders.call(), tracker=None, workspace=builders.workspace())


def test_a_tools_schema_comes_from_its_annotations_and_docstring() -> None:
    tool = sample.get("greet")

    assert tool.description == "Greet someone by name."
    assert tool.input_schema["properties"]["name"]["description"] == "Who to greet"
    assert tool.input_schema["properties"]["times"]["minimum"] == 1
    assert tool.input_schema["required"] == ["name"]


def test_the_context_is_not_part_of_a_schema() -> None:
    for tool in [*sample, *triage_registry]:
        assert "ctx" not in tool.input_schema["properties"]


def test_a_schema_forbids_extra_fields() -> None:
    for tool in [*sample, *triage_registry]:
        assert tool.input_schema["additionalProperties"] is False


def test_the_five_triage_tools_are_registered() -> None:
    assert {tool.name for tool in triage_registry} == {
        "search_customers",
        "create_customer",
        "find_team",
        "link_timestamp",
        "create_triage_issue",
    }


def test_every_triage_tool_and_parameter_is_described() -> None:
    for tool in triage_registry:
        assert tool.description, tool.name
        for name, schema in tool.input_schema["properties"].items():
            assert schema.get("description"), f"{tool.name}.{name}"


def test_create_triage_issue_requires_everything_but_the_customer() -> None:
    schema = triage_registry.get("create_triage_issue").input_schema

    assert set(schema["required"]) == {
        "title",
        "summary",
        "motivation",
        "kind",
        "team",
        "excerpts",
    }
    excerpt = schema["$defs"]["ExcerptInput"]
    assert set(excerpt["required"]) == {"speaker", "start_ms", "text"}
    assert all(field.get("description") for field in excerpt["properties"].values())


async def test_a_valid_call_returns_the_tools_value(ctx: ToolContext) -> None:
    outcome = await sample.call("greet", {"name": "Dana", "times": 2}, ctx)

    assert not outcome.is_error
    assert outcome.content == "hello Dana hello Dana"


async def test_an_invalid_argument_is_an_error_naming_the_field(
    ctx: ToolContext,
) -> None:
    outcome = await sample.call("greet", {"name": "Dana", "times": 0}, ctx)

    assert outcome.is_error
    assert outcome.content.startswith("invalid arguments for greet: times:")


async def test_a_missing_argument_is_an_error_naming_the_field(
    ctx: ToolContext,
) -> None:
    outcome = await sample.call("greet", {}, ctx)

    assert outcome.is_error
    assert "name: Field required" in outcome.content


async def test_an_extra_argument_is_an_error_naming_it(ctx: ToolContext) -> None:
    outcome = await sample.call("greet", {"name": "Dana", "mood": "cheery"}, ctx)

    assert outcome.is_error
    assert "mood: Extra inputs are not permitted" in outcome.content


async def test_an_unknown_tool_is_an_error_listing_the_known_tools(
    ctx: ToolContext,
) -> None:
    outcome = await triage_registry.call("file_bug", {}, ctx)

    assert outcome.is_error
    assert "'file_bug'" in outcome.content
    assert "create_customer, create_triage_issue, find_team" in outcome.content


async def test_a_refusal_goes_back_as_an_error_with_its_message(
    ctx: ToolContext,
) -> None:
    outcome = await sample.call("greet", {"name": "nobody"}, ctx)

    assert outcome.is_error
    assert outcome.content == "there is nobody to greet"


async def test_a_stop_ends_the_run(ctx: ToolContext) -> None:
    with pytest.raises(ToolStop, match="told to stop"):
        await sample.call("greet", {"name": "stop"}, ctx)


async def test_every_call_is_recorded_on_the_context(ctx: ToolContext) -> None:
    await sample.call("greet", {"name": "Dana"}, ctx)
    await sample.call("greet", {"name": "nobody"}, ctx)
    await sample.call("wave", {"at": "Dana"}, ctx)

    recorded = [(c.name, c.arguments, c.is_error) for c in ctx.tool_calls]
    assert recorded == [
        ("greet", {"name": "Dana"}, False),
        ("greet", {"name": "nobody"}, True),
        ("wave", {"at": "Dana"}, True),
    ]
    assert ctx.tool_calls[0].result == "hello Dana"


async def test_a_call_that_stops_the_run_is_recorded_too(ctx: ToolContext) -> None:
    with pytest.raises(ToolStop):
        await sample.call("greet", {"name": "stop"}, ctx)

    [recorded] = ctx.tool_calls
    assert (recorded.name, recorded.is_error, recorded.result) == (
        "greet",
        True,
        "told to stop",
    )


async def test_a_call_the_tracker_failed_is_recorded_and_the_failure_raised(
    ctx: ToolContext,
) -> None:
    with pytest.raises(TrackerError):
        await sample.call("greet", {"name": "tracker"}, ctx)

    assert [(c.result, c.is_error) for c in ctx.tool_calls] == [
        ("the tracker is down", True)
    ]
