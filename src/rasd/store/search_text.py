"""What the full-text index sees: normalised, article-stripped words, plus one token per linked entity.

The same function prepares documents and queries, so every spelling variant meets every other:
normalisation (hamza, ى/ي, ة/ه, Persian letters, diacritics, tatweel), the article and its
prepositions stripped (الصواريخ ~ صواريخ، بالصواريخ), and entity tokens so that a name written
any way (بيونجيانج / بيونغ يانغ) finds the documents that name that entity any other way.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import chain

from rasd.arabic.clitics import alternation, article_prefixes, letter_proclitics
from rasd.arabic.normalise import normalise_str
from rasd.model import Document

SEARCH_VERSION = "search/4"
_WORD = re.compile(r"\w+")
# The article with its prepositions, and one proclitic letter: resources/clitics.tsv.
_ARTICLE = re.compile(rf"^(?:{alternation(article_prefixes())})(?=\w{{2,}})")
_CLITIC = re.compile(rf"^(?:{alternation(letter_proclitics())})(?=\w{{4,}})")


def stem(word: str) -> str:
    """The article and its prepositions stripped (الصواريخ، بالصواريخ -> صواريخ)."""
    return _ARTICLE.sub("", word)


@lru_cache(maxsize=50_000)
def variants(word: str) -> tuple[str, ...]:
    """Extra index forms of a word: without the article, and without one proclitic letter when
    enough is left to be a word (بصواريخ -> صواريخ; وزير and بيان are too short to touch)."""
    out = []
    s = stem(word)
    if s != word:
        out.append(s)
    if len(word) >= 5:
        c = _CLITIC.sub("", word)
        if c != word:
            out += [x for x in (c, stem(c)) if x not in out and x != word]
    return tuple(out)


def words(text: str) -> list[str]:
    """Normalised words, in order (phrases match these)."""
    return _WORD.findall(normalise_str(text))


def normalised_words(norm_text: str) -> list[str]:
    """The words of text that is already normalised (a Document's ``norm.text``)."""
    return _WORD.findall(norm_text)


def forms(word: str) -> tuple[str, ...]:
    """A query word and the forms it is also indexed under: الصواريخ -> (الصواريخ, صواريخ)."""
    return (word, *variants(word))


def entity_token(entity_id: str) -> str:
    return "ent" + re.sub(r"[^0-9a-z]", "", entity_id.lower())


def document_search_text(doc: Document, text_words: list[str] | None = None) -> str:
    """Words in order (for phrases), then the article-stripped forms, then one token per entity.

    Stripped forms go after the text, not beside each word, so phrases still see adjacent words; a
    word is found by its full or its stripped form, so a false article (باليستية) costs nothing."""
    full = words(doc.title or "") + (words(doc.text) if text_words is None else text_words)
    stripped = chain.from_iterable(map(variants, full))  # no Python frame per word: a document has hundreds
    return " ".join(chain(full, stripped, [entity_token(e.id) for e in doc.entities]))
