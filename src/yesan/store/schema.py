"""The store's schema, versioned. Each migration moves the schema up one version, in a transaction.

Amounts are BIGINT won. Items reference their snapshot and their source file, so every row can
be traced back to ``sources.file`` record ``items.row_no`` (see the ``item_provenance`` view).
"""

from __future__ import annotations

from typing import Final

from yesan.model import AMOUNT_COLUMNS

_AMOUNTS_DDL = ",\n    ".join(f"{name} BIGINT" for name in AMOUNT_COLUMNS)

MIGRATIONS: Final[tuple[tuple[str, ...], ...]] = (
    # version 1: the first schema
    (
        "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)",
        """CREATE TABLE sources (
    source_id INTEGER PRIMARY KEY,
    dataset VARCHAR NOT NULL,
    file VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    loaded_at TIMESTAMP NOT NULL,
    row_count BIGINT NOT NULL
)""",
        """CREATE TABLE snapshots (
    snapshot_id INTEGER PRIMARY KEY,
    dataset VARCHAR NOT NULL,
    description VARCHAR,
    fiscal_year SMALLINT NOT NULL,
    stage VARCHAR NOT NULL,
    exe_ymd DATE,
    digest VARCHAR NOT NULL,
    row_count BIGINT NOT NULL,
    budget_total HUGEINT,
    loaded_at TIMESTAMP NOT NULL
)""",
        f"""CREATE TABLE items (
    snapshot_id INTEGER NOT NULL,
    source_id INTEGER NOT NULL,
    row_no BIGINT NOT NULL,
    gov_code VARCHAR NOT NULL,
    gov_name VARCHAR NOT NULL,
    parent_name VARCHAR,
    fiscal_year SMALLINT NOT NULL,
    stage VARCHAR NOT NULL,
    exe_ymd DATE,
    account VARCHAR,
    account_type VARCHAR,
    field_code VARCHAR,
    field_name VARCHAR,
    sector_code VARCHAR,
    sector_name VARCHAR,
    program_code VARCHAR,
    program_name VARCHAR,
    unit_code VARCHAR,
    unit_name VARCHAR,
    item_code VARCHAR,
    item_name VARCHAR NOT NULL,
    {_AMOUNTS_DDL}
)""",
        """CREATE TABLE governments (
    code VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    level VARCHAR NOT NULL,
    parent_code VARCHAR,
    parent_name VARCHAR
)""",
        """CREATE TABLE population (
    gov_code VARCHAR NOT NULL,
    year SMALLINT NOT NULL,
    population BIGINT NOT NULL,
    source VARCHAR NOT NULL,
    source_file VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    loaded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (gov_code, year, source)
)""",
        """CREATE VIEW item_provenance AS
SELECT items.*, snapshots.dataset, sources.file AS source_file, sources.sha256, sources.loaded_at
FROM items
JOIN snapshots USING (snapshot_id)
JOIN sources USING (source_id)""",
    ),
    # version 2: reported figures (``yesan.ingest.reported``): figures as published, each citing its sources,
    # kept with the file and row they were read from. A dataset is one file's figures for one government and year.
    (
        """CREATE TABLE reported_figures (
    source_id INTEGER NOT NULL,
    row_no BIGINT NOT NULL,
    dataset VARCHAR NOT NULL,
    gov_code VARCHAR,
    gov_name VARCHAR NOT NULL,
    fiscal_year SMALLINT NOT NULL,
    stage VARCHAR,
    subject VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    amount BIGINT NOT NULL,
    amount_text VARCHAR,
    prior_amount BIGINT,
    change_amount BIGINT,
    change_pct DECIMAL(9, 4),
    cited_sources VARCHAR,
    prior_sources VARCHAR,
    conflicting VARCHAR,
    notes VARCHAR,
    PRIMARY KEY (dataset, gov_name, fiscal_year, row_no)
)""",
    ),
    # version 3: the sources reported figures cite (``yesan.ingest.reported_sources``): who published each, its
    # address and date, its evidence tier and the fingerprint of its sentences (hashes, no text), so that a
    # check can cite outlets and set aside the article under check. ``source_key`` is what
    # ``reported_figures.cited_sources`` / ``prior_sources`` list, within the same dataset.
    (
        """CREATE TABLE reported_sources (
    dataset VARCHAR NOT NULL,
    source_key VARCHAR NOT NULL,
    outlet VARCHAR NOT NULL,
    url VARCHAR,
    other_urls VARCHAR,
    published VARCHAR,
    tier VARCHAR NOT NULL,
    kind VARCHAR,
    hosts VARCHAR,
    fingerprint VARCHAR,
    notes VARCHAR,
    PRIMARY KEY (dataset, source_key)
)""",
    ),
)

SCHEMA_VERSION: Final = len(MIGRATIONS)
