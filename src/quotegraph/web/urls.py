"""The web UI's addresses: permalinks, query strings and opaque pagination cursors."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request

from quotegraph.errors import InvalidCursor


def link(path: str, params: Mapping[str, Any] | None = None) -> str:
    """``path`` with the non-empty ``params`` as its query string."""
    query = {k: v for k, v in (params or {}).items() if v not in (None, "")}
    return path + ("?" + urlencode(query) if query else "")


_PLAIN = re.compile("[A-Za-z0-9_.~-]*")  # what quote() leaves as it is


def _segment(value: str) -> str:
    """``value`` as one path segment: ``quote(value, safe="")``, skipped for the ids and slugs that it
    would leave as they are (a page links hundreds, and quote() costs more than the rest of a link)."""
    return value if _PLAIN.fullmatch(value) else quote(value, safe="")


def doc_url(document_id: str) -> str:
    return "/doc/" + _segment(document_id)


def quote_url(document_id: str, quote_id: str) -> str:
    return f"/quote/{_segment(document_id)}/{_segment(quote_id)}"


def entity_url(entity_id: str) -> str:
    return "/entity/" + _segment(entity_id)


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        offset = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))["o"]
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidCursor("the cursor is not one this server gave: follow the `next` link as given") from exc
    if not isinstance(offset, int) or offset < 0:
        raise InvalidCursor("the cursor is not one this server gave: follow the `next` link as given")
    return offset


def next_link(request: Request, offset: int, limit: int, total: int) -> str | None:
    if offset + limit >= total:
        return None
    params = dict(request.query_params)
    params["cursor"] = encode_cursor(offset + limit)
    return link(request.url.path, params)
