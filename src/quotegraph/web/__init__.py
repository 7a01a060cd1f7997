"""The web UI and JSON API (``quotegraph serve``): read-only pages over the store."""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI

from quotegraph.web.app import create_app


def app_from_env() -> FastAPI:
    """The application over the store named by ``QUOTEGRAPH_DB``, sharing built pages through the file
    named by ``QUOTEGRAPH_PAGES`` if set: what each of several server processes runs."""
    pages = os.environ.get("QUOTEGRAPH_PAGES")
    return create_app(os.environ["QUOTEGRAPH_DB"], Path(pages) if pages else None)


__all__ = ["app_from_env", "create_app"]
