"""Token accounting and cost estimates for Claude models, by model family.

Prices are list prices in US dollars per million tokens. Writing the prompt
cache costs a quarter more than plain input; reading it costs a tenth.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

logger = logging.getLogger(__name__)

PER_MILLION = 1_000_000
CACHE_WRITE_FACTOR = 1.25
CACHE_READ_FACTOR = 0.1
DEFAULT_CONTEXT_TOKENS = 200_000


@dataclass(frozen=True)
class Rates:
    input: float
    output: float


# First match wins, so older generations come before the family's catch-all.
FAMILIES: tuple[tuple[re.Pattern[str], Rates], ...] = (
    (re.compile(r"opus-4-[01]\b|opus-4-20|3-opus"), Rates(15.0, 75.0)),
    (re.compile(r"opus"), Rates(5.0, 25.0)),
    (re.compile(r"sonnet"), Rates(3.0, 15.0)),
    (re.compile(r"3-5-haiku"), Rates(0.8, 4.0)),
    (re.compile(r"3-haiku"), Rates(0.25, 1.25)),
    (re.compile(r"haiku"), Rates(1.0, 5.0)),
)


@dataclass
class TokenUsage:
    """Tokens a run used, split the way the Messages API reports them."""

    input: int = 0
    output: int = 0
    cache_write: int = 0
    cache_read: int = 0

    def add(
        self,
        input_tokens: int,
        output_tokens: int,
        cache_write: int | None = None,
        cache_read: int | None = None,
    ) -> None:
        self.input += input_tokens
        self.output += output_tokens
        self.cache_write += cache_write or 0
        self.cache_read += cache_read or 0

    @property
    def total_input(self) -> int:
        """Every input token read, whether fresh, written to or read from cache."""
        return self.input + self.cache_write + self.cache_read

    @property
    def total(self) -> int:
        return self.total_input + self.output


def rates_for(model: str) -> Rates | None:
    for pattern, rates in FAMILIES:
        if pattern.search(model.lower()):
            return rates
    return None


def estimate_cost(model: str, usage: TokenUsage) -> float:
    """The list price of `usage` on `model` in dollars; 0.0 for an unknown model."""
    rates = rates_for(model)
    if rates is None:
        logger.debug("no price known for model %s", model)
        return 0.0
    dollars = (
        usage.input * rates.input
        + usage.cache_write * rates.input * CACHE_WRITE_FACTOR
        + usage.cache_read * rates.input * CACHE_READ_FACTOR
        + usage.output * rates.output
    )
    return round(dollars / PER_MILLION, 6)


def context_tokens(model: str) -> int:
    """The context window of `model`; every current Claude model reads 200k tokens."""
    return DEFAULT_CONTEXT_TOKENS
