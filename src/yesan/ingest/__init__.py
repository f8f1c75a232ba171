"""Readers: one per source format, each turning a file into validated ``Batch`` objects.

``read_path`` picks the reader from the file (or ``kind``); every reader validates the whole file
before returning and raises ``LoadError`` with every problem found, so a load is all or nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from yesan.errors import LoadError
from yesan.ingest.batch import Batch, read_head
from yesan.ingest.population import PopulationBatch
from yesan.ingest.reported import ReportedBatch

KINDS = ("auto", "qwgjk", "table", "fdp", "population", "reported")


@dataclass
class ReadOptions:
    """Options for generic tables (ignored by self-describing formats such as QWGJK)."""

    kind: str = "auto"
    mapping: Mapping[str, str] | None = None
    dataset: str | None = None
    fiscal_year: int | None = None
    stage: str | None = None
    government: tuple[str, str] | None = None
    sheet: str | None = None
    unit: int | None = None
    extra: dict[str, str] = field(default_factory=dict)


def read_path(path: Path, options: ReadOptions | None = None) -> list[Batch | PopulationBatch | ReportedBatch]:
    """Read one input (a file, or a data package folder) into batches."""
    opts = options or ReadOptions()
    if opts.kind not in KINDS:
        raise LoadError(f"unknown input kind {opts.kind!r}; use one of {', '.join(KINDS)}")
    if not path.exists():
        raise LoadError(f"{path}: no such file or folder")
    if not path.is_dir():
        from yesan.ingest.limits import check_gzip_start, require_regular_file

        require_regular_file(path)  # devices, pipes and empty files
        check_gzip_start(path, str(path))
    kind = opts.kind if opts.kind != "auto" else detect_kind(path)
    if kind == "qwgjk":
        from yesan.ingest.lofin365 import read_qwgjk

        return [read_qwgjk(path)]
    if kind == "population":
        from yesan.ingest.population import read_population

        return [read_population(path)]
    if kind == "reported":
        from yesan.ingest.reported import read_reported

        # Reported figures name their government by name (CODE:NAME also works), so it is passed as typed.
        return [
            read_reported(
                path, government=opts.extra.get("government"), fiscal_year=opts.fiscal_year, dataset=opts.dataset
            )
        ]
    if kind == "fdp":
        from yesan.ingest.fdp import read_package

        return list(read_package(path))
    from yesan.ingest.tabular import read_table

    return [
        read_table(
            path,
            mapping=opts.mapping,
            dataset=opts.dataset,
            fiscal_year=opts.fiscal_year,
            stage=opts.stage,
            government=opts.government,
            sheet=opts.sheet,
            unit=opts.unit,
        )
    ]


def detect_kind(path: Path) -> str:
    """Guess the reader from the name and the first bytes of the file."""
    if path.is_dir() or path.name.endswith("datapackage.json"):
        return "fdp"
    suffixes = [s.lower() for s in path.suffixes]
    last = suffixes[-1] if suffixes else ""
    if last == ".parquet":
        return "qwgjk"
    if last in (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"):
        return "table"
    head = read_head(path)
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{"):
        return "qwgjk"
    first_line = head.split(b"\n", 1)[0]
    for encoding in ("utf-8-sig", "cp949"):
        try:
            header = first_line.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        header = ""
    names = [h.strip().strip('"') for h in header.replace("\t", ",").split(",")]
    from yesan.ingest.lofin365 import looks_like_qwgjk
    from yesan.ingest.population import looks_like_population
    from yesan.ingest.reported import looks_like_reported

    if looks_like_qwgjk(names):
        return "qwgjk"
    if looks_like_population(names):
        return "population"
    if looks_like_reported(names):
        return "reported"
    return "table"


__all__ = ["Batch", "PopulationBatch", "ReadOptions", "ReportedBatch", "detect_kind", "read_path"]
