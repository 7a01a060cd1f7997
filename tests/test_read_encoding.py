"""Decoding: UTF-8 first, cp1252 for Western text, a guess otherwise; mojibake repaired, noted."""

from __future__ import annotations

from pathlib import Path

import pytest
from charset_normalizer import from_bytes

from quotegraph.read import read_bytes, read_file
from quotegraph.read.encoding import looks_western

CORPUS = Path(__file__).resolve().parent.parent / "examples" / "corpus"
TYPOGRAPHY = "“double” ‘single’ «guillemets» „low“ – en — em … ellipsis ′ ″ ﬁ ｆｕｌｌ &amp; a\u00a0b"


def test_clean_utf8_is_returned_unchanged_without_repairs() -> None:
    text = f"{TYPOGRAPHY}\n\nCafé, naïve, Straße, Хрущёв, 斯大林.\n"
    doc = read_bytes(text.encode("utf-8"), "clean.txt")
    assert doc.text == text
    assert doc.encoding == "utf-8"
    assert doc.repairs == ()


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda path: path.name[:3])
def test_sample_corpus_is_read_byte_for_byte(path: Path) -> None:
    doc = read_file(path)
    assert doc.text == path.read_bytes().decode("utf-8")
    assert (doc.encoding, doc.repairs) == ("utf-8", ())


def test_cp1252_curly_quotes() -> None:
    raw = b"He said \x93hello\x94 \x96 it\x92s \x85 caf\xe9."
    doc = read_bytes(raw, "cp1252.txt")
    assert doc.text == "He said “hello” – it’s … café."
    assert doc.encoding == "cp1252"
    assert doc.repairs == ("decoded as cp1252 (not valid UTF-8)",)


def test_short_western_text_is_cp1252_whatever_charset_normalizer_guesses() -> None:
    raw = "Caf\u00e9 cr\u00e8me \u201cbr\u00fbl\u00e9e\u201d".encode("cp1252")
    # charset-normalizer's own guess for such short text is often an exotic codepage (cp1250 …);
    # whatever it is, the reader must decode as cp1252.
    guess = from_bytes(raw).best()
    assert guess is None or isinstance(guess.encoding, str)
    doc = read_bytes(raw, "short.txt")
    assert (doc.text, doc.encoding) == ("Café crème “brûlée”", "cp1252")
    assert read_bytes(b"\xe9", "one.txt").text == "é"


def test_iso_8859_1() -> None:
    text = "Le comité a décidé: « À bas la bureaucratie ! » — Zürich, 1956."
    doc = read_bytes(text.replace("—", "-").encode("iso-8859-1"), "latin1.txt")
    assert doc.text == text.replace("—", "-")
    assert doc.encoding == "cp1252"  # ISO-8859-1's printable characters are cp1252's


def test_utf8_mojibake_is_repaired() -> None:
    intended = "He said “hello” and ‘goodbye’ — it’s done…"
    # What a browser shows when UTF-8 is read as windows-1252 (0x9D, undefined there, stays U+009D).
    mojibake = intended.encode("utf-8").decode("sloppy-windows-1252")
    assert mojibake.startswith("He said â€œhelloâ€\x9d")
    doc = read_bytes(mojibake.encode("utf-8"), "mojibake.txt")
    assert doc.text == intended
    assert doc.encoding == "utf-8"
    assert doc.repairs == ("mojibake repaired by ftfy",)


def test_mojibake_of_the_quotation_marks_alone() -> None:
    doc = read_bytes("â€œWorkers of the world, unite!â€ said Marx.".encode(), "q.txt")
    assert doc.text.startswith("“Workers of the world, unite!")


def test_utf8_with_stray_cp1252_bytes() -> None:
    raw = "It’s “fine” ".encode() + "caf\u00e9".encode("cp1252") + " and “bye”.".encode()
    doc = read_bytes(raw, "mixed.txt")
    assert doc.text == "It’s “fine” café and “bye”."
    assert "mojibake repaired by ftfy" in doc.repairs


def test_other_codepages_are_guessed() -> None:
    text = "Товарищи! Культ личности Сталина нанёс огромный вред партии и народу. " * 3
    doc = read_bytes(text.encode("cp1251"), "russian.txt")
    assert doc.text == text
    assert doc.encoding == "cp1251"
    assert doc.repairs == ("decoded as cp1251 (guessed; not valid UTF-8)",)


def test_looks_western() -> None:
    assert looks_western("Der Bürger über Äpfel, süß; été à où — “quoted”")
    assert not looks_western("Ïðèâåò ìèð")  # Russian cp1251 read as cp1252
    assert not looks_western("Za¿ó³æ gê¶l¹ ja¼ñ")  # Polish cp1250 read as cp1252


def test_bom_is_stripped_and_noted() -> None:
    doc = read_bytes(b"\xef\xbb\xbfStalin \xe2\x80\x94 a life", "bom.txt")
    assert doc.text == "Stalin — a life"
    assert doc.repairs == ("UTF-8 byte-order mark removed",)


def test_utf16_with_bom() -> None:
    doc = read_bytes("Hello “world”\r\n".encode("utf-16"), "wide.txt")
    assert (doc.text, doc.encoding) == ("Hello “world”\n", "utf-16")


@pytest.mark.parametrize("raw", [b"one\r\ntwo\r\n\r\nthree", b"one\rtwo\r\rthree", b"one\r\ntwo\r\n\rthree"])
def test_line_breaks_are_normalised_and_noted(raw: bytes) -> None:
    doc = read_bytes(raw, "crlf.txt")
    assert doc.text == "one\ntwo\n\nthree"
    assert doc.repairs == ("line breaks normalised to \\n",)


@pytest.mark.parametrize("cut", [1, 2])
def test_truncated_utf8_is_read(cut: int) -> None:
    raw = "Khrushchev’s “secret speech”".encode()[:-cut]  # ” is 3 bytes: cut inside it
    doc = read_bytes(raw, "cut.txt")
    assert doc.text == "Khrushchev’s “secret speech"
    assert doc.encoding == "utf-8"
    assert doc.repairs == ("incomplete UTF-8 sequence at the end of the file dropped (file truncated?)",)


def test_quotation_marks_dashes_and_ellipses_are_never_changed() -> None:
    for encoding in ("utf-8", "cp1252"):
        text = "“A” ‘b’ – c — d … e"
        assert read_bytes(text.encode(encoding), "q.txt").text == text
