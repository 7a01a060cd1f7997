"""The quotation engine on small texts: each general mechanism the issue names, one test each."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotegraph.analyse import analyse
from quotegraph.goldjson import from_json, to_json
from quotegraph.model import Document, Quote
from quotegraph.read import read_bytes


def run(text: str) -> list[Quote]:
    return list(analyse(read_bytes(text.encode("utf-8"), "t.txt")).quotes)


def by_text(quotes: list[Quote], start: str) -> Quote:
    return next(q for q in quotes if q.text.startswith(start))


def test_cue_before_with_colon_and_surname_expanded() -> None:
    qs = run(
        "Harry Pollitt was the party's secretary.\n\n"
        "Later Pollitt declared: “Titoism represents the revival of Trotskyism in new forms.”"
    )
    q = by_text(qs, "Titoism")
    assert (q.kind, q.speaker, q.cue) == ("speech", "Harry Pollitt", "declared")


def test_a_name_nobody_knows_is_expanded_to_its_fullest_written_form() -> None:
    qs = run(
        "Minutes of the district committee\n\nComrade Ivan Sidorenko chaired the meeting.\n\n"
        "Later Sidorenko declared: “The plan was fulfilled ahead of time in every district.”"
    )
    assert by_text(qs, "The plan").speaker == "Ivan Sidorenko"


def test_split_quotation_shares_its_speaker() -> None:
    qs = run("Trotsky wrote a book. ‘A revolution’, he writes, ‘is a mighty devourer of human energy.’")
    first, second = by_text(qs, "A revolution"), by_text(qs, "is a mighty")
    assert first.speaker == second.speaker == "Leon Trotsky"
    assert first.kind == second.kind == "speech"


def test_block_quotation_that_lost_its_marks() -> None:
    qs = run(
        "On Stalin’s sixtieth birthday, V.M. Molotov, first among his admirers, wrote:\n\n"
        "Under Stalin’s leadership, we have demolished the enemies of the people and cleared the state "
        "apparatus of hostile elements.\n\nThis remark tells us much."
    )
    q = by_text(qs, "Under Stalin’s leadership")
    assert (q.kind, q.speaker, q.cue) == ("block", "Vyacheslav Molotov", "wrote")
    assert not any(x.text.startswith("This remark") for x in qs)


def test_multi_paragraph_quotation_one_entry_per_paragraph() -> None:
    qs = run(
        "I am reading now from Khrushchev’s speech:\n\n"
        "“Stalin acted not through persuasion but by imposing his concepts.\n\n"
        "“Whoever opposed this concept was doomed to removal from the leading collective.”\n\n"
        "So says Khrushchev."
    )
    blocks = [q for q in qs if q.kind == "block"]
    assert len(blocks) == 2
    assert {q.speaker for q in blocks} == {"Nikita Khrushchev"}
    assert all(q.source is not None and q.source.work == "Khrushchev’s speech" for q in blocks)


def test_words_after_a_colon_closed_by_a_mark_with_no_opening_mark() -> None:
    qs = run("Historian Y.G. Plimak had this to say: I consider that Trotsky is no simple figure at all.’")
    q = by_text(qs, "I consider")
    assert q.speaker == "Yevgeny Plimak"
    assert q.text.endswith("at all.")


def test_scare_quotes_and_titles_are_not_speech() -> None:
    qs = run(
        "Stalin originated the concept ‘enemy of the people.’ The so-called ‘spies’ were shot. "
        "Under the heading ‘Sovetskaya Rossiya Attacked by Pravda’, the paper had much to say."
    )
    assert by_text(qs, "enemy").kind == "term"
    assert by_text(qs, "spies").kind == "term"
    assert by_text(qs, "Sovetskaya").kind == "title"


def test_pronoun_resolved_to_the_preceding_subject() -> None:
    qs = run(
        "Lenin lay ill, and Stalin moved to consolidate his power. Lenin became alarmed.\n\n"
        "And here is what he wrote: “Stalin is too rude, and this fault becomes insupportable.”"
    )
    assert by_text(qs, "Stalin is too rude").speaker == "Vladimir Lenin"


def test_citations_with_op_cit_and_ibid_resolved() -> None:
    qs = run(
        "Trotsky explains: ‘The young bureaucracy began to feel itself a court of arbitration between "
        "the classes.’ (Page 88-89 Revolution Betrayed, New Park edition)\n\n"
        "He continues: ‘The scheme was successful and the machine had won its independence.’ "
        "(Op. Cit. page 97)\n\n"
        "Trotsky adds: ‘The chief merit of a Bolshevik was declared to be obedience.’ (Ibid)"
    )
    first, second, third = (by_text(qs, s) for s in ("The young", "The scheme", "The chief"))
    assert first.source is not None and (first.source.work, first.source.page) == (
        "Revolution Betrayed",
        "88-89",
    )
    assert second.source is not None and (second.source.work, second.source.page) == (
        "Revolution Betrayed",
        "97",
    )
    assert second.source.edition == "New Park edition" and second.source.evidence == "op. cit."
    assert third.source is not None and (third.source.page, third.source.evidence) == ("97", "ibid")


def test_nested_quotation_records_its_parent() -> None:
    qs = run(
        "Trotsky explains that ‘as early as 1926 Krupskaya said, in a circle of Left Oppositionists, "
        "“if Ilych were alive, he would probably already be in prison.” The bureaucracy conquered.’ (Page 94)"
    )
    outer, inner = by_text(qs, "as early"), by_text(qs, "if Ilych")
    assert inner.parent == outer.id
    assert (inner.speaker, outer.speaker) == ("Nadezhda Krupskaya", "Leon Trotsky")


def test_speaker_named_after_the_quotation() -> None:
    qs = run("“He is a man of iron. His name describes him and his power lies in common sense.” Henry Barbusse.")
    assert qs[0].speaker == "Henri Barbusse"  # the gazetteer's spelling


def test_collective_speaker() -> None:
    qs = run("Day after day the Daily Worker boasted triumphantly: “They confessed, didn’t they?”")
    assert qs[0].speaker == "Daily Worker"


def test_nobody_named_gives_a_null_speaker() -> None:
    qs = run("The question, “Why weren’t we told before?” is not so much an answer as an excuse.")
    assert qs[0].kind == "speech" and qs[0].speaker is None


_words = st.sampled_from(
    [
        "Stalin",
        "said",
        "wrote",
        "the",
        "party",
        ":",
        ",",
        ".",
        "“",
        "”",
        "‘",
        "’",
        '"',
        "'",
        "\n\n",
        "he",
        "Trotsky",
        "explains",
        "(Page 9)",
        "…",
        "Ibid",
    ]
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_words, max_size=40))
def test_offsets_anchor_and_json_round_trips(words: list[str]) -> None:
    text = " ".join(words)
    doc: Document = read_bytes(text.encode("utf-8"), "h.txt") if text.strip() else None  # type: ignore[assignment]
    if doc is None:
        return
    analysis = analyse(doc)
    for q in analysis.quotes:
        assert doc.text[q.start : q.end] == q.text
        assert "\n\n" not in q.text.strip()
    assert from_json(to_json(analysis)) == analysis


def test_rhetorical_question_names_whose_words_follow() -> None:
    qs = run("What of Mikoyan? “Today, our country and toiling humanity are doing honor to the great leader.”")
    assert qs[0].speaker == "Anastas Mikoyan"


def test_fragments_inside_a_reported_clause_are_speech() -> None:
    qs = run("Khrushchev now says that Stalin was the victim of “phobia,” and of nothing else.")
    assert (qs[0].kind, qs[0].speaker) == ("speech", "Nikita Khrushchev")
