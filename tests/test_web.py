"""The web server through FastAPI's TestClient: every route and its JSON twin, errors, paging, traversal."""

from __future__ import annotations

import html
import re
import warnings
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from quotegraph.web.markup import Mark, escape_all, highlighted, render, split_marked
from quotegraph.web.urls import entity_url, quote_url

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Starlette's notice that its TestClient will move to httpx2
    from fastapi.testclient import TestClient

from hostile import HUGE, IMG, SCRIPT, hostile_store
from quotegraph.web import create_app

# -- the span renderer -------------------------------------------------------------------------


class _Text(HTMLParser):
    """Collects an HTML fragment's text content and checks that its tags nest."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def text_of(fragment: str) -> str:
    parser = _Text()
    parser.feed(fragment)
    parser.close()
    assert parser.stack == []
    return "".join(parser.parts)


@st.composite
def text_and_marks(draw: Any) -> tuple[str, list[Mark]]:
    text = draw(st.text(alphabet=st.sampled_from("ab <>&\"'\n“”é"), max_size=60))
    marks = []
    for _ in range(draw(st.integers(0, 8))):
        a = draw(st.integers(0, len(text) + 2))
        b = draw(st.integers(0, len(text) + 2))
        tag = draw(st.sampled_from(["span", "a", "time", "mark"]))
        marks.append(
            Mark(
                min(a, b),
                max(a, b),
                tag,
                (("class", draw(st.sampled_from(["q", '"><b>', "&amp;"]))),),
                layer=draw(st.integers(0, 3)),
                first_attrs=(("id", "x"),),
            )
        )
    return text, marks


@given(text_and_marks())
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_rendered_text_content_is_the_stored_text(case: tuple[str, list[Mark]]) -> None:
    text, marks = case
    assert text_of(str(render(text, marks))) == text


def test_overlapping_spans_are_cut_and_reopened() -> None:
    out = render("abcdef", [Mark(0, 4, "span", layer=1, first_attrs=(("id", "q1"),)), Mark(2, 6, "a", layer=2)])
    assert str(out) == '<span id="q1">ab<a>cd</a></span><a data-cont="1">ef</a>'


def test_outer_layer_closes_inner_spans_that_straddle_it() -> None:
    out = render("abcdef", [Mark(0, 3, "a", layer=2), Mark(2, 5, "span", layer=1)])
    assert str(out) == '<a>ab</a><span><a data-cont="1">c</a>de</span>f'


def test_markup_in_text_and_attributes_is_escaped() -> None:
    out = str(render('<b onclick="x">', [Mark(0, 3, "span", (("title", '"><script>'),))]))
    assert "<script>" not in out and "<b" not in out
    assert text_of(out) == '<b onclick="x">'


def test_a_lead_element_opens_the_first_piece_only() -> None:
    lead = ("a", (("href", "/q?a=1&b=2"), ("title", '"q1"')))
    out = render("abcdef", [Mark(1, 5, "span", (("class", "q"),), 1, (("id", "q1"),), lead), Mark(3, 6, "b", layer=0)])
    assert str(out) == (
        'a<span class="q" id="q1"><a href="/q?a=1&amp;b=2" title="&#34;q1&#34;"></a>bc</span>'
        '<b><span class="q" data-cont="1">de</span>f</b>'
    )


tricky = st.text(alphabet=st.sampled_from("ab <>&\"'\x00\x01\x02\x03é“"), max_size=12)


@given(st.lists(tricky, max_size=6))
def test_escaping_pieces_together_is_escaping_each(pieces: list[str]) -> None:
    assert escape_all(pieces) == [str(escape(piece)) for piece in pieces]


@given(tricky, st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12), tricky, tricky), max_size=6))
def test_attribute_values_come_back_as_they_were(text: str, spans: list[tuple[int, int, str, str]]) -> None:
    marks = [
        Mark(min(a, b), max(a, b), "span", (("title", title),), 0, (("id", ident),), ("a", (("title", ident),)))
        for a, b, title, ident in spans
    ]
    found: list[dict[str, str | None]] = []

    class Attributes(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append(dict(attrs))

    Attributes(convert_charrefs=True).feed(str(render(text, marks)))
    titles = {m.attrs[0][1] for m in marks if 0 <= m.start < m.end <= len(text)}
    idents = {m.first_attrs[0][1] for m in marks if 0 <= m.start < m.end <= len(text)}
    assert {a["title"] for a in found if "id" not in a and "data-cont" not in a} <= idents  # the leads
    assert {a["title"] for a in found if "id" in a} == titles
    assert {a["id"] for a in found if "id" in a} == idents


@given(st.text(max_size=20))
def test_link_segments_are_quoted_as_quote_does(value: str) -> None:
    assert entity_url(value) == "/entity/" + quote(value, safe="")
    assert quote_url(value, value) == f"/quote/{quote(value, safe='')}/{quote(value, safe='')}"


@given(st.text(alphabet=st.sampled_from("ab<>&\x02\x03 "), max_size=40))
def test_snippet_marks_are_split_out_never_trusted(snippet: str) -> None:
    plain, hits = split_marked(snippet, "\x02", "\x03")
    assert "\x02" not in plain and "\x03" not in plain
    assert text_of(str(highlighted(plain, hits))) == plain
    assert all(0 <= a <= b <= len(plain) for a, b in hits)


_FIELD = st.text(alphabet=st.sampled_from("ab <>&\"'é_"), max_size=12)


@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "kind": st.sampled_from(["quote", "document"]),
                "quote_kind": st.one_of(st.none(), _FIELD),
                "speaker": st.one_of(st.none(), _FIELD),
                "url": _FIELD,
                "title": st.one_of(st.none(), _FIELD),
                "document_name": _FIELD,
                "quote_id": st.one_of(st.none(), _FIELD),
                "authors": st.lists(_FIELD, max_size=2),
                "publication": st.one_of(st.none(), _FIELD),
                "published": st.one_of(st.none(), _FIELD),
                "work": st.one_of(st.none(), _FIELD),
                "verdict": st.one_of(st.none(), _FIELD),
                "snippet": _FIELD,
                "highlights": st.lists(st.tuples(st.integers(-1, 13), st.integers(-1, 13)), max_size=3),
            }
        ),
        max_size=3,
    )
)
def test_search_hits_escape_every_field(hits: list[dict[str, Any]]) -> None:
    """Every field of a hit is data: the items hold only the tags written for them, and each field's
    text where the template put it."""
    from quotegraph.web.pages import search_hits_html

    rendered = str(search_hits_html(hits))
    tags = set(re.findall(r"</?([a-z]+)", rendered))
    assert tags <= {"li", "div", "span", "a", "p", "cite", "mark"}
    assert rendered.count("<li ") == len(hits)
    shown = text_of(rendered)
    for h in hits:
        assert h["snippet"] in shown and (h["title"] or h["document_name"]) in shown
        assert str(highlighted(h["snippet"], h["highlights"])) in rendered  # marked as everywhere else
        if h["work"]:
            assert f"cites {h['work']}" in shown
        if h["verdict"]:
            assert h["verdict"].replace("_", " ") in shown
    assert all(f'href="{escape(h["url"])}"' in rendered for h in hits)


@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "id": _FIELD,
                "kind": _FIELD,
                "speaker": st.one_of(st.none(), _FIELD),
                "url": _FIELD,
                "parent": st.booleans(),
            }
        ),
        max_size=3,
    )
)
def test_quotation_index_escapes_every_field(quotations: list[dict[str, Any]]) -> None:
    from quotegraph.web.pages import quotation_index_html

    rendered = str(quotation_index_html(quotations))
    assert set(re.findall(r"</?([a-z]+)", rendered)) <= {"li", "a", "span"}
    assert rendered.count("<li ") == len(quotations)
    shown = text_of(rendered)
    for q in quotations:
        assert f"{q['id']} {q['kind']} {q['speaker'] or '—'} details" in shown
        assert f'href="{escape(q["url"])}"' in rendered and f'href="#{escape(q["id"])}"' in rendered


@settings(max_examples=300)
@given(
    st.text(alphabet=st.sampled_from("ab <>&\"'é\x00"), min_size=8, max_size=12),
    st.lists(st.tuples(st.integers(-1, 13), st.integers(-1, 13)), max_size=4),
)
def test_highlighted_is_what_the_span_renderer_makes(text: str, hits: list[tuple[int, int]]) -> None:
    """Flat hits are marked directly (the pieces escaped in one call unless the text holds the separator);
    overlapping or odd ones go through ``render``: the same HTML."""
    assert str(highlighted(text, hits)) == str(render(text, [Mark(a, b, "mark") for a, b in hits]))


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["q", "kind", "speaker", "cursor", "limit"]), st.sampled_from(["", "a b", "é&=", "x"])
        )
    ),
    st.sampled_from(["kind", "speaker", "decade"]),
    st.lists(st.sampled_from(["x", "a b", "é&=", "y"]), unique=True),
    st.sampled_from([None, "x", "a b"]),
)
def test_facet_links_are_the_page_link_with_the_value_applied(
    params: list[tuple[str, str]], name: str, values: list[str], selected: str | None
) -> None:
    from urllib.parse import urlencode

    from starlette.requests import Request

    from quotegraph.web.app import _facet_values
    from quotegraph.web.urls import link

    request = Request({"type": "http", "path": "/search", "query_string": urlencode(params).encode(), "headers": []})
    expected = []
    for value in values:
        query = {k: v for k, v in request.query_params.items() if k != "cursor"}
        if value == selected:
            query.pop(name, None)
        else:
            query[name] = value
        expected.append(link("/search", query))
    found = _facet_values(request, name, [(v, 1) for v in values], selected)
    assert [v["url"] for v in found] == expected
    assert [v["selected"] for v in found] == [v == selected for v in values]


def test_split_marked_offsets() -> None:
    plain, hits = split_marked("the \x02Party\x03 and \x02party\x03", "\x02", "\x03")
    assert plain == "the Party and party"
    assert [plain[a:b] for a, b in hits] == ["Party", "party"]


# -- the server over the sample corpus ---------------------------------------------------------


@pytest.fixture(scope="module")
def client(sample_db: Path) -> TestClient:
    return TestClient(create_app(str(sample_db)))


@pytest.fixture(scope="module")
def doc_id(client: TestClient) -> str:
    return str(client.get("/documents.json").json()["items"][1]["id"])


def _routes(doc_id: str) -> list[str]:
    return [
        "/",
        "/documents",
        "/documents?year=1988",
        f"/doc/{doc_id}",
        f"/quote/{doc_id}/q1",
        "/entity/person-leon-trotsky",
        "/search?q=Stalin",
        "/search?q=revolution&kind=speech",
        "/timeline",
        "/timeline?entity=person-leon-trotsky&from=1920&to=1940",
        "/network",
        "/network?kind=quotes&min=2",
        "/network?node=leon-trotsky",
    ]


@pytest.mark.slow
def test_every_page_and_its_json_twin(client: TestClient, doc_id: str) -> None:
    for route in _routes(doc_id):
        page = client.get(route)
        assert page.status_code == 200, route
        assert page.headers["content-type"].startswith("text/html")
        assert page.text.startswith("<!doctype html>")
        path, _, query = route.partition("?")
        twin = client.get(f"{path}.json" + (f"?{query}" if query else ""))
        assert twin.status_code == 200, route
        assert twin.headers["content-type"] == "application/json"
        assert isinstance(twin.json(), dict)


@pytest.mark.slow
@pytest.mark.parametrize(
    "query",
    [
        "q=Stalin",
        "q=Stalin&limit=3",
        "q=Stalin&limit=0",
        "q=Stalin&limit=abc",
        "q=Stalin&limit=101",
        "q=Stalin&limit=",
        "q=Stalin&kind=",
        "q=Stalin&kind=speech&decade=1950s",
        "q=Stalin&q=Lenin",
        "q=Stalin&colour=red",
        "q=Stalin&cursor=zzz",
        "q=Stalin&limit=2&cursor=Mg",
        "q=%3Cb%3E&speaker=%22x%22",
    ],
)
def test_page_and_twin_read_their_parameters_alike(client: TestClient, query: str) -> None:
    """The HTML twin of a page built on the loop validates its parameters itself (``_parameters``), the
    JSON twin through FastAPI: the same request gets the same answer from both."""
    twin = client.get("/search.json?" + query)
    page = client.get("/search?" + query, headers={"Accept": "application/json"})
    assert page.status_code == twin.status_code
    if twin.status_code != 200:
        assert page.json() == twin.json()
        return
    data = twin.json()
    assert page.text.count('<li class="hit ') == len(data["hits"])
    assert f'name="q" value="{escape(data["query"])}"' in page.text
    for name, value in data["filters"].items():
        assert f'name="{name}" value="{escape(value)}"' in page.text


@pytest.mark.parametrize("query", ["", "version=1", "version=0", "version=x", "version="])
def test_reader_and_twin_read_their_parameters_alike(client: TestClient, doc_id: str, query: str) -> None:
    twin = client.get(f"/doc/{doc_id}.json?{query}")
    page = client.get(f"/doc/{doc_id}?{query}", headers={"Accept": "application/json"})
    assert page.status_code == twin.status_code
    if twin.status_code != 200:
        assert page.json() == twin.json()
    else:
        assert twin.json()["document"]["id"] in page.text


def test_htmx_requests_get_the_fragment_only(client: TestClient) -> None:
    full = client.get("/documents")
    fragment = client.get("/documents", headers={"HX-Request": "true"})
    assert "<html" in full.text and "<html" not in fragment.text
    assert fragment.text.lstrip().startswith("<title>") and '<main id="main">' in fragment.text
    assert fragment.headers["vary"] == "HX-Request"


@pytest.mark.slow
def test_overview_counts_a_work_once_however_documents_name_it(client: TestClient) -> None:
    """The secret speech is cited as "Khrushchev’s speech" and "Khrushchev’s report": one work, the
    entity both are spellings of, with every quotation citing either."""
    quotes = client.get("/search.json", params={"q": "Khrushchev", "limit": 1}).json()["facets"]["work"]
    assert {"Khrushchev’s speech", "Khrushchev’s report"} <= {w["value"] for w in quotes}  # apart in the data
    works = client.get("/.json").json()["top_works"]
    assert len({w["url"] for w in works}) == len(works)
    speech = [w for w in works if "cult-of-personality" in w["url"]]
    assert len(speech) == 1 and speech[0]["url"].startswith("/entity/")
    assert client.get(speech[0]["url"] + ".json").status_code == 200
    cited = {
        w["value"]: w["count"] for w in client.get("/search.json", params={"q": "Khrushchev"}).json()["facets"]["work"]
    }
    assert speech[0]["count"] >= cited["Khrushchev’s speech"] + cited["Khrushchev’s report"]


@pytest.mark.slow
def test_security_headers(client: TestClient) -> None:
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "unsafe-inline" not in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert client.get("/static/quotegraph.css").headers["x-content-type-options"] == "nosniff"


@pytest.mark.slow
def test_document_view_offsets_index_the_text(client: TestClient, doc_id: str) -> None:
    data = client.get(f"/doc/{doc_id}.json").json()
    text = data["text"]
    assert data["quotations"] and data["entities"] and data["dates"]
    for q in data["quotations"]:
        assert text[q["start"] : q["end"]] == q["text"]
        assert q["permalink"] == f"{doc_id}#{q['id']}"
    for d in data["dates"]:
        assert text[d["start"] : d["end"]] == d["text"]
    page = client.get(f"/doc/{doc_id}").text
    body = page.split('<div class="text" id="text">', 1)[1].split("</div>", 1)[0]
    assert text_of(body) == text
    assert f'id="{data["quotations"][0]["id"]}"' in body


@pytest.mark.slow
def test_names_redirect_to_permalinks(client: TestClient, doc_id: str) -> None:
    name = client.get(f"/doc/{doc_id}.json").json()["document"]["name"]
    moved = client.get(f"/doc/{name}", follow_redirects=False)
    assert moved.status_code == 307 and moved.headers["location"] == f"/doc/{doc_id}"
    moved = client.get(f"/doc/{name}.json", follow_redirects=False)
    assert moved.headers["location"] == f"/doc/{doc_id}.json"
    moved = client.get("/entity/Trotsky", follow_redirects=False)
    assert moved.headers["location"] == "/entity/person-leon-trotsky"


@pytest.mark.slow
def test_quotation_view(client: TestClient, doc_id: str) -> None:
    data = client.get(f"/quote/{doc_id}/q1.json").json()
    assert data["quotation"]["id"] == "q1" and data["document"]["id"] == doc_id
    assert data["verification"] is None
    page = client.get(f"/quote/{doc_id}/q1").text
    assert 'id="family"' in page and 'id="verification"' in page and "Not computed yet" in page


@pytest.mark.slow
def test_a_quotation_shows_its_family_with_the_word_differences(client: TestClient, sample_db: Path) -> None:
    from quotegraph.store import open_store

    with open_store(sample_db) as store:
        family = store.families()[0]
    here, there = family.members[0], family.members[1]
    data = client.get(f"/quote/{here.document_id}/{here.quote_id}.json").json()
    others = {m["permalink"]: m for m in data["family"]}
    assert here.permalink not in others and there.permalink in others
    member = others[there.permalink]
    assert member["text"] == there.text and member["relation"] == there.relation
    assert member["edits"] or here.text == there.text
    page = client.get(f"/quote/{here.document_id}/{here.quote_id}").text
    assert there.permalink in page and 'class="family-member"' in page


@pytest.mark.slow
def test_search_facets_and_filters_in_the_url(client: TestClient) -> None:
    data = client.get("/search.json?q=Stalin").json()
    assert data["total"] >= len(data["hits"]) > 0
    kinds = {v["value"]: v for v in data["facets"]["kind"]}
    assert "document" in kinds and "speech" in kinds
    assert kinds["speech"]["url"].startswith("/search.json?")  # JSON links lead to JSON
    narrowed = client.get(kinds["speech"]["url"]).json()
    assert narrowed["filters"] == {"kind": "speech"}
    assert narrowed["total"] == kinds["speech"]["count"]
    assert all(h["quote_kind"] == "speech" for h in narrowed["hits"])
    for hit in data["hits"]:
        for a, b in hit["highlights"]:
            assert 0 <= a < b <= len(hit["snippet"])
    assert any(hit["highlights"] for hit in data["hits"])


@pytest.mark.slow
def test_cursor_pagination_walks_every_item_once(client: TestClient) -> None:
    seen: list[str] = []
    url: str | None = "/search.json?q=the&limit=7"
    total = None
    while url:
        page = client.get(url).json()
        total = page["total"]
        seen.extend(f"{h['document_id']}#{h['quote_id']}" for h in page["hits"])
        url = page["next"]
    assert total and len(seen) == total == len(set(seen))
    docs = client.get("/documents.json?limit=2").json()
    assert len(docs["items"]) == 2 and docs["next"] and "cursor=" in docs["next"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("/doc/ffffffffffffffff.json", 404, "QG301"),
        ("/quote/{doc}/q9999.json", 404, "QG601"),
        ("/entity/nobody-at-all.json", 404, "QG601"),
        ("/nowhere.json", 404, "QG601"),
        ("/search.json?q=x&cursor=!!!", 400, "QG603"),
        ("/documents.json?limit=0", 400, "QG602"),
        ("/timeline.json?from=abc", 400, "QG602"),
        ("/network.json?node=nobody", 404, "QG601"),
        ("/network.json?kind=other", 400, "QG602"),
    ],
)
def test_errors_have_one_shape(client: TestClient, doc_id: str, url: str, status: int, code: str) -> None:
    response = client.get(url.format(doc=doc_id))
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["status"] == status
    assert response.json()["error"]["message"]
    page = client.get(url.format(doc=doc_id).replace(".json", ""))
    assert page.status_code == status and code in page.text


@pytest.mark.slow
def test_network_counts_who_quotes_whom(client: TestClient) -> None:
    data = client.get("/network.json").json()
    ids = {n["id"] for n in data["nodes"]}
    assert data["edges"] and all(e["source"] in ids and e["target"] in ids for e in data["edges"])
    healy = [e for e in data["edges"] if e["source"] == "gerry-healy" and e["target"] == "leon-trotsky"]
    assert healy and healy[0]["weight"] >= 10 and healy[0]["permalinks"][0].count("#") == 1
    page = client.get("/network").text
    assert '<svg class="network"' in page and f">{healy[0]['weight']}</text>" in page
    narrowed = client.get("/network.json?min=5").json()
    assert all(e["weight"] >= 5 for e in narrowed["edges"]) and len(narrowed["edges"]) < len(data["edges"])


@pytest.mark.slow
def test_pages_link_their_exports(client: TestClient, doc_id: str) -> None:
    page = client.get(f"/doc/{doc_id}").text
    assert f'href="/export/tei?document={doc_id}"' in page
    tei = client.get(f"/export/tei?document={doc_id}")
    assert tei.status_code == 200 and tei.headers["content-type"] == "application/tei+xml"
    assert tei.headers["content-disposition"] == f'attachment; filename="quotegraph-{doc_id}.tei.xml"'
    assert b"<TEI" in tei.content
    cite = client.get(f"/export/bibtex?quote={doc_id}%23q1")
    assert cite.status_code == 200 and b"@" in cite.content
    assert 'href="/export/bibtex?quote=' in client.get(f"/quote/{doc_id}/q1").text
    refused = client.get("/export/nope", headers={"Accept": "application/json"})
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "QG601"
    assert client.get(f"/export/tei?quote={doc_id}%23q9999").status_code == 404


@pytest.mark.slow
def test_read_only(client: TestClient) -> None:
    response = client.post("/search.json?q=x")
    assert response.status_code == 405 and response.json()["error"]["code"] == "QG604"


@pytest.mark.slow
@pytest.mark.parametrize(
    "url",
    [
        "/static/..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/static/..%5c..%5cpyproject.toml",
        "/doc/..%2f..%2f..%2fetc%2fpasswd",
        "/doc/%2fetc%2fpasswd",
        "/quote/..%2f..%2fetc%2fpasswd/q1",
        "/entity/..%2f..%2fetc%2fpasswd",
        "/static/../app.py",
    ],
)
def test_no_path_traversal(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code in (400, 404)
    assert "root:" not in response.text and "[project]" not in response.text and "import" not in response.text


@pytest.mark.slow
def test_openapi_documents_the_json_twins_and_the_error_shape(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    for path in [
        "/.json",
        "/documents.json",
        "/doc/{document_id}.json",
        "/search.json",
        "/timeline.json",
        "/network.json",
    ]:
        responses = paths[path]["get"]["responses"]
        assert "200" in responses and "404" in responses and "422" not in responses
    assert "ErrorResponse" in schema["components"]["schemas"]
    assert "/documents" not in paths  # the HTML pages are not part of the API


@pytest.mark.slow
def test_static_files_come_with_type_etag_and_caching(client: TestClient) -> None:
    from quotegraph.web.pages import HTMX, STATIC

    css = client.get("/static/quotegraph.css")
    assert css.status_code == 200 and css.content == (STATIC / "quotegraph.css").read_bytes()
    assert css.headers["content-type"] == "text/css; charset=utf-8"
    assert css.headers["cache-control"] == "public, max-age=3600"
    again = client.get("/static/quotegraph.css", headers={"If-None-Match": css.headers["etag"]})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == css.headers["etag"]
    script = client.get(f"/static/{HTMX}")
    assert "immutable" in script.headers["cache-control"]  # the version is in its name
    assert script.headers["content-type"].startswith(("application/javascript", "text/javascript"))
    head = client.head("/static/favicon.svg")
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["content-length"]) == (STATIC / "favicon.svg").stat().st_size
    missing = client.get("/static/nothing.css", headers={"Accept": "application/json"})
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "QG601"
    posted = client.post("/static/quotegraph.css", headers={"Accept": "application/json"})
    assert posted.status_code in (404, 405) and posted.json()["error"]["status"] == posted.status_code


def test_static_htmx_is_vendored_with_its_version() -> None:
    from quotegraph.web.pages import HTMX, STATIC

    assert re.fullmatch(r"htmx-\d+\.\d+\.\d+\.min\.js", HTMX)
    assert (STATIC / HTMX).stat().st_size > 10_000


def test_missing_store_is_refused(tmp_path: Path) -> None:
    from quotegraph.errors import StoreError

    with pytest.raises(StoreError):
        create_app(str(tmp_path / "nothing.db"))
    assert not (tmp_path / "nothing.db").exists()


# -- a hostile corpus --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    return TestClient(create_app(str(hostile_store(tmp_path_factory.mktemp("hostile") / "h.db"))))


def test_hostile_corpus_is_escaped_everywhere(hostile: TestClient) -> None:
    doc = hostile.get("/documents.json").json()["items"][0]["id"]
    entity = hostile.get(f"/doc/{doc}.json").json()["entities"][0]["entity_id"]
    for url in [
        "/",
        "/documents",
        f"/doc/{doc}",
        f"/quote/{doc}/q1",
        f"/quote/{doc}/q2",
        f"/quote/{doc}/q3",
        f"/entity/{entity}",
        "/search?q=alert",
        "/search?q=people&kind=speech",
        "/timeline",
        "/network",
    ]:
        page = hostile.get(url)
        assert page.status_code == 200, url
        assert re.findall(r"<script\b[^>]*>", page.text) == ['<script src="/static/htmx-2.0.11.min.js" defer>'], url
        assert SCRIPT not in page.text and IMG not in page.text
        assert not re.search(r"<img\b|<svg(?! class=)", page.text), url
        assert not re.search(r"<[a-z]+\b[^>]*\son\w+\s*=", page.text), url  # no event handler attribute
        assert 'href="javascript:' not in page.text.lower(), url
        for value in re.findall(r'(?:title|class|id|datetime)="([^"]*)"', page.text):
            assert len(value) < 300, url
    assert HUGE[:1000] in html.unescape(hostile.get(f"/doc/{doc}").text)  # shown as text, not dropped


@pytest.mark.slow
def test_quotation_page_shows_a_stored_verdict_and_its_diff(tmp_path: Path, sample_db: Path) -> None:
    import sqlite3

    from quotegraph.store import VerdictRow, open_store

    copy = tmp_path / "verified.db"
    with sqlite3.connect(sample_db) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    with open_store(copy) as store:
        quoting, cited = (d.id for d in store.documents()[:2])
        passage = store.texts([cited])[cited][10:60]
        store.save_verdicts(
            [
                VerdictRow(
                    document_id=quoting,
                    quote_id="q1",
                    verdict="altered",
                    confidence=0.9,
                    cited_document_id=cited,
                    source_document_id=cited,
                    passage_start=10,
                    passage_end=60,
                    edits=(
                        {
                            "type": "substitution",
                            "quoted": [0, 4],
                            "passage": [10, 14],
                            "quoted_text": "<b>never</b>",
                            "passage_text": "always",
                            "marked": False,
                            "severe": True,
                        },
                    ),
                    source_used="cited",
                    source_reason="the cited work's title matches the document's",
                )
            ]
        )
    client = TestClient(create_app(str(copy)))
    data = client.get(f"/quote/{quoting}/q1.json").json()["verification"]
    assert data["verdict"] == "altered" and data["passage_text"] == passage
    assert data["source_url"] == f"/doc/{cited}" and data["edits"][0]["severe"] is True
    page = client.get(f"/quote/{quoting}/q1").text
    assert 'class="verdict v-altered"' in page and "Not computed yet: the verdict" not in page
    assert "<ins>&lt;b&gt;never&lt;/b&gt;</ins>" in page and "<del>always</del>" in page
    q1 = client.get(f"/quote/{quoting}/q1.json").json()["quotation"]["text"]
    word = max(q1.split(), key=len).strip(".,;:!?’‘“”'\"()")
    found = client.get("/search.json", params={"q": word}).json()
    verdicts = {v["value"]: v for v in found["facets"]["verdict"]}
    assert verdicts["altered"]["count"] == 1
    narrowed = client.get(verdicts["altered"]["url"]).json()
    assert narrowed["total"] == 1 and narrowed["hits"][0]["verdict"] == "altered"
    assert narrowed["hits"][0]["quote_id"] == "q1" and narrowed["hits"][0]["document_id"] == quoting
    assert html.escape(passage, quote=False) in page or passage in html.unescape(page)


# -- the response cache ------------------------------------------------------------------------


def _copy_store(source: Path, target: Path) -> Path:
    import sqlite3

    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


@pytest.mark.slow
def test_cached_pages_follow_the_store(tmp_path: Path, sample_db: Path) -> None:
    """A page kept by the response cache is not served again once another document is ingested."""
    from quotegraph.analyse import analyse
    from quotegraph.read import read_file
    from quotegraph.store import open_store

    db = _copy_store(sample_db, tmp_path / "growing.db")
    client = TestClient(create_app(str(db)))
    before = client.get("/documents.json").json()["total"]
    assert client.get("/documents.json").json()["total"] == before  # the second answer comes from the cache
    html_before = client.get("/").text
    extra = tmp_path / "extra.txt"
    extra.write_text('The editor wrote: "Nobody had read the speech aloud before." It was 1957.\n', encoding="utf-8")
    with open_store(db) as store:
        doc = read_file(extra)
        store.ingest(doc, analyse(doc))
    assert client.get("/documents.json").json()["total"] == before + 1
    assert client.get("/").text != html_before


@pytest.mark.slow
def test_cached_quotation_follows_a_saved_verdict(tmp_path: Path, sample_db: Path) -> None:
    from quotegraph.store import VerdictRow, open_store

    db = _copy_store(sample_db, tmp_path / "verdicts.db")
    client = TestClient(create_app(str(db)))
    with open_store(db) as store:
        quoting, cited = (d.id for d in store.documents()[:2])
    assert client.get(f"/quote/{quoting}/q1.json").json()["verification"] is None
    assert client.get(f"/quote/{quoting}/q1.json").json()["verification"] is None  # now kept
    with open_store(db) as store:
        store.save_verdicts(
            [
                VerdictRow(
                    document_id=quoting,
                    quote_id="q1",
                    verdict="faithful",
                    confidence=1.0,
                    cited_document_id=cited,
                    source_document_id=cited,
                    passage_start=0,
                    passage_end=10,
                    edits=(),
                    source_used="cited",
                    source_reason="test",
                )
            ]
        )
    assert client.get(f"/quote/{quoting}/q1.json").json()["verification"]["verdict"] == "faithful"


@pytest.mark.slow
def test_cache_keeps_pages_fragments_and_queries_apart(client: TestClient) -> None:
    for _ in range(2):  # the second round is served from the cache
        full = client.get("/search?q=Stalin")
        fragment = client.get("/search?q=Stalin", headers={"HX-Request": "true"})
        other = client.get("/search.json?q=Trotsky").json()
        same_path = client.get("/search.json?q=Stalin").json()
        assert "<html" in full.text and "<html" not in fragment.text
        assert fragment.headers["vary"] == "HX-Request" and full.headers["vary"] == "HX-Request"
        assert other["query"] == "Trotsky" and same_path["query"] == "Stalin"
        assert full.headers["x-frame-options"] == "DENY"
        assert "script-src 'self'" in full.headers["content-security-policy"]
        assert full.headers["content-type"].startswith("text/html") and int(full.headers["content-length"]) == len(
            full.content
        )


@pytest.mark.slow
def test_concurrent_requests_for_a_new_page_build_it_once(
    sample_db: Path, doc_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio

    import httpx

    from quotegraph.store.sqlite import SQLiteStore

    app = create_app(str(sample_db))
    loads: list[str] = []
    original = SQLiteStore.marked_document  # the reader's one read of the document

    def counted(self: SQLiteStore, ref: str, version: int | None = None) -> Any:
        loads.append(ref)
        return original(self, ref, version)

    monkeypatch.setattr(SQLiteStore, "marked_document", counted)

    async def together() -> list[httpx.Response]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as http:
            return await asyncio.gather(*(http.get(f"/doc/{doc_id}") for _ in range(6)))

    answers = asyncio.run(together())
    assert [a.status_code for a in answers] == [200] * 6
    assert len({a.text for a in answers}) == 1
    assert loads == [doc_id]
