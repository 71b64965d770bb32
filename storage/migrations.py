"""Named, append-only schema migrations.

Each migration is a function that takes the database and changes its schema. They run in list
order, each in its own transaction, and their names are recorded in ``_migrations``. An applied
migration is never edited: a schema change is a new function appended to ``MIGRATIONS``.
Every table and column is documented in ``storage/schema.md`` (a test checks this).
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

from storage.errors import SchemaTooNew, SchemaTooOld

Migration = Callable[[sqlite_utils.Database], None]


def m0001_initial(db: sqlite_utils.Database) -> None:
    """Outlets, runs, URLs and their decisions, raw pages, articles with FTS, feed validators."""
    db.executescript(
        """
        CREATE TABLE outlets (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            homepage TEXT NOT NULL,
            language TEXT NOT NULL,
            config_json TEXT NOT NULL,
            first_seen_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            outlet_id TEXT NOT NULL REFERENCES outlets(id),
            trigger TEXT NOT NULL,
            status TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            discovered INTEGER NOT NULL DEFAULT 0,
            skipped_known INTEGER NOT NULL DEFAULT 0,
            skipped_old INTEGER NOT NULL DEFAULT 0,
            requested INTEGER NOT NULL DEFAULT 0,
            stored INTEGER NOT NULL DEFAULT 0,
            off_topic INTEGER NOT NULL DEFAULT 0,
            duplicates INTEGER NOT NULL DEFAULT 0,
            no_body INTEGER NOT NULL DEFAULT 0,
            errors INTEGER NOT NULL DEFAULT 0,
            retry_after_seconds REAL,
            error TEXT
        );
        CREATE INDEX runs_outlet_started ON runs(outlet_id, started_at);
        CREATE TABLE pages (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL,
            fetched_at TEXT NOT NULL,
            http_status INTEGER NOT NULL,
            content_type TEXT,
            size_bytes INTEGER NOT NULL,
            html_gzip BLOB NOT NULL
        );
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            outlet_id TEXT NOT NULL REFERENCES outlets(id),
            url TEXT NOT NULL,
            canonical_url TEXT NOT NULL UNIQUE,
            title TEXT,
            description TEXT,
            text TEXT NOT NULL,
            authors TEXT NOT NULL DEFAULT '[]',
            published_at TEXT,
            language TEXT,
            site_name TEXT,
            image_url TEXT,
            word_count INTEGER NOT NULL,
            body_sha256 TEXT NOT NULL,
            topic_id TEXT NOT NULL,
            relevance_score REAL NOT NULL,
            matched_terms TEXT NOT NULL DEFAULT '[]',
            relevance_details TEXT NOT NULL DEFAULT '{}',
            extractor TEXT NOT NULL,
            fetched_at TEXT NOT NULL,
            stored_at TEXT NOT NULL,
            run_id INTEGER REFERENCES runs(id),
            page_id INTEGER REFERENCES pages(id)
        );
        CREATE INDEX articles_body_sha256 ON articles(body_sha256);
        CREATE INDEX articles_outlet_published ON articles(outlet_id, published_at);
        CREATE INDEX articles_stored_at ON articles(stored_at);
        CREATE TABLE article_topics (
            article_id INTEGER NOT NULL REFERENCES articles(id),
            topic_id TEXT NOT NULL,
            relevance_score REAL NOT NULL,
            matched_terms TEXT NOT NULL DEFAULT '[]',
            PRIMARY KEY (article_id, topic_id)
        );
        CREATE TABLE urls (
            url TEXT PRIMARY KEY,
            outlet_id TEXT NOT NULL REFERENCES outlets(id),
            state TEXT NOT NULL,
            reason TEXT NOT NULL,
            http_status INTEGER,
            attempts INTEGER NOT NULL DEFAULT 0,
            final_url TEXT,
            canonical_url TEXT,
            relevance_score REAL,
            article_id INTEGER REFERENCES articles(id),
            page_id INTEGER REFERENCES pages(id),
            run_id INTEGER REFERENCES runs(id),
            first_seen_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX urls_outlet_state ON urls(outlet_id, state);
        CREATE INDEX urls_canonical ON urls(canonical_url);
        CREATE TABLE sources (
            outlet_id TEXT NOT NULL REFERENCES outlets(id),
            url TEXT NOT NULL,
            kind TEXT NOT NULL,
            etag TEXT,
            last_modified TEXT,
            last_fetched_at TEXT,
            last_status INTEGER,
            last_entries INTEGER,
            last_error TEXT,
            PRIMARY KEY (outlet_id, url)
        );
        """
    )
    db.table("articles").enable_fts(
        ["title", "text"], fts_version="FTS5", create_triggers=True, tokenize="unicode61"
    )


def m0002_schedule(db: sqlite_utils.Database) -> None:
    """The daemon's per-outlet schedule state, so a restart resumes where it was."""
    db.execute(
        """
        CREATE TABLE schedule (
            outlet_id TEXT PRIMARY KEY REFERENCES outlets(id),
            state TEXT NOT NULL,
            interval_seconds REAL NOT NULL,
            next_due_at TEXT,
            consecutive_failures INTEGER NOT NULL DEFAULT 0,
            last_run_id INTEGER REFERENCES runs(id),
            last_started_at TEXT,
            last_finished_at TEXT,
            last_status TEXT,
            last_new_article_at TEXT,
            plan_reason TEXT,
            updated_at TEXT NOT NULL
        )
        """
    )
    db.execute("ALTER TABLE runs ADD COLUMN duration_seconds REAL")


def m0003_frontier(db: sqlite_utils.Database) -> None:
    """The frontier: URLs a source listed are kept as 'pending' with the source's hints until a
    crawl decides them; sources remember their body hash and the documents they point to.

    Stores written before this kept validators for documents whose entries were never fetched
    (a capped or killed crawl); forgetting the validators makes the next crawl read every
    source in full once, so those entries enter the frontier instead of staying lost."""
    for statement in (
        "ALTER TABLE urls ADD COLUMN source_url TEXT",
        "ALTER TABLE urls ADD COLUMN listed_title TEXT",
        "ALTER TABLE urls ADD COLUMN listed_published_at TEXT",
        "CREATE INDEX urls_frontier ON urls(outlet_id, state, listed_published_at)",
        "ALTER TABLE sources ADD COLUMN body_sha256 TEXT",
        "ALTER TABLE sources ADD COLUMN follow TEXT NOT NULL DEFAULT '[]'",
        "ALTER TABLE sources ADD COLUMN last_changed_at TEXT",
        "UPDATE sources SET etag = NULL, last_modified = NULL",
    ):  # one statement at a time: executescript would commit the migration's transaction
        db.execute(statement)


def m0004_copies_and_stories(db: sqlite_utils.Database) -> None:
    """Republications and stories: an article may point at the original it copies and
    belongs to a story; the near-duplicate index (MinHash band keys) and the story terms with
    their document counts make both lookups an index probe. Articles stored before this are
    each their own story; the writer files them in both indexes a batch at a time
    (``indexed`` 0 until then)."""
    for statement in (
        "ALTER TABLE articles ADD COLUMN duplicate_of INTEGER REFERENCES articles(id)",
        "ALTER TABLE articles ADD COLUMN duplicate_similarity REAL",
        "ALTER TABLE articles ADD COLUMN duplicate_rule TEXT",
        "ALTER TABLE articles ADD COLUMN story_id INTEGER",
        "ALTER TABLE articles ADD COLUMN story_matched_id INTEGER REFERENCES articles(id)",
        "ALTER TABLE articles ADD COLUMN story_similarity REAL",
        "ALTER TABLE articles ADD COLUMN story_evidence TEXT NOT NULL DEFAULT '[]'",
        "ALTER TABLE articles ADD COLUMN indexed INTEGER NOT NULL DEFAULT 0",
        "CREATE INDEX articles_unindexed ON articles(id) WHERE indexed = 0",
        "UPDATE articles SET story_id = id",
        "CREATE INDEX articles_duplicate_of ON articles(duplicate_of)",
        "CREATE INDEX articles_story ON articles(story_id)",
        "CREATE TABLE article_bands (band_key INTEGER NOT NULL,"
        " article_id INTEGER NOT NULL REFERENCES articles(id),"
        " PRIMARY KEY (band_key, article_id)) WITHOUT ROWID",
        "CREATE TABLE story_terms (term TEXT NOT NULL, day TEXT NOT NULL,"
        " article_id INTEGER NOT NULL REFERENCES articles(id),"
        " PRIMARY KEY (term, day, article_id)) WITHOUT ROWID",
        "CREATE INDEX story_terms_article ON story_terms(article_id)",
        "CREATE TABLE story_term_counts (term TEXT PRIMARY KEY, articles INTEGER NOT NULL)"
        " WITHOUT ROWID",
        _STORIES_VIEW,
    ):
        db.execute(statement)


def _stories_view(only: str = "") -> str:
    """The ``stories`` view over the articles ``only`` admits (an SQL condition on ``{t}``,
    the table alias; all articles if empty)."""
    inner = f"AND {only.format(t='s')}" if only else ""
    outer = f"WHERE {only.format(t='a')}" if only else ""
    return f"""
CREATE VIEW stories AS
SELECT a.story_id AS story_id,
       (SELECT s.title FROM articles s WHERE s.story_id = a.story_id {inner}
        ORDER BY s.duplicate_of IS NOT NULL, COALESCE(s.published_at, s.fetched_at), s.id
        LIMIT 1) AS title,
       MIN(COALESCE(a.published_at, a.fetched_at)) AS first_published_at,
       MIN(a.stored_at) AS first_seen_at,
       MAX(a.stored_at) AS last_seen_at,
       SUM(a.duplicate_of IS NULL) AS reports,
       SUM(a.duplicate_of IS NOT NULL) AS republications,
       COUNT(DISTINCT a.outlet_id) AS outlets,
       GROUP_CONCAT(DISTINCT a.outlet_id) AS outlet_ids,
       GROUP_CONCAT(DISTINCT a.language) AS languages
FROM articles a {outer}
GROUP BY a.story_id
"""


_STORIES_VIEW = _stories_view()


def m0005_versions(db: sqlite_utils.Database) -> None:
    """Article versions: stored articles are fetched again on a schedule (conditional GET,
    with the page's validators); a changed text becomes a new version, the earlier ones kept
    in ``article_versions`` with their diffs. Articles stored before this are not rechecked."""
    for statement in (
        "ALTER TABLE articles ADD COLUMN version INTEGER NOT NULL DEFAULT 1",
        "ALTER TABLE articles ADD COLUMN version_seen_at TEXT",
        "ALTER TABLE articles ADD COLUMN etag TEXT",
        "ALTER TABLE articles ADD COLUMN last_modified TEXT",
        "ALTER TABLE articles ADD COLUMN rechecks INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE articles ADD COLUMN rechecked_at TEXT",
        "ALTER TABLE articles ADD COLUMN recheck_due_at TEXT",
        "UPDATE articles SET version_seen_at = fetched_at",
        "CREATE INDEX articles_recheck_due ON articles(outlet_id, recheck_due_at)",
        "CREATE TABLE article_versions (article_id INTEGER NOT NULL REFERENCES articles(id),"
        " version INTEGER NOT NULL, title TEXT, text TEXT NOT NULL, body_sha256 TEXT NOT NULL,"
        " seen_at TEXT NOT NULL, diff TEXT, added_lines INTEGER, removed_lines INTEGER,"
        " PRIMARY KEY (article_id, version))",
    ):
        db.execute(statement)


def m0006_review(db: sqlite_utils.Database) -> None:
    """The review band and analysts' labels: an article is on topic or borderline (kept for
    review below the threshold), and an analyst's label can promote or demote it; every label
    is kept in ``labels``. Stories count only articles on topic."""
    for statement in (
        "ALTER TABLE articles ADD COLUMN topic_status TEXT NOT NULL DEFAULT 'on_topic'",
        "ALTER TABLE articles ADD COLUMN label TEXT",
        "ALTER TABLE articles ADD COLUMN labelled_at TEXT",
        "CREATE INDEX articles_topic_status ON articles(topic_status, stored_at)",
        "CREATE TABLE labels (id INTEGER PRIMARY KEY, label_id TEXT NOT NULL UNIQUE,"
        " article_id INTEGER NOT NULL REFERENCES articles(id), topic_id TEXT,"
        " label TEXT NOT NULL, note TEXT, labelled_at TEXT NOT NULL,"
        " status_before TEXT NOT NULL, status_after TEXT NOT NULL, score REAL)",
        "CREATE INDEX labels_article ON labels(article_id)",
        "ALTER TABLE runs ADD COLUMN borderline INTEGER NOT NULL DEFAULT 0",
        "DROP VIEW stories",
        _stories_view("{t}.topic_status = 'on_topic'"),
    ):
        db.execute(statement)


_CURRENT_ARTICLES = """
CREATE VIEW current_articles AS
SELECT a.id, a.outlet_id, o.name AS outlet_name, a.title, a.url, a.language, a.published_at,
       a.stored_at, a.topic_id, a.relevance_score, a.story_id, a.version, a.label,
       (SELECT COUNT(*) FROM articles c WHERE c.duplicate_of = a.id) AS republications
FROM articles a JOIN outlets o ON o.id = a.outlet_id
WHERE a.topic_status = 'on_topic' AND a.duplicate_of IS NULL
"""
_DAILY_COUNTS = """
CREATE VIEW daily_counts AS
SELECT substr(a.stored_at, 1, 10) AS day, a.outlet_id,
       SUM(a.topic_status = 'on_topic' AND a.duplicate_of IS NULL) AS reports,
       SUM(a.topic_status = 'on_topic' AND a.duplicate_of IS NOT NULL) AS republications,
       SUM(a.topic_status = 'borderline') AS borderline
FROM articles a
GROUP BY day, a.outlet_id
"""


def _outlet_health(extra: str = "") -> str:
    """The outlet_health view; ``extra`` adds columns of ``outlets o`` (later migrations)."""
    return f"""
CREATE VIEW outlet_health AS
SELECT o.id AS outlet_id, o.name,
       (SELECT MAX(r.started_at) FROM runs r WHERE r.outlet_id = o.id) AS last_run_at,
       (SELECT r.status FROM runs r WHERE r.outlet_id = o.id ORDER BY r.id DESC LIMIT 1)
         AS last_run_status,
       (SELECT MAX(r.finished_at) FROM runs r WHERE r.outlet_id = o.id AND r.status = 'ok')
         AS last_ok_at,
       (SELECT MAX(a.stored_at) FROM articles a WHERE a.outlet_id = o.id) AS last_new_article_at,
       (SELECT COUNT(*) FROM runs r WHERE r.outlet_id = o.id
          AND r.status NOT IN ('ok', 'running', 'skipped', 'stopped')
          AND r.started_at >= strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 day'))
         AS failed_runs_24h,
       COALESCE(s.consecutive_failures, 0) AS consecutive_failures,
       (SELECT COUNT(*) FROM urls u WHERE u.outlet_id = o.id AND u.state IN ('pending', 'retry'))
         AS backlog,
       (SELECT r.error FROM runs r WHERE r.outlet_id = o.id AND r.error IS NOT NULL
          ORDER BY r.id DESC LIMIT 1) AS last_error{extra}
FROM outlets o LEFT JOIN schedule s ON s.outlet_id = o.id
"""


_OUTLET_HEALTH = _outlet_health()
_NOT_STORED = """
CREATE VIEW not_stored AS
SELECT u.url, u.outlet_id, u.state, u.reason, u.http_status, u.attempts, u.relevance_score,
       u.article_id, u.final_url, u.source_url, u.first_seen_at, u.updated_at
FROM urls u
WHERE u.state != 'stored'
"""


def m0007_views(db: sqlite_utils.Database) -> None:
    """Views for analysts' first questions: what is on topic now, how many a day, is each
    outlet healthy, and why a URL was not stored."""
    for statement in (_CURRENT_ARTICLES, _DAILY_COUNTS, _OUTLET_HEALTH, _NOT_STORED):
        db.execute(statement)


def m0008_notifications(db: sqlite_utils.Database) -> None:
    """An outbox of webhook notifications: the writer queues one with each new on-topic
    article (when a webhook is configured), a sender delivers them with retries."""
    db.execute(
        "CREATE TABLE notifications (article_id INTEGER PRIMARY KEY REFERENCES articles(id),"
        " created_at TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
        " next_attempt_at TEXT NOT NULL, sent_at TEXT, given_up_at TEXT, last_error TEXT)"
    )
    db.execute(
        "CREATE INDEX notifications_due ON notifications(next_attempt_at)"
        " WHERE sent_at IS NULL AND given_up_at IS NULL"
    )


def m0009_drift(db: sqlite_utils.Database) -> None:
    """Extraction drift recorded per outlet after each crawl, and shown by outlet_health."""
    for statement in (
        "ALTER TABLE outlets ADD COLUMN extraction_drift TEXT",
        "ALTER TABLE outlets ADD COLUMN drift_checked_at TEXT",
        "DROP VIEW outlet_health",
        _outlet_health(", o.extraction_drift, o.drift_checked_at"),
    ):
        db.execute(statement)


def m0010_recheck_run(db: sqlite_utils.Database) -> None:
    """Which run's recheck an article last had: a recheck is applied once by its run, not by
    its time to the second (two crawls can end within one second)."""
    db.execute("ALTER TABLE articles ADD COLUMN rechecked_run_id INTEGER")


MIGRATIONS: list[tuple[str, Migration]] = [
    ("0001_initial", m0001_initial),
    ("0002_schedule", m0002_schedule),
    ("0003_frontier", m0003_frontier),
    ("0004_copies_and_stories", m0004_copies_and_stories),
    ("0005_versions", m0005_versions),
    ("0006_review", m0006_review),
    ("0007_views", m0007_views),
    ("0008_notifications", m0008_notifications),
    ("0009_drift", m0009_drift),
    ("0010_recheck_run", m0010_recheck_run),
]


def applied_migrations(db: sqlite_utils.Database) -> list[str]:
    """Names of the migrations this store has, in the order they were applied."""
    if "_migrations" not in db.table_names():
        return []
    return [row["name"] for row in db.query("SELECT name FROM _migrations ORDER BY rowid")]


def check_schema(db: sqlite_utils.Database) -> None:
    """Raise SchemaTooNew if the store has migrations this code does not know."""
    known = {name for name, _ in MIGRATIONS}
    unknown = [name for name in applied_migrations(db) if name not in known]
    if unknown:
        raise SchemaTooNew(
            f"the store has migrations this newsmon does not know: {', '.join(unknown)}"
        )


def check_current(db: sqlite_utils.Database) -> None:
    """For a read-only open: raise SchemaTooNew or SchemaTooOld unless the store has exactly
    the migrations this code knows."""
    check_schema(db)
    missing = [name for name, _ in MIGRATIONS if name not in set(applied_migrations(db))]
    if missing:
        raise SchemaTooOld(f"the store predates this newsmon: it lacks {', '.join(missing)}")


def apply_migrations(db: sqlite_utils.Database) -> list[str]:
    """Apply every pending migration, each in its own transaction; return their names."""
    check_schema(db)
    db.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    done = set(applied_migrations(db))
    applied = []
    for name, migration in MIGRATIONS:
        if name in done:
            continue
        with db.atomic():
            migration(db)
            db.execute(
                "INSERT INTO _migrations (name, applied_at) "
                "VALUES (?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                [name],
            )
        applied.append(name)
    return applied
