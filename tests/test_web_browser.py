"""The web UI in a real browser (Debian's chromium through Playwright): the reading flow and a hostile corpus.

Skipped when /usr/bin/chromium is missing, unless QUOTEGRAPH_REQUIRE_BROWSER=1 (CI), which makes that a
failure. Screenshots of every page land in tests/artefacts/ (git-ignored) for a human to look at.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTEFACTS = Path(__file__).parent / "artefacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _need_browser() -> None:
    required = os.environ.get("QUOTEGRAPH_REQUIRE_BROWSER") == "1"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        if required:
            pytest.fail("QUOTEGRAPH_REQUIRE_BROWSER=1 but the playwright package is not installed")
        pytest.skip("the playwright package is not installed (pip install -e '.[dev]')")
    if not CHROMIUM.exists():
        if required:
            pytest.fail("QUOTEGRAPH_REQUIRE_BROWSER=1 but /usr/bin/chromium is missing: apt-get install -y chromium")
        pytest.skip("no browser: /usr/bin/chromium is missing (apt-get install -y chromium)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(db: Path) -> Iterator[str]:
    import uvicorn

    from quotegraph.web import create_app

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(str(db)), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    _need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def sample_server(sample_db: Path) -> Iterator[str]:
    yield from _serve(sample_db)


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1360, "height": 900}, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.errors = errors
    yield page
    context.close()


def shot(page: Any, name: str, full_page: bool = True) -> None:
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=full_page)


def test_reading_flow(page: Any, sample_server: str) -> None:
    page.goto(sample_server + "/")
    assert page.locator("h1").first.inner_text() == "Who said what, when, quoting whom"
    assert page.locator("svg.histogram rect").count() > 5
    shot(page, "01-overview")

    page.fill("form.quick input[name=q]", "Stalin")
    page.press("form.quick input[name=q]", "Enter")
    page.wait_for_url("**/search?q=Stalin")
    page.wait_for_selector("li.hit mark")
    shot(page, "02-search")

    page.click(".facet a.k-speech")
    page.wait_for_url("**kind=speech**")
    page.wait_for_selector("p.filters .chip")
    assert {k.strip() for k in page.locator("li.hit .badge").all_text_contents()} == {"speech"}
    shot(page, "03-search-facet")

    page.click("li.hit a.hit-title >> nth=0")
    page.wait_for_url("**/quote/**")
    page.wait_for_selector("#verification")
    assert "Not computed yet" in page.locator("#verification").inner_text()
    assert page.locator("#family").is_visible()
    shot(page, "04-quotation")

    page.click("a.crumbs-doc, p.crumbs a >> nth=0")
    page.wait_for_url("**/doc/**")
    page.wait_for_selector("#text .q")
    text = page.evaluate("document.getElementById('text').textContent")
    stored = page.request.get(page.url.split("#")[0] + ".json").json()["text"]
    assert text == stored
    shot(page, "05-reader")

    page.click("#text a.ent >> nth=0")
    page.wait_for_url("**/entity/**")
    page.wait_for_selector(".entity-head h1")
    shot(page, "06-entity")

    page.goto(sample_server + "/documents")
    page.click(".facet a >> nth=0")
    page.wait_for_selector("p.filters .chip")
    shot(page, "07-documents")

    page.goto(sample_server + "/timeline?entity=person-leon-trotsky")
    page.wait_for_selector("ol.timeline li")
    shot(page, "08-timeline")

    page.click("a[href='/network']")
    page.wait_for_selector("svg.network path.edge")
    shot(page, "09-network")
    assert page.errors == [], page.errors


def test_permalink_scrolls_to_the_quotation(page: Any, sample_server: str) -> None:
    doc = page.request.get(sample_server + "/documents.json").json()["items"][1]["id"]
    page.goto(f"{sample_server}/doc/{doc}#q12")
    assert page.evaluate("document.querySelector(':target').id") == "q12"


def test_download_tei(page: Any, sample_server: str) -> None:
    page.goto(sample_server + "/documents")
    with page.expect_download() as download:
        page.click("a[data-format=tei]")
    assert "<TEI" in Path(download.value.path()).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from hostile import hostile_store

    yield from _serve(hostile_store(tmp_path_factory.mktemp("hostile") / "h.db"))


def test_hostile_corpus_stays_inert(page: Any, hostile_server: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    doc = page.request.get(hostile_server + "/documents.json").json()["items"][0]["id"]
    entity = page.request.get(f"{hostile_server}/doc/{doc}.json").json()["entities"][0]["entity_id"]
    urls = ["/", "/documents", f"/doc/{doc}", f"/quote/{doc}/q1", f"/quote/{doc}/q3", f"/entity/{entity}"]
    urls += ["/search?q=alert", "/timeline", "/network"]
    for n, url in enumerate(urls):
        page.goto(hostile_server + url)
        page.wait_for_load_state("load")
        page.mouse.move(400, 400)  # would fire an injected onmouseover
        scripts = page.evaluate("[...document.scripts].map(s => s.getAttribute('src'))")
        assert scripts == ["/static/htmx-2.0.11.min.js"], url
        assert page.evaluate("document.querySelectorAll('img, iframe, object, embed, svg:not([class])').length") == 0
        handlers = page.evaluate(
            "[...document.querySelectorAll('*')].flatMap(e => [...e.attributes].map(a => a.name))"
            ".filter(n => n.startsWith('on'))"
        )
        assert handlers == [], url
        assert page.evaluate("[...document.links].filter(a => a.protocol === 'javascript:').length") == 0
        shot(page, f"hostile-{n}", full_page=False)  # 100,000-character names make very long pages
    page.goto(f"{hostile_server}/doc/{doc}")
    page.click("#text .qlabel >> nth=0")  # htmx swaps the quotation page in: still inert
    page.wait_for_url("**/quote/**")
    assert page.evaluate("[...document.scripts].length") == 1
    assert dialogs == []
