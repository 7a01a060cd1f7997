"""quotegraph.read: the public API, file-system errors and batches (bytes and files built here)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

import quotegraph.read as read
from quotegraph.errors import (
    BinaryFile,
    EmptyFile,
    FileTooLarge,
    NoTextFound,
    ReadError,
    UndecodableFile,
    UnreadableFile,
    UnsupportedFormat,
)
from quotegraph.model import Document
from quotegraph.read import MAX_BYTES, iter_paths, read_bytes, read_file, read_paths

CORPUS = Path(__file__).resolve().parent.parent / "examples" / "corpus"


def test_max_bytes_is_50_mb() -> None:
    assert MAX_BYTES == 50 * 1024 * 1024


def test_read_file_returns_the_file_as_stored(tmp_path: Path) -> None:
    raw = "He said “no” — twice…\n\nThen he left.\n".encode()
    path = tmp_path / "a.txt"
    path.write_bytes(raw)
    doc = read_file(path)
    assert isinstance(doc, Document)
    assert doc.name == "a.txt"
    assert doc.source_path == str(path)
    assert doc.format == "txt"
    assert doc.text == raw.decode("utf-8")
    assert doc.encoding == "utf-8"
    assert doc.repairs == ()
    assert doc.content_hash == hashlib.sha256(raw).hexdigest()
    assert doc.blockquotes == ()


def test_read_bytes_is_pure() -> None:
    raw = b"Title line\n\nSubmitted by x on 1 May, 2010 - 1:00\n\nBody text."
    assert read_bytes(raw, "x.txt") == read_bytes(raw, "x.txt")
    assert read_bytes(raw, "x.txt").source_path is None
    assert read_bytes(raw, "x.txt", source_path="/corpus/x.txt").source_path == "/corpus/x.txt"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.txt", "txt"),
        ("a.TEXT", "txt"),
        ("a.md", "md"),
        ("a.markdown", "md"),
        ("a.html", "html"),
        ("a.HTM", "html"),
        ("a.xhtml", "html"),
    ],
)
def test_format_from_extension(name: str, expected: str) -> None:
    raw = b"<p>Plain words that happen to look like markup.</p>" if expected == "html" else b"Plain words."
    assert read_bytes(raw, name).format == expected


def test_format_sniffed_for_unknown_extensions() -> None:
    page = b"<!DOCTYPE html><html><body><p>A paragraph of text.</p></body></html>"
    assert read_bytes(page, "page.php").format == "html"
    assert read_bytes(page, "no-extension").format == "html"
    assert read_bytes(b"Just some words, 3 < 4 and 5 > 2.", "notes.log").format == "txt"


def test_explicit_format_wins_over_extension() -> None:
    doc = read_bytes(b"# Heading\n\nSome *text*.", "a.txt", format="md")
    assert doc.format == "md"
    assert doc.text == "Heading\n\nSome text."
    assert read_bytes(b"<b>bold</b>", "a.html", format="txt").text == "<b>bold</b>"


def test_unsupported_format() -> None:
    with pytest.raises(UnsupportedFormat) as caught:
        read_bytes(b"text", "a.txt", format="pdf")
    assert "pdf" in caught.value.reason
    with pytest.raises(UnsupportedFormat, match="RTF"):
        read_bytes(b"{\\rtf1\\ansi Hello}", "letter.rtf")


@pytest.mark.parametrize("raw", [b"", b"   \n\t\r\n  ", b"\xef\xbb\xbf", b"\xef\xbb\xbf \r\n"])
def test_empty_files(raw: bytes) -> None:
    with pytest.raises(EmptyFile) as caught:
        read_bytes(raw, "empty.txt")
    assert caught.value.reason.startswith("empty file")
    assert caught.value.path == "empty.txt"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"Some text\x00\x00\x00 with NUL padding", "binary file (NUL bytes)"),
        (bytes(range(1, 9)) * 20 + b"abc", "binary file (control bytes)"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary file (PDF)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (PNG image)"),
    ],
)
def test_binary_files(raw: bytes, reason: str) -> None:
    with pytest.raises(BinaryFile) as caught:
        read_bytes(raw, "file.txt")
    assert caught.value.reason == reason


def test_nul_bytes_after_the_first_8_kb_are_not_sniffed() -> None:
    raw = b"word " * 2000 + b"\x00"
    # Beyond the sniffed head a NUL is only a stray control character, kept in the text.
    assert read_bytes(raw, "late.txt").text.endswith("\x00")


def test_undecodable_file() -> None:
    with pytest.raises(UndecodableFile) as caught:
        read_bytes(bytes(range(128, 256)) * 3, "junk.txt")
    assert "undecodable" in caught.value.reason


def test_html_without_text() -> None:
    with pytest.raises(NoTextFound):
        read_bytes(b"<html><head><script>alert(1)</script></head><body></body></html>", "a.html")


def test_missing_file_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile) as caught:
        read_file(tmp_path / "nope.txt")
    assert caught.value.reason == "no such file"
    assert caught.value.path == str(tmp_path / "nope.txt")


def test_directory_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match="directory"):
        read_file(tmp_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(UnreadableFile, match="not a regular file"):
        read_file(fifo)


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("hidden")

    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(read, "open", denied, raising=False)
    with pytest.raises(UnreadableFile) as caught:
        read_file(path)
    assert caught.value.reason == "permission denied"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads everything")
def test_permission_denied_for_real(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("hidden")
    path.chmod(0)
    try:
        with pytest.raises(UnreadableFile, match="permission denied"):
            read_file(path)
    finally:
        path.chmod(0o600)


def test_too_large_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.truncate(MAX_BYTES + 1)  # sparse: nothing is written

    def must_not_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(read, "open", must_not_open, raising=False)
    with pytest.raises(FileTooLarge) as caught:
        read_file(path)
    assert caught.value.reason == "file is 50.0 MB, the limit is 50 MB"


def test_too_large_with_a_smaller_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read, "MAX_BYTES", 1024 * 1024)
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * (1024 * 1024 + 200 * 1024))
    with pytest.raises(FileTooLarge) as caught:
        read_file(path)
    assert caught.value.reason == "file is 1.2 MB, the limit is 1 MB"
    path.write_bytes(b"x" * 1024)
    assert read_file(path).text == "x" * 1024


def test_errors_carry_code_path_and_reason(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(ReadError) as caught:
        read_file(path)
    error = caught.value
    assert (error.code, error.path, error.reason) == ("QG102", str(path), "empty file")
    assert str(error) == f"[QG102] {path}: empty file"


def _tree(root: Path) -> None:
    for relative, content in {
        "b.txt": b"b",
        "a.md": b"a",
        "sub/c.html": b"<p>c</p>",
        "sub/deeper/d.htm": b"<p>d</p>",
        "sub/e.text": b"e",
        "sub/f.markdown": b"f",
        "sub/g.xhtml": b"<p>g</p>",
        "notes.pdf": b"%PDF-",
        "image.png": b"\x89PNG",
        "README": b"no extension",
        ".hidden.txt": b"hidden",
        ".git/config.txt": b"hidden dir",
        "sub/.cache/x.txt": b"hidden dir",
        "UPPER.TXT": b"upper",
    }.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


def test_iter_paths_walks_folders_sorted_and_filtered(tmp_path: Path) -> None:
    _tree(tmp_path)
    found = [path.relative_to(tmp_path).as_posix() for path in iter_paths([tmp_path])]
    assert found == [
        "UPPER.TXT",
        "a.md",
        "b.txt",
        "sub/c.html",
        "sub/deeper/d.htm",
        "sub/e.text",
        "sub/f.markdown",
        "sub/g.xhtml",
    ]
    assert [str(path) for path in iter_paths([str(tmp_path)])] == [str(tmp_path / name) for name in found]


def test_iter_paths_keeps_explicit_files_and_missing_paths(tmp_path: Path) -> None:
    _tree(tmp_path)
    given = [tmp_path / "README", tmp_path / ".hidden.txt", tmp_path / "missing.txt", tmp_path / "sub/deeper"]
    assert list(iter_paths(given)) == [
        tmp_path / "README",
        tmp_path / ".hidden.txt",
        tmp_path / "missing.txt",
        tmp_path / "sub/deeper/d.htm",
    ]


def test_iter_paths_yields_each_file_once(tmp_path: Path) -> None:
    _tree(tmp_path)
    twice = list(iter_paths([tmp_path / "b.txt", tmp_path, tmp_path / "b.txt"]))
    assert len(twice) == len(set(twice)) == 8


def test_read_paths_goes_on_after_bad_files(tmp_path: Path) -> None:
    (tmp_path / "1-good.txt").write_text("Good text.")
    (tmp_path / "2-empty.txt").write_bytes(b"")
    (tmp_path / "3-binary.txt").write_bytes(b"\x00\x01\x02")
    (tmp_path / "4-good.md").write_text("# Also good")
    results = list(read_paths([tmp_path, tmp_path / "5-missing.txt"]))
    assert [type(result).__name__ for result in results] == [
        "Document",
        "EmptyFile",
        "BinaryFile",
        "Document",
        "UnreadableFile",
    ]
    assert [result.text for result in results if isinstance(result, Document)] == ["Good text.", "Also good"]


def test_read_paths_on_the_sample_corpus() -> None:
    docs = [doc for doc in read_paths([CORPUS]) if isinstance(doc, Document)]
    assert [doc.name for doc in docs if doc.format == "txt"] == sorted(path.name for path in CORPUS.glob("*.txt"))
