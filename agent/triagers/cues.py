"""What customers say when they ask for something, hit a defect or carry a cost,
and what marks talk that must never be filed.

Every pattern is a general turn of phrase, matched case-insensitively against
one transcribed sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

REQUEST = "feature_request"
BUG = "bug"
PAIN = "pain_point"


@dataclass(frozen=True)
class Cue:
    kind: str
    weight: float
    pattern: re.Pattern[str]


def phrases(*patterns: str) -> re.Pattern[str]:
    """One case-insensitive pattern matching any of `patterns`, where an
    apostrophe also matches the typographic one transcripts often use."""
    joined = "|".join(f"(?:{p})" for p in patterns)
    return re.compile(joined.replace("'", "['\u2019]"), re.IGNORECASE)


_any = phrases


def _cue(kind: str, weight: float, *patterns: str) -> Cue:
    return Cue(kind, weight, _any(*patterns))


_WE = r"(?:i|we)"
_WOULD = r"(?:'d| would)"
_ADV = (
    r"(?:really |actually |ideally |honestly |just |still |definitely |also |"
    r"probably |maybe )?"
)

FEEDBACK: tuple[Cue, ...] = (
    # Requests: the customer states what they want.
    _cue(
        REQUEST,
        3.0,
        rf"\bwhat {_WE}{_WOULD}? {_ADV}(?:want|need|like|love|prefer|expect)"
        r"(?: to see| to have)? (?:is|would be)\b",
        rf"\bwhat {_WE}'d (?:want|need|like)\b",
        rf"\b{_WE}{_WOULD} {_ADV}(?:love|like|want|prefer) (?:for|it if|if|to see|"
        r"to have|to be able|to be notified|to get|the ability|some way|a way|them|"
        r"that|it to|more|separate|one)\b",
        rf"\b{_WE} {_ADV}wish (?!was\b|were\b|(?:we|i) (?:had|'d)\b)",
        rf"\b{_WE} {_ADV}(?:need|want) (?:a way|some way|to be able|the ability|"
        r"it to|them to|you to|the \w+ to|support for|an? option)\b",
        r"\b(?:there'?s|there is|we have|with) no (?:way|option|setting|place|button)"
        r" to\b",
        r"\bmust[- ]have\b|\bdeal[- ]?breaker\b|\bfeature request\b",
        r"\b(?:would|could) you (?:guys )?(?:add|build|make|support|consider)\b",
    ),
    _cue(
        REQUEST,
        2.0,
        r"\bit(?:'d| would) (?:really |also |just |definitely )?be (?:so |really |"
        r"super |a lot |much |more )?(?:great|nice|helpful|useful|awesome|amazing|"
        r"better|ideal|easier|huge|good|a big help|valuable) (?:if|to|for)\b",
        rf"\b{_WE}{_WOULD} {_ADV}(?:expect|prefer) (?:to see|to have|it|that|them|"
        r"all|one|a |an |the |separate)\b",
        rf"\b{_WE}{_WOULD} {_ADV}(?:put|change|move|call|make|like)\b"
        r".{0,40}\b(?:instead|rather|more|one more|from \w+ to)\b",
        rf"\b{_WE}{_WOULD} {_ADV}(?:add|take away|remove|rename|include|separate)\b",
        r"\b(?:it|this|that|they|there|which|the \w+|this \w+)\s+(?:should|"
        r"needs to|need to)\s+(?:just |really |also |probably )?(?:be (?:more|"
        r"easier|clearer|simpler|shown|visible|listed|displayed|included|there|"
        r"able|possible|the default|automatic|separate|at the top|on top|first)|"
        r"show|have|go|open|list|replace|say|tell|include|let|allow|start|begin|"
        r"default|hit|send|pick)\b",
        rf"\b{_WE} shouldn'?t (?:have|need) to\b",
        r"\bwhy (?:can'?t|couldn'?t|doesn'?t|isn'?t|wouldn'?t|won'?t|don'?t|is it "
        r"not)\b|\bwhy would (?:it|that|this|they) (?:be|say|show)\b",
        r"\b(?:would|could) (?:be|make it) (?:a lot |much |so much )?(?:better|"
        r"easier|clearer|simpler|more helpful)\b",
        r"\bif (?:i|you|they|it|there|we) (?:could|can|would) (?:just |also |"
        r"somehow )?(?:add|show|send|let|make|have|put|say|flag|list|give|link|"
        r"build|support|turn|set|search|filter|sort|toggle|snooze|choose|pick)\b",
        r"\bmaybe you (?:guys )?(?:can|could) (?:\w+ ){0,2}?(?:define|add|put|show|"
        r"explain|make|include|list|give|have|send|link)\b",
    ),
    # Bugs: something does not do what it should.
    _cue(
        BUG,
        3.0,
        r"\b(?:crash\w*|broken|glitch\w*|regression)\b",
        r"\b(?:used to work|stopped working|worked fine until|started (?:right )?"
        r"(?:after|when|with|since)|ever since the (?:update|release|upgrade))\b",
        r"\b(?:errors? out|errored|throws an error|error message|fails?|failed|"
        r"failing)\b",
    ),
    _cue(
        BUG,
        2.0,
        r"\b(?:doesn'?t|does not|didn'?t|won'?t|isn'?t|is not|can'?t|cannot|"
        r"wasn'?t|aren'?t|don'?t) (?:\w+ )?(?:work|load|open|sync|save|show|update|"
        r"download|send|arrive|display|match|refresh|retry|move|go through|"
        r"come through|respond|fire|print|export|import|exist|say|record|tell|"
        r"include|keep|log|capture|recalculate|notify|buzz|recogni[sz]e)\w*\b",
        r"\b(?:comes?|came|arrives?|arrived|shows? up|showed up|goes out|went out|"
        r"reach\w*) (?:\w+ ){0,3}?(?:late|too late)\b|\b(?:come|arrive)s? after\b",
        r"\bnever (?:\w+ )?(?:buzz\w*|arriv\w*|shows? up|came|loads?|works?|"
        r"syncs?|recorded|saved)\b",
        r"\b(?:don'?t|doesn'?t|didn'?t) (?:even )?(?:get|receive) (?:the|a|any)\b",
        r"\bnothing in the \w+ (?:that )?(?:says|shows|tells)\b",
        r"\b(?:times? out|timed out|freez\w+|hangs?|just closes|disappear\w*|"
        r"vanish\w*|get stuck|gets stuck|got stuck|it'?s just gone)\b",
        r"\b(?:wrong|incorrect|inaccurate|off by|shifted|out of date|outdated)\b",
        r"\b(?:keeps?|kept) (?:logging|kicking|bumping|crashing|failing|getting)\b",
        r"\b(?:not|never) (?:always )?(?:updated|accurate|correct|available|"
        r"working|up to date)\b",
        r"\bstill (?:be |shows?|showing|says|listed|on (?:his|her|my|the) \w+)\b",
        r"\bnothing (?:retried|happens|happened)\b",
    ),
    # Pain points: a recurring cost or a confusion the customer lives with.
    _cue(
        PAIN,
        2.0,
        r"\b(?:by hand|manually|copy (?:it |them )?(?:into|over)|re-?enter\w*|"
        r"retyp\w*)\b",
        r"\b(?:frustrat\w+|annoy\w*|painful|pain point|a pain|nightmare|headache|"
        r"tedious|obnoxious|cumbersome|least favou?rite|driving me|drives me)\b",
        r"\b(?:confus\w+|unclear|not (?:super |very |really |that )?clear|"
        r"hard to (?:find|read|tell|understand|use|see|follow)|difficult to)\b",
        r"\b(?:waste|wasting) (?:of )?(?:all )?(?:\w+ )?(?:time|hours|days)\b",
        rf"\b(?:{_WE}|he|she|they) (?:don'?t|do not|wouldn'?t|didn'?t) (?:really )?"
        r"(?:know|understand) (?:what|why|how|which|whether)\b",
        r"\b(?:i'?m not (?:quite |really )?sure|i never know|(?:i have|there'?s) no "
        r"idea) (?:what|why|how|if|whether)\b",
        r"\bnot (?:\w+ )?(?:helpful|useful|intuitive|obvious)\b",
        r"\b(?:can'?t|couldn'?t|cannot|unable to) (?:\w+ ){0,2}?(?:find|tell|"
        r"figure|see|read|hear|get to|change|edit|download|use|verify|prove|reach|"
        r"access|print)\b",
        r"\btook (?:me|us|them|him|her) (?:\w+ ){0,3}?(?:days?|hours?|weeks?)\b",
        r"\b(?:hates?|hated|not (?:really )?fair|costs? us|told off)\b",
        r"\b(?:nobody|no one|nobody else) (?:can|could|does|reads?|remembers?|"
        r"knows?)\b",
    ),
    _cue(
        PAIN,
        1.5,
        r"\btakes? (?:forever|ages|too long|a long time|days|weeks|a couple of)\b",
        r"\b(?:so|too|really|very) slow\b",
        rf"\b(?:{_WE}|he|she|they|you|someone|somebody) (?:always |still |usually "
        r"|just |then )?(?:have|has|had|'ve had) to (?:go|manually|keep|remember|"
        r"open|call|log|sign|click|chase|reconcile|"
        r"export|copy|guess|wait|fix|rebuild|make|do it|ask|read|dig|reconstruct|"
        r"move|piece|redo|re-do|type|retype|send|print|explain|track|check)\b",
        r"\b(?:it'?s|they'?re|is|are) only (?:in|for|on|available)\b",
        r"\b(?:i'?m not seeing|i (?:don'?t|didn'?t) see) (?:any|a|the)\b",
        r"\b(?:workaround|work around|a bit of a hack)\b",
        r"\b(?:too many|so many|multiple) (?:clicks|steps|places|sections|spots|"
        r"screens|copies|times)\b",
        r"\bcomplain\w*\b",
        r"\b(?:redundant|duplicat\w+)\b",
        r"\ba real (?:problem|thing|issue)\b|\bnot a small thing\b|\bnot fun\b|"
        r"\bnot great\b",
        r"\btakes? (?:me|us|them|him|her|the \w+ of (?:us|them)) (?:\w+ ){0,3}?"
        r"(?:weeks?|days?|hours?|mornings?|afternoons?)\b",
        r"\bmiserable\b",
    ),
    _cue(
        REQUEST,
        2.0,
        r"\bwould save (?:us|me|them|him|her|everyone) (?:\w+ ){0,3}?(?:time|hours?|"
        r"days?|a week|an hour|a lot)\b",
    ),
    _cue(
        REQUEST,
        1.5,
        r"\b(?:that|it|this) would (?:really |also |definitely )?be (?:really |very |"
        r"so |super |a lot |much )?(?:helpful|useful|better|easier|ideal)\b",
        r"\b(?:would be|is|sounds) (?:a little |a lot |much |way )?(?:bit )?"
        r"(?:more|less) (?:valuable|helpful|useful|clear|intuitive)\b",
    ),
    _cue(
        PAIN,
        1.0,
        r"\bevery (?:single )?(?:day|week|month|morning|night|quarter|time|monday|"
        r"tuesday|wednesday|thursday|friday)\b",
    ),
)

# Talk that sounds like feedback but is not a product issue.
SALES = _any(
    r"\b(?:pric(?:e|es|ed|ing)|discount\w*|quote|renewal|renew|co-?term\w*|"
    r"seats?|licen[cs]e[sd]?|per (?:user|seat|month|year)|budget\w*|procurement|"
    r"add-on|tier|order form|list price|full price|prepa(?:y|id)|multi-year|"
    r"two-year|three-year|true up|billing terms|monthly billing|cheaper|"
    r"service credit|SLA)\b",
    r"\bhow much (?:does|would|is|will)\b|\bwhat (?:does|would|will) (?:this|that|"
    r"it) cost\b|\bcost me\b|\bbuy\b|\bpaid pilot\b",
)
# Asking the rep for a meeting, materials or their time, not for the product.
SERVICE = _any(
    r"\b(?:your thoughts|a (?:call|demo|meeting|training|walkthrough|follow-up)|"
    r"training session|the (?:slides|recording|deck|invite|agenda|quote)|"
    r"to (?:chat|meet|catch up|hop on a call)|send (?:me|us|over) the)\b"
)
BETA = _any(
    r"\b(?:beta|early access|preview program|pilot program|waitlist|wait list|"
    r"on the list)\b"
)
INJECTION = _any(
    r"\bignore (?:all |any )?(?:your |the )?(?:previous |prior |above )?"
    r"instructions?\b",
    r"\b(?:hey|ok|okay|attention|dear|note (?:for|to)),? (?:the |any )?"
    r"(?:ai|assistant|note-?taker|bot|robot|summari[sz]er)\b",
    r"\bnote-?taker\b.{0,80}\b(?:file|create|skip|mark|assign|ignore|treat)\b",
    r"\bsystem prompt\b",
)
SMALL_TALK = _any(
    r"\b(?:weather|snow\w*|rain\w*|sunburn|weekend|vacation|holiday|spring break|"
    r"skiing|camping|my kids|the kids|dog|beagle|coffee|traffic|commute)\b",
    r"\b(?:can you hear me|you'?re on mute|you froze|frozen|wi-?fi|bandwidth|"
    r"echo|share my screen|see my screen|audio|connection|breaking up)\b",
)
# A customer promising their own next step, not describing the product.
SELF_ACTION = _any(
    r"(?:^|[,;:]\s)(?:(?:and|so|but|then|just|maybe|probably|honestly|yeah|okay|"
    r"oh)[,\s]+)*(?:i'll|i will|we'll|we will|let me|i'?m going to|"
    r"i am going to|i can|i could|i should|i might|i'd have to)\b"
)
# A defect word the customer rules out: "it's not broken".
DENIED_DEFECT = _any(
    r"\b(?:not|isn'?t|wasn'?t|aren'?t|never|no|nothing) (?:\w+ ){0,3}?(?:broken|"
    r"crash\w*|wrong|bugs?|errors?|problems?|complaints?)\b"
)
POSITIVE = _any(
    r"\b(?:works? (?:fine|great|well)|(?:is|it'?s|that'?s) (?:fine|good|great|"
    r"perfect) (?:now|for now|for us)|no complaints|been (?:solid|stable|great)|"
    r"got fixed|since you fixed|haven'?t had to|not a big deal|no big deal|"
    r"nothing (?:seems |is )?confusing|wouldn'?t change anything|"
    r"not really)\b"
)
# Asking the vendor for something the product may not do.
ASKING_FOR = _any(
    r"\bis there (?:any )?(?:a )?(?:way|plan|chance|option|setting) (?:to|for)\b",
    r"\b(?:can|could|will|would) (?:you|it|the \w+) (?:guys )?(?:ever )?(?:add|"
    r"build|make|support|consider|let|allow|show|send|do)\b",
    r"\bany (?:plans?|chance|way)\b|\bis (?:that|this|it) (?:something|on the)\b",
)
QUESTION = re.compile(r"\?\s*$")
TAG_QUESTION = re.compile(r",\s*(?:right|correct|no|yeah)\?\s*$", re.IGNORECASE)
WHY_NOT = _any(
    r"\bwhy (?:can'?t|couldn'?t|doesn'?t|isn'?t|wouldn'?t|won'?t|don'?t|is it not)\b",
    r"\bwhy would (?:it|that|this|they) (?:be|say|show)\b",
)
