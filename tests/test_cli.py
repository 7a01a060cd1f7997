"""The command line: every command documented, bad input reported while the batch goes on."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from quotegraph.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `(\w+)", readme, re.MULTILINE))
    assert set(cli.commands) <= documented, f"undocumented: {set(cli.commands) - documented}"


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_starting_the_cli_imports_no_exporter_and_no_store() -> None:
    """`quotegraph --help` must not pay for lxml, the network or the store: only `export` needs them."""
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, quotegraph.cli; print(' '.join(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert "quotegraph.export" in loaded  # its format names and list columns
    assert not [
        m for m in loaded if m.startswith(("quotegraph.export.", "quotegraph.store", "quotegraph.link", "lxml"))
    ]


@pytest.mark.slow
def test_bad_files_are_reported_and_the_batch_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import quotegraph.read

    monkeypatch.setattr(quotegraph.read, "MAX_BYTES", 4096)  # stands for the 50 MB limit
    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "good.txt").write_text("Trotsky wrote: “No devil ever yet voluntarily cut off his own claws.”\n")
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 100)
    (corpus / "cp1252.txt").write_bytes("Lenin said: \x93Learn, learn and learn.\x94\n".encode("latin-1"))
    (corpus / "truncated.txt").write_bytes("He said: “It is true, comrades,” and left é".encode()[:-1])
    (corpus / "huge.txt").write_text("Stalin said nothing. " * 400)
    out = tmp_path / "out"
    missing = tmp_path / "missing.txt"
    result = CliRunner().invoke(cli, ["extract", str(corpus), str(missing), "--out", str(out)])
    assert result.exit_code == 1
    for name, code in [("empty.txt", "QG102"), ("binary.txt", "QG103"), ("huge.txt", "QG104"), ("missing", "QG101")]:
        assert re.search(rf"\[{code}\] \S*{name}", result.output), (name, result.output)
    assert "4 failed" in result.output
    assert sorted(p.name for p in out.glob("*.json")) == ["cp1252.json", "good.json", "truncated.json"]
    good = json.loads((out / "good.json").read_text(encoding="utf-8"))
    assert good["quotes"][0]["speaker"] == "Leon Trotsky"
    cp = json.loads((out / "cp1252.json").read_text(encoding="utf-8"))
    assert cp["quotes"][0]["text"] == "Learn, learn and learn."


@pytest.mark.slow
def test_ingest_is_idempotent_and_queries_work(tmp_path: Path, corpus_dir: Path) -> None:
    db = str(tmp_path / "q.db")
    runner = CliRunner()
    first = runner.invoke(cli, ["ingest", str(corpus_dir / "003_34df39d8ba34d179.txt"), "--db", db])
    assert first.exit_code == 0, first.output
    again = runner.invoke(cli, ["ingest", str(corpus_dir / "003_34df39d8ba34d179.txt"), "--db", db])
    assert again.exit_code == 0 and "1 unchanged" in again.output
    rows = json.loads(runner.invoke(cli, ["quotes", "--speaker", "khrushchev", "--format", "json", "--db", db]).output)
    assert rows and all(r["speaker"] == "Nikita Khrushchev" for r in rows)
    csv_out = runner.invoke(cli, ["quotes", "--kind", "term", "--format", "csv", "--db", db]).output
    assert csv_out.splitlines()[0].startswith("permalink,document_id,")
    shown = runner.invoke(cli, ["show", "003_34df39d8ba34d179", "--db", db])
    assert shown.exit_code == 0 and "⟦q1" in shown.output and "q1⟧" in shown.output
    missing = runner.invoke(cli, ["show", "no-such-document", "--db", db])
    assert missing.exit_code == 1 and "QG301" in missing.output


@pytest.mark.slow
def test_jsonl_goes_to_stdout(corpus_dir: Path) -> None:
    result = CliRunner().invoke(cli, ["extract", str(corpus_dir / "000_50d797e3133e5607.txt"), "--format", "jsonl"])
    assert result.exit_code == 0
    line = next(x for x in result.stdout.splitlines() if x.startswith("{"))
    assert json.loads(line)["document"] == "000_50d797e3133e5607.txt"


def test_usage_error_exits_2() -> None:
    assert CliRunner().invoke(cli, ["extract", "x.txt"]).exit_code == 2


@pytest.mark.slow
def test_evaluate_command_reports_the_gate_figures(gold_dir: Path, corpus_dir: Path) -> None:
    result = CliRunner().invoke(cli, ["evaluate", "--gold", str(gold_dir), "--corpus", str(corpus_dir), "--json"])
    assert result.exit_code == 0
    figures = json.loads(result.stdout)
    assert figures["quotes_overlap"]["f1"] >= 0.95


@pytest.mark.slow
def test_entities_entity_and_timeline(tmp_path: Path, corpus_dir: Path) -> None:
    db = str(tmp_path / "q.db")
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(corpus_dir), "--db", db]).exit_code == 0
    people = json.loads(runner.invoke(cli, ["entities", "--type", "person", "--format", "json", "--db", db]).stdout)
    trotsky = next(e for e in people if e["canonical"] == "Leon Trotsky")
    assert trotsky["documents"] >= 4 and trotsky["mentions"] > 20
    zhukov = json.loads(runner.invoke(cli, ["entity", "Zhukhov", "--format", "json", "--db", db]).stdout)
    assert zhukov["canonical"] == "Georgy Zhukov" and "G.K.Zhukhov" in zhukov["variants"]
    assert zhukov["quotations_by"] and all(m["context"] for m in zhukov["mentions"])
    assert runner.invoke(cli, ["entity", "Nobody At All", "--db", db]).exit_code == 1
    rows = json.loads(
        runner.invoke(cli, ["timeline", "--from", "1936", "--to", "1938", "--format", "json", "--db", db]).stdout
    )
    assert rows and all(1936 <= int(r["value"][:4]) <= 1938 or "/" in r["value"] for r in rows)
    js = json.loads(
        runner.invoke(cli, ["timeline", "--entity", "Trotsky", "--format", "timelinejs", "--db", db]).stdout
    )
    assert js["events"] and all("start_date" in e for e in js["events"])
