"""Analysis ⇄ gold-format JSON is lossless, for any record Hypothesis can build."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotegraph.goldjson import from_json, to_json
from quotegraph.model import QUOTE_KINDS, Analysis, DateRef, Entity, Metadata, Quote, Source, Span

spans = st.builds(lambda a, n: Span(a, a + n), st.integers(0, 10_000), st.integers(0, 500))
texts = st.text(max_size=30)
opt = st.none() | texts
sources = st.none() | st.builds(Source, work=opt, page=opt, edition=opt, citation=st.none() | spans, evidence=texts)
quotes = st.builds(
    Quote,
    id=st.from_regex(r"q[0-9]{1,3}", fullmatch=True),
    start=st.integers(0, 1000),
    end=st.integers(1000, 2000),
    text=texts,
    kind=st.sampled_from(QUOTE_KINDS),
    speaker=opt,
    cue=opt,
    source=sources,
    parent=st.none() | st.just("q1"),
    speaker_span=st.none() | spans,
    cue_span=st.none() | spans,
    confidence=st.floats(0, 1),
    closed=st.booleans(),
)
metadata = st.builds(
    Metadata,
    title=opt,
    authors=st.lists(texts, max_size=3).map(tuple),
    publication=opt,
    published=opt,
    posted=opt,
    boilerplate=st.lists(spans, max_size=3).map(tuple),
)
analyses = st.builds(
    Analysis,
    document=texts,
    metadata=metadata,
    quotes=st.lists(quotes, max_size=4).map(tuple),
    dates=st.lists(
        st.builds(DateRef, st.integers(0, 9), st.integers(10, 20), texts, opt, st.booleans()), max_size=2
    ).map(tuple),
    entities=st.lists(
        st.builds(
            Entity,
            texts,
            st.sampled_from(["PERSON", "ORG", "WORK"]),
            st.lists(texts, max_size=2).map(tuple),
            st.lists(spans, max_size=2).map(tuple),
        ),
        max_size=2,
    ).map(tuple),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(analyses)
def test_round_trip_through_json_text(analysis: Analysis) -> None:
    assert from_json(json.loads(json.dumps(to_json(analysis)))) == analysis
