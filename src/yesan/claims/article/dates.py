"""Dates as articles and pages write them in their headers and meta tags (``2026-03-01``, ``2026.3.1``)."""

from __future__ import annotations

import re
from datetime import date
from typing import Final

_ISO_DATE: Final = re.compile(r"(20\d\d|19\d\d)[-./](\d{1,2})[-./](\d{1,2})")


def parse_date(text: str | None) -> date | None:
    """The first ``YYYY-MM-DD`` (or ``YYYY.MM.DD``) date in ``text``, if it is a real date."""
    if not text:
        return None
    for match in _ISO_DATE.finditer(text):
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            continue
    return None


__all__ = ["parse_date"]
