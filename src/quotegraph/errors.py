"""Numbered, actionable errors. A user who meets one can look its code up in docs/errors.md."""

from __future__ import annotations


class QuotegraphError(Exception):
    """Base class: ``code`` is stable (``QG101``), the message says what to do about it."""

    code = "QG000"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class ReadError(QuotegraphError):
    """A file could not be turned into a Document; the batch goes on without it."""

    code = "QG100"

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class UnreadableFile(ReadError):
    code = "QG101"


class EmptyFile(ReadError):
    code = "QG102"


class BinaryFile(ReadError):
    code = "QG103"


class FileTooLarge(ReadError):
    code = "QG104"


class UndecodableFile(ReadError):
    code = "QG105"


class UnsupportedFormat(ReadError):
    code = "QG106"


class NoTextFound(ReadError):
    code = "QG107"


class ModelNotInstalled(QuotegraphError):
    code = "QG201"


class EmbeddingModelNotInstalled(QuotegraphError):
    """The sentence-embedding model that links translated quotations is missing."""

    code = "QG202"


class StoreError(QuotegraphError):
    code = "QG300"


class DocumentNotFound(StoreError):
    code = "QG301"


class StoreSchemaMismatch(StoreError):
    code = "QG302"


class QuoteNotFound(StoreError):
    code = "QG303"


class GoldFormatError(QuotegraphError):
    code = "QG401"


class ExportError(QuotegraphError):
    code = "QG500"


class UnknownExportFormat(ExportError):
    code = "QG502"


class WebError(QuotegraphError):
    """A request the web server cannot answer; ``status`` is its HTTP status."""

    code = "QG600"
    status = 500


class NotFound(WebError):
    code = "QG601"
    status = 404


class BadRequest(WebError):
    code = "QG602"
    status = 400


class InvalidCursor(BadRequest):
    code = "QG603"


class MethodNotAllowed(WebError):
    code = "QG604"
    status = 405


class CannotListen(WebError):
    """``quotegraph serve`` could not open its address (in use, not this machine's, not a host name)."""

    code = "QG605"
