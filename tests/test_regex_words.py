"""The trie form of a word list matches what the flat alternation longest first matches, with the
same backtracking when the rest of a pattern fails on the longest word."""

import random
import re

from rasd.regex_words import trie_regex


def _flat(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _matches(pattern: str, text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group("w")) for m in re.finditer(pattern, text)]


def test_trie_and_flat_alternation_find_the_same_matches():
    rng = random.Random(11)
    letters = "ابتلمو. "  # few letters, so words are often prefixes of one another; "." must be escaped
    for _ in range(300):
        words = {"".join(rng.choice(letters[:-1]) for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(1, 12))}
        text = "".join(rng.choice(letters) for _ in range(60))
        for around in ("(?P<w>{})", "(?<!\\S)(?P<w>{})(?=\\s|$)", "(?P<w>(?:{})?)م", "(?P<w>{})(?:ب|و)?ل"):
            assert _matches(around.format(trie_regex(words)), text) == _matches(around.format(f"(?:{_flat(words)})"), text)


def test_a_word_list_with_the_empty_word_is_optional_and_an_empty_list_matches_nothing_more():
    assert re.fullmatch(f"(?:{trie_regex(['', 'ال'])})بيت", "بيت") and re.fullmatch(f"(?:{trie_regex(['', 'ال'])})بيت", "البيت")
    assert trie_regex([]) == ""
