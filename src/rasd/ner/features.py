"""Turning tokens into the model's integer inputs; shared by training (torch) and tagging (NumPy)."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import numpy as np

from rasd.arabic.clitics import name_proclitics
from rasd.ner.tokens import stems, token_key

PAD, UNK = 0, 1
MAX_CHARS = 20


@dataclass(frozen=True)
class Vocab:
    words: dict[str, int]  # token key -> row of the embedding matrix (0 padding, 1 unknown)
    chars: dict[str, int]  # character -> id (0 padding, 1 unknown)

    def word_ids(self, keys: list[str]) -> tuple[list[int], list[int]]:
        """Row of each token's key, and of its stem: the reading without a proclitic (longest first)
        that the vocabulary knows, or the key itself. An unknown key falls back to its stem."""
        word_rows, stem_rows = [], []
        for k in keys:
            w = self.words.get(k)
            s = next((self.words[x] for x in stems(k) if x in self.words), None)
            if w is None:
                w = s if s is not None else UNK
            word_rows.append(w)
            stem_rows.append(s if s is not None else w)
        return word_rows, stem_rows

    def char_ids(self, keys: list[str]) -> np.ndarray:
        """[tokens, MAX_CHARS] character ids; long words keep their first and last characters."""
        out = np.zeros((len(keys), MAX_CHARS), dtype=np.int64)
        half = MAX_CHARS // 2
        for i, k in enumerate(keys):
            if len(k) > MAX_CHARS:
                k = k[:half] + k[-half:]
            for j, c in enumerate(k):
                out[i, j] = self.chars.get(c, UNK)
        return out


def keys_of(tokens) -> list[str]:
    return [token_key(t) for t in tokens]


# Knowledge-base features: for each token, whether a KB form of each group starts (B) or continues
# (I) there. Nisba adjectives are a group of their own: they are not entities in the NER corpora.
KB_GROUPS = ("PERSON", "GPE", "LOC", "ORG", "NISBA", "OTHER")
KB_DIM = 2 * len(KB_GROUPS)
_GROUP_OF_TYPE = {"PERSON": 0, "GPE": 1, "LOC": 2, "FACILITY": 2, "ORG": 3}


def kb_features(keys: list[str]) -> np.ndarray:
    """[tokens, KB_DIM] indicators of knowledge-base matches over a tokenised sentence (training and
    evaluation; the text path takes them from the document's one KB pass, ``kb_features_at``)."""
    from rasd.kb.knowledge_base import knowledge_base

    return _indicators(keys, knowledge_base().automaton, KB_DIM, kb_groups)


def kb_groups(forms) -> set[int]:
    """KB feature groups of a match's readings; the curated forms only: the shipped networks
    learned these features from them."""
    from rasd.kb.knowledge_base import NISBA, knowledge_base

    kb = knowledge_base()
    return {4 if f.kind == NISBA else _GROUP_OF_TYPE.get(kb.entities[f.entity].type, 5) for f in forms if not f.generated}


def kb_features_at(token_spans: list[tuple[int, int]], hits: list[tuple[int, int, set[int]]]) -> np.ndarray:
    """The same indicators as ``kb_features`` from KB matches already found in the document
    (``hits``: start, end, groups, in text offsets, sorted by start): a match counts when it starts
    in a token (after a proclitic) and ends where a token ends."""
    out = np.zeros((len(token_spans), KB_DIM), dtype=np.float32)
    if not token_spans or not hits:
        return out
    starts = [a for a, _ in token_spans]
    ends = [b for _, b in token_spans]
    lo = bisect.bisect_left(hits, (starts[0], -1))
    for start, end, groups in hits[lo:]:
        if start >= ends[-1]:
            break
        first = bisect.bisect_right(starts, start) - 1
        last = bisect.bisect_left(ends, end)
        if first < 0 or start >= ends[first] or last >= len(ends) or ends[last] != end:
            continue
        for g in groups:
            out[first, 2 * g] = 1.0
            out[first + 1:last + 1, 2 * g + 1] = 1.0
    return out


def _indicators(keys: list[str], automaton, dim: int, groups_of) -> np.ndarray:
    """[tokens, dim] B/I indicators of the automaton's whole-token matches over the space-joined keys
    (a proclitic may stand before a match); ``groups_of`` maps a match's value to group numbers."""
    clitics = name_proclitics()
    out = np.zeros((len(keys), dim), dtype=np.float32)
    if not keys:
        return out
    text = " ".join(keys)
    token_at = np.full(len(text) + 1, -1, dtype=np.int64)
    starts = []
    pos = 0
    for i, k in enumerate(keys):
        token_at[pos:pos + len(k)] = i
        starts.append(pos)
        pos += len(k) + 1
    for end_idx, (k, value) in automaton.iter(text):
        start, end = end_idx - len(k) + 1, end_idx + 1
        if end < len(text) and text[end] != " ":
            continue
        first = int(token_at[start])
        if first < 0 or (start > starts[first] and text[starts[first]:start] not in clitics):
            continue
        last = int(token_at[end_idx])
        for g in groups_of(value):
            out[first, 2 * g] = 1.0
            out[first + 1:last + 1, 2 * g + 1] = 1.0
    return out


# ANERGazet (evaluation only: it ships with ANERcorp and is not Rasd's to redistribute), as the
# same kind of B/I indicators for its three lists.
GAZETTEER_FILES = (("ANERGazet_Pers.txt", 0), ("ANERGazet_Loc.txt", 1), ("ANERGazet_Org.txt", 2))
GAZETTEER_DIM = 2 * len(GAZETTEER_FILES)
_GAZETTEERS: dict[str, object] = {}


def gazetteer(folder: str):
    """An Aho-Corasick automaton over the normalised entries of the ANERGazet lists in ``folder``."""
    if folder not in _GAZETTEERS:
        from pathlib import Path

        import ahocorasick

        entries: dict[str, set[int]] = {}
        for name, group in GAZETTEER_FILES:
            for line in (Path(folder) / name).read_text(encoding="utf-8").splitlines():
                line = line.strip()
                if not line or line.startswith(("====", "****")):
                    continue
                k = " ".join(keys_of(line.split()))
                if len(k) >= 2:
                    entries.setdefault(k, set()).add(group)
        a = ahocorasick.Automaton()
        for k, groups in entries.items():
            a.add_word(k, (k, tuple(sorted(groups))))
        a.make_automaton()
        _GAZETTEERS[folder] = a
    return _GAZETTEERS[folder]


def gazetteer_features(keys: list[str], automaton) -> np.ndarray:
    """[tokens, GAZETTEER_DIM] indicators of whole-token gazetteer matches (a proclitic allowed)."""
    return _indicators(keys, automaton, GAZETTEER_DIM, lambda groups: groups)
