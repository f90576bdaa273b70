"""The moves people make in a conversation around feedback: the rep inviting
it, acknowledging it, answering a question with how it is done today, showing
something new; anyone changing the subject or going back to an earlier one.

Each pattern is a general turn of phrase, matched case-insensitively.
"""

from __future__ import annotations

from agent.triagers.cues import phrases as _any

# Questions the customer asks about how things work today.
INQUIRY = _any(
    r"\b(?:how (?:do|can|would|should|often|far|long) (?:i|we|you|they|it)|"
    r"is there (?:a|any) (?:way|quick way|setting|option|endpoint)|is there an?\b|"
    r"can (?:i|we|they) (?:already |also |still )?\w+|where (?:do|can|is|are)|"
    r"does (?:it|that|this) (?:already )?\w+|do you (?:have|support|do|also)|"
    r"is (?:it|that|this) (?:possible|included)|what'?s the best way|"
    r"are (?:you|there) )\b"
)

# The rep's answer that the product already does it.
ANSWERED = _any(
    r"^(?:\w+,? )?(?:yes|yep|yeah|sure|of course|absolutely|oh,? sure|so|there'?s|"
    r"there is|you can|you'?d|it'?s (?:in|under|on)|both)\b",
    r"\b(?:under|in) (?:the )?(?:settings|admin|menu|editor)\b",
)

NOT_YET = _any(
    r"\b(?:not (?:yet|today|currently|right now|there today|for \w+ yet)|"
    r"isn'?t (?:there|something|possible|supported)|we don'?t|there'?s no|"
    r"doesn'?t (?:exist|support)|no,)\b"
)

# The rep taking feedback on board: a strong sign the customer raised a point.
ACKNOWLEDGED = _any(
    r"\b(?:i'll|i will|let me|i'?m going to|we'll) (?:\w+ ){0,3}?(?:take|bring|"
    r"get|pass|put|write|flag|raise|log|file|add|escalat\w*|push)\b.{0,40}"
    r"\b(?:team|engineering|product|folks|request|ticket|back|up|in|over|on)\b",
    r"\b(?:our|the) (?:\w+ )?(?:team|folks|people|engineers)\b",
    r"\b(?:sounds like|that'?s|it'?s) (?:a )?(?:bug|regression|on us)\b",
    r"\b(?:that'?s|totally|very|really) fair\b|\bfair point\b|\bgood (?:one|point|"
    r"example|catch)\b|\bgreat example\b|\breally clear\b",
    r"\b(?:isn'?t|is not|not) (?:there|something we do|\w+ yet|for \w+ yet)\b|"
    r"\bheard (?:that|it|this)? ?before\b|\bwe'?ve heard\b",
    r"\b(?:oh no|oof|ugh|sorry|that'?s not good|i see it|that'?s serious|"
    r"brutal)\b",
    r"\b(?:helpful|useful) (?:context|detail)\b|\bthat helps\b|\bi didn'?t know\b",
)

# The rep inviting feedback.
PROMPTED = _any(
    r"\b(?:what'?s (?:not )?working|what'?s annoying|anything (?:slow|broken|"
    r"confusing|else on the product)|unfamiliar|confusing|would you change|"
    r"add or take away|how'?s it been|what'?s the problem|walk me through)\b"
)

# Moments where the rep shows something new; reactions to it are not feedback.
ANNOUNCED = _any(
    r"\b(?:we're working on|we (?:just |also )?(?:added|shipped|launched|built)|"
    r"(?:in|a) beta|coming soon|a few months out|new feature|let me show you|"
    r"one more thing i want to show)\b"
)

# A short reaction that opens a turn: "Oh, perfect", "Okay, great".
REACTION = _any(
    r"^(?:oh|okay|ok|ah|perfect|great|got it|cool|nice|i see|right|yeah|yes|sure)"
    r"\b"
)

# Anyone handing the call to someone else.
HANDOFF = _any(
    r"\b(?:go ahead|go for it|over to you|go first|want to start|you had the|"
    r"want to walk us through)\b"
)

# The vendor moving the call on to another subject.
VENDOR_SHIFT = _any(
    r"\b(?:anything else|what else|anything from you|what about|how about|"
    r"how'?s the|how has the|how have|how is the|what'?s working|let's (?:talk|"
    r"jump|move|"
    r"switch|get into|do|look)|moving on|next (?:up|thing|topic)|before we (?:wrap|"
    r"switch|go|move|get)|you mentioned|i wanted to (?:ask|show|follow)|"
    r"i'?m going to have you|have you (?:go|scroll)|move on|scroll (?:up|down|to)|"
    r"switching gears|while i have you)\b",
    r"^(?:okay|ok|so|right|alright|all right)?[,.]?\s*(?:so,? )?the (?:\w+ ){0,2}"
    r"\w+\.?$",
    # Interview questions that open a subject.
    r"\b(?:how would you (?:describe|define|use|utili[sz]e|rate|prefer|go about)|"
    r"what (?:is|would be) your|what do you (?:think|expect)|are there any|"
    r"is there anything|do you find|what would you|if you could change|"
    r"tell me (?:about|what|how)|share your|(?:how|what) (?:useful|helpful|"
    r"valuable|easy|difficult|hard)|now,? (?:i'?m going to|let's|we're going to)"
    r"|next,? (?:we|i))\b",
)

# The customer opening a new point of their own.
CUSTOMER_SHIFT = _any(
    r"\b(?:while i have you|while i'?ve got you|before i forget|separately|"
    r"on another note|going back to|quick question|jump in with (?:one|another)|"
    r"the other thing|another thing|oh,? actually|two things|mine'?s the)\b",
    r"\b(?:next|last|another|other|second|third|small|big|quick|final) one\b",
    r"\bone (?:more|other|last|small|quick|final)? ?(?:thing|question|request)\b",
    r"\bi (?:do )?(?:also )?have (?:an?|one) (?:\w+ )?(?:thing|question|issue|"
    r"problem)\b",
)

# The rep's answer that it can already be done today.
EXISTS = _any(
    r"\byou can (?:actually |already |just |also )?(?:do|set|use|change|turn|find|"
    r"add|drag|pick|choose|make|export|filter|share|see)\b",
    r"\b(?:that'?s|it'?s|is) already (?:there|supported|possible|available|built)\b",
    r"\balready (?:does|do|supports?|exists?|there)\b|\bgood news\b",
    r"\b(?:it|the app) (?:already )?follows\b|\bthere'?s (?:a|an) \w+ (?:for that|"
    r"under|called)\b",
)

# The customer returning to a point made earlier in the call.
BACK_REFERENCE = _any(
    r"\b(?:go(?:ing)? back to|back to (?:the|that|what)|(?:from|at) the (?:beginning|"
    r"start)|from earlier|(?:like|as) i (?:said|mentioned)|i mentioned (?:earlier|"
    r"before)|(?:same|that) (?:thing|problem|issue) (?:again|as before))\b"
)
