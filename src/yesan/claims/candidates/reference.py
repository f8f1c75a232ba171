"""What an article's figures are checked against, for one government and year.

``Reference.build(tables, government=..., year=...)`` gathers, through Ibis (so any backend works):

* the **reported figures** loaded with ``yesan load FILE --kind reported`` for that government and year
  (each citing its sources and the file and row it was read from);
* the store's **line items** (세부사업) of that government and year, when it has any: a search index of
  their names, their 분야/부문 totals and the government's total (from ``yesan.query.drilldown``), from the
  latest snapshot of that government and year.

A government is given by name or code (``서울특별시``, ``서울시``, ``4711000``); it need not be in the
store's ``governments`` table when reported figures name it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final

from yesan.claims.candidates.provenance import Source
from yesan.errors import QueryError, StoreError
from yesan.model import EVIDENCE_TIERS
from yesan.query.drilldown import DrillDown, Filters, drilldown
from yesan.query.items import ItemRecord, find_items
from yesan.query.lookup import item_snapshots
from yesan.query.reported import reported_rows, reported_source_rows
from yesan.query.search import SearchIndex, index_for

__all__ = ["GovernmentName", "Reference", "ReportedFigure", "government_aliases", "load_reported_figures"]

_SUFFIXES: Final = ("특별자치시", "특별자치도", "특별시", "광역시")
#: How many sources a citation names (the government's own first); the evidence's details list them all.
CITED_SOURCES: Final = 3


@dataclass(frozen=True)
class ReportedFigure:
    """One row of a reported-figures dataset, with where it was read from."""

    dataset: str
    gov_code: str | None
    gov_name: str
    fiscal_year: int
    stage: str | None  # canonical stage name; None for other stages (e.g. a council committee's figure)
    subject: str
    kind: str
    amount: int
    amount_text: str | None
    prior_amount: int | None
    change_amount: int | None
    change_pct: Decimal | None
    cited_sources: str | None
    prior_sources: str | None
    conflicting: str | None
    notes: str | None
    source_file: str
    sha256: str
    row_no: int
    #: Who published the figure (``claims.provenance.Source``), by the keys of ``cited_sources``; keys the
    #: dataset has no sources table for are bare keys.
    sources: tuple[Source, ...] = ()
    prior_source_records: tuple[Source, ...] = ()

    @property
    def stage_label(self) -> str:
        return self.stage or "기타 단계"

    def sources_of(self, column: str) -> tuple[Source, ...]:
        """The sources of the figure's ``column`` (``amount``, ``change``, ``prior``, ``revision``).

        A prior-year figure is stated by ``prior_sources`` (else by the figure's own sources); a change by
        the figure's sources, which state it with the figure."""
        if column == "prior" and self.prior_source_records:
            return self.prior_source_records
        return self.sources

    def citation(self, *, prior: bool = False, sources: tuple[Source, ...] | None = None) -> str:
        """``reported figures 'reference' (reference.csv row 12, sha256 0a1b2c3d4e5f…); sources: 01, 02``.

        With a sources table the sources are cited as outlet, date and address (``국민일보, 2025-10-31,
        https://…``); ``sources`` cites only those (the ones not set aside)."""
        chosen = sources if sources is not None else self.sources_of("prior" if prior else "amount")
        chosen = tuple(sorted(chosen, key=lambda s: EVIDENCE_TIERS.index(s.tier) if s.tier in EVIDENCE_TIERS else 9))
        if chosen and any(s.outlet for s in chosen):
            tail = "; sources: " + "; ".join(s.cite() for s in chosen[:CITED_SOURCES])
            if len(chosen) > CITED_SOURCES:
                tail += f"; and {len(chosen) - CITED_SOURCES} more (details.source_records lists them)"
        else:
            cited = self.prior_sources if prior else self.cited_sources
            tail = f"; sources: {cited}" if cited else "; no source listed"
        file = self.source_file.rsplit("/", 1)[-1]
        return f"reported figures {self.dataset!r} ({file} row {self.row_no:,}, sha256 {self.sha256[:12]}…){tail}"

    def details(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "row": self.row_no,
            "file": self.source_file,
            "subject": self.subject,
            "kind": self.kind,
            "stage": self.stage,
            "fiscal_year": self.fiscal_year,
            "amount": self.amount,
            "prior_amount": self.prior_amount,
            "change_amount": self.change_amount,
            "change_pct": None if self.change_pct is None else str(self.change_pct.normalize()),
            "sources": self.cited_sources,
            "source_records": [source.as_dict() for source in self.sources],
            "conflicting": self.conflicting,
            "notes": self.notes,
        }


@dataclass(frozen=True)
class GovernmentName:
    """A government as the checks know it: its name, code (when the store knows it) and how texts call it."""

    name: str
    code: str | None = None
    aliases: tuple[str, ...] = ()


#: Stems of government names that are also everyday words in budget texts: ``예산`` (budget; 예산군), ``보은``
#: (gratitude; 보은군), ``동해`` (the East Sea; 동해시). Texts must name these governments in full.
COMMON_WORD_STEMS: Final = frozenset({"예산", "보은", "동해"})


def government_aliases(name: str) -> tuple[str, ...]:
    """How articles call a government: ``서울특별시`` → 서울특별시, 서울시, 서울; ``고흥군`` → 고흥군, 고흥.

    A bare stem that is an everyday word (``COMMON_WORD_STEMS``: 예산군's ``예산``) is not an alias.
    """
    found = [name]
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            stem = name[: -len(suffix)]
            found += [stem + ("도" if suffix.endswith("도") else "시"), stem]
            break
    else:
        if len(name) >= 3 and name[-1] in "시군구도":
            found.append(name[:-1])
    return tuple(alias for alias in dict.fromkeys(found) if alias == name or alias not in COMMON_WORD_STEMS)


def load_reported_figures(
    tables: Any, *, government: str | None = None, year: int | None = None
) -> list[ReportedFigure]:
    """Reported figures in the store, optionally of one government (name, alias or code) and one year.

    One query; the government is matched in Python against each stored name's aliases.
    """
    rows = reported_rows(tables, year=year)
    known = _sources(tables) if rows else {}
    found = [_figure(r, known) for r in rows]
    if government is None:
        return found
    wanted = government.strip()
    return [f for f in found if wanted == f.gov_code or _same_government(wanted, f.gov_name)]


def _same_government(wanted: str, stored: str) -> bool:
    """``서울시``, ``서울`` and ``서울특별시`` name the same government; ``서울`` is not ``서울대``."""
    return wanted == stored or wanted in government_aliases(stored) or stored in government_aliases(wanted)


def _sources(tables: Any) -> dict[tuple[str, str], Source]:
    """Every source of every dataset, by (dataset, key); none in a store from before schema 3."""
    return {(str(r["dataset"]), str(r["source_key"])): Source.from_row(r) for r in reported_source_rows(tables)}


def _records(dataset: str, keys: str | None, known: dict[tuple[str, str], Source]) -> tuple[Source, ...]:
    return tuple(known.get((dataset, key.strip()), Source(key.strip())) for key in (keys or "").split(",")
                 if key.strip())  # fmt: skip


def _figure(r: dict[str, Any], known: dict[tuple[str, str], Source]) -> ReportedFigure:
    return ReportedFigure(
        dataset=r["dataset"], gov_code=r["gov_code"], gov_name=r["gov_name"], fiscal_year=int(r["fiscal_year"]),
        stage=r["stage"], subject=r["subject"], kind=r["kind"], amount=int(r["amount"]),
        amount_text=r["amount_text"], prior_amount=_int(r["prior_amount"]), change_amount=_int(r["change_amount"]),
        change_pct=r["change_pct"], cited_sources=r["cited_sources"], prior_sources=r["prior_sources"],
        conflicting=r["conflicting"], notes=r["notes"], source_file=r["file"], sha256=r["sha256"],
        row_no=int(r["row_no"]), sources=_records(r["dataset"], r["cited_sources"], known),
        prior_source_records=_records(r["dataset"], r["prior_sources"], known),
    )  # fmt: skip


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


@dataclass
class Reference:
    """The figures one article is checked against (see the module docstring)."""

    government: GovernmentName | None
    year: int | None
    reported: list[ReportedFigure] = field(default_factory=list)
    tables: Any = None  # yesan.query.Tables, when the store has items for the government and year
    snapshot_id: int | None = None
    snapshot_date: str | None = None
    snapshot_source: str = ""  # dataset and file(s) of the snapshot, for citations
    _index: SearchIndex | None = None
    _levels: dict[str, DrillDown] = field(default_factory=dict)

    @classmethod
    def build(cls, tables: Any, *, government: str | None, year: int | None) -> Reference:
        """The reported figures and items of ``government`` (name, alias or code) in ``year``."""
        if government is None:
            return cls(None, year)
        gov = _resolve_government(tables, government)
        reported = load_reported_figures(tables, government=gov.name, year=year)
        reference = cls(gov, year, reported)
        if gov.code is not None:
            reference._attach_items(tables)
        return reference

    def figure(self, dataset: str, row_no: int) -> ReportedFigure | None:
        """The reported figure read from ``row_no`` of ``dataset``, if it is one of this reference's."""
        for figure in self.reported:
            if figure.dataset == dataset and figure.row_no == row_no:
                return figure
        return None

    # --- items -----------------------------------------------------------------------------------

    def _attach_items(self, tables: Any) -> None:
        assert self.government is not None and self.government.code is not None
        rows = item_snapshots(tables, self.government.code, self.year)
        if not rows:
            return
        latest = max(rows, key=lambda r: (r["exe_ymd"] is not None, r["exe_ymd"] or 0, r["snapshot_id"]))
        self.tables = tables
        self.snapshot_id = int(latest["snapshot_id"])
        self.snapshot_date = None if latest["exe_ymd"] is None else str(latest["exe_ymd"])
        files = sorted({str(r["file"]).rsplit("/", 1)[-1] for r in rows if r["snapshot_id"] == self.snapshot_id})
        self.snapshot_source = f"{latest['dataset']} ({', '.join(files)})"

    @property
    def has_items(self) -> bool:
        return self.tables is not None

    def _filters(self) -> Filters:
        assert self.government is not None and self.government.code is not None
        snapshots = (self.snapshot_id,) if self.snapshot_id else None
        return Filters(snapshot_ids=snapshots, gov_codes=(self.government.code,))

    def index(self) -> SearchIndex:
        """The search index of this government's item names (built on first use, cached by the query layer)."""
        if self._index is None:
            self._index = index_for(self.tables.items, self._filters())
        return self._index

    def level(self, level: str) -> DrillDown:
        """Totals of this government's items by ``field`` (분야) or ``sector`` (부문), cached."""
        if level not in self._levels:
            self._levels[level] = drilldown(self.tables.items, level, self._filters())
        return self._levels[level]

    def item_record(self, snapshot_id: int, source_id: int, row_no: int) -> ItemRecord:
        found = find_items(self.tables, row=(snapshot_id, source_id, row_no), limit=1)
        if not found:
            raise QueryError(f"item row {snapshot_id}/{source_id}/{row_no} is not in the store")
        return found[0]

    def items_citation(self, what: str, count: int) -> str:
        """``lofin365.QWGJK (qwgjk….csv.gz), 2026-07-05 기준: 고흥군 사회복지 분야 예산현액, sum of 291 items
        (snapshot 1)`` — an aggregate has no single row, so it names the snapshot and how many rows add up."""
        date = f", {self.snapshot_date} 기준" if self.snapshot_date else ""
        return f"{self.snapshot_source}{date}: {what}, sum of {count:,} items (snapshot {self.snapshot_id})"


def _resolve_government(tables: Any, text: str) -> GovernmentName:
    """A government by code or name: the store's, else the name the reported figures use, else as typed."""
    from yesan.query.lookup import find_government

    wanted = text.strip()
    if not wanted:
        raise QueryError("give a government name or code, e.g. 서울특별시 or 4711000")
    candidates = [wanted, *government_aliases(wanted)[1:]]
    for candidate in candidates:
        try:
            found = find_government(tables.governments, candidate)
        except QueryError as error:
            if "ambiguous" in str(error):
                raise
            continue
        except StoreError:
            break
        return GovernmentName(found.name, found.code, government_aliases(found.name))
    stored = sorted({f.gov_name for f in load_reported_figures(tables, government=wanted)})
    if stored:  # the name the reported figures use (서울특별시 for 서울시), with all its aliases
        return GovernmentName(stored[0], None, government_aliases(stored[0]))
    if re.fullmatch(r"[0-9]{7}", wanted):
        raise QueryError(f"no government {wanted} in the store; `yesan info` lists them")
    return GovernmentName(wanted, None, government_aliases(wanted))
