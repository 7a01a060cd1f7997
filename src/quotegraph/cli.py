"""The `quotegraph` command: a thin layer that parses arguments, calls the library and prints.

Data goes to stdout, progress and errors to stderr. Exit codes: 0 all well, 1 some input failed
(the rest was still processed), 2 usage error.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import click

from quotegraph import __version__, goldjson
from quotegraph.errors import QuotegraphError, ReadError
from quotegraph.export import COLUMNS, LIST_NAMES
from quotegraph.export import FORMATS as EXPORT_FORMATS
from quotegraph.model import ENTITY_TYPES, QUOTE_KINDS, Analysis, Document

DEFAULT_DB = "quotegraph.db"
_KIND_COLOURS = {"speech": "cyan", "block": "green", "term": "yellow", "title": "magenta"}


def _progress(message: str) -> None:
    click.echo(message, err=True)


def _fail(message: str) -> None:
    click.echo(click.style("error: ", fg="red", bold=True) + message, err=True)


class Batch:
    """Reads and analyses files one by one; a bad file is reported and the batch goes on."""

    def __init__(self, paths: Sequence[str]) -> None:
        self.paths = paths
        self.failed: list[tuple[str, str]] = []
        self.done = 0

    def documents(self) -> Iterator[Document]:
        from quotegraph.read import iter_paths, read_file

        files = list(iter_paths(self.paths))
        for n, path in enumerate(files, 1):
            try:
                doc = read_file(path)
            except ReadError as exc:
                self.failed.append((str(path), str(exc)))
                _fail(str(exc))
                continue
            _progress(f"[{n}/{len(files)}] {path}")
            yield doc

    def analyse(self, doc: Document) -> Analysis | None:
        from quotegraph.analyse import analyse

        try:
            analysis = analyse(doc)
        except QuotegraphError:
            raise
        except Exception as exc:  # one document's bug must not stop the batch
            self.failed.append((doc.source_path or doc.name, f"analysis failed: {exc!r}"))
            _fail(f"{doc.source_path or doc.name}: analysis failed: {exc!r}")
            return None
        self.done += 1
        return analysis

    def summary(self, what: str) -> int:
        line = f"{self.done} {what}, {len(self.failed)} failed"
        _progress(line)
        for path, reason in self.failed:
            _progress(f"  failed: {reason if reason.startswith('[') else path + ': ' + reason}")
        return 1 if self.failed else 0


class _Group(click.Group):
    """Turns quotegraph's numbered errors into a one-line message and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except QuotegraphError as exc:
            _fail(str(exc))
            ctx.exit(1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="quotegraph")
def cli() -> None:
    """Who said what, when, quoting whom — and was it quoted faithfully?"""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="Folder for one JSON file per document.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "jsonl"]),
    default="json",
    show_default=True,
    help="json: files in --out; jsonl: one line per document on stdout.",
)
def extract(paths: Sequence[str], out_dir: str | None, fmt: str) -> None:
    """Extract quotations from PATHS (files or folders) in the gold format, without storing them."""
    if fmt == "json" and not out_dir:
        raise click.UsageError("give --out DIR, or --format jsonl to write to stdout")
    if out_dir:
        Path(out_dir).mkdir(parents=True, exist_ok=True)
    batch = Batch(paths)
    for doc in batch.documents():
        analysis = batch.analyse(doc)
        if analysis is None:
            continue
        data = goldjson.to_json(analysis)
        if fmt == "jsonl":
            click.echo(json.dumps(data, ensure_ascii=False))
        else:
            target = Path(out_dir or ".") / f"{doc.stem}.json"
            target.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    sys.exit(batch.summary("documents extracted"))


def _open_store(db: str) -> Any:
    from quotegraph.store import open_store

    return open_store(db)


_db_option = click.option(
    "--db", default=DEFAULT_DB, show_default=True, type=click.Path(dir_okay=False), help="SQLite store file."
)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@_db_option
def ingest(paths: Sequence[str], db: str) -> None:
    """Read, analyse and store PATHS; unchanged files are skipped, changed ones become new versions."""
    batch = Batch(paths)
    statuses: Counter[str] = Counter()
    with _open_store(db) as store:
        for doc in batch.documents():
            if store.has_version(doc.content_hash):
                statuses[store.reingest(doc).status] += 1
                batch.done += 1
                continue
            analysis = batch.analyse(doc)
            if analysis is None:
                continue
            result = store.ingest(doc, analysis)
            statuses[result.status] += 1
        if statuses["added"] or statuses["new-version"] or statuses["restored"]:
            from quotegraph.link.corpus import link as link_families

            link_families(store, _progress)
        _print_overview(store)
    _progress(", ".join(f"{n} {s}" for s, n in sorted(statuses.items())) or "nothing ingested")
    sys.exit(batch.summary(f"documents in {db}"))


def _print_overview(store: Any) -> None:
    docs = store.documents()
    quotes = store.quotes()
    kinds = Counter(q.kind for q in quotes)
    click.echo(f"{len(docs)} documents, {len(quotes)} quotations ({_kinds_line(kinds)})")
    for d in docs:
        title = d.title or d.name
        click.echo(f"  {d.id[:10]}  {d.quote_count:4} quotations  {title[:70]}")
    top = store.speakers()[:10]
    if top:
        click.echo("most quoted:")
        for s in top:
            click.echo(f"  {s.quote_count:4}  {s.speaker}")


def _kinds_line(kinds: Counter[str]) -> str:
    return ", ".join(f"{kinds[k]} {k}" for k in QUOTE_KINDS if kinds[k])


def _rows_out(rows: Iterable[Any], fmt: str, columns: Sequence[str], widths: dict[str, int]) -> None:
    dicts = [r if isinstance(r, dict) else dataclasses.asdict(r) for r in rows]
    if fmt == "json":
        click.echo(json.dumps(dicts, ensure_ascii=False, indent=2))
        return
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        for d in dicts:
            writer.writerow({k: _cell(d.get(k)) for k in columns})
        click.echo(buf.getvalue(), nl=False)
        return
    click.echo("  ".join(c.ljust(widths.get(c, 12)) for c in columns).rstrip())
    for d in dicts:
        cells = []
        for c in columns:
            value = _cell(d.get(c)).replace("\n", " ")
            w = widths.get(c, 12)
            cells.append((value[: w - 1] + "…" if len(value) > w else value).ljust(w))
        click.echo("  ".join(cells).rstrip())


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, dict):
        return ", ".join(f"{k}:{n}" for k, n in v.items())
    if isinstance(v, (list, tuple)):
        return "; ".join(str(x) for x in v)
    return str(v)


_format_option = click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True
)


@cli.command()
@click.option("--speaker", help="Speaker name, or part of it (case and accents ignored).")
@click.option("--work", help="Cited work, or part of its title.")
@click.option("--search", help="Full-text search in the quoted words.")
@click.option("--kind", type=click.Choice(list(QUOTE_KINDS)))
@click.option("--document", help="Only this document (id, name or path).")
@click.option("--limit", type=int)
@_format_option
@_db_option
def quotes(
    speaker: str | None,
    work: str | None,
    search: str | None,
    kind: str | None,
    document: str | None,
    limit: int | None,
    fmt: str,
    db: str,
) -> None:
    """List stored quotations."""
    with _open_store(db) as store:
        rows = store.quotes(speaker=speaker, work=work, search=search, kind=kind, document=document, limit=limit)
    _rows_out(
        rows,
        fmt,
        ["document_name", "quote_id", "kind", "speaker", "work", "page", "text"]
        if fmt == "table"
        else list(COLUMNS["quotes"]),  # the columns of `quotegraph export --list quotes`
        {"document_name": 26, "quote_id": 5, "kind": 6, "speaker": 22, "work": 24, "page": 6, "text": 60},
    )


@cli.command()
@_format_option
@_db_option
def speakers(fmt: str, db: str) -> None:
    """Speakers with their numbers of quotations and documents."""
    with _open_store(db) as store:
        rows = store.speakers()
    _rows_out(
        rows,
        fmt,
        ["speaker", "quote_count", "document_count", "kinds"],
        {"speaker": 30, "quote_count": 11, "document_count": 14, "kinds": 30},
    )


@cli.command()
@_format_option
@_db_option
def documents(fmt: str, db: str) -> None:
    """Stored documents (current versions), with their ids."""
    with _open_store(db) as store:
        rows = store.documents()
    _rows_out(
        rows,
        fmt,
        ["id", "name", "title", "authors", "published", "version", "quote_count"],
        {"id": 16, "name": 26, "title": 40, "authors": 18, "published": 10, "version": 7, "quote_count": 11},
    )


def _corpus_entities(store: Any, type_: str | None = None) -> list[Any]:
    from quotegraph.link.profile import corpus_entities

    return corpus_entities(store, type_)


@cli.command()
@click.option("--type", "type_", type=click.Choice(list(ENTITY_TYPES), case_sensitive=False), help="Only this type.")
@_format_option
@_db_option
def entities(type_: str | None, fmt: str, db: str) -> None:
    """Entities across the corpus, one per real referent however spelled, with their counts."""
    with _open_store(db) as store:
        rows = _corpus_entities(store, type_.upper() if type_ else None)
    _rows_out(
        [
            {
                "canonical": e.canonical,
                "type": e.type,
                "mentions": len(e.occurrences),
                "documents": len(e.documents),
                "variants": list(e.variants),
            }
            for e in rows
        ],
        fmt,
        ["canonical", "type", "mentions", "documents", "variants"],
        {"canonical": 34, "type": 11, "mentions": 8, "documents": 9, "variants": 50},
    )


@cli.command()
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_db_option
def entity(name: str, fmt: str, db: str) -> None:
    """One entity: its variants, mentions in context, quotations by and about it, documents, dates."""
    from quotegraph.link.profile import entity_profile, find_entity

    with _open_store(db) as store:
        everything = _corpus_entities(store)
        found = find_entity(everything, name)
        if found is None:
            raise click.ClickException(f"no entity called {name!r}: run `quotegraph entities` to list them")
        profile = entity_profile(store, everything, found)
    by, about, dated = profile.quotations_by, profile.quotations_about, profile.statements
    contexts = [
        {"document": m.document_name, "start": m.start, "end": m.end, "context": m.context} for m in profile.mentions
    ]
    data = {
        "canonical": found.canonical,
        "type": found.type,
        "variants": list(found.variants),
        "documents": list(found.documents),
        "mentions": contexts,
        "quotations_by": [dataclasses.asdict(q) for q in by],
        "quotations_about": [dataclasses.asdict(q) for q in about],
        "dates": [dataclasses.asdict(s) for s in dated],
    }
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"{found.canonical} ({found.type})")
    if found.variants:
        click.echo("  also written: " + ", ".join(found.variants))
    click.echo(f"  {len(contexts)} mentions in {len(found.documents)} documents")
    for c in contexts[:20]:
        click.echo(f"    {c['document']}:{c['start']}  …{c['context']}…")
    click.echo(f"  quotations by: {len(by)}")
    for q in by[:20]:
        click.echo(f"    {q.permalink}  {q.kind}: {q.text[:90]}")
    click.echo(f"  quotations about: {len(about)}")
    for q in about[:20]:
        click.echo(f"    {q.permalink}  {q.speaker or '—'}: {q.text[:90]}")
    click.echo(f"  dated statements: {len(dated)}")
    for s in dated[:20]:
        click.echo(f"    {s.value:<10} {s.sentence[:100]}")


@cli.command()
@click.option("--entity", "entity_name", help="Only statements naming this entity.")
@click.option("--from", "from_year", type=int, help="From this year.")
@click.option("--to", "to_year", type=int, help="To this year.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "timelinejs"]), default="table", show_default=True)
@_db_option
def timeline(entity_name: str | None, from_year: int | None, to_year: int | None, fmt: str, db: str) -> None:
    """Dated statements across the corpus, in order (TimelineJS JSON with --format timelinejs)."""
    from quotegraph.link.profile import dated_statements, find_entity
    from quotegraph.link.timeline import timelinejs

    with _open_store(db) as store:
        everything = _corpus_entities(store)
        wanted = None
        if entity_name:
            wanted = find_entity(everything, entity_name)
            if wanted is None:
                raise click.ClickException(f"no entity called {entity_name!r}: run `quotegraph entities`")
        items = dated_statements(store, everything, wanted, from_year, to_year)
    if fmt == "timelinejs":
        click.echo(json.dumps(timelinejs(items), ensure_ascii=False, indent=2))
        return
    _rows_out(
        [dataclasses.asdict(s) for s in items],
        fmt,
        ["value", "precision", "document_name", "entities", "sentence"],
        {"value": 21, "precision": 9, "document_name": 26, "entities": 30, "sentence": 70},
    )


@cli.command("export")
@click.option("--format", "fmt", required=True, type=click.Choice(list(EXPORT_FORMATS)), help="See docs/exports.md.")
@click.option("--document", help="Only this document (id, name or path).")
@click.option("--quote", help="Only this quotation: DOC#q12.")
@click.option("--speaker", help="Only quotations by this speaker (part of the name; case and accents ignored).")
@click.option("--kind", type=click.Choice(list(QUOTE_KINDS)), help="Only quotations of this kind.")
@click.option("--type", "entity_type", type=click.Choice(list(ENTITY_TYPES), case_sensitive=False), help="Entity type.")
@click.option(
    "--list", "list_name", type=click.Choice(list(LIST_NAMES)), help="Which list (csv, ndjson). [default: quotes]"
)
@click.option("--out", "out_file", type=click.Path(dir_okay=False), help="Write here instead of stdout.")
@_db_option
def export_command(
    fmt: str,
    document: str | None,
    quote: str | None,
    speaker: str | None,
    kind: str | None,
    entity_type: str | None,
    list_name: str | None,
    out_file: str | None,
    db: str,
) -> None:
    """Export documents, quotations, lists or the who-quotes-whom network (TEI, W3C, CSV, GEXF, BibTeX …)."""
    from quotegraph.export import render

    if list_name and fmt not in ("csv", "ndjson"):
        raise click.UsageError(f"--list goes with --format csv or ndjson, not {fmt}")
    if document and quote:
        raise click.UsageError("give --document or --quote, not both (a quotation names its document)")
    with _open_store(db) as store:
        result = render(
            store,
            fmt,
            document=document,
            quote=quote,
            speaker=speaker,
            kind=kind,
            entity_type=entity_type.upper() if entity_type else None,
            list_name=list_name or "quotes",
        )
    if out_file:
        Path(out_file).write_bytes(result.content)
        _progress(f"wrote {len(result.content)} bytes ({result.media_type}) to {out_file}")
    else:
        sys.stdout.buffer.write(result.content)
        sys.stdout.buffer.flush()


@cli.command()
@_db_option
def link(db: str) -> None:
    """Recompute the corpus-wide links: quotation families (cuts, elisions, translations)."""
    from quotegraph.link.corpus import link as link_families

    with _open_store(db) as store:
        found = link_families(store, _progress)
    click.echo(f"{len(found)} quotation families, {sum(len(f.members) for f in found)} quotations in them")


def _member_dict(m: Any) -> dict[str, Any]:
    return {
        "document_id": m.document_id,
        "document": m.document_name,
        "quote_id": m.quote_id,
        "speaker": m.speaker,
        "kind": m.kind,
        "relation": m.relation,
        "similarity": m.similarity,
        "text": m.text,
    }


@cli.command()
@click.option("--min-size", type=click.IntRange(min=2), default=2, show_default=True, help="Only larger families.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@_db_option
def families(min_size: int, fmt: str, db: str) -> None:
    """Quotation families: every occurrence of one quotation, however cut, elided or translated."""
    with _open_store(db) as store:
        rows = store.families(min_size=min_size)
    if fmt == "json":
        data = [
            {
                "id": f.id,
                "size": f.size,
                "documents": list(f.documents),
                "representative": f.representative.text,
                "members": [_member_dict(m) for m in f.members],
            }
            for f in rows
        ]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for f in rows:
        click.echo(
            f"{f.id}  {f.size} quotations in {len(f.documents)} document{'s' if len(f.documents) > 1 else ''}: "
            f"“{_short(f.representative.text, 100)}”"
        )
        for m in f.members:
            who = m.speaker or "—"
            click.echo(
                f"  {m.document_name[:26]:<26} {m.quote_id:<5} {who[:22]:<22} {m.relation:<14} "
                f"{m.similarity:4.2f}  {_short(m.text, 60)}"
            )
    if not rows:
        _progress("no quotation families (run `quotegraph link` after ingesting)")


def _short(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


@cli.command()
@click.argument("text")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_db_option
def trace(text: str, fmt: str, db: str) -> None:
    """Every occurrence of TEXT in the corpus, in its words or as a translation, and how each differs."""
    from quotegraph.link.corpus import trace_text
    from quotegraph.verify import compare
    from quotegraph.verify.corpus import edit_json

    if not text.strip():
        raise click.UsageError("give the words to trace")
    with _open_store(db) as store:
        matches = trace_text(store, text, _progress)
    data: list[dict[str, Any]] = []
    for m in matches:
        # How the corpus's words differ from the traced text, word by word (verify.compare: the
        # occurrence as the quotation, the traced text as its passage, so an edit's ``quoted`` span is
        # in the occurrence and its ``passage`` span in the traced text); a translation has no word diff.
        comparison = None if m.relation == "translation" else compare(m.occurrence.text, text)
        data.append(
            {
                "document_id": m.occurrence.document_id,
                "document": m.occurrence.document_name,
                "quote_id": m.occurrence.quote_id,
                "speaker": m.occurrence.speaker,
                "kind": m.occurrence.kind,
                "relation": m.relation,
                "similarity": m.similarity,
                "text": m.occurrence.text,
                "faithful": None if comparison is None else comparison.faithful,
                "edits": None if comparison is None else [edit_json(e) for e in comparison.edits],
            }
        )
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"{len(data)} occurrences of “{_short(text, 80)}”")
    for d in data:
        who = d["speaker"] or "—"
        click.echo(f"{d['document']}#{d['quote_id']}  {who}  {d['relation']} ({d['similarity']:.2f})")
        click.echo(f"    “{_short(d['text'], 110)}”")
        if d["edits"] is None:
            click.echo("    another translation of the same words")
        elif not d["edits"]:
            click.echo("    the same words")
        for e in (d["edits"] or [])[:8]:
            click.echo("    " + _trace_edit_line(e))


def _trace_edit_line(e: dict[str, Any]) -> str:
    """An edit in words: an omission leaves out words of the traced text (``passage``), an insertion
    adds words of the occurrence (``quoted``) to it."""
    flags = "".join([" (marked)" if e["marked"] else "", " (severe)" if e["severe"] else ""])
    if e["type"] == "omission":
        return f"omission{flags}: “{_short(e['passage_text'], 60)}”"
    if e["type"] == "insertion":
        return f"insertion{flags}: “{_short(e['quoted_text'], 60)}”"
    return f"{e['type']}{flags}: “{_short(e['passage_text'], 40)}” → “{_short(e['quoted_text'], 40)}”"


@cli.command()
@click.argument("ref")
@click.option("--version", "version", type=int, help="An earlier version of the document.")
@_db_option
def show(ref: str, version: int | None, db: str) -> None:
    """Print a document with its quotations marked, then a list of them."""
    with _open_store(db) as store:
        stored = store.get_document(ref, version=version)
    click.echo(render_marked(stored.document, stored.analysis, colour=sys.stdout.isatty()))


def render_marked(doc: Document, analysis: Analysis, colour: bool) -> str:
    """The text with ⟦q3 … q3⟧ around each quotation (coloured by kind), boilerplate dimmed."""
    text = doc.text
    events: list[tuple[int, int, str]] = []  # (offset, order, marker): closers before openers
    for q in analysis.quotes:
        label = f"⟦{q.id}"
        events.append((q.start, 1, _style(label, q.kind, colour)))
        events.append((q.end, 0, _style(f"{q.id}⟧", q.kind, colour)))
    for b in doc.metadata.boilerplate:
        if colour:
            events.append((b.start, 2, "\x1b[2m"))
            events.append((b.end, -1, "\x1b[22m"))
    events.sort(key=lambda e: (e[0], e[1]))
    out: list[str] = []
    pos = 0
    for offset, _, marker in events:
        out.append(text[pos:offset])
        out.append(marker)
        pos = offset
    out.append(text[pos:])
    lines = ["".join(out), "", f"— {len(analysis.quotes)} quotations —"]
    for q in analysis.quotes:
        src = ""
        if q.source and q.source.work:
            src = f"  [{q.source.work}{', p. ' + q.source.page if q.source.page else ''}]"
        who = q.speaker or "—"
        nested = f" in {q.parent}" if q.parent else ""
        lines.append(
            f"{_style(q.id, q.kind, colour)} {q.kind}{nested}: {who}{' (' + q.cue + ')' if q.cue else ''}{src}"
        )
    return "\n".join(lines)


def _style(s: str, kind: str, colour: bool) -> str:
    return click.style(s, fg=_KIND_COLOURS.get(kind), bold=True) if colour else s


@cli.command()
@click.option("--gold", "gold_dir", required=True, type=click.Path(exists=True, file_okay=False))
@click.option("--corpus", "corpus_dir", required=True, type=click.Path(exists=True, file_okay=False))
@click.option(
    "--system",
    "system_dir",
    type=click.Path(exists=True, file_okay=False),
    help="Score these JSON files instead of analysing the corpus now.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--missed", is_flag=True, help="List the gold quotations not found.")
def evaluate(gold_dir: str, corpus_dir: str, system_dir: str | None, as_json: bool, missed: bool) -> None:
    """Score quotegraph (or --system files) against gold annotations, as shared/eval/score.py does."""
    from quotegraph.evaluate import format_report, score

    gold = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(Path(gold_dir).glob("*.json"))}
    if not gold:
        raise click.UsageError(f"no gold files (*.json) in {gold_dir}")
    texts: dict[str, str] = {}
    system: dict[str, Any] = {}
    failed = 0
    for stem, g in gold.items():
        path = Path(corpus_dir) / g["document"]
        if not path.exists():
            continue
        texts[stem] = path.read_text(encoding="utf-8")
        if system_dir:
            sf = Path(system_dir) / f"{stem}.json"
            if sf.exists():
                system[stem] = json.loads(sf.read_text(encoding="utf-8"))
            continue
        from quotegraph.analyse import analyse
        from quotegraph.read import read_file

        try:
            system[stem] = goldjson.to_json(analyse(read_file(path)))
        except ReadError as exc:
            _fail(str(exc))
            failed += 1
    report = score(gold, system, texts)
    click.echo(json.dumps(report.figures, indent=2) if as_json else format_report(report, missed))
    sys.exit(1 if failed else 0)


@cli.command()
@_db_option
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (127.0.0.1: this machine only)."
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Server processes.")
def serve(db: str, host: str, port: int, workers: int) -> None:
    """Serve the web UI and its JSON API over the store, read-only."""
    from quotegraph.web.serving import serve as run_server

    run_server(db, host, port, workers, _progress)


def _semantic_similarity() -> Any:
    """The sentence-embedding similarity of ``quotegraph.link.embed``, or None when its model package
    is not installed: verification then goes on without the translation check, and says so."""
    from quotegraph.errors import EmbeddingModelNotInstalled
    from quotegraph.link import embed

    try:
        embed.model_name()
    except EmbeddingModelNotInstalled as exc:
        _progress(f"{exc}; translations are not recognised in this run")
        return None
    return embed.similarity


@cli.command()
@click.argument("quote_ref", required=False, metavar="QUOTE_ID")
@click.option("--text", "text", help="Verify these words instead of a stored quotation (needs --source).")
@click.option("--source", "source_ref", help="Check against this document (id, name or path), not the cited work.")
@click.option(
    "--all",
    "every",
    is_flag=True,
    help="Verify every stored speech/block quotation citing a work (with --source: every one), store the verdicts.",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_db_option
def verify(quote_ref: str | None, text: str | None, source_ref: str | None, every: bool, fmt: str, db: str) -> None:
    """Was a quotation quoted faithfully? QUOTE_ID is a permalink DOC#q12 (DOC: id, file name or path)."""
    from quotegraph.store.base import find_quote
    from quotegraph.verify.corpus import CorpusVerifier, verdict_row

    if (quote_ref is not None) + (text is not None) + every != 1:
        raise click.UsageError("give one of QUOTE_ID, --text TEXT or --all")
    if text is not None and source_ref is None:
        raise click.UsageError("--text needs --source DOC: the document to check the words against")
    if quote_ref is not None and "#" not in quote_ref:
        raise click.UsageError(f"{quote_ref!r} is not a quotation permalink: write DOC#q12")
    if text is not None and not text.strip():
        raise click.UsageError("--text is empty")
    with _open_store(db) as store:
        verifier = CorpusVerifier(store, _semantic_similarity())
        if every:
            _verify_all(verifier, source_ref, fmt, db)
            return
        if text is not None:
            choice = verifier.choose(None, source_ref)
            try:
                verification = verifier.check(text, choice)
            except ValueError as exc:
                raise click.UsageError(f"--text: {exc}") from exc
            label, quoted = "--text", text
        else:
            assert quote_ref is not None
            found = find_quote(store, quote_ref)
            choice = verifier.choose(found, source_ref)
            verification = verifier.check(found.text, choice, found.document_id)
            store.save_verdicts([verdict_row(found, choice, verification)])
            label, quoted = found.permalink, found.text
        texts = {
            sid: verifier.source(sid).text for sid in {verification.source_id, choice.document_id} if sid is not None
        }
    if fmt == "json":
        click.echo(
            json.dumps(_verification_json(label, quoted, choice, verification, texts), ensure_ascii=False, indent=2)
        )
        return
    click.echo(render_verification(label, quoted, choice.reason, verification, texts))


def _verify_all(verifier: Any, source_ref: str | None, fmt: str, db: str) -> None:
    """Verify every quotation worth it, store the verdicts in one transaction, print the counts."""
    from quotegraph.verify import VERDICTS
    from quotegraph.verify.corpus import verdict_row

    rows = []
    quotes = list(verifier.verifiable(source_ref))
    for n, quote in enumerate(quotes, 1):
        choice = verifier.choose(quote, source_ref)
        rows.append(verdict_row(quote, choice, verifier.check(quote.text, choice, quote.document_id)))
        if n % 25 == 0 or n == len(quotes):
            _progress(f"[{n}/{len(quotes)}] verified")
    verifier.store.save_verdicts(rows)
    _progress(f"{len(rows)} verdicts saved in {db}")
    if fmt == "json":
        click.echo(json.dumps([dataclasses.asdict(r) for r in rows], ensure_ascii=False, indent=2))
        return
    counts = Counter(r.verdict for r in rows)
    click.echo(f"{len(rows)} quotations verified")
    for name in VERDICTS:
        if counts[name]:
            click.echo(f"  {counts[name]:4}  {name}")


def _verification_json(
    label: str, quoted: str, choice: Any, verification: Any, texts: dict[str, str]
) -> dict[str, Any]:
    from quotegraph.verify.corpus import edit_json

    passage = verification.passage
    return {
        "quotation": label,
        "text": quoted,
        "verdict": verification.verdict,
        "confidence": round(verification.confidence, 4),
        "source_used": choice.used,
        "source_reason": choice.reason,
        "cited_document_id": choice.document_id,
        "source_document_id": verification.source_id,
        "passage": [passage.start, passage.end] if passage else None,
        "passage_text": passage.of(texts[verification.source_id]) if passage and verification.source_id else None,
        "similarity": verification.similarity,
        "edits": [edit_json(e) for e in verification.edits],
        "elsewhere": [dataclasses.asdict(w) for w in verification.elsewhere],
    }


def render_verification(label: str, quoted: str, reason: str, verification: Any, texts: dict[str, str]) -> str:
    """The verdict, the located passage in context and each edit on both sides, for the terminal."""
    lines = [f"{label}  {verification.verdict}  (confidence {verification.confidence:.2f})"]
    lines.append(f"  quoted:  “{' '.join(quoted.split())}”")
    lines.append(f"  source:  {reason}")
    if verification.passage is not None and verification.source_id is not None:
        text = texts[verification.source_id]
        span = verification.passage
        where = {"found_elsewhere": "found in", "not_in_source": "nearest"}.get(verification.verdict, "passage")
        lines.append(f"  {where}: {verification.source_id} [{span.start}:{span.end}]")
        before = _one_line(text[max(0, span.start - 80) : span.start]).partition(" ")[2]
        after = _one_line(text[span.end : span.end + 80]).rpartition(" ")[0]
        lines.append(f"    …{before}⟦{_one_line(span.of(text))}⟧{after}…")
    if verification.similarity is not None:
        lines.append(f"  similarity: {verification.similarity:.2f}")
    for edit in verification.edits:
        lines.append("  " + _edit_line(edit))
    for other in verification.elsewhere:
        if other.source_id != verification.source_id or other.span != verification.passage:
            where = f"{other.source_id} [{other.span.start}:{other.span.end}]"
            lines.append(f"  also in: {where} ({other.coverage:.0%} of the words)")
    return "\n".join(lines)


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _edit_line(edit: Any) -> str:
    quoted, passage = " ".join(edit.quoted_text.split()), " ".join(edit.passage_text.split())
    if edit.type == "omission":
        line = f"− omitted ({'marked ' + quoted if edit.marked else 'unmarked'}): “{passage}”"
    elif edit.type == "insertion":
        line = f"+ inserted: “{quoted}”  [not in source]"
    elif edit.type == "substitution":
        line = f"~ “{passage}” → “{quoted}”"
    else:
        line = f"↔ moved: “{quoted}”"
    return line + ("  ⚠ severe (negation or number)" if edit.severe else "")


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
