"""Reading documents: files and bytes → ``Document``.

``read_bytes`` is pure (bytes in, Document out); ``read_file`` adds the file-system checks;
``iter_paths`` and ``read_paths`` run a batch that reports a bad file and goes on. The stored
text of a plain-text file is the file as decoded (offsets are sacred: only the BOM and line
endings are normalised, mojibake repaired, each repair noted); HTML and Markdown are reduced to
their text, paragraphs separated by blank lines. Boilerplate is marked as spans, not deleted.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from quotegraph.errors import FileTooLarge, ReadError, UnreadableFile, UnsupportedFormat
from quotegraph.model import Document, DocumentFormat, Metadata, Span
from quotegraph.read.boilerplate import find_boilerplate
from quotegraph.read.encoding import decode
from quotegraph.read.html import declared_charset, looks_like_html, read_html
from quotegraph.read.markdown import read_markdown
from quotegraph.read.metadata import merge, mine

__all__ = [
    "DOCUMENT_EXTENSIONS",
    "MAX_BYTES",
    "format_of",
    "iter_paths",
    "read_bytes",
    "read_file",
    "read_paths",
]

MAX_BYTES = 50 * 1024 * 1024  # larger files are refused (FileTooLarge) before they are read

_EXTENSIONS: dict[str, DocumentFormat] = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}
DOCUMENT_EXTENSIONS = frozenset(_EXTENSIONS)  # what iter_paths picks up when it walks a folder
_FORMAT_NAMES: dict[str, DocumentFormat] = {
    "txt": "txt",
    "text": "txt",
    "md": "md",
    "markdown": "md",
    "html": "html",
    "htm": "html",
    "xhtml": "html",
}


def format_of(raw: bytes, name: str, format: str | None = None, path: str | None = None) -> DocumentFormat:
    """The format to read ``raw`` as: the one asked for, else the extension's, else sniffed."""
    if format is not None:
        resolved = _FORMAT_NAMES.get(format.lower().lstrip("."))
        if resolved is None:
            raise UnsupportedFormat(path or name, f"unsupported format {format!r} (use txt, md or html)")
        return resolved
    by_extension = _EXTENSIONS.get(os.path.splitext(name)[1].lower())
    if by_extension is not None:
        return by_extension
    return "html" if looks_like_html(raw.lstrip(b"\xef\xbb\xbf")) else "txt"


def read_bytes(raw: bytes, name: str, format: str | None = None, source_path: str | None = None) -> Document:
    """Turn a file's bytes into a Document, or raise the ReadError saying why they are not one.

    ``name`` is the file name the document is known by; ``format`` ("txt", "md", "html") overrides
    the extension; ``source_path`` is recorded and used in error messages.
    """
    path = source_path or name
    kind = format_of(raw, name, format, path)
    if raw.lstrip()[:5] == b"{\\rtf":
        raise UnsupportedFormat(path, "RTF document (convert it to .txt, .md or .html)")
    quotes: tuple[Span, ...] = ()
    found = Metadata()
    if kind == "html":
        decoded = decode(raw, path, declared=declared_charset(raw), line_breaks=False)
        text, quotes, found = read_html(decoded.text, path)
    elif kind == "md":
        decoded = decode(raw, path)
        text, quotes, found = read_markdown(decoded.text, path)
    else:
        decoded = decode(raw, path)
        text = decoded.text
    boilerplate = find_boilerplate(text)
    metadata = merge(found, mine(text, boilerplate))
    return Document(
        name=name,
        text=text,
        format=kind,
        content_hash=Document.hash_bytes(raw),
        encoding=decoded.encoding,
        source_path=source_path,
        repairs=decoded.repairs,
        metadata=metadata,
        blockquotes=quotes,
    )


def _size(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def read_file(path: str | os.PathLike[str]) -> Document:
    """Read one file into a Document; raise a ReadError subclass (path, reason) when it cannot be."""
    where = os.fspath(path)
    try:
        info = os.stat(where)
    except FileNotFoundError:
        raise UnreadableFile(where, "no such file") from None
    except PermissionError:
        raise UnreadableFile(where, "permission denied") from None
    except OSError as error:
        raise UnreadableFile(where, error.strerror or "cannot be read") from None
    if stat.S_ISDIR(info.st_mode):
        if not os.access(where, os.R_OK | os.X_OK):
            raise UnreadableFile(where, "directory cannot be read (permission denied)")
        raise UnreadableFile(where, "is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableFile(where, "not a regular file")  # a FIFO or device would block or never end
    limit = MAX_BYTES
    if info.st_size > limit:
        raise FileTooLarge(where, f"file is {_size(info.st_size)}, the limit is {limit // (1024 * 1024)} MB")
    try:
        with open(where, "rb") as handle:
            raw = handle.read(limit + 1)
    except PermissionError:
        raise UnreadableFile(where, "permission denied") from None
    except OSError as error:
        raise UnreadableFile(where, error.strerror or "cannot be read") from None
    if len(raw) > limit:  # grew after the stat
        raise FileTooLarge(where, f"file is over the {limit // (1024 * 1024)} MB limit")
    return read_bytes(raw, Path(where).name, source_path=where)


def _walk(folder: Path) -> Iterator[Path]:
    """Document files under ``folder``, sorted by name at every level; hidden entries skipped;
    symbolic links to folders not followed (they can loop)."""
    try:
        entries = sorted(folder.iterdir(), key=lambda entry: entry.name)
    except OSError:
        yield folder  # read_file says why it cannot be read
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            if not entry.is_symlink():
                yield from _walk(entry)
        elif entry.suffix.lower() in DOCUMENT_EXTENSIONS:
            yield entry


def iter_paths(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """The files to read: folders expanded (recursively, sorted), explicit files kept whatever their
    extension, missing paths kept (so that reading them reports the error); each file once."""
    seen: set[str] = set()
    for given in paths:
        path = Path(given)
        for found in _walk(path) if path.is_dir() else (path,):
            key = os.path.normcase(os.path.abspath(found))
            if key not in seen:
                seen.add(key)
                yield found


def read_paths(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Document | ReadError]:
    """A Document or the ReadError for each file of ``iter_paths(paths)``: a bad file never stops
    the batch."""
    for path in iter_paths(paths):
        try:
            yield read_file(path)
        except ReadError as error:
            yield error
