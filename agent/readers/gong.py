"""Gong JSON: call bundles and the raw responses of Gong's calls and transcript APIs.

Recognised shapes, by their top-level keys:

- `call` (+ `transcript`): a bundle, one element of `POST /v2/calls/extensive` "calls"
  with its `POST /v2/calls/transcript` "transcript" array; labeled eval cases are
  bundles too. Without `transcript` (as `GET /v2/calls/{id}` returns it) the
  transcript must come from another file.
- `calls` and/or `callTranscripts`: API responses, paired by call id across files.
- `metaData`: a single element of an extensive "calls" list.

Call elements may be extensive (`metaData`, `parties`, `context`) or flat like
`GET /v2/calls` gives them. A party Gong heard no words from has no `speakerId`; it
keeps its place in `parties` under the id `party:<Gong party id>`.
"""

from __future__ import annotations

import json
import reprlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import JsonValue, ValidationError

from agent.calls import Affiliation, Call, CrmAccount, Party, Sentence
from agent.readers.errors import ReadError
from agent.readers.gong_payloads import (
    GongBundle,
    GongCall,
    GongContext,
    GongMonologue,
    GongObject,
    GongParty,
    GongResponses,
)
from agent.readers.source import SourceFile
from agent.workspace import Workspace

_FIELD_PATH_STEPS = 8
_ERROR_REPR = reprlib.Repr()
_ERROR_REPR.maxlevel, _ERROR_REPR.maxstring, _ERROR_REPR.maxother = 3, 160, 160


@dataclass
class GongFile:
    """The calls and transcripts one Gong JSON file holds."""

    path: Path
    calls: list[Call] = field(default_factory=list)
    awaiting: set[str] = field(default_factory=set)
    transcripts: dict[str, list[Sentence]] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        """True when no call here waits for a transcript and no transcript for one."""
        return not self.awaiting and not self.transcripts


def call_from_gong(
    gong_call: GongCall,
    transcript: list[GongMonologue] | None,
    *,
    source: str,
    workspace: Workspace,
) -> Call:
    """The call Gong describes, with the transcript when there is one.

    Raises ValueError when a transcript sentence ends before it starts.
    """
    meta = gong_call.meta_data
    parties = gong_call.parties or []
    call = Call(
        call_id=meta.id,
        source=source,
        title=meta.title,
        url=meta.url,
        started=meta.started,
        duration_s=meta.duration,
        scope=meta.scope,
        is_private=bool(meta.is_private),
        parties=[_party(p, n, workspace) for n, p in enumerate(parties)],
        accounts=_accounts(gong_call.context or []),
    )
    if transcript is None:
        return call
    return with_sentences(call, sentences_from_gong(transcript))


def sentences_from_gong(transcript: list[GongMonologue]) -> list[Sentence]:
    """Gong's monologues flattened into sentences in time order; blank ones dropped."""
    sentences = [
        Sentence(
            speaker_id=monologue.speaker_id,
            start_ms=round(sentence.start),
            end_ms=round(sentence.end),
            text=sentence.text.strip(),
        )
        for monologue in transcript
        for sentence in monologue.sentences or ()
        if sentence.text.strip()
    ]
    for sentence in sentences:
        if sentence.end_ms < sentence.start_ms:
            at = f"a sentence at {sentence.start_ms} ms"
            raise ValueError(f"{at} ends before it starts")
    return sorted(sentences, key=lambda sentence: sentence.start_ms)


def with_sentences(call: Call, sentences: list[Sentence]) -> Call:
    """`call` with its transcript; speakers no party claims join as unknown parties."""
    claimed = {party.speaker_id for party in call.parties}
    heard = dict.fromkeys(sentence.speaker_id for sentence in sentences)
    unknown = [Party(speaker_id=s) for s in heard if s not in claimed]
    return call.model_copy(
        update={"sentences": sentences, "parties": [*call.parties, *unknown]}
    )


def read_gong(source: SourceFile, workspace: Workspace) -> GongFile:
    data = _load_json(source)
    if not isinstance(data, dict):
        raise _not_gong(source)
    try:
        return _gong_file(source, data, workspace)
    except ValidationError as exc:
        first = exc.errors()[0]
        problem = f"has a malformed Gong field {_field_path(first['loc'])} "
        problem += f"({first['msg']})"
        raise source.error(problem) from exc
    except ValueError as exc:
        raise source.error(f"has a bad transcript: {exc}") from exc


def pair_transcripts(files: list[GongFile]) -> Iterator[Call | ReadError]:
    """Each file's calls, given the transcripts that any of the files hold for them."""
    transcripts: dict[str, tuple[Path, list[Sentence]]] = {}
    for gong_file in files:
        for call_id, sentences in gong_file.transcripts.items():
            transcripts.setdefault(call_id, (gong_file.path, sentences))

    known: set[str] = set()
    for gong_file in files:
        for call in gong_file.calls:
            known.add(call.call_id)
            if call.call_id in gong_file.awaiting and call.call_id in transcripts:
                call = with_sentences(call, transcripts[call.call_id][1])
            yield call

    for call_id, (path, _) in transcripts.items():
        if call_id not in known:
            problem = f"holds a transcript for call {call_id} but no call metadata"
            yield ReadError(path, f"{path} {problem}.")


def _load_json(source: SourceFile) -> object:
    try:
        return json.loads(source.text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise source.error(f"is not valid JSON: {exc.msg} at {where}") from exc
    except ValueError as exc:
        # Python refuses to convert integers of thousands of digits.
        raise source.error("has a number too long to read") from exc
    except RecursionError as exc:
        raise source.error("is JSON nested too deeply to read") from exc


def _gong_file(source: SourceFile, data: dict, workspace: Workspace) -> GongFile:
    if isinstance(data.get("call"), dict):
        bundle = GongBundle.model_validate(data)
        call = _call(source, bundle.call, bundle.transcript, workspace)
        awaiting = {call.call_id} if bundle.transcript is None else set()
        return GongFile(source.path, [call], awaiting)
    if isinstance(data.get("calls"), list) or "callTranscripts" in data:
        return _responses_file(source, GongResponses.model_validate(data), workspace)
    if isinstance(data.get("metaData"), dict):
        responses = GongResponses(calls=[GongCall.model_validate(data)])
        return _responses_file(source, responses, workspace)
    errors = data.get("errors")
    if isinstance(errors, list) and errors:
        answer = _ERROR_REPR.repr(errors[0]).strip("'\"")
        raise source.error(f"is a Gong error response ({answer}), not a call")
    raise _not_gong(source)


def _field_path(loc: tuple[int | str, ...]) -> str:
    """The dotted path of a field; the first few steps of a deeply nested one."""
    shown = ".".join(str(part) for part in loc[:_FIELD_PATH_STEPS])
    return shown + "..." if len(loc) > _FIELD_PATH_STEPS else shown


def _not_gong(source: SourceFile) -> ReadError:
    return source.error("is JSON but not a Gong call bundle or Gong API response")


def _responses_file(
    source: SourceFile, responses: GongResponses, workspace: Workspace
) -> GongFile:
    calls = [_call(source, item, None, workspace) for item in responses.calls or ()]
    transcripts = {}
    for item in responses.call_transcripts or ():
        try:
            transcripts[item.call_id] = sentences_from_gong(item.transcript or [])
        except ValueError as exc:
            raise ValueError(f"in call {item.call_id}, {exc}") from exc
    awaiting = {call.call_id for call in calls}
    return GongFile(source.path, calls, awaiting, transcripts)


def _call(
    source: SourceFile,
    gong_call: GongCall,
    transcript: list[GongMonologue] | None,
    workspace: Workspace,
) -> Call:
    return call_from_gong(
        gong_call, transcript, source=str(source.path), workspace=workspace
    )


def _party(party: GongParty, index: int, workspace: Workspace) -> Party:
    known = Party(
        speaker_id=party.speaker_id or f"party:{party.id or index}",
        name=party.name,
        email=party.email_address,
        title=party.title,
        affiliation=_affiliation(party.affiliation),
    )
    unknown = known.affiliation is Affiliation.UNKNOWN
    if unknown and workspace.is_internal_domain(known.email_domain):
        known.affiliation = Affiliation.INTERNAL
    return known


def _affiliation(value: str | None) -> Affiliation:
    try:
        return Affiliation((value or "").capitalize())
    except ValueError:
        return Affiliation.UNKNOWN


def _accounts(context: list[GongContext]) -> list[CrmAccount]:
    return [
        CrmAccount(
            system=system.system,
            object_id=item.object_id,
            name=_field_text(item, "name"),
            website=_field_text(item, "website"),
        )
        for system in context
        for item in system.objects or ()
        if item.object_type.casefold() == "account"
    ]


def _field_text(item: GongObject, name: str) -> str | None:
    value: JsonValue = next(
        (f.value for f in item.fields or () if f.name.casefold() == name), None
    )
    return None if value is None or value == "" else str(value)
