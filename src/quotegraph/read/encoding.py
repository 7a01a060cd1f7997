"""Bytes → text: reject what is not text, pick the codec, repair mojibake, say what was repaired.

Web archives hand us UTF-8, cp1252 and ISO-8859-1, often mixed or mis-decoded once already. The
rules, in order: strict UTF-8 (BOM stripped); a codec the document declares (HTML); cp1252 when the
bytes decode under it and read like Western text; charset-normalizer's best guess otherwise. Then
ftfy repairs mojibake, configured so that it never touches typography: quotation marks, dashes and
ellipses are this project's evidence.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import ftfy
import ftfy.bad_codecs  # registers the "sloppy-windows-1252" codec
from charset_normalizer import from_bytes
from ftfy.badness import is_bad

from quotegraph.errors import BinaryFile, EmptyFile, UndecodableFile

SNIFF_BYTES = 8192  # how much of the file the binary checks look at

# ftfy may repair encodings (mojibake, C1 controls standing for cp1252 punctuation) and nothing else:
# no quote uncurling, no ligature / width / Unicode normalisation, no HTML unescaping, no line-break
# rewriting (line breaks are normalised below, deliberately and with a note).
FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=True,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)

# Signatures of common binary formats people drop into a corpus folder, for a clearer message.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF"),
    (b"PK\x03\x04", "ZIP archive, e.g. .docx or .epub"),
    (b"\xd0\xcf\x11\xe0", "MS Office document"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"\x1f\x8b", "gzip archive"),
)
_UTF16_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control bytes that plain text does not contain (tab, LF, VT, FF, CR and ESC excepted).
_CONTROL_BYTES = frozenset(range(0x20)) - {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1B} | {0x7F}
_BINARY_CONTROL_SHARE = 0.3
# Non-ASCII characters that Western European text decoded as cp1252 plausibly contains: Latin-1
# letters, typographic punctuation, a few symbols. cp1251 Russian or cp1250 Polish read as cp1252
# gives superscripts, ¦, ¨ … or words made only of accented letters.
_WESTERN = frozenset(
    "ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞßàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿŒœŠšŽžŸƒ‘’‚“”„–—…•«»‹›\u00a0€£©®™°§¶·¡¿½¼¾×"
)
_NON_ASCII_LETTER_SHARE = 0.5  # Western text: a few %; Cyrillic or Greek read as cp1252: ~100 %
_MIN_LETTERS = 20  # below this the share says nothing
_NON_ASCII_WORD = re.compile(r"[^\W\d_a-zA-Z]{4,}")  # "Ïðèâåò": no Western word looks like this
_LINE_BREAK = re.compile(r"\r\n?")
_C1_CONTROL = re.compile("[\x80-\x9f]")


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text with the codec used and a note for every repair made on the way."""

    text: str
    encoding: str
    repairs: tuple[str, ...] = ()


def check_binary(raw: bytes, path: str) -> None:
    """Raise BinaryFile for bytes that are not text (images, archives, NUL-padded data)."""
    head = raw[:SNIFF_BYTES]
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise BinaryFile(path, f"binary file ({what})")
    if b"\x00" in head:
        raise BinaryFile(path, "binary file (NUL bytes)")
    controls = sum(1 for byte in head if byte in _CONTROL_BYTES)
    if head and controls / len(head) > _BINARY_CONTROL_SHARE:
        raise BinaryFile(path, "binary file (control bytes)")


def looks_western(text: str) -> bool:
    """True when every non-ASCII character is one Western text uses, and they are a minority.

    Hand-written because charset-normalizer, on short Western text, prefers cp1250 or stranger
    codepages (``Caf\\xe9`` → cp1250, one ``\\xe9`` → cp037), while cp1252 is what the web used.
    """
    if _NON_ASCII_WORD.search(text):
        return False
    letters = non_ascii_letters = 0
    for char in text:
        if "\x80" <= char <= "\x9f":
            continue  # C1 controls: bytes cp1252 leaves undefined, judged after the mojibake repair
        if char.isascii():
            letters += char.isalpha()
            continue
        if char not in _WESTERN:
            return False
        if char.isalpha():
            letters += 1
            non_ascii_letters += 1
    return letters < _MIN_LETTERS or non_ascii_letters / letters <= _NON_ASCII_LETTER_SHARE


def _strict(raw: bytes, codec: str) -> str | None:
    try:
        return raw.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _codec_name(label: str) -> str | None:
    """Python's name for a declared charset label; ISO-8859-1 and ASCII mean cp1252 (as WHATWG says)."""
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    return "cp1252" if name in {"iso8859-1", "latin-1", "ascii"} else name


def _decode_utf8(raw: bytes) -> tuple[str, list[str]] | None:
    """Strict UTF-8, tolerating only a multi-byte sequence cut off by the end of the file.

    A lone lead byte at the end of otherwise pure ASCII is no evidence of UTF-8 (``caf\\xe9`` is
    cp1252 "café"), so it is left to the other codecs.
    """
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as error:
        tail = len(raw) - error.start
        truncated = error.end == len(raw) and error.reason == "unexpected end of data" and tail < 4
        if truncated and (tail > 1 or not raw[: error.start].isascii()):
            return raw[: error.start].decode("utf-8"), [
                "incomplete UTF-8 sequence at the end of the file dropped (file truncated?)"
            ]
        return None


def _decode(raw: bytes, path: str, declared: str | None) -> tuple[str, str, list[str]]:
    for bom, wide in _UTF16_BOMS:
        if raw.startswith(bom):
            text = _strict(raw, wide)  # the utf-16 / utf-32 codecs consume the BOM
            if text is None:
                raise UndecodableFile(path, f"undecodable text (invalid {wide.upper()})")
            return text, wide, [f"decoded as {wide} (byte-order mark)"]
    notes: list[str] = []
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
        notes.append("UTF-8 byte-order mark removed")
    utf8 = _decode_utf8(raw)
    if utf8 is not None:
        return utf8[0], "utf-8", notes + utf8[1]
    codec = _codec_name(declared) if declared else None
    # A page that says UTF-16 but has no BOM is not UTF-16 (browsers treat it as UTF-8 too).
    if codec is not None and not codec.startswith(("utf-8", "utf-16", "utf-32")):
        text = _strict(raw, codec)
        if text is not None:
            return text, codec, [*notes, f"decoded as {codec} (declared by the document; not valid UTF-8)"]
    cp1252 = _strict(raw, "cp1252")
    if cp1252 is not None and looks_western(cp1252):
        return cp1252, "cp1252", [*notes, "decoded as cp1252 (not valid UTF-8)"]
    if cp1252 is None:
        # Typically UTF-8 with a few stray cp1252 bytes: UTF-8's ” (E2 80 9D) ends in a byte cp1252
        # leaves undefined. ftfy's sloppy codec keeps such bytes as C1 controls, and its mojibake
        # repair below turns the UTF-8 sequences back into the intended characters.
        sloppy = raw.decode("sloppy-windows-1252")
        if looks_western(sloppy):
            note = "decoded as cp1252 (not valid UTF-8; bytes undefined in cp1252 kept as C1 controls)"
            return sloppy, "cp1252", [*notes, note]
    best = from_bytes(raw).best()
    if best is not None:
        return str(best), best.encoding, [*notes, f"decoded as {best.encoding} (guessed; not valid UTF-8)"]
    if cp1252 is not None:
        return cp1252, "cp1252", [*notes, "decoded as cp1252 (not valid UTF-8; a guess)"]
    raise UndecodableFile(path, "undecodable text (not UTF-8, and no known encoding fits)")


def repair_mojibake(text: str) -> str:
    """ftfy with FTFY_CONFIG; skipped (same result, much faster) when ftfy's own mojibake test
    finds nothing and there are no C1 controls, the only two things that config acts on."""
    if not (is_bad(text) or _C1_CONTROL.search(text)):
        return text
    return ftfy.fix_text(text, FTFY_CONFIG)


def normalise_line_breaks(text: str) -> tuple[str, tuple[str, ...]]:
    """CRLF and lone CR become LF, so that offsets and blank-line paragraph breaks mean one thing."""
    fixed = _LINE_BREAK.sub("\n", text)
    return fixed, (("line breaks normalised to \\n",) if fixed != text else ())


def decode(raw: bytes, path: str, declared: str | None = None, line_breaks: bool = True) -> Decoded:
    """Decode a file's bytes into clean text, or raise the ReadError that says why it is not text.

    ``declared`` is a charset the document names itself (an HTML ``<meta charset>``); it is
    trusted only after UTF-8 failed and only if the bytes decode under it. ``line_breaks``: also
    normalise CRLF / CR to LF (and note it).
    """
    if not raw:
        raise EmptyFile(path, "empty file")
    if not any(raw.startswith(bom) for bom, _ in _UTF16_BOMS):
        check_binary(raw, path)
    text, encoding, notes = _decode(raw, path, declared)
    if line_breaks:
        text, note = normalise_line_breaks(text)
        notes.extend(note)
    if not text.strip():
        raise EmptyFile(path, "empty file (only white space)")
    fixed = repair_mojibake(text)
    if fixed != text:
        notes.append("mojibake repaired by ftfy")
        text = fixed
    return Decoded(text, encoding, tuple(notes))
