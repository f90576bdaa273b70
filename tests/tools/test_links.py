from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

from tools.links import moment_link

GONG = "https://us-1234.app.gong.io/call?id=7001"


def _highlights(link: str) -> list[dict]:
    [value] = parse_qs(urlsplit(link).query)["highlights"]
    return json.loads(value)


def test_a_gong_link_highlights_the_moment_in_whole_seconds() -> None:
    link = moment_link(GONG, 20_400, 26_900)

    assert _highlights(link) == [{"type": "SHARE", "from": 20, "to": 26}]


def test_a_gong_link_keeps_the_call_id() -> None:
    link = moment_link(GONG, 20_000, 26_000)

    assert parse_qs(urlsplit(link).query)["id"] == ["7001"]
    assert link.startswith("https://us-1234.app.gong.io/call?")


def test_the_highlights_parameter_is_url_encoded_json() -> None:
    link = moment_link(GONG, 20_000, 26_000)

    encoded = "%5B%7B%22type%22%3A%22SHARE%22%2C%22from%22%3A20%2C%22to%22%3A26%7D%5D"
    assert link == f"{GONG}&highlights={encoded}"


def test_an_existing_highlights_parameter_is_replaced() -> None:
    old = moment_link(GONG, 1_000, 2_000)

    link = moment_link(old, 20_000, 26_000)

    assert parse_qs(urlsplit(link).query)["highlights"] == [
        '[{"type":"SHARE","from":20,"to":26}]'
    ]


def test_a_moment_without_an_end_is_highlighted_for_a_second() -> None:
    assert _highlights(moment_link(GONG, 20_000)) == [
        {"type": "SHARE", "from": 20, "to": 21}
    ]


def test_a_file_link_gets_a_media_fragment() -> None:
    link = moment_link("file:///calls/p2.vtt", 174_524, 180_000)

    assert link == "file:///calls/p2.vtt#t=174"


def test_a_media_fragment_replaces_an_existing_one() -> None:
    assert moment_link("https://media.example/a.mp4#t=5", 9_000) == (
        "https://media.example/a.mp4#t=9"
    )


def test_a_page_on_gong_other_than_a_call_gets_a_media_fragment() -> None:
    link = moment_link("https://us-1234.app.gong.io/library?id=3", 9_000)

    assert link == "https://us-1234.app.gong.io/library?id=3#t=9"


def test_a_host_that_only_ends_in_gong_io_is_not_gong() -> None:
    link = moment_link("https://notgong.io/call?id=7001", 9_000)

    assert link == "https://notgong.io/call?id=7001#t=9"
