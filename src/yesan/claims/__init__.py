"""Claims: an article's money figures, checked against the figures we hold, in four stages that import only
the stages before them: ``article`` (its text) → ``figures`` (every figure as a :class:`Claim`) → ``candidates``
(the government, year and data each could be checked against) → ``verdict`` (the judgement, its rule and its
evidence). ``model`` (Claim, Evidence, Judgement) and ``wording`` (what people read) are shared by all four.

``extract(text)`` / ``extract_file(path)`` list every money figure of an article;
``evaluate(corpus, gold)`` scores extraction against hand-labelled figures.
"""

from __future__ import annotations

from yesan.claims.article.text import Document, read_document, to_document
from yesan.claims.figures.evaluate import Evaluation, evaluate
from yesan.claims.figures.extract import extract, extract_document, extract_file, extract_files
from yesan.claims.model import CLAIM_FIELDS, KINDS, Claim, Evidence, Judgement

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
