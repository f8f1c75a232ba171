"""Claims: the money figures of an article (extract), checked against the figures we hold (match, judge).

``extract(text)`` / ``extract_file(path)`` list every money figure of an article as a :class:`Claim`;
``evaluate(corpus, gold)`` scores extraction against hand-labelled figures.
"""

from __future__ import annotations

from yesan.claims.evaluate import Evaluation, evaluate
from yesan.claims.extract import extract, extract_document, extract_file, extract_files
from yesan.claims.model import CLAIM_FIELDS, KINDS, Claim, Evidence, Judgement
from yesan.claims.text import Document, read_document, to_document

__all__ = [
    "CLAIM_FIELDS",
    "KINDS",
    "Claim",
    "Document",
    "Evaluation",
    "Evidence",
    "Judgement",
    "evaluate",
    "extract",
    "extract_document",
    "extract_file",
    "extract_files",
    "read_document",
    "to_document",
]
