"""The words around a trigger that say how an event is told (resources/event_modality.tsv):
negation, modality (reported, planned, denied, background...), possibility and unnamed assessors.
Its own module so that the event stage and the event model read them without importing each other."""

from __future__ import annotations

import re
from functools import lru_cache

from rasd import resources
from rasd.arabic.clitics import alternation, conjunctions
from rasd.arabic.normalise import key


def _kind_alternation(kind: str) -> str:
    """The words of one class of event_modality.tsv, normalised, as a longest-first alternation."""
    words = {key(w) for k, ws in resources.read_tsv("event_modality.tsv", 2) if k == kind
             for w in ws.split("|") if w}
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _words_before(kind: str, gap: str) -> re.Pattern[str]:
    """The words of one class of event_modality.tsv, with an optional conjunction, followed by up to
    ``gap`` words and then the end of the text before a trigger."""
    return re.compile(rf"(?:^|\s)(?:{alternation(conjunctions())})?(?:{_kind_alternation(kind)})\s+(?:\S+\s+){gap}$")


@lru_cache(maxsize=1)
def negation_words() -> re.Pattern[str]:
    """A negation right before a trigger (at most one word between): resources/event_modality.tsv."""
    return _words_before("negation", "?")


@lru_cache(maxsize=1)
def modality_words() -> tuple[tuple[str, re.Pattern[str]], ...]:
    out = []
    for modality, words in resources.read_tsv("event_modality.tsv", 2):
        if modality in ("negation", "hypothetical", "assessment", "purpose", "aim", "habitual", "suspicion"):
            continue  # negation_words(), hypothetical_words(), _assessment(), events._purpose()
        # "كانت * قد": * is up to three words
        alts = "|".join(re.escape(key(w)).replace(r"\ \*\ ", r"\s+(?:\S+\s+){0,3}")
                        for w in sorted(words.split("|"), key=len, reverse=True) if w)
        out.append((modality, re.compile(rf"(?<!\w)(?:{alternation(conjunctions())})?(?:{alts})")))
    return tuple(out)


@lru_cache(maxsize=1)
def hypothetical_words() -> re.Pattern[str]:
    """A word of possibility or expectation at most five words before a trigger (event_modality.tsv)."""
    return _words_before("hypothetical", "{0,5}")


@lru_cache(maxsize=1)
def assessors() -> frozenset[str]:
    return frozenset(key(w) for kind, ws in resources.read_tsv("event_modality.tsv", 2) if kind == "assessment"
                     for w in ws.split("|") if w)


@lru_cache(maxsize=1)
def aim_words() -> re.Pattern[str]:
    """A verbal noun of furthering right before a noun trigger, at most one word between ("توسيع التعاون")."""
    return _words_before("aim", "?")


@lru_cache(maxsize=1)
def habitual_words() -> re.Pattern[str]:
    """A word of habit anywhere before a trigger in its clause ("غالبا ما تستجيب ... من خلال اختبارات")."""
    alts = _kind_alternation("habitual")
    return re.compile(rf"(?:^|\s)(?:{alternation(conjunctions())})?(?:{alts})(?=\s)")


@lru_cache(maxsize=1)
def suspicion_words() -> re.Pattern[str]:
    """A verb of suspecting and the complementiser of what is suspected, before a trigger ("تشتبه X في أن")."""
    alts = _kind_alternation("suspicion")
    return re.compile(rf"(?:^|\s)(?:{alternation(conjunctions())})?(?:{alts})\s+(?:\S+\s+){{0,8}}?(?:في أن|في ان|بأن|بان|أن|ان)\s")
