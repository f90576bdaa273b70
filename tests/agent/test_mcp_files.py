from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import anyio
import httpx2
import pytest
from click.testing import CliRunner
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from agent.cli import main
from agent.cli.mcp import call_files_folder
from agent.mcp.server import build_server
from agent.mcp.service import TriageService
from tests.agent.mcp_calls import CALL_ID, gong_bundle, make_runtime, write_json
from tests.agent.test_mcp_http import announced_url

pytestmark = pytest.mark.anyio

NO_PATHS = (
    "this server takes call ids, not paths; start it with --files DIR to allow files"
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The folder the server may read call files from, holding one call."""
    calls = tmp_path / "calls"
    calls.mkdir()
    write_json(calls / "harbor.json", gong_bundle())
    return calls


async def triage_path(service: TriageService, path: str | Path) -> tuple[bool, Any]:
    async with Client(build_server(service)) as client:
        result = await client.call_tool("triage_call", {"path": str(path)})
    return result.is_error, result.content[0].text


async def test_a_file_inside_the_folder_is_triaged(tmp_path: Path, folder: Path):
    service = TriageService(make_runtime(tmp_path / "store.db"), files=folder)

    is_error, text = await triage_path(service, folder / "harbor.json")

    assert not is_error, text
    assert json.loads(text)[0]["call_id"] == CALL_ID


async def test_a_relative_path_is_taken_inside_the_folder(tmp_path: Path, folder: Path):
    service = TriageService(make_runtime(tmp_path / "store.db"), files=folder)

    is_error, text = await triage_path(service, "harbor.json")

    assert not is_error, text
    assert json.loads(text)[0]["call_id"] == CALL_ID


@pytest.mark.parametrize(
    "outside",
    ["/proc/self/status", "../store.db", "{folder}/../outside.json", "/etc/passwd"],
)
async def test_a_path_outside_the_folder_is_refused_unread(
    tmp_path: Path, folder: Path, outside: str
):
    write_json(tmp_path / "outside.json", gong_bundle())
    service = TriageService(make_runtime(tmp_path / "store.db"), files=folder)
    path = outside.format(folder=folder)

    is_error, text = await triage_path(service, path)

    assert is_error
    assert text == (
        f"{path} is outside {folder}, the folder this server reads call files from"
    )
    assert service.calls() == []


async def test_a_symlink_out_of_the_folder_is_refused(tmp_path: Path, folder: Path):
    write_json(tmp_path / "outside.json", gong_bundle())
    (folder / "link.json").symlink_to(tmp_path / "outside.json")
    (folder / "status.json").symlink_to("/proc/self/status")
    service = TriageService(make_runtime(tmp_path / "store.db"), files=folder)

    for name in ("link.json", "status.json"):
        is_error, text = await triage_path(service, folder / name)
        assert is_error
        assert text.startswith(f"{folder / name} is outside {folder}")


async def test_a_server_without_a_files_folder_refuses_every_path(
    tmp_path: Path, folder: Path
):
    service = TriageService(make_runtime(tmp_path / "store.db"))

    is_error, text = await triage_path(service, folder / "harbor.json")

    assert is_error
    assert text == NO_PATHS


def test_files_names_the_folder_whatever_the_transport(tmp_path: Path):
    assert call_files_folder(tmp_path, over_http=False) == tmp_path
    assert call_files_folder(tmp_path, over_http=True) == tmp_path


def test_without_files_stdio_reads_from_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(tmp_path)

    assert call_files_folder(None, over_http=False) == tmp_path


def test_without_files_stdio_started_at_the_filesystem_root_reads_no_files(
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.chdir("/")

    assert call_files_folder(None, over_http=False) is None


def test_without_files_http_reads_no_files(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    assert call_files_folder(None, over_http=True) is None


async def test_the_command_over_http_refuses_paths_unless_given_files(
    tmp_path: Path, folder: Path
):
    console_script = Path(sys.executable).with_name("calltriage")
    if not console_script.exists():
        pytest.skip(
            f"the calltriage console script is not installed at {console_script}"
        )
    env = os.environ | {"CALLTRIAGE_DATABASE_URL": f"sqlite:///{tmp_path / 'h.db'}"}
    env.pop("CALLTRIAGE_MCP_FILES", None)
    path = str(folder / "harbor.json")

    refused = await _http_triage(console_script, env, tmp_path, path, [])
    allowed = await _http_triage(
        console_script, env, tmp_path, path, ["--files", str(folder)]
    )

    assert refused == (True, NO_PATHS)
    assert allowed[0] is False, allowed[1]


async def _http_triage(
    console_script: Path, env: dict[str, str], cwd: Path, path: str, extra: list[str]
) -> tuple[bool, str]:
    command = [str(console_script), "mcp", "--http", "0", *extra]
    process = await anyio.open_process(
        command, env=env, cwd=cwd, stderr=subprocess.PIPE
    )
    async with process:
        try:
            url = await announced_url(process)
            async with httpx2.AsyncClient() as http:
                transport = streamable_http_client(url, http_client=http)
                async with Client(transport) as client:
                    result = await client.call_tool("triage_call", {"path": path})
        finally:
            process.terminate()
    return bool(result.is_error), result.content[0].text


def test_the_command_refuses_files_that_are_not_a_folder(tmp_path: Path):
    missing = tmp_path / "nowhere"
    result = CliRunner().invoke(main, ["mcp", "--files", str(missing)])

    assert result.exit_code == 2
    assert f"{missing} is not a folder" in result.output
