"""The scripted Messages API: script files, per-call scripts, and the API's rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.runtime import ConfigError, choose_triager
from agent.triagers.claude import ClaudeTriager
from agent.triagers.scripted import (
    Script,
    ScriptError,
    ScriptPlayer,
    load_script,
    scripted_triager,
)
from agent.triagers.wire_checks import request_problem
from tests.agent.triagers.replies import done, reply, tool_use

pytestmark = pytest.mark.anyio


def request(*messages: dict, **fields) -> dict:
    return {"model": "m", "max_tokens": 10, "messages": list(messages), **fields}


def user(*blocks: dict) -> dict:
    return {"role": "user", "content": list(blocks)}


def assistant(*blocks: dict) -> dict:
    return {"role": "assistant", "content": list(blocks)}


def result(tool_use_id: str) -> dict:
    return {"type": "tool_result", "tool_use_id": tool_use_id, "content": "ok"}


HELLO = {"type": "text", "text": "hello"}
USE = {"type": "tool_use", "id": "t1", "name": "find_team", "input": {}}


def test_a_reply_gets_ids_a_stop_reason_and_usage_filled_in():
    player = ScriptPlayer([reply(tool_use("find_team", about="exports"))])

    status, headers, body = player.answer(request(user(HELLO)))

    assert status == 200 and headers["request-id"] == "req_scripted_0001"
    assert body["content"][0]["id"] == "toolu_scripted_0001_0"
    assert body["stop_reason"] == "tool_use"
    assert body["usage"]["input_tokens"] > 0
    assert body["usage"]["cache_read_input_tokens"] == 0


def test_an_error_reply_has_the_api_error_shape():
    player = ScriptPlayer(
        [
            {
                "status": 529,
                "error": {"type": "overloaded_error", "message": "Overloaded"},
            }
        ]
    )

    status, headers, body = player.answer(request(user(HELLO)))

    assert status == 529
    assert body == {
        "type": "error",
        "error": {"type": "overloaded_error", "message": "Overloaded"},
        "request_id": "req_scripted_0001",
    }


def test_a_script_with_no_reply_left_answers_400():
    status, _, body = ScriptPlayer([]).answer(request(user(HELLO)))

    assert status == 400
    assert body["error"]["message"] == "the script has no reply left for request 1"


def test_a_call_of_its_own_in_the_script_gets_its_own_replies():
    player = ScriptPlayer(
        Script.model_validate(
            {"replies": [done("shared")], "calls": {"c2": [done("c2")]}}
        )
    )
    marked = {"type": "text", "text": '<transcript call_id="c2">\n…'}

    _, _, own = player.answer(request(user(marked)))
    _, _, shared = player.answer(request(user(HELLO)))

    assert own["content"][0]["text"] == "c2"
    assert shared["content"][0]["text"] == "shared"
    assert player.replies_left == 0


def test_a_script_file_that_is_not_a_script_names_the_file(tmp_path: Path):
    path = tmp_path / "script.json"
    path.write_text(json.dumps({"replies": [{"contents": []}]}))

    with pytest.raises(ScriptError, match=r"script.json: replies.0.contents: Extra"):
        load_script(path)
    with pytest.raises(ScriptError, match=r"missing.json: cannot read script"):
        load_script(tmp_path / "missing.json")


def test_every_tool_use_needs_its_result_first_in_the_next_message():
    unanswered = request(user(HELLO), assistant(USE), user(HELLO))
    answered_late = request(user(HELLO), assistant(USE), user(HELLO, result("t1")))
    answered = request(user(HELLO), assistant(USE), user(result("t1"), HELLO))
    stray = request(user(result("t9")))

    assert "need exactly one tool_result each" in request_problem(unanswered)
    assert "must come first" in request_problem(answered_late)
    assert request_problem(answered) is None
    assert "need exactly one tool_result each" in request_problem(stray)


def test_more_than_four_cache_marks_are_refused():
    marked = {**HELLO, "cache_control": {"type": "ephemeral"}}
    body = request(user(marked, marked, marked), system=[marked, marked])

    assert request_problem(body) == "at most 4 blocks may carry cache_control, got 5"


def test_a_request_must_start_with_the_user():
    assert "first message" in request_problem(request(assistant(HELLO)))
    assert "max_tokens" in request_problem({**request(user(HELLO)), "max_tokens": 0})


def test_a_scripted_model_setting_plays_the_script_file(tmp_path: Path, settings):
    path = tmp_path / "script.json"
    path.write_text(json.dumps({"format": "calltriage-script/1", "replies": []}))

    triager = choose_triager(settings.model_copy(update={"model": f"scripted:{path}"}))

    assert isinstance(triager, ClaudeTriager)
    assert triager.model == "scripted"


def test_a_scripted_model_with_a_missing_file_is_a_config_error(tmp_path, settings):
    with pytest.raises(ConfigError, match="nope.json: cannot read script"):
        choose_triager(settings.model_copy(update={"model": "scripted:nope.json"}))


async def test_a_call_whose_script_runs_out_fails_and_says_so(
    call, settings, make_pipeline
):
    player = ScriptPlayer([reply(tool_use("find_team", about="exports"))])

    result = await make_pipeline(scripted_triager(player, settings)).process(call)

    assert result.status == "failed"
    assert "no reply left for request 2" in result.error
