"""What the templates need beyond the data: marked-up text, chart geometry, download links, the
Jinja2 environment. Every piece of stored text reaching HTML goes through autoescaping or through
``markup.render``, which escapes it itself.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Mapping, Sequence
from operator import itemgetter
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from quotegraph import __version__
from quotegraph.export import FORMATS
from quotegraph.model import QUOTE_KINDS
from quotegraph.web import models
from quotegraph.web.markup import Attributes, Mark, escape_all, highlighted, join_marked, marked_pieces, render
from quotegraph.web.urls import entity_url, link

STATIC = Path(__file__).parent / "static"
HTMX = next(p.name for p in sorted(STATIC.glob("htmx-*.min.js")))
TITLE_ATTR = 200  # data in title attributes is cut to this length


def cut(value: str | None, length: int = TITLE_ATTR) -> str:
    value = value or ""
    return value if len(value) <= length else value[: length - 1] + "…"


def short(name: str | None) -> str:
    """A name or title as lists show it: cut at 120 characters."""
    return cut(name, 120)


def speaker_class(speaker: str | None) -> str:
    """One of eight colours per speaker, the same on every page."""
    return f"spk-{zlib.crc32(speaker.encode()) % 8}" if speaker else "spk-none"


def quotation_index_html(quotations: Sequence[Mapping[str, Any]]) -> Markup:
    """The reader's list of its quotations (``app.document``'s plain dicts), one ``<li>`` each, their
    text escaped in one call: in the template, a long article's 70 lines cost 500 escapes."""
    escaped = escape_all([part for q in quotations for part in (q["id"], q["kind"], short(q["speaker"]), q["url"])])
    items = []
    for n, q in enumerate(quotations):
        quote_id, kind, speaker, url = escaped[4 * n : 4 * n + 4]
        who = (
            f'<span class="{speaker_class(q["speaker"])} who">{speaker}</span>'
            if q["speaker"]
            else '<span class="nobody">—</span>'
        )
        items.append(
            f'<li class="{"nested" if q["parent"] else ""}"><a href="#{quote_id}" hx-boost="false">{quote_id}</a> '
            f'<span class="badge k-{kind}">{kind}</span> {who} <a class="more" href="{url}">details</a></li>\n'
        )
    return Markup("".join(items))


_HIT_FIELDS = 10  # the texts ``search_hits_html`` escapes per hit, before its snippet's pieces


def search_hits_html(hits: Sequence[Mapping[str, Any]]) -> Markup:
    """A search page's hits as ``<li>`` items (``app.search``'s plain dicts), the text of all of them
    (snippets included) escaped in one call: written in the template, a dozen escaped fields and
    lookups per hit cost a fifth of a new search's time."""
    fields: list[str] = []
    snippets: list[list[str] | None] = []  # each hit's ``marked_pieces``, escaped with the fields
    for h in hits:
        pieces = marked_pieces(h["snippet"], h["highlights"])
        snippets.append(pieces)
        fields += (
            h["quote_kind"] or "",
            short(h["speaker"]),
            h["url"],
            h["title"] or h["document_name"],
            h["quote_id"] or "",
            ", ".join(h["authors"]),
            h["publication"] or "",
            h["published"] or "",
            h["work"] or "",
            h["verdict"] or "",
            *(pieces or ()),
        )
    escaped = escape_all(fields)
    items = []
    at = 0
    for h, pieces in zip(hits, snippets, strict=True):
        kind, speaker, url, title, quote_id, authors, publication, published, work, verdict = escaped[
            at : at + _HIT_FIELDS
        ]
        at += _HIT_FIELDS
        if pieces is None:  # overlapping hits
            snippet = str(highlighted(h["snippet"], h["highlights"]))
        else:
            snippet = join_marked(escaped[at : at + len(pieces)])
            at += len(pieces)
        if h["kind"] != "quote":
            head = '<span class="badge k-document">document</span>'
        else:
            head = f'<span class="badge k-{kind}">{kind}</span>'
            if h["speaker"]:
                head += f' <span class="{speaker_class(h["speaker"])} who">{speaker}</span>'
        if h["quote_id"]:
            title += f" · {quote_id}"
        meta = (
            (f"<span>{authors}</span>" if h["authors"] else "")
            + (f"<span><cite>{publication}</cite></span>" if publication else "")
            + (f"<span>{published}</span>" if published else "")
            + (f"<span>cites <cite>{work}</cite></span>" if work else "")
            + (f'<span class="verdict v-{verdict}">{verdict.replace("_", " ")}</span>' if verdict else "")
        )
        items.append(
            f'<li class="hit k-{kind or "document"}">\n<div class="qhead">{head} <a class="hit-title" href="{url}">'
            f'{title}</a></div>\n<p class="snippet">{snippet}</p>\n'
            f'<div class="docmeta">{meta}</div>\n</li>\n'
        )
    return Markup("".join(items))


_START = itemgetter("start")
_END = itemgetter("end")


def reader_html(view: Mapping[str, Any]) -> Markup:
    """The document text with boilerplate, quotations (by kind and speaker), entities and dates marked;
    ``view`` holds the fields of ``models.DocumentView`` as plain dicts (see ``app.document``)."""
    marks: list[Mark] = [Mark(b["start"], b["end"], "span", (("class", "boiler"),), 0) for b in view["boilerplate"]]
    for q in view["quotations"]:
        label = cut(f"{q['id']} · {q['kind']} · {q['speaker'] or 'no speaker'}")
        marks.append(
            Mark(
                q["start"],
                q["end"],
                "span",
                (
                    ("class", f"q q-{q['kind']} {speaker_class(q['speaker'])}"),
                    ("title", cut(q["speaker"] or q["kind"])),
                ),
                1,
                (("id", q["id"]),),
                ("a", (("class", "qlabel"), ("href", q["url"]), ("data-label", q["id"]), ("title", label))),
            )
        )
    reach = 0  # anchors must not nest: an entity overlapping one marked already is left out
    attributes: dict[tuple[str | None, str, str], tuple[str, Attributes]] = {}  # an entity is named often
    for e in sorted(sorted(view["entities"], key=_END, reverse=True), key=_START):  # by start, the longest first
        start, end = e["start"], e["end"]
        if start < reach:
            continue
        reach = end
        key = (e["entity_id"], e["canonical"], e["type"])
        found = attributes.get(key)
        if found is None:
            entity_id, canonical, type_ = key
            attrs: Attributes = (("class", f"ent ent-{type_.lower()}"), ("title", cut(f"{canonical} ({type_})")))
            found = attributes[key] = ("a", (("href", entity_url(entity_id)), *attrs)) if entity_id else ("span", attrs)
        marks.append(Mark(start, end, found[0], found[1], 2))
    for d in view["dates"]:
        marks.append(Mark(d["start"], d["end"], "time", (("class", "date"), ("title", cut(d["value"] or "date"))), 3))
    return render(view["text"], marks)


def context_html(view: models.QuotationView) -> Markup:
    """The quotation in its context, with the speaker and cue the engine found marked as evidence."""
    q = view.quotation
    origin = q.start - len(view.before)
    text = view.before + q.text + view.after
    marks = [Mark(len(view.before), len(view.before) + len(q.text), "mark", (("class", f"q q-{q.kind}"),), layer=0)]
    for span, css in ((view.speaker_span, "ev-speaker"), (view.cue_span, "ev-cue")):
        if span is not None:
            marks.append(Mark(span.start - origin, span.end - origin, "span", (("class", css),), layer=1))
    return render(text, marks)


def mention_html(m: models.Mention) -> Markup:
    text = m.before + m.text + m.after
    return render(text, [Mark(len(m.before), len(m.before) + len(m.text), "mark")])


def sentence_html(s: models.Statement) -> Markup:
    """The sentence with its date marked (the sentence is whitespace-collapsed, so find the date text)."""
    at = s.sentence.find(" ".join(s.date_text.split()))
    if at < 0:
        return render(s.sentence, [])
    return render(s.sentence, [Mark(at, at + len(" ".join(s.date_text.split())), "mark", (("class", "date"),))])


def histogram(years: Sequence[models.YearCount], width: int = 720, height: int = 140) -> dict[str, Any]:
    """Bar geometry for the dates histogram (drawn as SVG by the template), one bar per year."""
    if not years:
        return {"bars": [], "ticks": [], "width": width, "height": height}
    first, last = years[0].year, years[-1].year
    span = max(1, last - first + 1)
    step = width / span
    top = max(y.count for y in years)
    bars = [
        {
            "x": round((y.year - first) * step, 1),
            "w": max(1.0, round(step * 0.8, 1)),
            "h": round((height - 20) * y.count / top, 1),
            "year": y.year,
            "count": y.count,
        }
        for y in years
    ]
    tick_every = next(t for t in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500) if span / t <= 12)
    ticks = [
        {"x": round((year - first) * step + step / 2, 1), "year": year}
        for year in range(first, last + 1)
        if year % tick_every == 0
    ]
    for bar in bars:
        bar["y"] = round(height - 20 - bar["h"], 1)
    return {"bars": bars, "ticks": ticks, "width": width, "height": height}


FORMAT_LABELS = {
    "tei": "TEI",
    "webanno": "Web Annotation",
    "csv": "CSV",
    "ndjson": "NDJSON",
    "gexf": "GEXF network",
    "gephi": "Gephi",
    "bibtex": "BibTeX",
    "csl-json": "CSL-JSON",
    "ris": "RIS",
}
CORPUS_FORMATS = ("tei", "webanno", "csv", "ndjson", "gexf", "bibtex")
CITE_FORMATS = ("tei", "webanno", "csv", "bibtex", "csl-json", "ris")


def downloads(selection: Mapping[str, str], formats: Sequence[str]) -> list[models.Download]:
    """Links to the exports of what a page shows (``/export/{fmt}`` with the page's filters)."""
    return [
        models.Download(format=fmt, label=FORMAT_LABELS[fmt], url=link(f"/export/{fmt}", selection))
        for fmt in formats
        if fmt in FORMATS
    ]


NETWORK_ROW = 24  # pixels per node in a column
NETWORK_NODES = 40  # most-quoted nodes drawn per column; the table lists every edge


def network_layout(view: models.NetworkView, width: int = 1000) -> dict[str, Any]:
    """Three columns — authors, people who both write and are quoted, speakers — with the edges as
    curves whose width and label give the number of quotations. Geometry only; the template draws it."""
    columns: dict[str, list[models.NetworkNode]] = {"author": [], "both": [], "speaker": []}
    for n in sorted(view.nodes, key=lambda n: (-(n.quoting + n.quoted), n.label)):
        if len(columns[n.role]) < NETWORK_NODES:
            columns[n.role].append(n)
    xs = {"author": 210, "both": width // 2, "speaker": width - 190}
    rows = max((len(c) for c in columns.values()), default=0)
    height = max(120, rows * NETWORK_ROW + 40)
    at: dict[str, tuple[float, float]] = {}
    nodes = []
    for role, members in columns.items():
        top = (height - len(members) * NETWORK_ROW) / 2 + NETWORK_ROW / 2
        for i, n in enumerate(members):
            x, y = xs[role], round(top + i * NETWORK_ROW, 1)
            at[n.id] = (x, y)
            anchor = {"author": "end", "both": "middle", "speaker": "start"}[role]
            dx = {"author": -10, "both": 0, "speaker": 10}[role]
            dy = -9 if role == "both" else 4
            nodes.append(
                {
                    "node": n,
                    "x": x,
                    "y": y,
                    "r": min(9, 3 + (n.quoting + n.quoted) ** 0.5),
                    "tx": x + dx,
                    "ty": y + dy,
                    "anchor": anchor,
                }
            )
    top_weight = max((e.weight for e in view.edges), default=1)
    edges = []
    into: Counter[str] = Counter()  # edges drawn into each node so far: their counts step back along the curve
    for e in view.edges:
        if e.source not in at or e.target not in at:
            continue
        into[e.target] += 1
        (x1, y1), (x2, y2) = at[e.source], at[e.target]
        if x1 == x2:  # two speakers in one column: an arc out to the left
            reach = 30 + abs(y2 - y1) * 0.35
            c1, c2 = (x1 - reach, y1), (x2 - reach, y2)
        else:
            c1, c2 = ((x1 + x2) / 2, y1), ((x1 + x2) / 2, y2)
        # the count sits on the curve near its end, where edges into one node fan apart
        t = max(0.3, 0.84 - 0.14 * (into[e.target] - 1))
        lx = (1 - t) ** 3 * x1 + 3 * (1 - t) ** 2 * t * c1[0] + 3 * (1 - t) * t**2 * c2[0] + t**3 * x2
        ly = (1 - t) ** 3 * y1 + 3 * (1 - t) ** 2 * t * c1[1] + 3 * (1 - t) * t**2 * c2[1] + t**3 * y2
        edges.append(
            {
                "edge": e,
                "d": f"M{x1},{y1} C{c1[0]:.1f},{c1[1]} {c2[0]:.1f},{c2[1]} {x2},{y2}",
                "w": round(1 + 5 * e.weight / top_weight, 1),
                "lx": round(lx, 1),
                "ly": round(ly - 3, 1),
            }
        )
    labels = {n.id: n.label for n in view.nodes}
    return {"width": width, "height": height, "nodes": nodes, "edges": edges, "labels": labels}


_env = Environment(
    loader=PackageLoader("quotegraph.web", "templates"),
    autoescape=select_autoescape(["html"], default=True),
    trim_blocks=True,
    lstrip_blocks=True,
    auto_reload=False,  # the templates ship with the package; checking their files took a stat() per include
)
_env.filters["short"] = short
_env.globals.update(
    htmx=HTMX,
    version=__version__,
    kinds=QUOTE_KINDS,
    reader_html=reader_html,
    search_hits_html=search_hits_html,
    quotation_index_html=quotation_index_html,
    context_html=context_html,
    mention_html=mention_html,
    sentence_html=sentence_html,
    speaker_class=speaker_class,
    histogram=histogram,
    network_layout=network_layout,
    link=link,
    cut=cut,
)


def compile_templates() -> None:
    """Compile every template now: compiling a page's templates cost its first request ~55 ms, and the
    first requests a server answers come all at once."""
    for name in _env.list_templates(filter_func=lambda name: name.endswith(".html")):
        _env.get_template(name)


def render_page(request: Request, template: str, **context: Any) -> str:
    """The whole page, or only its ``<main>`` (and the navigation) for an htmx request."""
    fragment = request.headers.get("hx-request") == "true"
    return _env.get_template(template).render(
        layout="fragment.html" if fragment else "base.html",
        path=request.url.path,
        query=str(request.url.query),
        json_url=link(request.url.path + ".json", dict(request.query_params)),
        **context,
    )


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(render_page(request, template, **context), status_code=status, headers={"Vary": "HX-Request"})
