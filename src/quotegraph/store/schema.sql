-- quotegraph store schema. The version lives in PRAGMA user_version (set by sqlite.py together with
-- PRAGMA application_id); bump SCHEMA_VERSION in sqlite.py whenever this file changes.
--
-- A *lineage* is a document as the user knows it (a source path, or a file name when there is no
-- path). Each distinct content ingested under it is one row of `document` (a *version*); exactly
-- one version per lineage is current. Document ids derive from the content hash, so they and the
-- quotation permalinks (document id + quote id) survive re-ingest. Offsets are Python str indices.
-- Columns that queries filter on are real columns; the rest of the metadata is kept as JSON.

CREATE TABLE lineage (
    pk  INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE  -- 'path:' + absolute source path, or 'name:' + file name
);

CREATE TABLE document (
    pk                INTEGER PRIMARY KEY,  -- explicit, so FTS rowids survive VACUUM
    id                TEXT NOT NULL UNIQUE,  -- Document.id (content hash prefix)
    content_hash      TEXT NOT NULL UNIQUE,
    lineage_pk        INTEGER NOT NULL REFERENCES lineage (pk) ON DELETE CASCADE,
    version           INTEGER NOT NULL CHECK (version >= 1),
    is_current        INTEGER NOT NULL CHECK (is_current IN (0, 1)),
    name              TEXT NOT NULL,
    stem              TEXT NOT NULL,
    source_path       TEXT,
    format            TEXT NOT NULL,
    encoding          TEXT NOT NULL,
    text              TEXT NOT NULL,
    repairs           TEXT NOT NULL,  -- JSON array of strings
    metadata          TEXT NOT NULL,  -- JSON of Document.metadata
    blockquotes       TEXT NOT NULL,  -- JSON [[start, end], ...]
    analysis_document TEXT NOT NULL,  -- Analysis.document
    analysis_metadata TEXT NOT NULL,  -- JSON of Analysis.metadata
    -- Queryable copies, from the analysis metadata falling back to the document's.
    title             TEXT,
    authors           TEXT NOT NULL,  -- JSON array of strings
    publication       TEXT,
    published         TEXT,
    quote_count       INTEGER NOT NULL,
    ingested_at       TEXT NOT NULL,  -- ISO 8601, UTC
    UNIQUE (lineage_pk, version)
);
CREATE UNIQUE INDEX document_one_current ON document (lineage_pk) WHERE is_current = 1;
CREATE INDEX document_name ON document (name);
CREATE INDEX document_stem ON document (stem);
CREATE INDEX document_source_path ON document (source_path);

CREATE TABLE quote (
    pk             INTEGER PRIMARY KEY,
    doc_pk         INTEGER NOT NULL REFERENCES document (pk) ON DELETE CASCADE,
    seq            INTEGER NOT NULL,  -- position in Analysis.quotes
    id             TEXT NOT NULL,  -- "q1" …, unique per document version
    span_start     INTEGER NOT NULL,
    span_end       INTEGER NOT NULL,
    text           TEXT NOT NULL,
    kind           TEXT NOT NULL,
    speaker        TEXT,
    speaker_key    TEXT,  -- folded (case, accents, spacing) for substring filters
    cue            TEXT,
    has_source     INTEGER NOT NULL CHECK (has_source IN (0, 1)),  -- Source(work=None) ≠ no source
    work           TEXT,
    work_key       TEXT,
    page           TEXT,
    edition        TEXT,
    evidence       TEXT,
    citation_start INTEGER,
    citation_end   INTEGER,
    parent         TEXT,
    speaker_start  INTEGER,
    speaker_end    INTEGER,
    cue_start      INTEGER,
    cue_end        INTEGER,
    confidence     REAL NOT NULL,
    closed         INTEGER NOT NULL CHECK (closed IN (0, 1)),
    UNIQUE (doc_pk, id)
);
CREATE INDEX quote_doc ON quote (doc_pk, seq);
CREATE INDEX quote_speaker ON quote (speaker);
CREATE INDEX quote_kind ON quote (kind);

CREATE TABLE date_ref (
    pk         INTEGER PRIMARY KEY,
    doc_pk     INTEGER NOT NULL REFERENCES document (pk) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    span_start INTEGER NOT NULL,
    span_end   INTEGER NOT NULL,
    text       TEXT NOT NULL,
    value      TEXT,
    typo       INTEGER NOT NULL CHECK (typo IN (0, 1))
);
CREATE INDEX date_ref_doc ON date_ref (doc_pk, seq);
CREATE INDEX date_ref_value ON date_ref (value);

CREATE TABLE entity (
    pk            INTEGER PRIMARY KEY,
    doc_pk        INTEGER NOT NULL REFERENCES document (pk) ON DELETE CASCADE,
    seq           INTEGER NOT NULL,
    canonical     TEXT NOT NULL,
    canonical_key TEXT NOT NULL,  -- folded, for cross-document linking later
    type          TEXT NOT NULL,
    mentions      TEXT NOT NULL,  -- JSON array of strings
    spans         TEXT NOT NULL  -- JSON [[start, end], ...]
);
CREATE INDEX entity_doc ON entity (doc_pk, seq);
CREATE INDEX entity_key ON entity (canonical_key, type);

-- Verification verdicts (quotegraph.verify), one per quotation of a document version, recomputed
-- idempotently: saving a quotation's verdict again replaces it.
CREATE TABLE verdict (
    quote_pk           INTEGER PRIMARY KEY REFERENCES quote (pk) ON DELETE CASCADE,
    verdict            TEXT NOT NULL,
    confidence         REAL NOT NULL,
    cited_document_id  TEXT,  -- the document checked as the cited source (NULL: not in the corpus)
    source_document_id TEXT,  -- the document the located passage is in
    passage_start      INTEGER,
    passage_end        INTEGER,
    edits              TEXT NOT NULL,  -- JSON array of edits
    elsewhere          TEXT NOT NULL,  -- JSON array of {document_id, start, end, coverage}
    similarity         REAL,
    source_used        TEXT NOT NULL CHECK (source_used IN ('cited', 'explicit', 'none')),
    source_reason      TEXT NOT NULL,
    verified_at        TEXT NOT NULL  -- ISO 8601, UTC
);
CREATE INDEX verdict_verdict ON verdict (verdict);

-- Full-text indexes over external content, kept in sync by triggers so that no code path can
-- forget them. Diacritics are removed, so "Leon" finds "Léon".
CREATE VIRTUAL TABLE document_fts USING fts5 (
    title, text,
    content = 'document', content_rowid = 'pk',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER document_fts_insert AFTER INSERT ON document BEGIN
    INSERT INTO document_fts (rowid, title, text) VALUES (new.pk, new.title, new.text);
END;
CREATE TRIGGER document_fts_delete AFTER DELETE ON document BEGIN
    INSERT INTO document_fts (document_fts, rowid, title, text)
    VALUES ('delete', old.pk, old.title, old.text);
END;
CREATE TRIGGER document_fts_update AFTER UPDATE OF title, text ON document BEGIN
    INSERT INTO document_fts (document_fts, rowid, title, text)
    VALUES ('delete', old.pk, old.title, old.text);
    INSERT INTO document_fts (rowid, title, text) VALUES (new.pk, new.title, new.text);
END;

CREATE VIRTUAL TABLE quote_fts USING fts5 (
    text, speaker,
    content = 'quote', content_rowid = 'pk',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER quote_fts_insert AFTER INSERT ON quote BEGIN
    INSERT INTO quote_fts (rowid, text, speaker) VALUES (new.pk, new.text, new.speaker);
END;
CREATE TRIGGER quote_fts_delete AFTER DELETE ON quote BEGIN
    INSERT INTO quote_fts (quote_fts, rowid, text, speaker)
    VALUES ('delete', old.pk, old.text, old.speaker);
END;
CREATE TRIGGER quote_fts_update AFTER UPDATE OF text, speaker ON quote BEGIN
    INSERT INTO quote_fts (quote_fts, rowid, text, speaker)
    VALUES ('delete', old.pk, old.text, old.speaker);
    INSERT INTO quote_fts (rowid, text, speaker) VALUES (new.pk, new.text, new.speaker);
END;

-- Quotation families (the link step, quotegraph.link.families): corpus-wide derived data over the
-- current versions, replaced whole in one transaction each time it is recomputed.
CREATE TABLE family (
    pk             INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: store.revision() sees a new save
    id             TEXT NOT NULL UNIQUE,  -- derived from the representative's words: stable
    size           INTEGER NOT NULL,
    document_count INTEGER NOT NULL
);
CREATE TABLE family_member (
    family_pk   INTEGER NOT NULL REFERENCES family (pk) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,  -- 0: the representative
    document_id TEXT NOT NULL,  -- document.id (a current version when saved)
    quote_id    TEXT NOT NULL,
    relation    TEXT NOT NULL,  -- representative, verbatim, cut, elided, translation
    similarity  REAL NOT NULL,
    PRIMARY KEY (document_id, quote_id)
);
CREATE INDEX family_member_family ON family_member (family_pk, seq);

-- Sentence vectors, so re-linking embeds only new texts. The key is the sha256 of the model name and
-- the normalised text embedded (quotegraph.link.families.embedding_key).
CREATE TABLE embedding (
    key    TEXT PRIMARY KEY,
    model  TEXT NOT NULL,
    vector BLOB NOT NULL  -- float32, little-endian
);
