"""Arabic-aware full-text search over the store: one query language for SQLite FTS5 and PostgreSQL.

Query: words (all must match), "a quoted phrase", OR between terms, -word to exclude. Each word goes
through the same normaliser and article stripping as the index; a name the knowledge base knows
also matches the entity's token, so any spelling finds every spelling.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from rasd.annotate.entities import gazetteer_candidates, scan_text
from rasd.arabic.normalise import normalise
from rasd.errors import RasdError
from rasd.model import Document
from rasd.store.db import Store
from rasd.store.filters import conditions
from rasd.store.query_kb import query_kb
from rasd.store.search_text import entity_token, forms, variants, words


class QueryError(RasdError):
    pass


@dataclass(frozen=True)
class Term:
    alternatives: tuple[tuple[str, ...], ...]  # each alternative is a phrase (1+ words); any may match
    negated: bool = False


_TOKEN = re.compile(r'\s*(-?)(?:"([^"]*)"|(\S+))')


# A query longer than this is refused with a message (a pasted article is not a query, and the
# engines' cost grows with every term).
MAX_QUERY_CHARS = 500
MAX_QUERY_TERMS = 40


def parse_query(query: str) -> list[list[Term]]:
    """A query as OR-groups of AND-ed terms."""
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"query too long: {len(query):,} characters (at most {MAX_QUERY_CHARS})")
    if query.count('"') % 2:
        raise QueryError('bad query: unbalanced "')
    if not query.strip():
        raise QueryError("bad query: empty")
    groups: list[list[Term]] = [[]]
    pos = 0
    raw: list[tuple[str, str, bool]] = []  # (kind, text, negated)
    while pos < len(query):
        m = _TOKEN.match(query, pos)
        if not m or m.end() == pos:
            break
        pos = m.end()
        neg, phrase, word = m.group(1) == "-", m.group(2), m.group(3)
        if word == "OR":
            raw.append(("OR", "", False))
        elif phrase is not None:
            raw.append(("phrase", phrase, neg))
        else:
            raw.append(("word", word, neg))
    # Entity names spanning several plain words ("بيونغ يانغ", "وبيونغ يانغ") are one term.
    plain_words = [(i, x[1]) for i, x in enumerate(raw) if x[0] == "word" and not x[2]]
    plain, offsets = "", {}
    for i, w in plain_words:
        offsets[i] = (len(plain), len(plain) + len(w))
        plain += w + " "
    ents = _entities_in(plain.strip())
    consumed: set[int] = set()
    for i, (kind, txt, neg) in enumerate(raw):
        if kind == "OR":
            if not groups[-1]:
                raise QueryError("bad query: OR needs a term on each side")
            groups.append([])
            continue
        if i in offsets:
            s0, e0 = offsets[i]
            hit = next(((s, e, eid) for s, e, eid in ents if s < e0 and s0 < e), None)
            if hit:
                s, e, eid = hit
                if (s, e) in consumed:
                    continue
                consumed.add((s, e))
                groups[-1].append(Term(((entity_token(eid),), tuple(words(plain[s:e]))), neg))
                continue
        toks = words(txt)
        if not toks:
            continue
        if kind == "phrase":
            groups[-1].append(Term((tuple(toks),), neg))
        else:
            for tok in toks:
                groups[-1].append(Term(tuple((f,) for f in forms(tok)), neg))
    if not groups[-1]:
        raise QueryError("bad query: nothing to search for")
    n_terms = sum(len(g) for g in groups)
    if n_terms > MAX_QUERY_TERMS:
        raise QueryError(f"query too long: {n_terms} terms (at most {MAX_QUERY_TERMS})")
    if any(all(t.negated for t in g) for g in groups):
        raise QueryError("bad query: a group has only excluded terms")
    return groups


def _entities_in(text: str) -> list[tuple[int, int, str]]:
    """Names the knowledge base knows in the query's plain words (start, end, entity id)."""
    if not text:
        return []
    doc = Document(text=text)
    scanned = scan_text(doc)
    kb = query_kb(scanned)  # only the forms in these words: no knowledge base built per command
    if kb.automaton is None:
        return []
    return [(c.start, c.end, c.entity) for c in gazetteer_candidates(doc, scanned, kb)]


def _fts5(groups: list[list[Term]]) -> str:
    def alt(a: tuple[str, ...]) -> str:
        return '"' + " ".join(a) + '"'

    parts = []
    for g in groups:
        pos = [t for t in g if not t.negated]
        neg = [t for t in g if t.negated]
        expr = " AND ".join("(" + " OR ".join(alt(a) for a in t.alternatives) + ")" for t in pos)
        for t in neg:
            expr = f"({expr}) NOT ({' OR '.join(alt(a) for a in t.alternatives)})"
        parts.append(f"({expr})")
    return " OR ".join(parts)


def _tsquery(groups: list[list[Term]]) -> str:
    def alt(a: tuple[str, ...]) -> str:
        return "(" + " <-> ".join(_pg_word(w) for w in a) + ")"

    parts = []
    for g in groups:
        terms = []
        for t in g:
            expr = "(" + " | ".join(alt(a) for a in t.alternatives) + ")"
            terms.append(("!" if t.negated else "") + expr)
        parts.append("(" + " & ".join(terms) + ")")
    return " | ".join(parts)


def _pg_word(w: str) -> str:
    return "'" + w.replace("'", "''").replace("\\", "") + "'"


@dataclass
class Hit:
    id: str
    source: dict
    title: str | None
    published: str | None
    outlet: str | None
    score: float
    snippet: str
    total: int | None = None  # how many documents match in all, when search() was asked for totals

    def to_json(self) -> dict:
        return {"id": self.id, "source": self.source, "title": self.title, "published": self.published,
                "outlet": self.outlet, "score": round(self.score, 4), "snippet": self.snippet}


def excluding(query: str, excluded: tuple[str, ...] | list[str] = ()) -> str:
    """The query with each excluded word or phrase added as a -term."""
    extra = [f'-"{w}"' if len(w.split()) > 1 else f"-{w}" for w in (x.strip().strip('"') for x in excluded) if w]
    return " ".join([query, *extra]).strip()


def _filters(entity, since, until, outlet, event_type) -> tuple[str, dict]:
    filters, params = document_filters(entity, since, until, outlet, event_type)
    return "".join(f" AND {f}" for f in filters), params


def document_filters(entity, since, until, outlet, event_type) -> tuple[list[str], dict]:
    """Conditions on documents ``d`` for the search and document filters, with their parameters."""
    return conditions(
        # a list subquery computed once (read from the index mentions (entity_id, doc_id, text), 0006):
        # a correlated EXISTS looked up the entity's mentions once per candidate document
        ("entity", entity, "d.id IN (SELECT doc_id FROM mentions WHERE entity_id = :entity)"),
        ("since", since, "d.published >= :since"),
        ("until", (until + "T99" if len(until) == 10 else until) if until else None, "d.published <= :until"),
        ("outlet", outlet, "d.outlet = :outlet"),
        ("etype", event_type.upper() if event_type else None, "d.id IN (SELECT doc_id FROM events WHERE type = :etype)"),
    )


def match_clause(store: Store, query: str, param: str = "q") -> tuple[str, dict]:
    """A WHERE condition on documents ``d`` that holds for the documents the query matches (unranked)."""
    groups = parse_query(query)
    if store.dialect == "sqlite":
        return f"d.rowid IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH :{param})", {param: _fts5(groups)}
    return f"d.search_tsv @@ to_tsquery('simple', :{param})", {param: _tsquery(groups)}


def count(store: Store, query: str, *, entity: str | None = None, since: str | None = None, until: str | None = None,
          outlet: str | None = None, event_type: str | None = None) -> int:
    """How many documents the query matches with these filters (all of them, not one page)."""
    cond, params = match_clause(store, query)
    where, fparams = _filters(entity, since, until, outlet, event_type)
    if store.dialect == "sqlite":  # the index alone knows how many rows match; filters as in search()
        stmt = "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH :q" + (f" AND +rowid IN ({_sqlite_only(where)})" if where else "")
    else:
        stmt = f"SELECT count(*) FROM documents d WHERE {cond}{where}"
    try:
        return _rows(store, stmt, {**params, **fparams})[0][0]
    except Exception as exc:  # the engines' own syntax errors, for queries our parser let through
        raise QueryError(f"bad query: {getattr(exc, 'orig', exc)}") from None


def search(store: Store, query: str, *, entity: str | None = None, since: str | None = None, until: str | None = None,
           outlet: str | None = None, event_type: str | None = None, limit: int = 20, offset: int = 0,
           doc_ids: Collection[str] | None = None, totals: bool = False, latest: int | None = None) -> list[Hit]:
    """``doc_ids``: only among these documents (saved searches run on what a round stored). ``totals``:
    each hit's ``total`` is how many documents match in all (SQLite; else None: ask :func:`count`).
    ``latest``: rank only the ``latest`` most recently stored matches (SQLite), each hit's ``total``
    still every match."""
    groups = parse_query(query)
    where, fparams = _filters(entity, since, until, outlet, event_type)
    params = {"limit": limit, "offset": offset, **fparams}
    if doc_ids is not None:
        where += " AND d.id IN :doc_ids"
        params["doc_ids"] = list(doc_ids)
    if store.dialect == "sqlite":
        params["q"] = _fts5(groups)
        # Rank inside the full-text index first and join the documents for the top hits only: joining
        # first reads every matching document (17,000 for روسيا on 100k articles) before the LIMIT.
        # The filters apply to the matches once the index has produced them all (see _sqlite_only).
        # With ``totals`` the same pass counts every match (a window over the filtered matches, before
        # the LIMIT), so a counted page ranks and filters once, not twice.
        only = f" AND +rowid IN ({_sqlite_only(where)})" if where else ""
        # ``latest``: the index walks its matches newest rowid first and stops after that many (FTS5
        # consumes ORDER BY rowid DESC), so bm25 is computed for those only, not for all 34,000 matches
        # of the most common name
        window, keep, total = "", "", "count(*) OVER ()" if totals else "NULL"
        if latest is not None:
            # the total is every match, counted apart in the same statement (the index alone, no bm25),
            # the filters' rowid set built once for both (``keep``)
            window = " ORDER BY rowid DESC LIMIT :latest"
            params["latest"] = latest
            if where:
                keep, only = f"keep AS MATERIALIZED ({_sqlite_only(where)}), ", " AND +rowid IN keep"
            total = f"(SELECT count(*) FROM documents_fts WHERE documents_fts MATCH :q{only})"
        stmt = (
            "SELECT d.id, d.path, d.url, d.title, d.published, d.outlet, d.text, -f.rank AS score, f.total FROM ("
            f"WITH {keep}x AS MATERIALIZED (SELECT rowid, bm25(documents_fts) AS rank FROM documents_fts "
            f"WHERE documents_fts MATCH :q{only}{window}) "
            f"SELECT rowid, rank, {total} AS total FROM x ORDER BY rank, rowid LIMIT :limit OFFSET :offset"
            ") f JOIN documents d ON d.rowid = f.rowid ORDER BY f.rank, d.rowid"
        )
    else:
        params["q"] = _tsquery(groups)
        stmt = (
            "SELECT d.id, d.path, d.url, d.title, d.published, d.outlet, d.text, "
            "ts_rank_cd(d.search_tsv, to_tsquery('simple', :q)) AS score FROM documents d "
            f"WHERE d.search_tsv @@ to_tsquery('simple', :q){where} ORDER BY score DESC, d.id LIMIT :limit OFFSET :offset"
        )
    try:
        rows = _rows(store, stmt, params, expanding=("doc_ids",) if doc_ids is not None else ())
    except Exception as exc:  # the engines' own syntax errors, for queries our parser let through
        raise QueryError(f"bad query: {getattr(exc, 'orig', exc)}") from None
    needles = {v for g in groups for t in g if not t.negated for a in t.alternatives for w in a if not w.startswith("ent") for v in (w, *variants(w))}
    return [Hit(doc_id, {"path": path, "url": url}, title, published, outlet, float(score), snippet(text, needles),
                total[0] if total else None)  # SQLite's rows carry the total, PostgreSQL's do not
            for doc_id, path, url, title, published, outlet, text, score, *total in rows]


def facet_counts(store: Store, query: str, *, sample: int, entity: str | None = None, since: str | None = None,
                 until: str | None = None, outlet: str | None = None, event_type: str | None = None,
                 top: int = 10) -> dict:
    """How many of the query's matches (with these filters) fall under each outlet, event type and
    entity, counted among its ``sample`` most recently stored matches (SQLite; PostgreSQL: among every
    match): ``{"outlet": [(outlet, n)], "type": [(type, n)], "entity": [(id, n)], "among": k}``, the
    ``top`` largest of each, ``among`` the matches counted (at most ``sample``)."""
    groups = parse_query(query)
    where, fparams = _filters(entity, since, until, outlet, event_type)
    if store.dialect == "sqlite":
        only = f" AND +rowid IN ({_sqlite_only(where)})" if where else ""
        # the newest matches straight from the index (as the ranked window), then their documents' ids
        matched = ("SELECT d.id, d.outlet FROM documents d JOIN (SELECT rowid FROM documents_fts WHERE documents_fts "
                   f"MATCH :q{only} ORDER BY rowid DESC LIMIT :sample) s ON d.rowid = s.rowid ORDER BY d.id")
        params = {"q": _fts5(groups), "sample": sample, **fparams}
    else:
        matched = f"SELECT d.id, d.outlet FROM documents d WHERE d.search_tsv @@ to_tsquery('simple', :q){where}"
        params = {"q": _tsquery(groups), **fparams}
    # one pass: the sample is materialised once (in id order: the indexes on doc_id are then read in
    # order, a third faster than in rowid order) and read by each facet's count. CROSS JOIN keeps SQLite
    # from scanning every event (the index events (type, doc_id)) to probe the sample: 90 ms on 50,000 articles
    stmt = (f"WITH s AS MATERIALIZED ({matched}) "
            "SELECT 'among', NULL, count(*) FROM s UNION ALL "
            "SELECT 'outlet', outlet, count(*) FROM s WHERE outlet IS NOT NULL GROUP BY outlet UNION ALL "
            "SELECT 'type', type, count(*) FROM (SELECT DISTINCT e.doc_id, e.type FROM s CROSS JOIN events e WHERE e.doc_id = s.id) x "
            "GROUP BY type UNION ALL SELECT 'entity', m.entity_id, count(DISTINCT m.doc_id) FROM mentions m "
            "WHERE m.doc_id IN (SELECT id FROM s) GROUP BY m.entity_id")
    try:
        rows = _rows(store, stmt, params)
    except Exception as exc:  # the engines' own syntax errors, for queries our parser let through
        raise QueryError(f"bad query: {getattr(exc, 'orig', exc)}") from None
    out: dict = {"outlet": [], "type": [], "entity": [], "among": 0}
    for facet, value, n in rows:
        if facet == "among":
            out["among"] = n
        else:
            out[facet].append((value, n))
    for facet in ("outlet", "type", "entity"):
        out[facet] = sorted(out[facet], key=lambda x: (-x[1], x[0]))[:top]
    return out


def _sqlite_only(where: str) -> str:
    """The filters (``" AND cond"...`` on documents ``d``) as the set of rowids they keep, computed once
    (an entity's documents are read from the mentions index and mapped to rowids through the documents'
    id index, never reading a document row).

    The FTS5 query tests its matches against it as ``+rowid IN (...)``: the ``+`` keeps SQLite from
    handing the rowid list to FTS5 as its access path, where FTS5 answered the MATCH once per listed
    rowid (49 s for a common entity's documents on a 100,000-article store); so the index yields its
    matches and each is looked up in the set, and bm25 is computed for the kept ones only."""
    return f"SELECT d.rowid FROM documents d WHERE 1=1{where}"


def _rows(store: Store, stmt: str, params: dict, expanding: tuple[str, ...] = ()) -> list[tuple]:
    """The statement's rows: on SQLite through the store's plain sqlite3 connection (the statements
    here bind by :name, as sqlite3 does), else, or with a list to expand, through SQLAlchemy."""
    plain = store.plain() if not expanding else None
    if plain is not None:
        return plain.execute(stmt, params).fetchall()
    from sqlalchemy import bindparam, text

    query = text(stmt)
    if expanding:
        query = query.bindparams(*(bindparam(name, expanding=True) for name in expanding))
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(query, params).all()]


def snippet(text: str, needles: set[str], width: int = 80) -> str:
    """A window of the original text around the first matched word, the matches in [brackets]."""
    norm = normalise(text)
    spans = []
    for m in re.finditer(r"\w+", norm.text):
        if m.group() in needles or any(v in needles for v in variants(m.group())):
            spans.append(norm.span_to_original(m.start(), m.end()))
    if not spans:
        return text[: 2 * width].replace("\n", " ") + ("…" if len(text) > 2 * width else "")
    first = spans[0][0]
    lo, hi = max(0, first - width), min(len(text), first + width)
    out, pos = [], lo
    for s, e in spans:
        if s < lo or e > hi:
            continue
        out += [text[pos:s], "[", text[s:e], "]"]
        pos = e
    out.append(text[pos:hi])
    return ("…" if lo else "") + "".join(out).replace("\n", " ") + ("…" if hi < len(text) else "")


__all__ = ["Hit", "QueryError", "count", "excluding", "facet_counts", "match_clause", "parse_query", "search", "snippet"]
