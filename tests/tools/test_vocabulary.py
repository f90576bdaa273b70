"""The content words of feedback, descriptions and guidance."""

from __future__ import annotations

from tools.vocabulary import symptom_kinds, terms, words


def test_function_words_and_contractions_carry_no_meaning() -> None:
    assert terms("I'll say we don't really want it, honestly") == set()


def test_plurals_and_tenses_meet_their_stem() -> None:
    assert terms("notifications scheduled") == terms("notification schedules")


def test_a_possessive_is_its_noun() -> None:
    assert terms("the customer's invoices") == terms("customer invoice")


def test_a_hyphenated_word_counts_joined_and_in_parts() -> None:
    assert {"checkin", "check"} <= terms("the check-in page")


def test_two_words_said_apart_can_meet_a_compound() -> None:
    assert "checkin" in words("I can never check in on time", joined=True)
    assert "checkin" not in words("I can never check in on time")


def test_everyday_words_meet_the_formal_ones() -> None:
    assert {"sms", "ios"} <= terms("the text never reached my iPhone")


def test_a_symptom_names_its_kind_of_problem() -> None:
    assert symptom_kinds("my screen reader skips the table") == {"accessibility"}
