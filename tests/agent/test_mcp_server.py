from __future__ import annotations

import json
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.shared.exceptions import MCPError

from agent.mcp.resources import issue_uri, transcript_uri
from agent.mcp.server import build_server
from agent.mcp.service import TriageService
from agent.runtime import Runtime
from tests.agent.mcp_calls import (
    CALL_ID,
    REQUEST,
    SHORT_CALL_ID,
    WORKSPACE,
    gong_bundle,
    make_runtime,
    write_json,
)
from tools.context import ToolContext
from tools.triage import registry

pytestmark = pytest.mark.anyio

SNAPSHOT = Path(__file__).parent / "snapshots" / "mcp_tools.json"
README = Path(__file__).parents[2] / "README.md"
REQUEST_MS = 185_000
TRIAGE_TOOLS = [
    "search_customers",
    "create_customer",
    "find_team",
    "link_timestamp",
    "create_triage_issue",
]
OTHER_TOOLS = [
    "list_calls",
    "get_transcript",
    "triage_call",
    "list_triage_issues",
    "update_triage_issue",
]


@pytest.fixture
def runtime(tmp_path: Path) -> Runtime:
    return make_runtime(tmp_path / "store.db")


@pytest.fixture
def call_file(tmp_path: Path) -> Path:
    return write_json(tmp_path / "harbor.json", gong_bundle())


@pytest.fixture
async def client(runtime: Runtime, tmp_path: Path) -> AsyncIterator[Client]:
    service = TriageService(runtime, files=tmp_path)
    async with Client(build_server(service)) as connected:
        yield connected


@pytest.fixture
async def triaged(client: Client, call_file: Path) -> dict[str, Any]:
    """The call of `call_file`, triaged by the offline triager."""
    [result] = await call(client, "triage_call", {"path": str(call_file)})
    return result


async def call(client: Client, name: str, arguments: dict[str, Any]) -> Any:
    result = await client.call_tool(name, arguments)
    assert not result.is_error, result.content[0].text
    return json.loads(result.content[0].text)


async def refusal(client: Client, name: str, arguments: dict[str, Any]) -> str:
    result = await client.call_tool(name, arguments)
    assert result.is_error
    return result.content[0].text


def excerpt(at_ms: int = REQUEST_MS, text: str = REQUEST) -> dict[str, Any]:
    return {"speaker": "Dana Whitfield", "start_ms": at_ms, "text": text}


def issue_arguments(**changes: Any) -> dict[str, Any]:
    arguments = {
        "call_id": CALL_ID,
        "title": "Export the schedule to a spreadsheet",
        "summary": "Let dispatchers export the weekly schedule as a spreadsheet.",
        "motivation": "They retype the schedule by hand every Monday.",
        "kind": "feature_request",
        "team": "RPT",
        "excerpts": [excerpt()],
    }
    return arguments | changes


# --- The tool list --------------------------------------------------------------


async def test_the_tool_list_and_schemas_match_the_snapshot(client: Client) -> None:
    listed = (await client.list_tools()).tools
    tools = [
        {"name": t.name, "description": t.description, "inputSchema": t.input_schema}
        for t in listed
    ]
    # CALLTRIAGE_UPDATE_SNAPSHOTS=1 rewrites the snapshot after a deliberate change.
    if os.environ.get("CALLTRIAGE_UPDATE_SNAPSHOTS"):
        SNAPSHOT.write_text(json.dumps(tools, indent=2) + "\n", encoding="utf-8")
    assert tools == json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert [t.name for t in listed] == TRIAGE_TOOLS + OTHER_TOOLS


async def test_each_triage_tool_has_the_registry_schema_plus_a_required_call_id(
    client: Client,
) -> None:
    listed = {t.name: t for t in (await client.list_tools()).tools}
    for tool in registry:
        schema = dict(listed[tool.name].input_schema)
        properties = dict(schema.pop("properties"))
        expected = dict(tool.input_schema)
        assert properties.pop("call_id")["type"] == "string"
        assert properties == expected.pop("properties")
        assert schema.pop("required") == ["call_id", *expected.pop("required", [])]
        assert schema == expected
        assert listed[tool.name].description.startswith(tool.description)


async def test_a_legacy_client_sees_the_same_tools(runtime: Runtime) -> None:
    server = build_server(TriageService(runtime))
    async with Client(server, mode="legacy") as legacy:
        names = [tool.name for tool in (await legacy.list_tools()).tools]
    assert names == TRIAGE_TOOLS + OTHER_TOOLS


async def test_an_unexpected_failure_is_a_tool_error_and_logged(
    runtime: Runtime,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    service = TriageService(runtime)

    def broken(status: str | None = None, limit: int | None = 50) -> list[Any]:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(service, "calls", broken)
    async with Client(build_server(service)) as client:
        message = await refusal(client, "list_calls", {})
    assert message == "list_calls failed unexpectedly; the server's log has the details"
    assert "disk on fire" in caplog.text


async def test_an_unknown_tool_is_a_protocol_error(client: Client) -> None:
    with pytest.raises(MCPError, match="there is no tool 'file_everything'"):
        await client.call_tool("file_everything", {})


# --- triage_call and list_calls -------------------------------------------------


async def test_triage_call_files_the_request_in_a_call_file(
    triaged: dict[str, Any],
) -> None:
    assert triaged["call_id"] == CALL_ID
    assert triaged["status"] == "triaged"
    assert triaged["customer"]["name"] == "Harbor Plumbing"
    [issue] = triaged["issues"]
    assert issue["team"] == "RPT"
    assert issue["excerpts"][0]["text"] == REQUEST


async def test_triage_call_by_call_id_reports_what_was_filed_before(
    client: Client, triaged: dict[str, Any]
) -> None:
    [again] = await call(client, "triage_call", {"call_id": CALL_ID})
    assert again["status"] == "already_done"
    assert [i["id"] for i in again["issues"]] == [i["id"] for i in triaged["issues"]]
    assert again["new_issues"] == 0


async def test_triage_call_names_a_file_it_cannot_read(
    client: Client, tmp_path: Path
) -> None:
    missing = tmp_path / "missing.json"
    message = await refusal(client, "triage_call", {"path": str(missing)})
    assert str(missing) in message


async def test_triage_call_wants_a_call_id_or_a_path(client: Client) -> None:
    message = await refusal(client, "triage_call", {})
    assert message == "give a call_id or a path, one of the two"


async def test_list_calls_shows_each_status_and_why_a_call_was_skipped(
    client: Client, triaged: dict[str, Any], tmp_path: Path
) -> None:
    short = gong_bundle(SHORT_CALL_ID, duration_s=300)
    await call(
        client, "triage_call", {"path": str(write_json(tmp_path / "s.json", short))}
    )

    entries = {e["call_id"]: e for e in await call(client, "list_calls", {})}
    assert entries[CALL_ID]["status"] == "triaged"
    assert entries[CALL_ID]["issues"] == 1
    assert entries[SHORT_CALL_ID]["status"] == "skipped"
    assert entries[SHORT_CALL_ID]["skip_reason"] == "too_short"
    skipped = await call(client, "list_calls", {"status": "skipped"})
    assert [e["call_id"] for e in skipped] == [SHORT_CALL_ID]


# --- get_transcript -------------------------------------------------------------


async def test_get_transcript_pages_through_a_long_call_within_the_limit(
    client: Client, tmp_path: Path
) -> None:
    said = [
        f"Point number {n} about the schedule board and the crews." for n in range(40)
    ]
    lines = [("customer" if n % 3 else "rep", text) for n, text in enumerate(said)]
    long_call = write_json(tmp_path / "long.json", gong_bundle(lines=lines))
    await call(client, "triage_call", {"path": str(long_call)})

    pages, cursor = [], None
    while True:
        arguments = {"call_id": CALL_ID, "cursor": cursor, "limit": 1000}
        page = await call(client, "get_transcript", arguments)
        pages.append(page["transcript"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(pages) > 3
    assert all(len(page) <= 1000 for page in pages)
    stamped = [line for page in pages for line in page.splitlines() if line[:1] == "["]
    assert [line.split("] ", 1)[1] for line in stamped] == said


async def test_get_transcript_refuses_a_cursor_it_did_not_give(
    client: Client, triaged: dict[str, Any]
) -> None:
    message = await refusal(
        client, "get_transcript", {"call_id": CALL_ID, "cursor": "99"}
    )
    assert "cursor '99' is not one get_transcript gave" in message


# --- The five triage tools ------------------------------------------------------


async def test_search_customers_finds_the_customer_triage_created(
    client: Client, triaged: dict[str, Any]
) -> None:
    arguments = {"call_id": CALL_ID, "domain": "harborplumbing.example"}
    [customer] = await call(client, "search_customers", arguments)
    assert customer["name"] == "Harbor Plumbing"


async def test_create_customer_refuses_a_mailbox_provider_as_the_domain(
    client: Client, triaged: dict[str, Any]
) -> None:
    arguments = {"call_id": CALL_ID, "name": "Harbor", "domain": "gmail.com"}
    message = await refusal(client, "create_customer", arguments)
    assert message == "gmail.com is a public mailbox provider, not a company domain"


async def test_create_customer_creates_a_customer(
    client: Client, triaged: dict[str, Any]
) -> None:
    arguments = {
        "call_id": CALL_ID,
        "name": "Bayside Electric",
        "domain": "bayside.example",
    }
    customer = await call(client, "create_customer", arguments)
    assert customer["domains"] == ["bayside.example"]


async def test_find_team_follows_the_routing_guidance(
    client: Client, triaged: dict[str, Any]
) -> None:
    arguments = {"call_id": CALL_ID, "about": "export the schedule to a spreadsheet"}
    found = await call(client, "find_team", arguments)
    assert found["matches"][0]["key"] == "RPT"


async def test_link_timestamp_links_to_the_moment_in_the_recording(
    client: Client, triaged: dict[str, Any]
) -> None:
    arguments = {"call_id": CALL_ID, "start_ms": REQUEST_MS}
    link = (await client.call_tool("link_timestamp", arguments)).content[0].text
    assert link.startswith(f"https://app.gong.io/call?id={CALL_ID}")
    assert "185" in link


async def test_create_triage_issue_files_a_grounded_issue(
    client: Client, call_file: Path
) -> None:
    quote = "It takes our office manager most of the morning."
    await call(client, "triage_call", {"path": str(call_file)})
    arguments = issue_arguments(excerpts=[excerpt(245_000, quote)], kind="pain_point")
    filed = await call(client, "create_triage_issue", arguments)
    assert filed["created"] is True
    assert filed["team"] == "RPT"


async def test_a_refused_excerpt_comes_back_as_the_agents_tool_error(
    client: Client, triaged: dict[str, Any], runtime: Runtime
) -> None:
    arguments = issue_arguments(excerpts=[excerpt(at_ms=1_000)])
    message = await refusal(client, "create_triage_issue", arguments)

    call_ = TriageService(runtime).call(CALL_ID)
    ctx = ToolContext(call_, runtime.tracker, WORKSPACE)
    del arguments["call_id"]
    outcome = await registry.call("create_triage_issue", arguments, ctx)
    assert outcome.is_error
    assert message == outcome.content
    assert "at start_ms 185000 (03:05), not at 1000 (00:01)" in message


async def test_the_issue_limit_counts_issues_filed_by_earlier_tool_calls(
    tmp_path: Path, call_file: Path
) -> None:
    service = TriageService(make_runtime(tmp_path / "one.db", 1), files=tmp_path)
    server = build_server(service)
    async with Client(server) as limited:
        await call(limited, "triage_call", {"path": str(call_file)})
        quote = "It takes our office manager most of the morning."
        arguments = issue_arguments(excerpts=[excerpt(245_000, quote)])
        message = await refusal(limited, "create_triage_issue", arguments)
    assert message == "the limit of 1 issues for one call is reached"


async def test_a_triage_tool_needs_a_call_id(client: Client) -> None:
    message = await refusal(client, "find_team", {"about": "exports"})
    assert message == "invalid arguments for find_team: call_id: Field required"


async def test_a_triage_tool_refuses_a_call_the_ledger_does_not_hold(
    client: Client,
) -> None:
    message = await refusal(client, "find_team", {"call_id": "42", "about": "exports"})
    assert message.startswith("there is no call '42' in the ledger")


async def test_a_triage_tool_files_nothing_from_a_skipped_call(
    client: Client, tmp_path: Path
) -> None:
    short = write_json(tmp_path / "short.json", gong_bundle(duration_s=300))
    await call(client, "triage_call", {"path": str(short)})
    message = await refusal(client, "create_triage_issue", issue_arguments())
    assert (
        message == f"call '{CALL_ID}' was skipped (too_short); nothing is filed from it"
    )


# --- The Triage queue -----------------------------------------------------------


async def test_list_triage_issues_shows_the_filed_issue(
    client: Client, triaged: dict[str, Any]
) -> None:
    [issue] = await call(client, "list_triage_issues", {"call_id": CALL_ID})
    assert issue["id"] == triaged["issues"][0]["id"]
    assert issue["status"] == "triage"
    assert issue["customer"] == "Harbor Plumbing"
    assert issue["uri"] == issue_uri(issue["id"])
    assert "description" not in issue
    assert await call(client, "list_triage_issues", {"status": "accepted"}) == []


async def test_update_triage_issue_accepts_declines_and_moves_an_issue(
    client: Client, triaged: dict[str, Any]
) -> None:
    issue_id = triaged["issues"][0]["id"]

    def update(action: str, **more: str) -> dict[str, Any]:
        return {"issue_id": issue_id, "action": action} | more

    assert (await call(client, "update_triage_issue", update("accept")))["status"] == (
        "accepted"
    )
    moved = await call(client, "update_triage_issue", update("move", team="DISP"))
    assert moved["team"] == "DISP"
    declined = await call(client, "update_triage_issue", update("decline"))
    assert declined["status"] == "declined"


async def test_update_triage_issue_says_what_is_missing_or_wrong(
    client: Client, triaged: dict[str, Any]
) -> None:
    issue_id = triaged["issues"][0]["id"]
    missing = await refusal(
        client, "update_triage_issue", {"issue_id": issue_id, "action": "duplicate"}
    )
    assert missing == "give duplicate_of, the id of the issue this one repeats"
    arguments = {"issue_id": issue_id, "action": "move", "team": "NOPE"}
    wrong = await refusal(client, "update_triage_issue", arguments)
    assert wrong == "there is no team 'NOPE'; teams are: DISP, RPT"
    arguments = {"issue_id": issue_id, "action": "duplicate", "duplicate_of": issue_id}
    itself = await refusal(client, "update_triage_issue", arguments)
    assert itself == "an issue cannot be a duplicate of itself"


# --- Resources and the prompt ---------------------------------------------------


async def test_a_calls_transcript_is_a_resource(
    client: Client, triaged: dict[str, Any]
) -> None:
    [contents] = (await client.read_resource(transcript_uri(CALL_ID))).contents
    assert contents.mime_type == "text/plain"
    assert contents.text.startswith("Jordan Avery (Internal)\n[00:05] Thanks")
    assert f"[03:05] {REQUEST}" in contents.text


async def test_a_triage_issue_is_a_resource(
    client: Client, triaged: dict[str, Any]
) -> None:
    issue_id = triaged["issues"][0]["id"]
    [contents] = (await client.read_resource(issue_uri(issue_id))).contents
    issue = json.loads(contents.text)
    assert contents.mime_type == "application/json"
    assert issue["id"] == issue_id
    assert REQUEST in issue["description"]


async def test_resources_are_listed_and_templated(
    client: Client, triaged: dict[str, Any]
) -> None:
    listed = [r.uri for r in (await client.list_resources()).resources]
    assert listed == [transcript_uri(CALL_ID), issue_uri(triaged["issues"][0]["id"])]
    templates = (await client.list_resource_templates()).resource_templates
    assert [t.uri_template for t in templates] == [
        "calltriage://calls/{call_id}/transcript",
        "calltriage://issues/{issue_id}",
    ]


async def test_an_unknown_resource_is_a_protocol_error(client: Client) -> None:
    with pytest.raises(MCPError, match="there is no issue 'iss_nope'"):
        await client.read_resource(issue_uri("iss_nope"))
    with pytest.raises(MCPError, match="is not a calltriage resource"):
        await client.read_resource("calltriage://teams/RPT")


async def test_the_triage_prompt_holds_the_instructions_teams_and_call(
    client: Client, triaged: dict[str, Any]
) -> None:
    [prompt] = (await client.list_prompts()).prompts
    result = await client.get_prompt(prompt.name, {"call_id": CALL_ID})
    [message] = result.messages
    text = message.content.text
    assert message.role == "user"
    assert f'Pass call_id "{CALL_ID}" to every tool.' in text
    assert "`RPT` Reporting" in text
    assert WORKSPACE.guidance in text
    assert REQUEST in text and "[03:05]" in text
    assert f'<transcript call_id="{CALL_ID}">' in text


async def test_the_triage_prompt_needs_a_known_call(client: Client) -> None:
    with pytest.raises(MCPError, match="there is no call '42'"):
        await client.get_prompt("triage_call", {"call_id": "42"})
    with pytest.raises(MCPError, match="the triage_call prompt needs a call_id"):
        await client.get_prompt("triage_call", {})


# --- End to end over stdio ------------------------------------------------------


def claude_desktop_entry() -> dict[str, Any]:
    """The calltriage entry of the Claude Desktop configuration the README shows."""
    readme = README.read_text(encoding="utf-8")
    section = readme.split("## Use from an MCP client", 1)[1]
    snippet = section.split("```json\n", 1)[1].split("```", 1)[0]
    return json.loads(snippet)["mcpServers"]["calltriage"]


async def test_a_client_over_stdio_triages_a_call_and_reads_the_issue_back(
    tmp_path: Path, call_file: Path
) -> None:
    entry = claude_desktop_entry()
    console_script = Path(sys.executable).with_name(Path(entry["command"]).name)
    if not console_script.exists():
        pytest.skip(
            f"the calltriage console script is not installed at {console_script}"
        )
    workspace = write_json(tmp_path / "workspace.json", WORKSPACE.model_dump())
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    values = {
        "CALLTRIAGE_DATABASE_URL": f"sqlite:///{tmp_path / 'stdio.db'}",
        "CALLTRIAGE_WORKSPACE": str(workspace),
        "CALLTRIAGE_MCP_FILES": str(tmp_path),
    }
    server = StdioServerParameters(
        command=str(console_script),
        args=entry["args"],
        env={name: values[name] for name in entry["env"]},
        # Elsewhere than the call file: only CALLTRIAGE_MCP_FILES lets it be read.
        cwd=elsewhere,
    )
    with (tmp_path / "server.log").open("w") as errlog:
        async with Client(stdio_client(server, errlog=errlog)) as client:
            names = [tool.name for tool in (await client.list_tools()).tools]
            [result] = await call(client, "triage_call", {"path": str(call_file)})
            [issue] = await call(client, "list_triage_issues", {})
            [contents] = (await client.read_resource(issue["uri"])).contents

    assert names == TRIAGE_TOOLS + OTHER_TOOLS
    assert result["new_issues"] == 1
    assert issue["id"] == result["issues"][0]["id"]
    assert json.loads(contents.text)["excerpts"][0]["text"] == REQUEST
