"""yesan (예산): Korean public budgets, loaded exactly, explored, and checked against what is said of them."""

from __future__ import annotations

__version__ = "0.1.0"
