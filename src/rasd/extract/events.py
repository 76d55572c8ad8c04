"""PLOVER events: a trigger (from resources/event_triggers.tsv) proposes an event, the learned model
(extract/event_model.py, resources/events_model.npz) accepts or rejects it and may propose one a
trigger missed; rules find its actors and targets among the linked entities and the generic actors
(resources/generic_actors.tsv), the place, the date, who reports it and how it is told
(modality, negation, background: resources/event_modality.tsv)."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import lru_cache

from rasd import resources
from rasd.annotate.entities import with_referenced
from rasd.arabic.clitics import alternation, clitic_group, conjunctions
from rasd.arabic.dates import DateMention, ahead_weekday, find_dates, to_date
from rasd.arabic.dates import lexicon as date_lexicon
from rasd.arabic.normalise import key
from rasd.clean.text import is_heading
from rasd.extract.attribution import attribution as find_attribution
from rasd.extract.attribution import carries, has_speech_verb, latest_speaker, strip_conj
from rasd.extract.event_modality import (
    aim_words,
    habitual_words,
    hypothetical_words,
    modality_words,
    negation_words,
    suspicion_words,
)
from rasd.extract.event_modality import assessors as _assessors
from rasd.extract.event_model import EventModel, shipped_model
from rasd.extract.event_triggers import Trigger, blocked, triggers
from rasd.kb.knowledge_base import knowledge_base
from rasd.model import DateRef, Document, Event, GenericActor
from rasd.regex_words import trie_regex

_PARTICIPANT_TYPES = frozenset({"PERSON", "GPE", "ORG", "NORP"})
_PLACE_TYPES = frozenset({"GPE", "LOC", "FACILITY"})
# A condition is not an event: "إذا انسحب ترامب ..." (within the trigger's clause).
_CONDITION_WORDS = re.compile(r"(?:^|\s)(?:اذا|إذا|لو|في حال|في حاله)\s")
_CLITIC = clitic_group(verbs=True)  # resources/clitics.tsv
# Between two mentions of one group: a conjunction, punctuation, or title words (الزعيم، الرئيس ...),
# or "including" and a title (كبار المسؤولين الروس، بما في ذلك وزير الموارد الطبيعية الروسي ...).
_GROUP_GAP = re.compile(
    r"^[\s،,()\"]*(?:و\s*)?(?:ال\S+\s+){0,3}$"
    r"|^[\s،,]*(?:بما في ذلك|بمن فيهم|ومن بينهم|ومنهم|منهم)\s+(?:\S+\s+){0,4}$"
)
# The most characters between two mentions of one group; "including" and a title may take more.
GROUP_GAP_CHARS, INCLUDING_GAP_CHARS = 25, 60
_INCLUDING = re.compile(r"^[\s،,]*(?:بما في ذلك|بمن فيهم|ومن بينهم|ومنهم|منهم)\s")


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int
    end: int
    entity: str
    type: str


def extract_events(doc: Document) -> Document:
    pattern, table = triggers()
    norm = doc.norm
    ref = to_date(doc.published)
    mentions = sorted(
        (_Mention(m.start, m.end, e.id, e.type) for e in doc.entities for m in e.mentions),
        key=lambda m: m.start,
    )
    mentions = sorted([*mentions, *_anaphors(doc, mentions)], key=lambda m: m.start)
    events: list[Event] = []
    model = _MODEL[0] if _MODEL else shipped_model()
    generic_pattern, generic_table = generic_actors()
    home = _home_state(doc)
    kb_ids = knowledge_base().entities
    # earlier sentences, newest last, resolved (to their speaker) only when a later "وأضاف ..." carries one:
    # a sentence with no speaker is dropped then, so nothing is spent on sentences no one carries from
    spoken: list = []
    recent_dates: list = []
    carried_dates: dict[tuple[int, str], DateRef] = {}  # (trigger start, type) -> the date told before
    lead_date: list = []  # the lead's day, found when an event first needs it
    for sent in doc.sentence_spans:
        s_text = doc.text[sent.start:sent.end]
        if is_heading(doc.text, sent.start, sent.end):
            spoken = []
            recent_dates.clear()
            continue
        ns, ne = norm.to_normalised(sent.start), norm.to_normalised(sent.end)
        n_sent = norm.text[ns:ne]
        found = [(m, trig) for m in pattern.finditer(n_sent) for trig in table[m.group("t")]]
        if found and (blocked_re := blocked()) is not None:
            spans = [(b.start(), b.end()) for b in blocked_re.finditer(n_sent)]
            found = [(m, t) for m, t in found if not any(s <= m.start("t") and m.end("t") <= e for s, e in spans)]
        if not found:
            spoken.append((n_sent, ns))
            continue
        words = n_sent.split()
        probs = None
        if model is not None and any(model.thresholds[model.types.index(t.type)] > 0 for _, t in found):
            probs = dict(zip(model.types, model.scores(model_features(n_sent, {t.type for _, t in found})).tolist(), strict=False))
            proposed = [t for t in model.types if probs[t] >= model.propose[model.types.index(t)]]
            if not found and not proposed:
                continue
            found = [(m, t) for m, t in found
                     if t.ungated or probs.get(t.type, 1.0) >= model.thresholds[model.types.index(t.type)]]
            have = {t.type for _, t in found}
            for etype in proposed:
                cue = model.cue(n_sent, etype) if etype not in have else None
                if cue is not None:
                    found.append((cue, Trigger(etype, None, cue.group(), (), True)))
            found.sort(key=lambda x: x[0].start())
            if not found:
                continue
        lead = _WIRE_LEAD.match(s_text)  # "دبي، الإمارات العربية المتحدة (CNN)—": where the story was filed
        body_start = sent.start + (lead.end() if lead else 0)
        in_sent = [m for m in mentions if body_start <= m.start and m.end <= sent.end]
        everyone = [x for x in in_sent if x.type in _PARTICIPANT_TYPES and x.entity not in media_ids()]
        generic = _generic_in(doc, generic_pattern, generic_table, n_sent, ns, in_sent)
        attribution = find_attribution(doc, n_sent, ns) or (latest_speaker(doc, spoken) if carries(words) else None)
        if attribution is not None:
            spoken.append(attribution)
        dates = find_dates(s_text, ref, n_sent)
        # one event per type and mode in a sentence (two modes are two acts: sanctions and a withdrawal, an
        # exercise and a launch, taking ground and an attack), and one per trigger word (a word listed in two
        # rows of a type tells one act)
        seen: set[tuple[str, str | None]] = set()
        told: set[tuple[int, str]] = set()
        trigger_starts = [norm.to_original(ns + m.start()) - sent.start for m, _ in found]
        governors: list[tuple[int, str]] = []  # (trigger end, type) of this sentence's governing verbs
        for m, trig in found:
            trig = _as_manner(n_sent, m.start(), trig)
            if ((trig.type, _sentence_mode(trig)) in seen or (m.start(), trig.type) in told
                    or not _requirement_met(n_sent, m.start(), m.end(), trig)):
                continue
            g = "t" if "t" in (m.re.groupindex or {}) else 0
            ts, te = norm.span_to_original(ns + m.start(g), ns + m.end(g))
            if any(x.start <= ts and te <= x.end and x.entity in kb_ids for x in in_sent):
                continue  # part of a known name: "مجلس التعاون الخليجي"، "منظمة حظر الأسلحة الكيميائية"
            # The reporting source is not a participant, unless the trigger is its own verb (نفت موسكو).
            # A source after "according to" (حسب، وفقا لـ) only reports.
            exclude_source = attribution is not None and not (0 <= attribution.start - te <= 12) and (
                attribution.start >= te or _reported_clause(doc.text[attribution.end:ts])
                or _according_before(doc.text[max(sent.start, attribution.start - 20):attribution.start]))
            participants = [
                x for x in everyone if not (exclude_source and attribution.start <= x.start < attribution.end)
                and not _time_reference(doc.text, x.start, ts, te, sent.start)
            ]
            agent = _agent(doc, n_sent, ns, m.end(), participants, generic)
            # "قال نافالني إنه اعتقل"، "أكدت روسيا أنها ستدعم": the pronoun before the trigger is the speaker
            speaker = (knowledge_base().stands_for(attribution.ref.entity)
                       if attribution is not None and attribution.ref.entity
                       and _speaker_is_subject(doc.text[max(sent.start, ts - 12):ts]) else None)
            if trig.passive:
                actors, targets = _passive_roles(doc, participants, ts, te, sent.start)
                roles = []
            elif trig.circumstantial:
                actors, targets = _circumstantial_roles(doc, everyone, ts, te, sent.start, attribution)
                roles = _generic_roles(doc, generic, ts, te, trig, sent.start, actors)
            elif agent is None:
                actors, targets = _roles(doc, participants, everyone, ts, te, trig, sent.start)
                if speaker and speaker not in actors:
                    # the pronoun is the verb's subject: a name after the verb is its object (a partner for CONSULT)
                    if trig.type == "CONSULT":
                        actors = [speaker, *actors]
                    else:
                        targets = [*actors, *targets]
                        actors = [speaker]
                    targets = [t for t in targets if t != speaker]
                roles = _generic_roles(doc, generic, ts, te, trig, sent.start, actors)
            else:
                # "قتل ثمانية فلسطينيين برصاص الجيش": the agent acts; the clause's own actor suffers.
                named, agent_generic = agent
                rest = [x for x in participants if x not in named]
                actors0, targets0 = _roles(doc, rest, [x for x in everyone if x not in named], ts, te, trig, sent.start)
                actors = _ids(named) if named else []
                targets = [i for i in (*actors0, *targets0, *([speaker] if speaker else [])) if i not in actors]
                others = _generic_roles(doc, [g for g in generic if g is not agent_generic], ts, te, trig,
                                        sent.start, [])
                roles = [dataclasses.replace(g, part="target") for g in others]
                if agent_generic is not None:
                    roles.insert(0, dataclasses.replace(agent_generic, part="actor"))
            if trig.type == "ACCUSE" and _facing().search(key(doc.text[max(sent.start, ts - 16):ts])):
                # "السعودية التي تواجه اتهامات بأنها ...": the one who faces the accusation is its target
                faced = [x for x in participants if x.end <= ts and _FACED_BY_RELATIVE.match(doc.text[x.end:ts])]
                actors, targets, roles = [], _ids(faced[-1:]), []
            if trig.type == "MOBILIZE" and trig.mode == "troops":
                # "إرسال جنود كوريين شماليين إلى روسيا"، "نشر القوات التركية": whose troops they are sends them
                sender = _troops_state(doc.text, participants, te, trig)
                if sender is not None:
                    targets = [i for i in (*actors, *targets) if i != sender and i in _destinations(doc.text, participants, te)]
                    actors = [sender]
            for ga in roles:
                organ = (ga.country or home) if ga.role in _STATE_ROLES else None
                if organ and organ not in actors and organ not in targets:
                    (actors if ga.part == "actor" else targets).append(organ)
            if (not actors and trig.type in _SPEECH_ACTS and attribution is not None and attribution.ref.entity
                    and attribution.start < ts and _reported_clause(doc.text[attribution.end:ts])):
                # "قال أردوغان إن من يواجهون تركيا سيدفعون الثمن": a threat (accusation, call ...) with no
                # actor in the reported words is the speaker's own
                actors = [knowledge_base().stands_for(attribution.ref.entity)]
                targets = [t for t in targets if t not in actors]
            if trig.word in object_pronoun_triggers():
                # "بعد بث نبأ اعتقاله"، "الإفراج عنهم": the pronoun is the one arrested, released or killed;
                # in a relative clause ("صابونجو الذي حكم عليه") it is the name the clause follows
                rel = _RELATIVE_BEFORE.search(doc.text[max(sent.start, ts - 20):ts])
                head = [x for x in in_sent if x.end <= ts - len(rel.group())] if rel else []
                if head and doc.text[head[-1].end:ts - len(rel.group())].strip(" ،,\"»") == "":
                    referent = knowledge_base().stands_for(head[-1].entity)
                    actors = [a for a in actors if a != referent]
                    targets = [referent, *(t for t in targets if t != referent)]
                else:
                    # the one told of (a speaker too: "قال نافالني إن الشرطة أفرجت عنه") is acted on, not acting
                    referent = _pronoun_referent(doc, mentions, ts)
                    if referent is not None and referent in actors and len(actors) > 1:
                        actors = [a for a in actors if a != referent]
                        targets = [referent, *(t for t in targets if t != referent)]
                    elif referent is not None and referent not in actors and not targets:
                        targets = [referent]
            # "وتجمع مئات المتظاهرين أمام مبنى المحافظة": a protest with no one named is still one when a state
            # is told in its sentence (it is aimed at that state's government: below)
            if not actors and not roles and not targets and not (
                    trig.type in _PEOPLE_ACTS and _nearest_state(in_sent, ts)):
                if probs is None or probs.get(trig.type, 0.0) < model.propose[model.types.index(trig.type)]:
                    continue
            before = n_sent[: m.start()]
            if _hypothetical(before) or _assessment(attribution):
                continue
            if not trig.verb and not trig.passive and aim_words().search(before):
                continue  # "ناقش الاثنان توسيع التعاون": an aim, not an act
            if not trig.verb and not trig.passive and _governed(s_text, ts, sent.start, governors):
                continue  # what was agreed, asked or threatened: the governing event tells it
            if seen and _purpose(n_sent, m):
                continue  # "أرسلت آلاف الجنود لدعم حربها": the purpose of the act told, not an act of its own
            if trig.verb and trig.type in _governing_types():
                governors.append((te, trig.type))
            seen.add((trig.type, _sentence_mode(trig)))
            told.add((m.start(), trig.type))
            modality, background = _modality(before, n_sent, m.start(), attribution is not None)
            if modality in ("asserted", "reported") and "fut" in m.re.groupindex and m.group("fut"):
                modality = "planned"
            said_end = (attribution.end - sent.start if attribution is not None
                        and sent.start <= attribution.end <= ts else None)
            date = _event_date(_dates_of_trigger(_own_dates(dates, s_text, te - sent.start, trigger_starts), s_text,
                                                 ts - sent.start, said_end), ts - sent.start, modality == "planned", ref)
            if date is None and not background and modality in ("asserted", "reported"):
                if not lead_date:
                    lead_date.append(_lead_date(doc, ref))
                carried = _carried_date(recent_dates, lead_date[0], sent.start)
                if carried is not None:
                    carried_dates[(ts, trig.type)] = carried
            place = _place(doc, in_sent, ts)
            if trig.type in _PEOPLE_ACTS:
                # "تظاهرات فلسطينية": the people protest, not their state (kb: the state's NORP entity)
                actors = list(dict.fromkeys(_people_of().get(a, a) for a in actors))
                if not targets:
                    # a protest with no one named it is aimed at is aimed at the government of the state it
                    # is held in: the state of the place named nearest it in its sentence, else the article's
                    held = _nearest_state(in_sent, ts) or home
                    if held and held not in actors and _people_of().get(held) not in actors:
                        targets = [held]
            events.append(Event(
                type=trig.type, mode=trig.mode,
                actors=tuple(actors), targets=tuple(dict.fromkeys(t for t in targets if t not in actors)),
                place=place,
                date=date,
                source=attribution.ref if attribution else None,
                negated=bool(negation_words().search(before)) and trig.type != "REJECT",
                start=ts, end=te, sentence=s_text, trigger=doc.text[ts:te],
                modality=modality, background=background or _old(date, ref),
                generic_actors=tuple(roles),
                confidence=round(probs[trig.type], 3) if probs and trig.type in probs else None,
            ))
        if dates:
            recent_dates[:] = dates
    # restatements are told apart by their own dates; a carried date is given only to what stays undated
    events = [e if e.date is not None or (e.start, e.type) not in carried_dates
              else dataclasses.replace(e, date=carried_dates[(e.start, e.type)])
              for e in _merge_repeats(_drop_attacked_meetings(_fold_manner(_fold_backing(events), doc.text)))]
    referenced = {i for e in events for i in (*e.actors, *e.targets, *([e.place] if e.place else []))}
    return with_referenced(doc.replace(events=tuple(events)), referenced)


# A wire dateline opening a story: a city (and its country), the outlet in brackets, a dash. Its places
# are where the story was filed, not who acts in it.
_WIRE_LEAD = re.compile(r"^\s*[^\n.،,()\-—–]{2,40}(?:[،,]\s*[^\n.،,()\-—–]{2,50})?\s*\([^()\n]{2,30}\)\s*[-—–]+")
_MODEL: list[EventModel | None] = []  # set by use_model
_STATE_ROLES = frozenset({"MIL", "COP", "GOV"})


_PEOPLE_ACTS = frozenset({"PROTEST"})


@lru_cache(maxsize=1)
def object_pronoun_triggers() -> frozenset[str]:
    """Trigger words whose attached pronoun is the one acted on (resources/event_object_pronouns.tsv)."""
    return frozenset(key(w) for row in resources.read_tsv("event_object_pronouns.tsv", 1)
                     for w in row[0].split("|") if w)


def _pronoun_referent(doc: Document, mentions: list[_Mention], ts: int) -> str | None:
    """Who a pronoun on the trigger at ``ts`` stands for: the first person named in its sentence before it,
    else in the nearest of the two sentences before that names one (the first named is the one the
    sentence tells of: "وأضاف نافالني، وهو أشد خصوم الرئيس بوتين، أنه ...")."""
    spans = [s for s in doc.sentence_spans if s.start <= ts][-3:]
    for k, sent in enumerate(reversed(spans)):
        end = ts if k == 0 else sent.end
        people = [m for m in mentions if sent.start <= m.start and m.end <= end and m.type == "PERSON"]
        if people:
            return knowledge_base().stands_for(people[0].entity)
    return None


@lru_cache(maxsize=1)
def _people_of() -> dict[str, str]:
    """State id -> the id of its people where the knowledge base lists one (NORP with that country)."""
    return {e.country: e.id for e in knowledge_base().entities.values() if e.type == "NORP" and e.country}


@lru_cache(maxsize=1)
def anaphoric_heads() -> tuple[frozenset[str], re.Pattern[str]]:
    """Head nouns (resources/event_anaphora.tsv) and the pattern of their bare definite forms."""
    heads = frozenset(key(row[0]) for row in resources.read_tsv("event_anaphora.tsv", 1) if row[0])
    return heads, re.compile(rf"(?<!\w){_CLITIC}ال(?P<h>{trie_regex(heads)})(?!\w)(?!\s+ال)")


def _anaphors(doc: Document, mentions: list[_Mention]) -> list[_Mention]:
    """"وأعلن التحالف" after "التحالف بقيادة السعودية": a bare definite head noun not inside a mention
    stands for the nearest organisation before it named with that head (else the document's only one)."""
    heads, pattern = anaphoric_heads()
    antecedents: dict[str, list[tuple[int, str, str]]] = {}
    for e in doc.entities:
        if e.type != "ORG" or e.id in media_ids():
            continue
        for m in e.mentions:
            first = key(m.text).replace("_", " ").split()[:1]  # hashtags: "#تحالف_دعم_الشرعية"
            head = first[0][2:] if first and first[0].startswith("ال") else (first[0] if first else "")
            if head in heads and len(key(m.text).replace("_", " ").split()) > 1:
                antecedents.setdefault(head, []).append((m.start, e.id, e.type))
    if not antecedents:
        return []
    norm = doc.norm
    out: list[_Mention] = []
    for m in pattern.finditer(norm.text):
        cands = antecedents.get(m.group("h"))
        if not cands:
            continue
        s, e = norm.span_to_original(m.start("h") - 2, m.end("h"))
        if any(x.start < e and s < x.end for x in mentions):
            continue
        before = [c for c in cands if c[0] < s]
        if before:
            _, eid, etype = max(before)
        elif len({c[1] for c in cands}) == 1:
            _, eid, etype = cands[0]
        else:
            continue
        out.append(_Mention(s, e, eid, etype))
    return out


def use_model(model: EventModel | None, rules_only: bool = False) -> None:
    """Run the event stage with this model (None: the shipped one; rules_only: none, the triggers alone)."""
    _MODEL.clear()
    if model is not None or rules_only:
        _MODEL.append(model)


def model_features(n_sent: str, lexicon: set[str]) -> list[str]:
    from rasd.extract.event_model import features

    return features(n_sent, lexicon)


@lru_cache(maxsize=1)
def generic_actors() -> tuple[re.Pattern[str], dict[str, tuple[str, str]]]:
    table: dict[str, tuple[str, str]] = {}
    for role, name, words in resources.read_tsv("generic_actors.tsv", 3):
        for w in words.split("|"):
            if w:
                table.setdefault(key(w), (role, name))
    return re.compile(rf"(?<!\w){_CLITIC}(?P<g>{trie_regex(table)})(?!\w)"), table


def _agent_words(kind: str) -> list[str]:
    """The words of one kind of event_agents.tsv, normalised."""
    return [key(w) for k, ws in resources.read_tsv("event_agents.tsv", 2) if k == kind for w in ws.split("|") if w]


@lru_cache(maxsize=1)
def agent_words() -> re.Pattern[str]:
    """The words before a passive or nominal event's agent (resources/event_agents.tsv)."""
    words = _agent_words("agent")
    return re.compile(rf"(?<!\w)(?:و)?(?:{trie_regex(words)})(?!\w)")


# the name right before "التي تواجه" / "الذي يتعرض ل": who faces what follows
_FACED_BY_RELATIVE = re.compile(r"^\s*(?:التي|الذي|الذين)\s+\S+\s*(?:ل|لل)?$")


@lru_cache(maxsize=1)
def _facing() -> re.Pattern[str]:
    """A verb of facing right before an accusation noun, at the end of the text before it (event_agents.tsv)."""
    words = _agent_words("facing")
    return re.compile(rf"(?<!\w)(?:و)?(?:{trie_regex(words)})\s*(?:ل|لل)?$")


@lru_cache(maxsize=1)
def target_words() -> re.Pattern[str]:
    """Words that make the name after them an event's target (resources/event_agents.tsv, kind target)."""
    words = _agent_words("target")
    return re.compile(rf"(?<!\w)(?:و)?(?:{trie_regex(words)})(?!\w)")


AGENT_MAX_CHARS = 150  # how far after its trigger an agent may stand (a clause with its casualties)
_AGENT_GAP = re.compile(r"^\s*(?:ل|لل)?$")  # between the agent word and the agent: a space, a ل


def _agent(doc: Document, n_sent: str, ns: int, trig_end: int, participants: list[_Mention],
           generic: list[GenericActor]) -> tuple[list[_Mention], GenericActor | None] | None:
    """The agent named after an agent word ("برصاص"، "من قبل"، "على يد") following the trigger: the
    named group or the generic actor that starts right after it, or None when there is none."""
    m = agent_words().search(n_sent, trig_end, trig_end + AGENT_MAX_CHARS)
    if m is None:
        return None
    at = doc.norm.span_to_original(ns + m.end(), ns + m.end())[0]
    text = doc.text
    after = [x for x in participants if x.start >= at]
    if after and _AGENT_GAP.match(text[at:after[0].start]):
        group = _groups(after, text)[0]
        return group, None
    g = next((g for g in generic if g.start >= at), None)
    if g is not None and _AGENT_GAP.match(text[at:g.start]):
        return [], g
    return None


TROOPS_MAX_CHARS = 30  # how far after a deployment verb its troops and their nationality may stand


def _troops_state(text: str, participants: list[_Mention], te: int, trig: Trigger) -> str | None:
    """The state whose troops a deployment sends: a nationality right after the troops noun that follows
    the trigger ("إرسال جنود كوريين شماليين"، "نشر القوات التركية"), or None."""
    for x in participants:
        if x.start < te or x.start - te > TROOPS_MAX_CHARS:
            continue
        gap = key(text[te:x.start]).split()
        if gap and any(r in gap[-1] for r in trig.requires) and key(text[x.start:x.end]).endswith(
                ("ي", "يه", "يين", "يون", "يا")):
            e = knowledge_base().entities.get(x.entity)
            return e.country if e is not None and e.country else x.entity
    return None


def _destinations(text: str, participants: list[_Mention], te: int) -> set[str]:
    """The places a deployment sends to: names after إلى following the trigger."""
    return {knowledge_base().stands_for(x.entity) for x in participants
            if x.start >= te and re.search(r"(?:إلى|الى)\s*$", text[max(te, x.start - 6):x.start])}


def _assessment(attribution) -> bool:
    """Is the event told only by unnamed commentators ("يرى محللون أن ...")?"""
    if attribution is None or attribution.ref.entity:
        return False
    words = key(attribution.ref.text).split()
    return bool(words) and (" ".join(words[:2]) in _assessors() or words[0].lstrip("و") in _assessors())


@lru_cache(maxsize=1)
def _purpose_nouns() -> frozenset[str]:
    return frozenset(key(w) for kind, ws in resources.read_tsv("event_modality.tsv", 2) if kind == "purpose"
                     for w in ws.split("|") if w)


def _purpose(n_sent: str, m: re.Match) -> bool:
    """Is the trigger a purpose noun with the ل of purpose ("أرسلت آلاف الجنود لدعم حربها"; event_modality.tsv)?"""
    if "t" not in m.re.groupindex or m.group("t") not in _purpose_nouns():
        return False
    clitic = n_sent[m.start():m.start("t")].removeprefix("و").removeprefix("ف")
    return clitic in ("ل", "لل")


def _hypothetical(before: str) -> bool:
    """Is the trigger a possible, expected or habitual act ("احتماليات دعم"، "إمكانية نشر"، "غالبا ما ...
    من خلال اختبارات"), in its own clause?"""
    clause = re.split(r"[,،;:.]", before)[-1]
    return (bool(hypothetical_words().search(clause)) or bool(habitual_words().search(clause))
            or bool(suspicion_words().search(before)))


@lru_cache(maxsize=1)
def _future_prefixes() -> tuple[str, ...]:
    return tuple(key(row[0]) for row in resources.read_tsv("clitics.tsv", 3) if row[1] == "future")


def _modality(before: str, n_sent: str, start: int, reported: bool) -> tuple[str, bool]:
    """(modality, background) of the event whose trigger starts at ``start`` of the normalised sentence."""
    clause = re.split(r"[,،;:]", before)[-1]
    found = {mod for mod, pat in modality_words() if pat.search(clause if mod != "denied" else before)}
    background = "background" in found
    if "conditional" in found and _conditional(before):
        return "conditional", background
    if n_sent.rstrip().endswith(("؟", "?")):
        return "question", background
    if "denied" in found:
        return "denied", background
    word_start = before[-3:]
    if "planned" in found or any(word_start.endswith(p) or word_start.endswith(" " + p) for p in _future_prefixes()):
        return "planned", background
    return ("reported" if reported else "asserted"), background


_RELATIVE = re.compile(r"(?:^|\s)(?:الذي|التي|الذين|اللذين|اللتين|اللواتي|اللاتي)(?=\s)")


def _own_dates(dates: list, sent_text: str, trig_end: int, trigger_starts: list[int]) -> list:
    """The dates that may be a trigger's own: not one in a relative clause after another trigger that
    follows this one ("نفى الكرملين ضلوعه في القصف الذي أوقع 250 قتيلا منذ الأحد": Sunday is the shelling's)."""
    return [d for d in dates if d.start < trig_end or not (
        any(trig_end <= t < d.start for t in trigger_starts) and _RELATIVE.search(sent_text[trig_end:d.start]))]


# A temporal subordinator right before a trigger, after a date: the trigger is told as what came before
# the dated act, the date is not its own ("دخلت العقوبات حيز التنفيذ الثلاثاء، وذلك في أعقاب انسحاب ترامب").
# Not إثر / جراء: a cause told so happens with its effect ("قتلت عائلة السبت إثر قصف").
_TEMPORAL_SUBORDINATOR = re.compile(r"(?:^|\s)(?:و)?(?:بعد|بعد أن|عقب|في أعقاب|في اعقاب)\s+(?:\S+\s+)?$")


SAID_WORDS = 5  # how far before a date the speech verb that dates the statement may stand


def _sentence_mode(trig: Trigger) -> str | None:
    """The mode that tells two events of a type in one sentence apart: the trigger's own, but none for a
    relation whose modes are kinds of one dealing ("مساعدات غذائية واقتصادية ... بالإضافة إلى مساعدات
    عسكرية" is one aid; event_types.tsv: relation, distinct)."""
    return None if type_behaviour().get(trig.type) == ("relation", "distinct") else trig.mode


# "منذ تنصيب ترامب"، "قبل وصول الرئيس": a name told as the subject of a verbal noun after a word of time
# dates the event, it takes no part in it
_TIME_REFERENCE = re.compile(r"(?:^|\s)(?:و)?(?:منذ|قبل|بعد|عقب|حتى)\s+(?P<noun>\S+)\s+$")


def _time_reference(text: str, start: int, ts: int, te: int, sent_start: int) -> bool:
    """Is the mention at ``start`` the subject of a verbal noun after a word of time, the noun not being
    the trigger itself ("بعد اغتيال خاشقجي": the killing's target)?"""
    window = max(sent_start, start - 30)
    m = _TIME_REFERENCE.search(text[window:start])
    if m is None:
        return False
    noun_start = window + m.start("noun")
    return not (ts <= noun_start < te)


def _dates_of_trigger(dates: list, sent_text: str, trig_start: int, said_end: int | None) -> list:
    """The dates a trigger at ``trig_start`` may take: not one before it when a temporal subordinator
    stands right before the trigger; the day of the statement, right after its speaker, only when no
    other is left ("أعلن الحرس الثوري، الأحد، مسؤوليته عن إطلاق الصواريخ ... السبت"; ``said_end``: the
    end of the speaker's words in the sentence)."""
    if _TEMPORAL_SUBORDINATOR.search(sent_text[:trig_start]):
        dates = [d for d in dates if d.start >= trig_start]

    def said(d):
        if d.end > trig_start:
            return False
        if said_end is not None and said_end <= d.start and not sent_text[said_end:d.start].strip(" ،,"):
            return True
        # "أعلن الحرس الثوري الإيراني، الأحد، مسؤوليته عن": a speech verb a few words before the date
        words = sent_text[:d.start].split()[-SAID_WORDS:]
        return has_speech_verb([strip_conj(key(w.strip("،,"))) for w in words])

    return [d for d in dates if not said(d)] or dates


def _event_date(dates: list, start: int, planned: bool, ref) -> DateRef | None:
    """The date nearest a trigger at ``start`` of its sentence. A planned event's bare weekday is the
    next one ("سينهي زيارته الأربعاء"), not the last."""
    if not dates:
        return None
    d = min(dates, key=lambda d: abs(d.start - start))
    if planned and d.precision == "day":
        d = ahead_weekday(d, ref) or d
    return DateRef(d.value, d.text, d.precision)


def _lead_date(doc: Document, ref) -> tuple[int, DateMention] | None:
    """The day the article's lead tells (a day within a week before publication, in its first sentences):
    the day of its news; with the start of its sentence."""
    if ref is None:
        return None
    for sent in doc.sentence_spans[:LEAD_SENTENCES]:
        if is_heading(doc.text, sent.start, sent.end):
            continue
        for d in find_dates(doc.text[sent.start:sent.end], ref):
            day = to_date(d.value) if d.precision == "day" else None
            if day is not None and 0 <= (ref - day).days <= 7:
                return sent.start, d
    return None


LEAD_SENTENCES = 4


def _carried_date(recent: list, lead: tuple[int, DateMention] | None, sent_start: int) -> DateRef | None:
    """The date of an event its sentence does not date: the day the last dated event sentence before it
    told ("التقى الوزيران الخميس ... وناقشا"), else the day of the article's lead (told in another
    sentence: a date of its own sentence was not its own). Its text is those words, where they were written."""
    if recent and recent[-1].precision == "day":
        d = recent[-1]
    elif lead is not None and lead[0] != sent_start:
        d = lead[1]
    else:
        return None
    return DateRef(d.value, d.text, d.precision)


def _old(date, ref) -> bool:
    """An event dated a year or more before publication is background."""
    if date is None or not date.value or ref is None:
        return False
    return date.value[:4].isdigit() and int(date.value[:4]) < ref.year


def _nearest_state(in_sent: list[_Mention], ts: int) -> str | None:
    """The state of the place (a state, a city, a region, or a state's adjective) named nearest a trigger."""
    kb = knowledge_base()
    best = None
    for m in in_sent:
        e = kb.entities.get(m.entity)
        if m.type not in ("GPE", "LOC") or e is None or not e.country:
            continue
        if best is None or abs(m.start - ts) < best[0]:
            best = (abs(m.start - ts), e.country)
    return best[1] if best else None


def _home_state(doc: Document) -> str | None:
    """The state an article is about (most mentions, then first): whose police or army an unqualified
    "الشرطة" or "الجيش" is (a generic organ is a form of its state, as the gold convention has it)."""
    kb = knowledge_base()
    best = None
    for e in doc.entities:
        ent = kb.entities.get(e.id)
        if e.type != "GPE" or ent is None or ent.country != e.id or not e.mentions:
            continue
        rank = (len(e.mentions), -e.mentions[0].start)
        if best is None or rank > best[0]:
            best = (rank, e.id)
    return best[1] if best else None


def _generic_in(doc: Document, pattern: re.Pattern[str], table: dict[str, tuple[str, str]], n_sent: str, ns: int,
                in_sent: list[_Mention]) -> list[GenericActor]:
    """The generic actors of a sentence: spans not inside a linked entity, each tied to the state named
    right after it (an adjective or في + the state)."""
    kb = knowledge_base()
    norm = doc.norm
    out: list[GenericActor] = []
    for m in pattern.finditer(n_sent):
        s, e = norm.span_to_original(ns + m.start("g"), ns + m.end("g"))
        if any(x.start < e and s < x.end for x in in_sent):
            continue
        role, name = table[m.group("g")]
        if any(x.start >= e and not doc.text[e:x.start].strip() and x.type in ("ORG", "PERSON") for x in in_sent):
            continue  # "مقاتلات التحالف"، "قوات حفتر": the named group's own, it acts through them
        country = None
        for x in in_sent:
            if x.start >= e and _ties(doc.text[e:x.start], role) and x.type in ("GPE", "NORP"):
                ent = kb.entities.get(x.entity)
                country = (ent.country if ent is not None and ent.country else None) or kb.stands_for(x.entity)
                break
            if x.start >= e:
                break
        out.append(GenericActor(role, name, doc.text[s:e], s, e, country, "actor"))
    return out


# Between a generic actor and the state it is tied to: nothing, or up to two adjectives ("قوات الأمن الخاصة
# الإندونيسية"، "الحكومة الشرعية في اليمن"); "في" only for a domestic organ — police or a government "in" a
# state are that state's ("الشرطة في إندونيسيا"), forces "in" a state may be anyone's ("قوات التحالف في اليمن").
_TIE_GAP = re.compile(r"^(?:\s+ال\S+){0,2}\s*$")
_TIE_GAP_IN = re.compile(r"^(?:\s+ال\S+){0,2}\s+(?:في|فى)\s+$")
_DOMESTIC_ROLES = frozenset({"COP", "GOV"})


def _ties(gap: str, role: str) -> bool:
    return bool(_TIE_GAP.match(gap)) or (role in _DOMESTIC_ROLES and bool(_TIE_GAP_IN.match(gap)))


def _generic_roles(doc: Document, generic: list[GenericActor], ts: int, te: int, trig: Trigger, sent_start: int,
                   actors: list[str]) -> list[GenericActor]:
    """Generic participants of one trigger: the nearest one before it in its clause acts (SVO); the
    nearest after it acts for a verb with no named actor or whose actor is its own state ("قوات الأمن
    العراقية", VSO), else it is the target."""
    has_actor = bool(actors) and not (generic and any(g.country in actors for g in generic if g.start >= te))
    text = doc.text
    clause_start = max(text.rfind("،", sent_start, ts), text.rfind(",", sent_start, ts), sent_start)
    out: list[GenericActor] = []
    before = [g for g in generic if clause_start <= g.start and g.end <= ts and ts - g.end <= 40]
    after = [g for g in generic if g.start >= te and g.start - te <= 40]
    actor_taken = has_actor
    if before and not has_actor:
        out.append(dataclasses.replace(before[-1], part="actor"))
        actor_taken = True
    if after:
        aimed = bool(target_words().search(key(text[te:after[0].start])))  # "هجوم على قوات الأمن"
        # after an arrest or an attack, civilians, journalists, protesters ... are who suffer it
        aimed = aimed or (trig.type in _FORCE_TYPES and after[0].role in _UNARMED_ROLES)
        part = "actor" if trig.verb and not actor_taken and not aimed else "target"
        out.append(dataclasses.replace(after[0], part=part))
        if part == "actor" and len(after) > 1 and after[1].start - after[0].end <= 40:
            out.append(dataclasses.replace(after[1], part="target"))
    return out


def _merge_repeats(events: list[Event]) -> list[Event]:
    """An article restates its events (headline, lead, body, a later "خلال لقائهما"): keep the first
    statement of an event and fold into it a later one that tells the same act — same type and
    polarity, compatible place and date, and the same parties (resources/event_types.tsv: for a
    relation type one's parties within the other's, whatever words tell it; for an incident type the
    same mode and actors) — keeping the date (and targets) a later statement adds."""
    kept: list[Event] = []
    for ev in events:
        same = next((k for k in kept if k.type == ev.type and k.negated == ev.negated and _same_act(k, ev)
                     and _dates_compatible(k.date, ev.date)), None)
        if same is None:
            kept.append(ev)
            continue
        merged = same
        if len(_parties(ev)) > len(_parties(same)):
            # the fuller statement names the parties ("خلال اجتماع مع مسؤول روسي" … "ناقش كيم وشويغو")
            merged = dataclasses.replace(same, actors=ev.actors, targets=ev.targets, generic_actors=ev.generic_actors)
        if (same.date is None or not same.date.value) and ev.date is not None and ev.date.value:
            merged = dataclasses.replace(
                merged, date=ev.date,
                targets=tuple(dict.fromkeys(t for t in (*merged.targets, *ev.targets) if t not in merged.actors)),
            )
        kept[kept.index(same)] = merged
        if merged is not same:
            _absorb(kept, kept.index(merged))
    return kept


def _absorb(kept: list[Event], i: int) -> None:
    """A statement that grew (fuller parties, a date) may now tell what an earlier kept one told
    ("نقل الحاويات إلى روسيا" kept apart from "تزويد كوريا الشمالية" until "قدمت كوريا الشمالية لروسيا"):
    fold such later-kept statements into it."""
    k = kept[i]
    for j in range(len(kept) - 1, -1, -1):
        o = kept[j]
        if j == i or o.type != k.type or o.negated != k.negated or not _same_act(k, o) \
                or not _dates_compatible(k.date, o.date):
            continue
        if (k.date is None or not k.date.value) and o.date is not None and o.date.value:
            k = dataclasses.replace(k, date=o.date)
        del kept[j]
        if j < i:
            i -= 1
    kept[i] = k


@lru_cache(maxsize=1)
def type_behaviour() -> dict[str, tuple[str, str]]:
    """PLOVER type -> (repeats, modes) from resources/event_types.tsv."""
    return {etype: (repeats, modes) for etype, repeats, modes, _ in resources.read_tsv("event_types.tsv", 4)}


@lru_cache(maxsize=1)
def _governing_types() -> frozenset[str]:
    """Types whose verb governs a noun that is its content, not an event (event_types.tsv governs)."""
    return frozenset(etype for etype, _, _, governs in resources.read_tsv("event_types.tsv", 4) if governs == "content")


GOVERNED_MAX_CHARS = 60  # how far after a governing verb its content noun may stand


def _governed(sent_text: str, ts: int, sent_start: int, governors: list[tuple[int, str]]) -> bool:
    """Does a noun trigger at ``ts`` stand right after a governing verb of this sentence, in its clause
    ("وقع بوتين وكيم شراكة", "دعا بوتين كيم لزيارة موسكو")?"""
    for end, _ in governors:
        gap = sent_text[end - sent_start:ts - sent_start]
        if 0 <= ts - end <= GOVERNED_MAX_CHARS and not re.search(r"[،,.;:؛\n]", gap) and not _clause_opener().search(gap):
            return True
    return False


# A word that opens another clause between a verb and a noun: the noun is not the verb's object
# ("ووقعت المواجهات عندما احتشد متظاهرون").
_CLAUSE_OPENERS = "عندما|حين|حينما|بعد|قبل|حيث|بينما|لكن|ثم|الذي|التي|الذين|إذ|اذ|لأن|لان"


@lru_cache(maxsize=1)
def _clause_opener() -> re.Pattern[str]:
    return re.compile(rf"(?:^|\s)(?:{alternation(conjunctions())})?(?:{_CLAUSE_OPENERS})(?=\s)")


def _same_act(a: Event, b: Event) -> bool:
    repeats, modes = type_behaviour().get(a.type, ("incident", "distinct"))
    if modes == "distinct" and a.mode != b.mode:
        return False
    if repeats == "relation":
        # a relation is told with its place or without it, or with the city for the country
        x, y = _parties(a), _parties(b)
        if x and y:
            return x <= y or y <= x
    elif a.place is not None and b.place is not None and a.place != b.place:
        return False
    return _same_parties(a, b)


def _parties(ev: Event) -> set[str]:
    """An event's named participants, a person also standing for the state they serve (كيم for كوريا
    الشمالية: "دعم كيم لروسيا" and "تضامن كوريا الشمالية مع روسيا" are one stance)."""
    kb = knowledge_base()
    out = {*ev.actors, *ev.targets}
    for i in list(out):
        e = kb.entities.get(i)
        if e is not None and e.type == "PERSON" and e.country:
            out.add(e.country)
    return out


def _dates_compatible(a: DateRef | None, b: DateRef | None) -> bool:
    """No date, the same date, or one within the other (2023-09 and 2023-09-13)."""
    if a is None or b is None or not a.value or not b.value:
        return True
    return a.value.startswith(b.value) or b.value.startswith(a.value)


def _same_parties(a: Event, b: Event) -> bool:
    """Do two statements name the same parties: one's named actors within the other's, or, with none
    named, the same generic roles or targets?"""
    if a.actors or b.actors:
        x, y = set(a.actors), set(b.actors)
        return bool(x and y) and (x <= y or y <= x)
    ra = {g.role for g in a.generic_actors if g.part == "actor"}
    rb = {g.role for g in b.generic_actors if g.part == "actor"}
    return ra == rb and (not a.targets or not b.targets or bool(set(a.targets) & set(b.targets)))


def _conditional(before: str) -> bool:
    """Is the trigger inside a conditional clause (إذا/لو/في حال with at most two words between)?"""
    clause = re.split(r"[,،;:]", before)[-1]
    m = _CONDITION_WORDS.search(clause)
    return m is not None and len(clause[m.end():].split()) <= 2


@lru_cache(maxsize=1)
def media_ids() -> frozenset[str]:
    return frozenset(row[0] for row in resources.read_tsv(resources.path("kb/media.tsv"), 1))


_POSSESSIVE = re.compile(r"(?:ه|ها|هما|هم)$")
_OWN_COUNTRY = re.compile(r"^\s*(?:\S+\s+)?(?:بلاده|بلادها|بلادهم)")


def _requirement_met(n_sent: str, start: int, end: int, trig: Trigger) -> bool:
    if not trig.requires:
        return True
    before = n_sent[:start].split()[-8:]
    after = n_sent[end:].split()[:8]
    # "r in w" for some word w, as one search of the words joined by spaces (a match cannot span a
    # space when r has none; a requirement with a space is never inside one word)
    words = " ".join(before + after)
    following = " ".join(after)

    def near(r: str) -> bool:  # ">noun": among the words after the trigger only
        return r[1:] in following if r.startswith(">") else r in words

    if any(near(r[1:]) for r in trig.requires if r.startswith("!")):
        return False
    wanted = [r for r in trig.requires if not r.startswith("!")]
    return not wanted or any(" " not in r and near(r) for r in wanted)


def _dated_gap(gap: str) -> bool:
    """"اتهمت الخارجية الأميركية، الثلاثاء، روسيا": a weekday between two names parts subject and object."""
    weekdays = date_lexicon().weekdays  # weekdays.tsv, without its row 0 (عشرة: words that are no day)
    return any(w.strip("،,()\"") in weekdays for w in key(gap).split())


def _groups(mentions: list[_Mention], text: str) -> list[list[_Mention]]:
    """Mentions that stand together (coordinated, or a title's state beside its holder) form a group."""
    groups: list[list[_Mention]] = []
    for m in mentions:
        gap = text[groups[-1][-1].end:m.start] if groups else ""
        limit = INCLUDING_GAP_CHARS if _INCLUDING.match(gap) else GROUP_GAP_CHARS
        if groups and _GROUP_GAP.match(gap) and m.start - groups[-1][-1].end <= limit and not _dated_gap(gap) and (
                gap.strip() or _qualifies(text, groups[-1][-1], m)):
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


def _qualifies(text: str, a: _Mention, b: _Mention) -> bool:
    """Do two names side by side with nothing between stand for one party: one an adjective of relation
    (الرئيس الروسي بوتين، المتمردون الحوثيون) or the second the state of the first (إقليم كردستان العراق)?
    Otherwise they are a verb's subject and object ("اتهمت حماس إسرائيل")."""
    if a.type == b.type == "GPE" and a.entity != b.entity and all(_named_in_full(text, m) for m in (a, b)):
        # "اتهمت كوريا الجنوبية كوريا الشمالية": two states named in full are subject and object
        return False
    nisba = [key(text[m.start:m.end]).endswith(("ي", "يه", "يين", "يون")) for m in (a, b)]
    if (key(text[a.start:a.end]).endswith(("يين", "يون")) and not key(text[b.start:b.end]).endswith(("يين", "يون"))
            and b.type != "PERSON"):
        # "ويتهم الحوثيون السعودية": a people named in the plural is a subject, not an adjective of the next
        # name (but "زعيم الحوثيين عبد الملك الحوثي" is a title's people beside its holder)
        return False
    if nisba[0] and b.type == "PERSON" and _force_before(text, a.start):
        # "اعتقلت الشرطة الروسية أليكسي نافالني": a force of a state is no title of the person after it
        return False
    if any(nisba):
        return True
    e = knowledge_base().entities.get(a.entity)
    return e is not None and e.country is not None and e.country == knowledge_base().stands_for(b.entity)


def _named_in_full(text: str, m: _Mention) -> bool:
    """Is the mention its entity's own Arabic name ("كوريا الجنوبية"), not an adjective of relation
    ("الكوري الجنوبي") that only looks like one? Two such names side by side are subject and object."""
    e = knowledge_base().entities.get(m.entity)
    if e is None or not e.name_ar or " " not in e.name_ar:
        return False
    said, name = key(text[m.start:m.end]), key(e.name_ar)
    return said == name or (said.endswith(name) and len(said) - len(name) <= 2)


FORCE_BEFORE_CHARS = 25  # how far before a nationality the police or forces it qualifies may stand


def _force_before(text: str, start: int) -> bool:
    """Is the nationality at ``start`` the adjective of a police or armed force (generic_actors.tsv, roles
    COP, MIL, UAF) right before it ("الشرطة الروسية"، "قوات الأمن العراقية")?"""
    pattern, table = generic_actors()
    before = key(text[max(0, start - FORCE_BEFORE_CHARS):start])
    for m in pattern.finditer(before):
        if table[m.group("g")][0] in _FORCE_ROLES and not before[m.end("g"):].strip(" ،,").count(" "):
            return True
    return False


_FORCE_ROLES = frozenset({"COP", "MIL", "UAF"})


@lru_cache(maxsize=1)
def _undergone() -> re.Pattern[str]:
    """A passive auxiliary (تم، جرى ...: event_agents.tsv, kind undergone) right before a noun trigger."""
    words = _agent_words("undergone")
    return re.compile(rf"(?<!\w)(?:{alternation(conjunctions())})?(?:{trie_regex(words)})\s*$")


@lru_cache(maxsize=1)
def _detained() -> frozenset[str]:
    """Verbs of detention (event_agents.tsv, kind detained), normalised."""
    return frozenset(_agent_words("detained"))


def _ids(group: list[_Mention]) -> list[str]:
    """Entity ids of a group as event participants: capitals stand for their state, and a state
    named only as its official's adjective gives way to the official."""
    kb = knowledge_base()
    out: list[str] = []
    person_states = {kb.entities[m.entity].country for m in group if m.type == "PERSON" and m.entity in kb.entities}
    for m in group:
        e = kb.entities.get(m.entity)
        eid = kb.stands_for(m.entity)
        if e is not None and e.type == "GPE" and eid in person_states:
            continue
        if eid not in out:
            out.append(eid)
    return out


def _roles(
    doc: Document, participants: list[_Mention], everyone: list[_Mention], ts: int, te: int, trig: Trigger, sent_start: int
) -> tuple[list[str], list[str]]:
    text = doc.text
    before = [m for m in participants if m.end <= ts]
    after = [m for m in participants if m.start >= te]
    clause_start = max(text.rfind("،", sent_start, ts), text.rfind(",", sent_start, ts), sent_start)
    # A subject is not governed by a preposition: "تدربت في روسيا" names a place, not who acts.
    before_clause = [m for m in before if m.start >= clause_start and not _in_place_phrase(text, m.start)]
    after_groups = _groups(after, text)
    verb_first = not text[clause_start:ts].strip(" ،,")
    if trig.type in _FORCE_TYPES and _undergone().search(key(text[max(sent_start, ts - 12):ts])):
        # "وتم اعتقال أليكسي نافالني": the name after a passive noun is who was arrested (or attacked)
        # ("جرى توقيف السيدة في أزمير": a name after في is where, not who)
        first = next((g for g in after_groups if g[0].start - te <= 40), None)
        if first is None or _in_place_phrase(text, first[0].start) or re.search(r"(?:^|\s)(?:في|فى)\s", text[te:first[0].start]):
            return [], []
        return [], _ids(first)
    if (text[clause_start:ts].strip(" ،,") in ("", "و", "ف") and not before_clause and key(trig.word) in _detained() and after_groups
            and after_groups[0][0].start - te <= 40 and all(m.type == "PERSON" for m in after_groups[0])):
        # "واعتُقل أليكسي نافالني في موسكو": a person named alone after a verb of detention is the detainee
        return [], _ids(after_groups[0])
    # a target word between the trigger and the first name after it: that name is aimed at, not acting
    aimed = bool(after_groups) and after_groups[0][0].start - te <= 40 and bool(
        target_words().search(key(text[te:after_groups[0][0].start])))
    actors: list[str] = []
    targets: list[str] = []
    sentence_groups = _groups(everyone, text)  # the speaker may own the noun: "أكد كيم ... دعم بلاده"
    owned = _POSSESSIVE.search(text[ts:te]) or _OWN_COUNTRY.match(text[te:te + 20])
    if owned and not trig.verb or (owned and trig.type == "CONSULT"):
        # "دعمه"، "لقائهما"، "دعم بلاده": the possessor is the sentence's subject (and, for a dual, its partner)
        if not sentence_groups:
            return [], []
        if sentence_groups[0][0].start >= te and trig.type != "CONSULT":
            # no one named before the noun: its possessor is told elsewhere, the name after it is its object
            return [], _ids(sentence_groups[0])
        actors = _ids(sentence_groups[0])
        later = [g for g in sentence_groups[1:] if g[0].start < ts] if trig.type == "CONSULT" else []
        for g in later[:1]:
            actors += [i for i in _ids(g) if i not in actors]
        for group in [g for g in sentence_groups if g[0].start >= te][:1]:
            if trig.type == "CONSULT":
                actors += [i for i in _ids(group) if i not in actors]
            else:
                targets += [i for i in _ids(group) if i not in actors]
        return actors, targets
    coordinated = text[ts - 1:ts] == "و" and not verb_first
    # In a relative clause ("الاتفاق الذي وقعت عليه إيران") the verb's subject comes after it.
    if _RELATIVE_BEFORE.search(text[max(sent_start, ts - 20):ts]):
        before_clause = []
    subjects = [g for g in sentence_groups if g[0].start < ts and not _in_place_phrase(text, g[0].start)]
    # a ب before the trigger makes it a noun, whatever its row: a verb takes no ب
    pledged = trig.type in _PLEDGED_TYPES and (text[ts - 1:ts] == "ب" or text[ts:ts + 3] == "بال")
    pledgers = [g for g in _groups(participants, text) if g[0].start < ts and not _in_place_phrase(text, g[0].start)]
    if pledged and pledgers and not _RELATIVE_BEFORE.search(text[max(sent_start, ts - 20):ts]):
        # "تعهد عبد الملك الحوثي، زعيم أنصار الله، بالانتقام": a threat told as the ب-object of the sentence's
        # verb (vowed, promised ... revenge) is its subject's (not a reporting source's)
        actors = _ids(pledgers[0])
        rest = after_groups
    elif trig.verb and coordinated and subjects:
        # "... قال إن ... واتهم الغرب": a coordinated verb shares the sentence's subject (not a place: "في مطار سياتل")
        actors = _ids(subjects[0])
        rest = after_groups
    # A verb right after its subject (SVO) takes the subject before it; otherwise Arabic VSO.
    elif trig.verb and before_clause and not verb_first and ts - before_clause[-1].end <= 40:
        actors = _ids(_groups(before_clause, text)[-1])
        rest = after_groups
    elif (after_groups and after_groups[0][0].start - te <= 40 and not _prepositional(text, after_groups[0][0].start)
          and not aimed):
        actors = _ids(after_groups[0])
        rest = after_groups[1:]
    elif text[max(sent_start, ts - 1):ts] == "و" or before:
        # a coordinated verb (واتهم) shares the sentence's subject
        subject = before_clause or [m for m in before if not _in_place_phrase(text, m.start)]
        if not subject:
            return [], []
        actors = _ids(_groups(subject, text)[0]) if not before_clause else _ids(_groups(before_clause, text)[-1])
        if trig.type == "CONSULT" and not before_clause:
            # "مون جيه إن وزعيم كوريا الشمالية، كيم جونغ أون، سيجتمعان": the parties of a meeting named before
            # its verb, set apart by the commas of their titles, all meet (the first two groups)
            for group in _groups(subject, text)[1:2]:
                actors += [i for i in _ids(group) if i not in actors]
        rest = after_groups
    elif aimed:
        return [], _ids(after_groups[0])  # "غارة على مواقع الحوثيين": the target, its actor untold here
    else:
        return [], []
    for group in rest[:2]:
        gap = text[te:group[0].start]
        if re.search(r"(?:\sفي\s*|\sب)$", gap[-5:]):
            continue  # a place, not a participant
        ids = _ids(group)
        if trig.type == "CONSULT":
            actors += [i for i in ids if i not in actors]
        else:
            targets += ids
        break
    return actors, targets


_FORCE_TYPES = frozenset({"ASSAULT", "COERCE"})
# generic_actors.tsv roles that do not arrest or attack when named after the verb ("ألقي القبض على صحفي")
_UNARMED_ROLES = frozenset({"CVL", "MED", "PRO", "EDU", "REF", "LAB", "OPP"})
_SPEECH_ACTS = frozenset({"THREATEN", "ACCUSE", "REQUEST", "REJECT", "SUPPORT"})  # acts done by saying
# a ب-noun of these types after a verb is what its subject vows ("توعد بالرد"); of others it is mostly what the
# subject is accused of or involved in ("تورط النظام الإيراني بدعم الميليشيات": Iran supports)
_PLEDGED_TYPES = frozenset({"THREATEN"})


def _circumstantial_roles(doc: Document, everyone: list[_Mention], ts: int, te: int, sent_start: int,
                          attribution) -> tuple[list[str], list[str]]:
    """داعيا، نافيا: the sentence's subject (its first group not after a preposition, or its speaker) acts;
    the group right after the participle is its target."""
    text = doc.text
    groups = _groups(everyone, text)
    subject = next((g for g in groups if g[0].start < ts and not _in_place_phrase(text, g[0].start)), None)
    if subject is not None:
        actors = _ids(subject)
    elif attribution is not None and attribution.ref.entity:
        actors = [knowledge_base().stands_for(attribution.ref.entity)]
    else:
        actors = []
    after = next((g for g in groups if g[0].start >= te), None)
    targets = [i for i in _ids(after) if i not in actors] if after and after[0].start - te <= 40 else []
    return actors, targets


def _passive_roles(doc: Document, participants: list[_Mention], ts: int, te: int, sent_start: int
                   ) -> tuple[list[str], list[str]]:
    """A participle's agent is the group right after it ("المدعومين من إيران"، "مسنودة بالتحالف"),
    its target the nearest group before it in the clause ("المتمردين الحوثيين المدعومين")."""
    text = doc.text
    after = [m for m in participants if m.start >= te and m.start - te <= 30]
    if not after:
        return [], []
    actors = _ids(_groups(after, text)[0])
    clause_start = max(text.rfind("،", sent_start, ts), text.rfind(",", sent_start, ts), sent_start)
    if not text[clause_start:ts].strip(" ،,"):
        # a participle opening its own phrase qualifies the name before the comma ("قوات الجيش، مسنودة ب")
        clause_start = max(text.rfind("،", sent_start, clause_start), text.rfind(",", sent_start, clause_start),
                           sent_start)
    before = [m for m in participants if clause_start <= m.start and m.end <= ts and ts - m.end <= 40]
    targets = [i for i in _ids(_groups(before, text)[-1]) if i not in actors] if before else []
    return actors, targets


ATTACKED_MAX_CHARS = 40  # how far after an attack's word the meeting it hit may stand


def _drop_attacked_meetings(events: list[Event]) -> list[Event]:
    """"دكت الصواريخ مقر اجتماع قادة الحزب"، "استهدفت الغارة اجتماعا لقيادات": a meeting an attack hit is
    its target, not a consultation."""
    attacks = [e for e in events if e.type == "ASSAULT"]
    if not attacks:
        return events
    return [e for e in events if e.type != "CONSULT" or not any(
        a.sentence == e.sentence and 0 < e.start - a.end <= ATTACKED_MAX_CHARS for a in attacks)]


def _fold_backing(events: list[Event]) -> list[Event]:
    """"حررت قوات الجيش، مسنودة بطيران التحالف، مواقع ...": who backs a party (a passive of support,
    mode backed) takes part in what the backed party does in that sentence, and the backing is no event
    of its own there; told where the sentence reports nothing else, it stays a SUPPORT event."""
    backed = [e for e in events if e.mode == "backed"]
    if not backed:
        return events
    out = [e for e in events if e.mode != "backed"]
    for b in backed:
        others = [i for i, e in enumerate(out) if e.sentence == b.sentence and e.type != "SUPPORT"
                  and abs(e.start - b.start) <= len(b.sentence)]
        if not others:
            out.append(b)
            continue
        for i in others:
            e = out[i]
            if set(b.targets) & set(e.actors):
                out[i] = dataclasses.replace(
                    e, actors=tuple(dict.fromkeys((*e.actors, *b.actors))),
                    targets=tuple(t for t in e.targets if t not in b.actors))
    return sorted(out, key=lambda e: e.start)


@lru_cache(maxsize=1)
def _manner_phrases() -> dict[str, Trigger]:
    """The phrases of mode manner in event_triggers.tsv ("بالتعاون مع"): their trigger by phrase."""
    return {w: t for w, ts in triggers()[1].items() for t in ts if t.mode == "manner"}


def _as_manner(n_sent: str, start: int, trig: Trigger) -> Trigger:
    """A trigger whose words, with their clitic, open a phrase of mode manner ("بالتعاون مع" matched as
    ب + تعاون) is that phrase's trigger."""
    if trig.mode == "manner":
        return trig
    rest = n_sent[start:start + 20].removeprefix("و")
    return next((t for w, t in _manner_phrases().items() if t.type == trig.type and rest.startswith(w)), trig)


def _fold_manner(events: list[Event], text: str) -> list[Event]:
    """"منح التحالف مساعدات للمتضررين بالتعاون مع الحكومة": who an act is done with (a cooperation of mode
    manner) takes part in the act told before it in its sentence, and is no event of its own there; with
    no act before it, it stays a COOPERATE event."""
    events = _fold_cooperation_in(events, text)
    if not any(e.mode == "manner" for e in events):
        return events
    out: list[Event] = []
    for e in events:
        host = next((i for i in range(len(out) - 1, -1, -1) if out[i].sentence == e.sentence
                     and out[i].start < e.start and out[i].mode != "manner"), None) if e.mode == "manner" else None
        if host is None:
            out.append(e)
            continue
        h = out[host]
        generic = tuple(dataclasses.replace(g, part="actor") for g in e.generic_actors)
        out[host] = dataclasses.replace(_with_partners(h, e), generic_actors=(*h.generic_actors, *generic))
    return out


def _with_partners(act: Event, e: Event) -> Event:
    """The act with the parties of ``e`` (done with it, or in it) among its actors."""
    partners = [i for i in (*e.actors, *e.targets) if i not in act.actors and i not in act.targets]
    return dataclasses.replace(act, actors=tuple(dict.fromkeys((*act.actors, *partners))))


_IN_THE_ACT = re.compile(r"\s(?:و)?في\s+$")
COOPERATION_SPAN_CHARS = 60  # how far after a cooperation verb the act it was done in may stand


def _fold_cooperation_in(events: list[Event], text: str) -> list[Event]:
    """"تعاونت كوريا الشمالية مع روسيا في تزويدها بالحاويات": cooperating in an act told right after it is
    taking part in that act; its parties join the act and the cooperation is no event of its own."""
    out = list(events)
    for e in events:
        if e.type != "COOPERATE" or e.mode == "manner":
            continue
        act = next((i for i, o in enumerate(out) if o is not e and o.sentence == e.sentence
                    and 0 < o.start - e.end <= COOPERATION_SPAN_CHARS and o.type != "COOPERATE"
                    and _IN_THE_ACT.search(" " + text[e.end:o.start])), None)
        if act is None:
            continue
        out[act] = _with_partners(out[act], e)
        out.remove(e)
    return out


def _according_before(before: str) -> bool:
    """Does an "according to" phrase (speech_verbs.tsv kind according) end right before a source?"""
    from rasd.extract.attribution import lexicon as speech

    before = key(before)
    return any(m.end() >= len(before.rstrip()) - 1 for m in speech().according_re.finditer(before))


def _reported_clause(between: str) -> bool:
    """Does the text between a source and a trigger open the source's reported words (إن/أن, a colon, a
    quotation)? Without one the trigger's noun is the source's own act ("أقر التحالف بارتكاب أخطاء في غارات")."""
    between = _SCARE_QUOTE.sub(" ", between)  # a word or two in quotes ("أخطاء") is not a quotation
    return bool(re.search(r"[:\"«“]", between)) or bool(_that_words().search(key(between)))


_SCARE_QUOTE = re.compile(r"[\"«“][^\"«“”»\s]+(?:\s+[^\"«“”»\s]+){0,2}[\"”»]")


@lru_cache(maxsize=1)
def _that_words() -> re.Pattern[str]:
    from rasd.extract.attribution import lexicon as speech

    return speech().that_re


_SPEAKER_PRONOUN = re.compile(rf"(?:^|\s){clitic_group()}(?:ان|أن|إن)(?:ه|ها|هم)[\s\"«“]+(?:قد\s+|لم\s+|لن\s+)?س?$")  # بأنه, فإنها: clitics.tsv


def _speaker_is_subject(before: str) -> bool:
    """Does the trigger follow "إنه"/"أنها"/"بأنهم" at once: its subject is the speaker's pronoun."""
    return bool(_SPEAKER_PRONOUN.search(before))


_RELATIVE_BEFORE = re.compile(r"(?:^|\s)(?:الذي|التي|اللذين|اللتين|الذين|اللواتي|اللاتي)\s+(?:قد\s+)?$")
_PREPOSITION_BEFORE = re.compile(r"(?:^|\s)(?:في|إلى|الى|من|عن|على|مع|لدى|داخل|نحو)\s+$")


def _prepositional(text: str, start: int) -> bool:
    if start > 0 and text[start - 1] in "بل" and (start < 2 or not text[start - 2].isalpha() or text[start - 2] == "و"):
        return True
    before = text[max(0, start - 25):start]
    return bool(_PREPOSITION_BEFORE.search(before)) and not before.rstrip().endswith("كل من")  # كل من X و Y: both X and Y


def _in_place_phrase(text: str, start: int) -> bool:
    """Is a mention governed by a preposition, directly or through a place word ("في مطار سياتل")? Such a
    mention is never a sentence's subject (only used where the subject is looked for far from its verb)."""
    return _prepositional(text, start) or bool(_place_after_preposition().search(text[max(0, start - 40):start]))


@lru_cache(maxsize=1)
def _place_after_preposition() -> re.Pattern[str]:
    words = [w for kind, ws in resources.read_tsv("name_context.tsv", 2) if kind == "place" for w in ws.split("|") if w]
    alts = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?:^|\s)(?:في|إلى|الى|من|على|نحو|داخل|ب|ل)\s*(?:ال)?(?:{alts})\s+$")


def _place(doc: Document, in_sent: list[_Mention], ts: int) -> str | None:
    kb = knowledge_base()
    candidates = []
    for m in in_sent:
        if m.type not in _PLACE_TYPES:
            continue
        before = doc.text[max(0, m.start - 4):m.start]
        if not re.search(r"(?:في\s+(?:\S+\s+)?|ب)$", before) and not re.search(r"في\s+\S+\s+$", doc.text[max(0, m.start - 20):m.start]):
            continue
        e = kb.entities.get(m.entity)
        is_state = e is not None and e.country == e.id
        candidates.append((is_state, m.start < ts, m.entity))
    if not candidates:
        return None
    return min(candidates)[2]
