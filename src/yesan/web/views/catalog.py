"""What the store holds, read once per app: snapshots, governments and which snapshots cover them, 분야 names.

The app opens the store read-only, so none of this can change while it runs; every page uses it to turn
the URL's ``gov``/``year``/``snapshot`` into a ``Scope`` (which snapshots of which governments to count)
without asking the store again.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Any

from yesan.errors import QueryError
from yesan.model import is_figure_dataset
from yesan.query import Filters, Tables
from yesan.query.lookup import find_government, partial_matches
from yesan.query.selections import store_contents
from yesan.web.responses import NotFoundError


@dataclass(frozen=True)
class SnapshotInfo:
    id: int
    dataset: str
    description: str
    fiscal_year: int
    stage: str
    exe_ymd: dt.date | None
    row_count: int
    budget_total: int
    governments: frozenset[str]

    @property
    def order(self) -> tuple[int, dt.date, int]:
        return (self.fiscal_year, self.exe_ymd or dt.date.min, self.id)

    @property
    def label(self) -> str:
        date = f" · {self.exe_ymd.isoformat()}" if self.exe_ymd else ""
        what = f" · {self.dataset}" if self.figures else ""
        return f"{self.fiscal_year} {self.stage}{date}{what} (#{self.id})"

    @property
    def figures(self) -> bool:
        """A snapshot of figures by government (``yesan.model.FIGURE_DATASETS``), not of line items."""
        return is_figure_dataset(self.dataset)

    def as_dict(self) -> dict[str, Any]:
        return {
            "snapshot_id": self.id,
            "dataset": self.dataset,
            "description": self.description,
            "fiscal_year": self.fiscal_year,
            "stage": self.stage,
            "exe_ymd": self.exe_ymd,
            "label": self.label,
            "governments": len(self.governments),
        }


@dataclass(frozen=True)
class GovernmentInfo:
    code: str
    name: str
    level: str
    parent_name: str | None
    snapshot_ids: tuple[int, ...]  # the snapshots holding its items, oldest first

    @property
    def label(self) -> str:
        return f"{self.parent_name} {self.name}" if self.parent_name else self.name

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "parent_name": self.parent_name, "label": self.label}


@dataclass(frozen=True)
class Scope:
    """The items a page counts: one snapshot per government, optionally one government."""

    snapshot: SnapshotInfo  # the snapshot the page is "as of"
    snapshot_ids: tuple[int, ...]
    gov: GovernmentInfo | None

    def filters(self, **narrower: Any) -> Filters:
        return Filters(snapshot_ids=self.snapshot_ids, gov_codes=(self.gov.code,) if self.gov else None, **narrower)

    def as_dict(self) -> dict[str, Any]:
        return {
            "snapshot": self.snapshot.as_dict(),
            "snapshot_ids": list(self.snapshot_ids),
            "gov": self.gov.as_dict() if self.gov else None,
        }


class Catalog:
    def __init__(self, t: Tables) -> None:
        contents = store_contents(t)
        snapshots = [
            SnapshotInfo(
                id=int(s["snapshot_id"]),
                dataset=str(s["dataset"]),
                description=str(s["description"] or s["dataset"]),
                fiscal_year=int(s["fiscal_year"]),
                stage=str(s["stage"]),
                exe_ymd=s["exe_ymd"],
                row_count=int(s["row_count"] or 0),
                budget_total=int(s["budget_total"] or 0),
                governments=frozenset(contents.covered.get(int(s["snapshot_id"]), set())),
            )
            for s in contents.snapshots
        ]
        self.snapshots: list[SnapshotInfo] = sorted(snapshots, key=lambda s: s.order)
        self.by_id = {s.id: s for s in self.snapshots}
        governments: dict[str, GovernmentInfo] = {}
        for g in contents.governments:
            code = str(g["code"])
            mine = tuple(s.id for s in self.snapshots if code in s.governments and not s.figures)
            if mine:
                governments[code] = GovernmentInfo(code, str(g["name"]), str(g["level"]), g["parent_name"], mine)
        self.governments = governments
        self.fields: list[str] = contents.fields
        self.regions: list[str] = sorted({g.parent_name for g in governments.values() if g.parent_name})
        self.years: list[int] = sorted({s.fiscal_year for s in self.snapshots if not s.figures})
        self.has_level = {"program": contents.has_program, "unit": contents.has_unit}
        self.sources: dict[int, dict[str, Any]] = contents.sources
        self.source_ids: dict[str, int] = {str(r["file"]): source_id for source_id, r in self.sources.items()}

    # --- governments ------------------------------------------------------------------------------

    def government(self, code: str) -> GovernmentInfo:
        found = self.governments.get(code)
        if found is None:
            raise NotFoundError(
                f"no items for government {code!r} in the store; pick one from the list on the home page"
            )
        return found

    def resolve(self, t: Tables, text: str) -> GovernmentInfo | list[GovernmentInfo]:
        """A government from what someone typed (code, name, ``광역 name``), or the candidates that contain it."""
        wanted = " ".join(text.split())
        if wanted in self.governments:
            return self.governments[wanted]
        by_label = [g for g in self.governments.values() if g.label == wanted]
        if len(by_label) == 1:
            return by_label[0]
        try:
            return self.government(find_government(t.governments, wanted).code)
        except QueryError:
            pass
        candidates = partial_matches(self.governments.values(), wanted)
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            raise QueryError(f"no government matches {wanted!r}; type part of a name (e.g. 고흥) or a code (4674000)")
        return candidates

    # --- scopes -----------------------------------------------------------------------------------

    def scope(self, gov: str | None = None, year: int | None = None, snapshot: int | None = None) -> Scope:
        """What ``gov``/``year``/``snapshot`` in a URL select (the latest snapshot by default)."""
        if not self.snapshots:
            raise NotFoundError("the store holds no snapshots yet; load one with `yesan demo` or `yesan load FILE`")
        government = self.government(gov) if gov else None
        if snapshot is not None:
            chosen = self.by_id.get(snapshot)
            if chosen is None:
                raise NotFoundError(f"no snapshot {snapshot}; the store holds {', '.join(str(i) for i in self.by_id)}")
            if government and government.code not in chosen.governments:
                raise QueryError(f"snapshot {snapshot} holds no items of {government.label}; pick another snapshot")
        else:
            pool = [
                s for s in self.snapshots if not s.figures and (government is None or government.code in s.governments)
            ]
            if year is not None:
                pool = [s for s in pool if s.fiscal_year == year]
                if not pool:
                    raise NotFoundError(
                        f"no snapshot of fiscal year {year}{' for ' + government.label if government else ''}"
                    )
            if not pool:
                raise NotFoundError("the store holds no line-item snapshots yet; load one with `yesan load FILE`")
            latest_year = max(s.fiscal_year for s in pool)
            pool = [s for s in pool if s.fiscal_year == latest_year]
            chosen = max(pool, key=lambda s: (len(s.governments), s.order) if government is None else s.order)
        return Scope(snapshot=chosen, snapshot_ids=(chosen.id,), gov=government)

    def previous(self, scope: Scope) -> Scope | None:
        """The latest earlier snapshot of the same dataset that holds the same government(s), if any."""
        wanted = {scope.gov.code} if scope.gov else set(scope.snapshot.governments)
        earlier = [
            s
            for s in self.snapshots
            if s.order < scope.snapshot.order and s.dataset == scope.snapshot.dataset and wanted & s.governments
        ]
        if not earlier:
            return None
        return Scope(snapshot=earlier[-1], snapshot_ids=(earlier[-1].id,), gov=scope.gov)

    def snapshots_of(self, gov: GovernmentInfo | None) -> list[SnapshotInfo]:
        """The snapshots holding ``gov`` (its line items), or every snapshot (figures by government too)."""
        return [s for s in self.snapshots if gov is None or (gov.code in s.governments and not s.figures)]

    def choices(self) -> dict[str, Any]:
        """What the forms offer: governments (for the autocomplete list), years, snapshots, 분야, 광역."""
        return {
            "governments": [g.as_dict() for g in self.governments.values()],
            "years": self.years,
            "snapshots": [s.as_dict() for s in self.snapshots],
            "fields": self.fields,
            "regions": self.regions,
        }


class CatalogHolder:
    """Builds the catalog on first use (or when the app warms up), once."""

    def __init__(self) -> None:
        self._catalog: Catalog | None = None
        self._lock = threading.Lock()

    def get(self, t: Tables) -> Catalog:
        if self._catalog is None:
            with self._lock:
                if self._catalog is None:
                    self._catalog = Catalog(t)
        return self._catalog


__all__ = ["Catalog", "CatalogHolder", "GovernmentInfo", "Scope", "SnapshotInfo"]
