"""The web UI and JSON API (``quotegraph serve``): read-only pages over the store."""

from __future__ import annotations

import os

from fastapi import FastAPI

from quotegraph.web.app import create_app


def app_from_env() -> FastAPI:
    """The application over the store named by ``QUOTEGRAPH_DB``: what each of several server processes runs."""
    return create_app(os.environ["QUOTEGRAPH_DB"])


__all__ = ["app_from_env", "create_app"]
