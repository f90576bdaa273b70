"""Links to a moment in a recording."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit


def moment_link(recording_url: str, start_ms: int, end_ms: int | None = None) -> str:
    """A link that opens `recording_url` at `start_ms`.

    Gong call pages take a `highlights` query parameter holding a JSON list of
    `{"type": "SHARE", "from": s, "to": s}` in whole seconds, which is what their
    own share links carry. Anything else gets a media fragment (`#t=SECONDS`).
    """
    start_s = max(start_ms, 0) // 1000
    end_s = max(end_ms if end_ms is not None else start_ms, start_ms) // 1000
    parts = urlsplit(recording_url)
    if _is_gong_call_page(parts.netloc, parts.path):
        highlight = [{"type": "SHARE", "from": start_s, "to": max(end_s, start_s + 1)}]
        query = [(k, v) for k, v in parse_qsl(parts.query) if k != "highlights"]
        query.append(("highlights", json.dumps(highlight, separators=(",", ":"))))
        encoded = urlencode(query, quote_via=quote, safe="")
        return urlunsplit((parts.scheme, parts.netloc, parts.path, encoded, ""))
    return urlunsplit(
        (parts.scheme, parts.netloc, parts.path, parts.query, f"t={start_s}")
    )


def _is_gong_call_page(host: str, path: str) -> bool:
    is_gong = host == "gong.io" or host.endswith(".gong.io")
    return is_gong and path.rstrip("/") == "/call"
