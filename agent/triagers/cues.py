"""Phrases that mark feedback, and phrases that mark talk that must not be filed."""

from __future__ import annotations

import re


def _any(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


BUG = _any(
    r"\b(crash\w*|broken|bug|glitch\w*|error message|throws an error)\b",
    r"\b(doesn'?t|does not|didn'?t|won'?t|isn'?t|is not|wasn'?t|can'?t|cannot)"
    r" (work|load|open|sync|save|show|update|print|download|send|arrive|display|"
    r"record|come through|pull|match|refresh)\w*",
    r"\b(stopped|stops|keeps?) (working|crashing|failing|freezing|timing out)",
    r"\b(wrong|incorrect|missing|duplicated?|lost|disappear\w*)\b.{0,40}"
    r"\b(total|data|number|field|entries|records|answers|customers|value)s?\b",
    r"\b(times? out|timed out|freez\w+|hangs?)\b",
)
REQUEST = _any(
    r"\b(I|we)('d| would) (love|like|really like) (to|it if|a|an|the|some|if)\b",
    r"\b(I|we) wish\b",
    r"\bit would be (great|nice|helpful|awesome|huge|really useful|amazing)\b",
    r"\bwould (really )?(help|be a big help|save us)\b",
    r"\b(we|I) (really |just |still |badly |definitely )?need (to be able|a way|"
    r"an? |the ability|it to|something|some way|support)\b",
    r"\bis there any (plan|chance)\b",
    r"\b(can|could) you (guys )?(add|build|make|support|give us|let us)\b",
    r"\bif (it|you|the \w+) could\b",
    r"\b(missing|lacks?|no way to|there'?s no way)\b",
    r"\bfeature request\b",
    r"\bmust[- ]have\b",
)
PAIN = _any(
    r"\b(frustrat\w+|annoy\w*|painful|pain point|a pain|nightmare|headache|tedious)\b",
    r"\b(confus\w+|hard to|difficult to|struggl\w+|takes (forever|ages|too long))\b",
    r"\b(waste|wasting) (of )?(time|hours)\b",
    r"\bhave to (manually|go (back|in) and|re-?enter|copy|retype|call)\b",
    r"\b(manually|by hand|workaround|work around)\b",
    r"\bcomplain\w*\b",
    r"\b(too (small|many|slow|long)|so slow|really slow)\b",
    r"\b(couldn'?t|could not|can'?t|cannot) (find|tell|figure|see|read|get)\b",
)
# Talk that sounds like feedback but is not a product issue.
SALES = _any(
    r"\b(pric\w+|discount\w*|quote[ds]?|invoice[ds]? for the renewal|renewal|"
    r"contract|seats?|licen[cs]e[sd]?|per user|per month|annual(ly)?|budget|"
    r"procurement|tier|plan costs?|upgrade our plan|how much)\b",
)
BETA = _any(r"\b(beta|early access|preview program|pilot program|waitlist|wait list)\b")
INQUIRY = _any(
    r"^\s*(so\s+|and\s+|but\s+|okay,?\s+|also,?\s+)?"
    r"(how (do|can|would|should) (I|we|you)|is there a way|can (I|we) already|"
    r"does it (already )?support|do you (have|support)|where (do|can) (I|we)|"
    r"what'?s the best way)\b",
)
INJECTION = _any(
    r"\b(ignore (all |any )?(previous|prior|above) instructions?)\b",
    r"\b(AI|assistant|note-?taker|summari[sz]er|bot|LLM|language model)s?\b.{0,60}"
    r"\b(file|create|open|mark|assign|ticket|instruction)\w*",
    r"\b(attention|note (for|to)) (any |the )?(AI|assistant|bot|note-?taker)",
    r"\bsystem prompt\b",
)
HEDGE = _any(
    r"\b(not a big deal|no big deal|that'?s fine|it'?s fine|works (fine|great))\b"
)
POSITIVE = _any(
    r"\b(love|great|awesome|fantastic|perfect|really like)\b (it|that|the)\b"
)
QUESTION_TAIL = re.compile(r"\?\s*$")
