"""What calltriage offers an MCP client, apart from the protocol that carries it.

Every failure a client can correct is a ToolRefusal whose message says how.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from agent.calls import Call
from agent.ledger import Ledger
from agent.mcp.files import CallFiles
from agent.mcp.resources import issue_uri
from agent.mcp.transcript import render_transcript, transcript_page
from agent.readers import ReadError, read_call_file
from agent.records import call_json, ledger_json, queued_issue_json
from agent.runtime import Runtime
from tools.context import ToolContext
from tools.queue import QueueError, TriageQueue
from tools.registry import ToolOutcome, ToolRefusal, ToolStop
from tools.store.tables import CallRow
from tools.trackers.base import IssueRecord, TrackerError
from tools.triage import registry


class TriageService:
    """The ledger, the triager, the five tools and the Triage queue of one runtime.

    Call files are read only from `files`, a folder; with none, only call ids do.
    """

    def __init__(self, runtime: Runtime, files: Path | None = None) -> None:
        self.runtime = runtime
        self.ledger = Ledger(runtime.store)
        self.files = CallFiles(files)

    def call(self, call_id: str) -> Call:
        """The call the ledger holds under `call_id`."""
        return Call.model_validate(self._ledger_row(call_id).payload)

    def calls(
        self, status: str | None = None, limit: int | None = 50
    ) -> list[dict[str, Any]]:
        """The `limit` calls seen last, oldest first, with what became of them."""
        return [ledger_json(entry) for entry in self.ledger.entries(status, limit)]

    async def act_on_call(
        self, tool_name: str, call_id: str, arguments: dict[str, Any]
    ) -> ToolOutcome:
        """Run one of the five triage tools on the call `call_id`."""
        try:
            ctx = await self._tool_context(call_id)
            return await registry.call(tool_name, arguments, ctx)
        except (ToolRefusal, ToolStop, TrackerError) as exc:
            return ToolOutcome(str(exc), is_error=True)

    async def triage(
        self, call_id: str | None, path: str | None, again: bool = False
    ) -> list[dict[str, Any]]:
        """Run the configured triager on a known call or on the calls in a file."""
        pipeline = self.runtime.pipeline()
        results = []
        for call in self._calls_to_triage(call_id, path):
            results.append(call_json(await pipeline.process(call, again=again)))
        return results

    def transcript(
        self, call_id: str, cursor: str | None, limit: int
    ) -> dict[str, Any]:
        """One page of a call's transcript, at most `limit` characters of it."""
        call = self.call(call_id)
        page = transcript_page(call, _cursor_position(call, cursor), limit)
        return {
            "call_id": call.call_id,
            "title": call.title,
            "sentences": f"{page.start + 1}-{page.end} of {page.total}",
            "next_cursor": page.next_cursor,
            "transcript": page.text,
        }

    def full_transcript(self, call_id: str) -> str:
        return render_transcript(self.call(call_id))

    def issues(
        self,
        status: str = "triage",
        call_id: str | None = None,
        limit: int | None = 50,
    ) -> list[dict[str, Any]]:
        """The first `limit` issues with `status` ("all" for any), oldest first."""
        listed = self._queue().list(None if status == "all" else status)
        chosen = [(i, c) for i, c in listed if call_id is None or i.call_id == call_id]
        return [_issue_summary(issue, customer) for issue, customer in chosen[:limit]]

    def issue(self, issue_id: str) -> dict[str, Any]:
        return _issue_detail(self._queue_action(lambda queue: queue.get(issue_id)))

    def update_issue(
        self,
        issue_id: str,
        action: str,
        duplicate_of: str | None = None,
        team: str | None = None,
    ) -> dict[str, Any]:
        """Accept, decline, mark as a duplicate, or move an issue to another team."""
        if action == "duplicate" and not duplicate_of:
            raise ToolRefusal("give duplicate_of, the id of the issue this one repeats")
        if action == "move" and not team:
            raise ToolRefusal("give team, the key of the team to move the issue to")
        actions = {
            "accept": lambda queue: queue.accept(issue_id),
            "decline": lambda queue: queue.decline(issue_id),
            "duplicate": lambda queue: queue.duplicate(issue_id, duplicate_of),
            "move": lambda queue: queue.move(issue_id, team),
        }
        return _issue_detail(self._queue_action(actions[action]))

    def _ledger_row(self, call_id: str) -> CallRow:
        row = self.ledger.get(call_id)
        if row is None or row.payload is None:
            raise ToolRefusal(
                f"there is no call {call_id!r} in the ledger; list_calls shows the "
                "known calls, and triage_call with a path adds one"
            )
        return row

    async def _tool_context(self, call_id: str) -> ToolContext:
        """A context for one tool call that knows what earlier calls filed."""
        row = self._ledger_row(call_id)
        if row.status == "skipped":
            raise ToolRefusal(
                f"call {call_id!r} was skipped ({row.skip_reason}); "
                "nothing is filed from it"
            )
        runtime = self.runtime
        # The issue limit holds for the call, not for one tool call.
        return await ToolContext.resume(
            Call.model_validate(row.payload),
            runtime.tracker,
            runtime.workspace,
            runtime.settings.max_issues_per_call,
            row.customer_id,
        )

    def _calls_to_triage(self, call_id: str | None, path: str | None) -> list[Call]:
        if (call_id is None) == (path is None):
            raise ToolRefusal("give a call_id or a path, one of the two")
        if call_id is not None:
            return [self.call(call_id)]
        try:
            calls = read_call_file(self.files.resolve(path), self.runtime.workspace)
        except ReadError as exc:
            raise ToolRefusal(str(exc)) from exc
        if not calls:
            raise ToolRefusal(f"{path} holds no calls")
        return calls

    def _queue(self) -> TriageQueue:
        if self.runtime.tracker.name != "local":
            raise ToolRefusal(
                f"the Triage queue tools work on the local store; review issues "
                f"filed into {self.runtime.tracker.name} there"
            )
        return TriageQueue(self.runtime.store)

    def _queue_action(
        self, action: Callable[[TriageQueue], IssueRecord]
    ) -> IssueRecord:
        try:
            return action(self._queue())
        except QueueError as exc:
            raise ToolRefusal(str(exc)) from exc


def _cursor_position(call: Call, cursor: str | None) -> int:
    if cursor is None:
        return 0
    if not cursor.isdigit() or int(cursor) > len(call.sentences):
        raise ToolRefusal(
            f"cursor {cursor!r} is not one get_transcript gave for this call; "
            "leave it out to start from the beginning"
        )
    return int(cursor)


def _issue_summary(issue: IssueRecord, customer: str | None) -> dict[str, Any]:
    """An issue without its long description; its resource has the whole of it."""
    entry = _issue_detail(issue, customer)
    del entry["description"]
    return entry


def _issue_detail(issue: IssueRecord, customer: str | None = None) -> dict[str, Any]:
    return queued_issue_json(issue, customer) | {"uri": issue_uri(issue.id)}
