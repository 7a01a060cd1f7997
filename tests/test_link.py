"""Corpus-wide entities and the timeline, from stored rows (no NLP involved)."""

from __future__ import annotations

from quotegraph.link.entities import find, merge
from quotegraph.link.timeline import precision, statements, timelinejs
from quotegraph.store.base import DateRow, EntityRow


def surname_same(a: str, b: str) -> bool:
    return a.split()[-1].strip(".") == b.split()[-1].strip(".")


A = "In 1937 Trotsky wrote the book. Zinoviev and Kamenev were shot in August 1936.\n\nLater, in 1940, he died."
B = "Y.G. Plimak spoke in 1988 of Trotsky."

ROWS = [
    EntityRow("a", "a.txt", "Leon Trotsky", "PERSON", ("Trotsky",), ((8, 15), (96, 98))),
    EntityRow("a", "a.txt", "Grigory Zinoviev", "PERSON", ("Zinoviev",), ((32, 40),)),
    EntityRow("b", "b.txt", "Leon Trotsky", "PERSON", ("Trotsky",), ((29, 36),)),
    EntityRow("b", "b.txt", "Y.G. Plimak", "PERSON", ("Y.G. Plimak",), ((0, 11),)),
    EntityRow("c", "c.txt", "Plimak", "PERSON", ("Plimak",), ((0, 6),)),
    EntityRow("c", "c.txt", "Trotskyism", "ORG", ("Trotskyism",), ((10, 20),)),
]


def test_merge_across_documents_by_name_and_variant() -> None:
    entities = merge(ROWS, surname_same)
    trotsky = find(entities, "trotsky", surname_same)
    assert trotsky is not None and trotsky.canonical == "Leon Trotsky"
    assert trotsky.documents == ("a", "b") and len(trotsky.occurrences) == 3
    plimak = find(entities, "Plimak", surname_same)
    assert plimak is not None and plimak.canonical == "Y.G. Plimak" and plimak.variants == ("Plimak",)
    assert find(entities, "Trotskyism", surname_same) is not None  # an ORG stays its own entity
    assert find(entities, "Bukharin", surname_same) is None


def test_timeline_sentences_entities_and_year_filter() -> None:
    dates = [
        DateRow("a", "a.txt", 3, 7, "1937", "1937", False),
        DateRow("a", "a.txt", 66, 77, "August 1936", "1936-08", False),
        DateRow("a", "a.txt", 90, 94, "1940", "1940", False),
        DateRow("b", "b.txt", 21, 25, "1988", "1988", False),
        DateRow("b", "b.txt", 0, 1, "x", None, False),
    ]
    entities = merge(ROWS, surname_same)
    items = statements(dates, entities, {"a": A, "b": B})
    assert [s.value for s in items] == ["1936-08", "1937", "1940", "1988"]
    assert items[0].sentence == "Zinoviev and Kamenev were shot in August 1936."
    assert items[0].entities == ("Grigory Zinoviev",)
    trotsky = find(entities, "Trotsky", surname_same)
    assert [s.value for s in statements(dates, entities, {"a": A, "b": B}, entity=trotsky)] == ["1937", "1940", "1988"]
    assert [s.value for s in statements(dates, entities, {"a": A, "b": B}, from_year=1937, to_year=1940)] == [
        "1937",
        "1940",
    ]
    js = timelinejs(items)
    assert js["events"][0]["start_date"] == {"year": "1936", "month": "8"}
    assert len({e["unique_id"] for e in js["events"]}) == len(items)


def test_precision_of_values() -> None:
    assert [precision(v) for v in ["1956", "1956-03", "1956-03-09", "1937/1938", "1930/1939"]] == [
        "year",
        "month",
        "day",
        "range",
        "decade",
    ]
