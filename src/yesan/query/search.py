"""Search item (세부사업) names in Korean across governments, without a full-text extension.

``SearchIndex.build(items)`` reads the selected items once through Ibis (so any backend works) and
keeps an inverted index in memory: syllable unigrams, bigrams and skip-bigrams (characters two
apart) of every distinct normalised name, and the Latin words and numbers of each name. A query:

1. is split into words at spaces; each word is normalised (``청년일자리`` and ``청년 일자리`` both
   match ``청년 일자리 지원``), and if the whole word is not found, a trailing particle is dropped
   (``어르신의`` → ``어르신``);
2. each word matches names containing it (score 1000), its particle-less form (950), a synonym
   from ``yesan.query.korean.SYNONYMS`` (900; a synonym of one sense only, ``SENSED_SYNONYMS``, in the
   names of that sense: ``인공지능`` finds ``AI 기반 …`` but not ``AI 긴급방역``), or, when it has few
   such matches, a spelling one syllable away (600; ``경노당`` → ``경로당``; Latin words through rapidfuzz)
   and, for a 3–4 syllable word, the one-syllable-off spelling that many more names use (950; ``도서간`` →
   ``도서관``); English words through ``korean.ENGLISH`` (``library`` → 도서관); a word of initial consonants
   only (``ㄱㄹㄷ``) matches names by their 초성, the most common reading (경로당) at 900, others at 600;
3. a name's score is the mean over the words (a name missing a word scores lower but is still
   found), +100 when the words appear together in query order, +200 when the name *is* the query;
4. hits are items (rows) of matching names, best score first, then largest budget (예산현액).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Final, cast

import ibis
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from yesan.errors import QueryError
from yesan.query.drilldown import Filters
from yesan.query.korean import (
    Sense,
    chosung,
    is_chosung,
    is_latin,
    latin_tokens,
    pattern_grams,
    pattern_regex,
    query_terms,
    sensed_synonyms,
    strip_particle,
    typo_patterns,
)
from yesan.query.snapshots import choose_for

#: Scores of one query word's match (a name's score is their mean over the words, plus bonuses).
EXACT: Final = 1000
STRIPPED: Final = 950
SYNONYM: Final = 900
TYPO: Final = 600
CORRECTED: Final = 890  # below SYNONYM: a corrected spelling is a typo, and reads as one (web search "match")
#: A word with few names is also read as the spelling one syllable away that this many names use, and
#: this many times more than the word itself (``도서간`` → ``도서관``).
CORRECTION_MIN: Final = 20
CORRECTION_RATIO: Final = 20
PHRASE_BONUS: Final = 100
WHOLE_NAME_BONUS: Final = 200
#: Spellings one syllable away are tried for a word with fewer matching names than this.
TYPO_BELOW: Final = 50

_HIT_COLUMNS: Final = ("item_name", "gov_code", "gov_name", "parent_name", "field_name", "sector_name")
_HIT_IDS: Final = ("snapshot_id", "source_id", "row_no")
_COLUMNS: Final = (*_HIT_COLUMNS, *_HIT_IDS, "account", "item_code", "budget")
_BUDGET_BITS: Final = 43  # budgets are clipped to [0, 2**43) won (8.8조) for ordering only
_EMPTY: Final = np.zeros(0, dtype=np.int32)

IntArray = NDArray[np.int32]


@dataclass(frozen=True)
class SearchHit:
    """One item found: its key (``yesan.model.ITEM_KEY``), names, budget and where its row came from."""

    key: tuple[str, str | None, str | None, str]  # gov_code, account, item_code, item_name
    item_name: str
    gov_code: str
    gov_name: str
    parent_name: str | None  # 광역
    field_name: str | None
    sector_name: str | None
    budget: int  # 예산현액, won
    snapshot_id: int
    source_id: int
    row_no: int
    score: float  # 1.0 = every query word found as written; see the module docstring

    @property
    def provenance(self) -> tuple[int, int, int]:
        """(snapshot_id, source_id, row_no): the row in ``sources.file`` this item was read from."""
        return (self.snapshot_id, self.source_id, self.row_no)


def _sorted_unique(values: NDArray[Any]) -> NDArray[Any]:
    """``np.unique`` by sorting (NumPy 2's hash-based unique is several times slower here)."""
    return _dedupe_sorted(np.sort(values))


def _dedupe_sorted(values: NDArray[Any]) -> NDArray[Any]:
    """Sorted ``values`` without repeats."""
    if len(values) < 2:
        return values
    keep = np.empty(len(values), dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def _intersect(small: IntArray, big: IntArray) -> IntArray:
    """Sorted ``small`` ∩ sorted ``big`` in O(len(small) · log len(big))."""
    if not len(small) or not len(big):
        return _EMPTY
    where = np.searchsorted(big, small)
    where[where == len(big)] = 0
    return cast(IntArray, small[big[where] == small])


def _codes(column: pa.ChunkedArray) -> tuple[IntArray, dict[str, int]]:
    """Dictionary-encode a string column: int32 codes (-1 for null) and value → code."""
    encoded = pc.dictionary_encode(column.combine_chunks())
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int32)
    return codes, {str(value): i for i, value in enumerate(encoded.dictionary.to_pylist())}


class SearchIndex:
    """An in-memory index of item names; build with ``SearchIndex.build(items, filters)``."""

    def __init__(self, table: pa.Table, raw_names: pa.StringArray, raw_codes: IntArray) -> None:
        self.table = table
        folded = pc.utf8_lower(pc.utf8_normalize(raw_names, "NFKC"))  # as korean.normalize, vectorised
        encoded = pc.dictionary_encode(pc.replace_substring_regex(folded, r"[^\p{L}\p{N}]+", ""))
        raw_to_doc = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int32)
        self.names: pa.StringArray = encoded.dictionary  # distinct normalised names; a name's id is its place
        docs = [str(name) for name in self.names.to_pylist()]
        self._doc_of = {name: i for i, name in enumerate(docs)}
        self.n_docs = len(docs)
        self._row_doc = raw_to_doc[raw_codes] if len(raw_codes) else _EMPTY
        self._build_grams(docs)
        self._build_tokens(folded, raw_to_doc)
        self._rows_by_doc = np.argsort(self._row_doc, kind="stable").astype(np.int64)
        self._doc_offsets = np.zeros(self.n_docs + 1, dtype=np.int64)
        np.cumsum(np.bincount(self._row_doc, minlength=self.n_docs), out=self._doc_offsets[1:])
        budget = pc.fill_null(table.column("budget"), 0).to_numpy().astype(np.int64)
        self._budget_key = np.clip(budget, 0, (1 << _BUDGET_BITS) - 1)
        self._rows_by_budget = np.argsort(-self._budget_key, kind="stable")
        self._docs_by_budget = self._row_doc[self._rows_by_budget]
        self._snapshot = table.column("snapshot_id").to_numpy().astype(np.int64)
        self._snapshots: frozenset[int] | None = None
        self._senses: dict[str, NDArray[np.bool_]] = {}
        self._chosung: pa.StringArray | None = None
        self._sense_lock = threading.Lock()
        self._gov, self._gov_index = _codes(table.column("gov_code"))
        self._gov_name, self._gov_name_index = _codes(table.column("gov_name"))
        self._region, self._region_index = _codes(table.column("parent_name"))
        self._field, self._field_index = _codes(table.column("field_name"))

    def snapshot_set(self) -> frozenset[int]:
        """The snapshots whose items this index holds."""
        if self._snapshots is None:
            self._snapshots = frozenset(int(s) for s in np.unique(self._snapshot))
        return self._snapshots

    @property
    def rows(self) -> int:
        """Item rows indexed."""
        return int(self.table.num_rows)

    # --- building --------------------------------------------------------------------------------

    @classmethod
    def build(cls, items: Any, filters: Filters | None = None) -> SearchIndex:
        """Index the item names of ``items`` (an Ibis table) selected by ``filters`` (every selected row)."""
        selected = (filters or Filters()).apply(items)
        table = selected.select(*_COLUMNS).to_pyarrow()
        return cls.from_arrow(table)

    @classmethod
    def from_arrow(cls, table: pa.Table) -> SearchIndex:
        """Index an Arrow table with (at least) the columns of ``_COLUMNS``."""
        table = table.select(list(_COLUMNS)).combine_chunks()
        encoded = pc.dictionary_encode(table.column("item_name").combine_chunks())
        raw_codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        return cls(table, encoded.dictionary, raw_codes)

    def _build_grams(self, docs: list[str]) -> None:
        text = "".join(doc + "\x00" for doc in docs)
        points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        chars = _sorted_unique(points)
        dense = np.searchsorted(chars, points).astype(np.uint64)
        self._char_id = {chr(int(c)): i for i, c in enumerate(chars.tolist())}
        self._char_bits = max(1, len(chars).bit_length())
        doc_bits = max(1, self.n_docs.bit_length())
        if 2 + 2 * self._char_bits + doc_bits > 63:
            raise QueryError("too many distinct characters or names to index")
        self._doc_bits = doc_bits
        doc_at = np.repeat(np.arange(self.n_docs, dtype=np.uint64), [len(d) + 1 for d in docs])
        bits, shift = np.uint64(self._char_bits), np.uint64(doc_bits)
        a, b, c = dense[:-2], dense[1:-1], dense[2:]
        uni = dense != 0
        pair = (dense[:-1] != 0) & (dense[1:] != 0)
        skip = (a != 0) & (b != 0) & (c != 0)
        parts = [
            (dense[uni] << shift) | doc_at[uni],
            (((np.uint64(1) << (bits + bits)) | (dense[:-1][pair] << bits) | dense[1:][pair]) << shift)
            | doc_at[:-1][pair],
            (((np.uint64(2) << (bits + bits)) | (a[skip] << bits) | c[skip]) << shift) | doc_at[:-2][skip],
        ]
        combined = np.concatenate(parts)
        del parts, uni, pair, skip  # the largest arrays of a build: sort in place rather than beside them
        combined.sort()
        combined = _dedupe_sorted(combined)
        keys = combined >> shift
        self._gram_docs = (combined & np.uint64((1 << doc_bits) - 1)).astype(np.int32)
        starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1]))) if len(keys) else keys
        self._gram_keys = keys[starts]
        self._gram_offsets = np.append(starts, len(keys)).astype(np.int64)

    def _build_tokens(self, folded: pa.StringArray, raw_to_doc: IntArray) -> None:
        postings: dict[str, list[int]] = {}
        where = np.flatnonzero(pc.match_substring_regex(folded, "[a-z0-9]").to_numpy(zero_copy_only=False))
        for name, doc in zip(folded.take(pa.array(where)).to_pylist(), raw_to_doc[where].tolist(), strict=True):
            for token in set(latin_tokens(str(name))):
                postings.setdefault(token, []).append(doc)
        self._tokens = {token: _sorted_unique(np.array(docs, dtype=np.int32)) for token, docs in postings.items()}
        self._token_vocab = list(self._tokens)

    # --- postings --------------------------------------------------------------------------------

    def _posting(self, gram: str, kind: int) -> IntArray:
        """Names containing ``gram``: kind 0 a character, 1 two adjacent ones, 2 two with one between."""
        ids = [self._char_id.get(ch, 0) for ch in gram]  # 0: the separator, never in a gram
        if 0 in ids:
            return _EMPTY
        key = (kind << (2 * self._char_bits)) | (ids[0] << self._char_bits) | ids[1] if kind else ids[0]
        where = int(np.searchsorted(self._gram_keys, np.uint64(key)))
        if where == len(self._gram_keys) or int(self._gram_keys[where]) != key:
            return _EMPTY
        return self._gram_docs[self._gram_offsets[where] : self._gram_offsets[where + 1]]

    def _all_of(self, postings: list[IntArray]) -> IntArray:
        if not postings:
            return _EMPTY
        postings = sorted(postings, key=len)
        found = postings[0]
        for posting in postings[1:]:
            found = _intersect(found, posting)
            if not len(found):
                break
        return found

    def _verify(self, candidates: IntArray, pattern: str, *, regex: bool = False) -> IntArray:
        """The candidates whose normalised name contains ``pattern`` (a regular expression if ``regex``)."""
        if not len(candidates):
            return candidates
        names = self.names.take(pa.array(candidates))
        mask = (pc.match_substring_regex if regex else pc.match_substring)(names, pattern)
        kept: IntArray = candidates[mask.to_numpy(zero_copy_only=False)]
        return kept

    def containing(self, term: str) -> IntArray:
        """Ids of names whose normalised form contains ``term`` (Latin-only terms: as a whole word)."""
        if not term:
            return _EMPTY
        if is_latin(term) and term in self._tokens:
            return self._tokens[term]
        if len(term) == 1:
            return self._posting(term, 0)
        grams = [term[i : i + 2] for i in range(len(term) - 1)]
        found = self._all_of([self._posting(gram, 1) for gram in dict.fromkeys(grams)])
        return found if len(term) == 2 else self._verify(found, term)

    def _typos(self, term: str) -> IntArray:
        """Names containing a spelling of ``term`` one character away (see ``korean.typo_patterns``)."""
        if is_latin(term):
            if len(term) < 4:
                return _EMPTY
            close = process.extract(term, self._token_vocab, scorer=Levenshtein.distance, score_cutoff=1, limit=None)
            found = [self._tokens[word] for word, _distance, _where in close]
            return _sorted_unique(np.concatenate(found)) if found else _EMPTY
        candidates: list[IntArray] = []
        regexes: list[str] = []
        for pattern in typo_patterns(term):
            pairs, skips = pattern_grams(pattern)  # never both empty: a pattern has 2+ characters
            postings = [self._posting(g, 1) for g in pairs] + [self._posting(g, 2) for g in skips]
            candidates.append(self._all_of(postings))
            regexes.append(pattern_regex(pattern))
        if not candidates:
            return _EMPTY
        return self._verify(_sorted_unique(np.concatenate(candidates)), "|".join(regexes), regex=True)

    def _word_scores(self, term: str) -> NDArray[np.int32]:
        scores = np.zeros(self.n_docs, dtype=np.int32)
        if is_chosung(term):
            for ids, score in self._chosung_matches(term):
                scores[ids] = score
            return scores
        exact = self.containing(term)
        forms = [term]
        matched: list[tuple[IntArray, int]] = []
        if not len(exact):
            stripped = strip_particle(term)
            if stripped:  # "폐쇄회로" ends in 로 too: the whole word keeps its synonyms and typos
                matched.append((self.containing(stripped), STRIPPED))
                forms.append(stripped)
        for form in forms:
            for other, group in sensed_synonyms(form):
                ids = self.containing(other)
                if group is not None and len(ids):
                    ids = ids[self._sense_mask(group.sense)[ids] == group.inside]  # AI = 인공지능 only outside 방역
                matched.append((ids, SYNONYM))
        count = len(exact) + sum(len(ids) for ids, _ in matched)
        if count < TYPO_BELOW:
            for form in forms:
                if len(form) >= 3:
                    scores[self._typos(form)] = TYPO
            corrected = self._correction(term, len(exact))
            if corrected is not None:
                matched.append((self.containing(corrected), CORRECTED))
        for ids, score in sorted(matched, key=lambda pair: pair[1]):
            scores[ids] = np.maximum(scores[ids], score)
        scores[exact] = EXACT
        return scores

    def _correction(self, term: str, exact: int) -> str | None:
        """The spelling one syllable away from a 3–4 syllable ``term`` (any position, the first and last too)
        that many more names use (``도서간`` → ``도서관``, ``채육관`` → ``체육관``): at least
        ``CORRECTION_MIN`` names and ``CORRECTION_RATIO`` times the names with ``term`` itself (plus one);
        else ``None``."""
        if not 3 <= len(term) <= 4 or not all("가" <= char <= "힣" for char in term):
            # longer words get typo patterns at every position; one syllable off there is often another word
            return None
        counts: dict[str, int] = {}
        for i in range(len(term)):
            pattern = (*term[:i], None, *term[i + 1 :])
            pairs, skips = pattern_grams(pattern)
            postings = [self._posting(g, 1) for g in pairs] + [self._posting(g, 2) for g in skips]
            candidates = self._verify(self._all_of(postings), pattern_regex(pattern), regex=True)
            finder = re.compile(pattern_regex(pattern))
            for name in self.names.take(pa.array(candidates)).to_pylist():
                for variant in {found.group(0) for found in finder.finditer(str(name))}:
                    if variant != term and all("가" <= char <= "힣" for char in variant):
                        counts[variant] = counts.get(variant, 0) + 1
        if not counts:
            return None
        best = max(counts, key=lambda word: (counts[word], word))
        if counts[best] >= CORRECTION_MIN and counts[best] >= CORRECTION_RATIO * (exact + 1):
            return best
        return None

    def _chosung_matches(self, term: str) -> list[tuple[IntArray, int]]:
        """Names whose initial consonants contain ``term`` (``ㄱㄹㄷ``): those spelling the most common
        reading of it (``경로당``, and readings used by at least a quarter as many names) score ``SYNONYM``,
        other readings (``공립도서관``'s 공립도) ``TYPO``."""
        initials = self._initials()
        ids = np.flatnonzero(pc.match_substring(initials, term).to_numpy(zero_copy_only=False)).astype(np.int32)
        if not len(ids):
            return []
        readings: dict[str, list[int]] = {}
        names = self.names.take(pa.array(ids)).to_pylist()
        for doc, name, spelled in zip(ids.tolist(), names, initials.take(pa.array(ids)).to_pylist(), strict=True):
            at = str(spelled).find(term)
            while at >= 0:
                readings.setdefault(str(name)[at : at + len(term)], []).append(doc)
                at = str(spelled).find(term, at + 1)
        most = max(len(set(docs)) for docs in readings.values())
        common = [docs for docs in readings.values() if len(set(docs)) * 4 >= most]
        best = _sorted_unique(np.array([doc for docs in common for doc in docs], dtype=np.int32))
        return [(ids, TYPO), (best, SYNONYM)]

    def _initials(self) -> pa.StringArray:
        """Per name: its 초성 form (``korean.chosung``), computed once per index."""
        with self._sense_lock:
            if self._chosung is None:
                self._chosung = pa.array([chosung(str(name)) for name in self.names.to_pylist()], pa.string())
            return self._chosung

    def _sense_mask(self, sense: Sense) -> NDArray[np.bool_]:
        """Per name: whether it reads in ``sense`` (``korean.Sense.holds``), computed once per index."""
        with self._sense_lock:
            mask = self._senses.get(sense.name)
            if mask is None:
                mask = np.array([sense.holds(str(name)) for name in self.names.to_pylist()], dtype=bool)
                self._senses[sense.name] = mask
            return mask

    # --- searching -------------------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        limit: int | None = 20,
        gov_codes: Sequence[str] | None = None,
        region: str | None = None,
        field: str | None = None,
        snapshot_ids: Sequence[int] | None = None,
    ) -> list[SearchHit]:
        """Items whose names match ``query``, best first, then by budget (largest first).

        Filters: ``gov_codes`` (자치단체 codes), ``region`` (광역 name: its governments and itself),
        ``field`` (분야 name), ``snapshot_ids``. ``limit=None`` returns every hit.
        """
        if not query or not query.strip():
            raise QueryError("empty search query; give a word to look for, e.g. 청년 or 경로당")
        terms = query_terms(query)
        if not terms:
            raise QueryError(f"search query {query!r} has no letters or digits to look for")
        if limit is not None and limit < 1:
            raise QueryError(f"limit must be at least 1, not {limit}")
        total = np.zeros(self.n_docs, dtype=np.int32)
        for term in terms:
            total += self._word_scores(term)
        total //= len(terms)
        if len(terms) > 1:
            phrase = self.containing("".join(terms))
            total[phrase] += PHRASE_BONUS
        whole = self._doc_of.get("".join(terms))
        if whole is not None and total[whole] > 0:
            total[whole] += WHOLE_NAME_BONUS
        wanted = {"gov_codes": gov_codes, "region": region, "field": field, "snapshot_ids": snapshot_ids}
        matched = np.flatnonzero(total > 0)
        matched_scores = total[matched]
        found: list[NDArray[np.int64]] = []
        scores: list[int] = []
        for level in np.flatnonzero(np.bincount(matched_scores))[::-1].tolist():  # best score first
            rows = self._level_rows(total, level, matched[matched_scores == level], limit, wanted)
            found.append(rows)
            scores.extend([level] * len(rows))
            if limit is not None and len(scores) >= limit:
                break
        rows = np.concatenate(found) if found else np.zeros(0, dtype=np.int64)
        return self._hits(rows[:limit], np.array(scores[:limit], dtype=np.int64))

    def _level_rows(
        self, total: IntArray, level: int, docs: NDArray[np.intp], limit: int | None, wanted: dict[str, Any]
    ) -> NDArray[np.int64]:
        """Rows of ``docs`` (the names scoring ``level``) that pass the filters, largest budget first."""
        if int((self._doc_offsets[docs + 1] - self._doc_offsets[docs]).sum()) > len(self._row_doc) // 8:
            found: list[NDArray[np.int64]] = []  # many rows: scan all rows in budget order, in growing chunks
            start, size, have = 0, 4096 if limit is not None else len(self._row_doc), 0
            while start < len(self._row_doc) and (limit is None or have < limit):
                chunk = self._rows_by_budget[start : start + size]
                chunk = self._filter(chunk[total[self._docs_by_budget[start : start + size]] == level], wanted)
                found.append(chunk)
                start, size, have = start + size, size * 2, have + len(chunk)
            return np.concatenate(found)[:limit]
        rows = self._filter(self._rows_of(docs), wanted)
        if limit is not None and limit < len(rows):
            rows = rows[np.argpartition(-self._budget_key[rows], limit - 1)[:limit]]
        return rows[np.lexsort((rows, -self._budget_key[rows]))]

    def _rows_of(self, docs: NDArray[np.intp]) -> NDArray[np.int64]:
        """Row numbers (in the index's table) of the given names."""
        starts = self._doc_offsets[docs]
        lengths = self._doc_offsets[docs + 1] - starts
        total = int(lengths.sum())
        shift = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
        return cast(NDArray[np.int64], self._rows_by_doc[np.arange(total, dtype=np.int64) + shift])

    def _filter(self, rows: NDArray[np.int64], wanted: dict[str, Any]) -> NDArray[np.int64]:
        if wanted["gov_codes"]:
            codes = [self._gov_index[code] for code in wanted["gov_codes"] if code in self._gov_index]
            rows = rows[np.isin(self._gov[rows], codes)]
        if (region := wanted["region"]) is not None:
            in_region = self._region[rows] == self._region_index.get(region, -2)
            itself = self._gov_name[rows] == self._gov_name_index.get(region, -2)
            rows = rows[in_region | (itself & (self._region[rows] == -1))]
        if wanted["field"] is not None:
            rows = rows[self._field[rows] == self._field_index.get(wanted["field"], -2)]
        if wanted["snapshot_ids"]:
            rows = rows[np.isin(self._snapshot[rows], list(wanted["snapshot_ids"]))]
        return rows

    def _hits(self, rows: NDArray[np.int64], scores: NDArray[np.int64]) -> list[SearchHit]:
        records = self.table.take(pa.array(rows)).to_pylist()
        return [
            SearchHit(
                key=(r["gov_code"], r["account"], r["item_code"], r["item_name"]),
                budget=int(r["budget"] or 0),
                score=int(score) / EXACT,
                **cast(dict[str, Any], {name: r[name] for name in (*_HIT_COLUMNS, *_HIT_IDS)}),
            )
            for r, score in zip(records, scores.tolist(), strict=True)
        ]


# --- a small cache of indexes ---------------------------------------------------------------------

#: Indexes kept at most, and rows indexed at most over all of them (the latest index is always kept). An index
#: holds ≈ 0.55 KB per row (the rows' names and ids, the postings) and needs ≈ 1 KB per row while it is built
#: (measured at 3.4M rows: 1.8 GB held, 3.3 GB peak), so 1M rows ≈ 550 MB: two national snapshots (≈ 420k
#: rows each) — part of a server's 2 GB (docs/scale.md).
CACHE_SIZE: Final = 4
CACHE_ROWS: Final = 1_000_000
_cache: OrderedDict[Hashable, SearchIndex] = OrderedDict()
_cache_lock = threading.Lock()


def _cache_key(items: Any, filters: Filters, tag: Hashable | None) -> Hashable:
    """The table, the filters and what the store holds (its snapshots' digests: a reload changes them)."""
    try:
        table_key: Hashable = items.op()
        hash(table_key)
    except Exception:  # an expression that cannot be hashed: cache per object
        table_key = id(items)
    return (table_key, filters, store_tag(items) if tag is None else tag)


def store_tag(items: Any) -> Hashable:
    """The (snapshot_id, digest) pairs of the store ``items`` belongs to; the items' snapshot row counts when
    the backend has no snapshots table (a table made in memory)."""
    try:
        snapshots = ibis.get_backend(items).table("snapshots")
    except Exception:  # not a yesan store: count the items of each snapshot instead
        counts = items.group_by("snapshot_id").aggregate(n=items.count()).to_pyarrow().to_pylist()
        return tuple(sorted((int(r["snapshot_id"]), int(r["n"])) for r in counts))
    rows = snapshots.select("snapshot_id", "digest").to_pyarrow().to_pylist()
    return tuple(sorted((int(r["snapshot_id"]), str(r["digest"])) for r in rows))


def selection(items: Any, filters: Filters) -> Any:
    """The items an index of ``filters`` holds: those the filters select, and when they do not name the
    snapshots, only each government's latest snapshot among them (``yesan.query.snapshots``), as a
    drill-down counts them; the same item from older snapshots would only repeat the hits."""
    selected = filters.apply(items)
    if filters.snapshot_ids:
        return selected
    return choose_for(selected, explicit=False, what="a search").apply(selected)


def index_for(items: Any, filters: Filters | None = None, *, tag: Hashable | None = None) -> SearchIndex:
    """The cached index of ``items`` selected by ``filters`` (see ``selection``), built on first use.

    Indexes are kept per table, filters and store contents (its snapshots' digests), for the last
    ``CACHE_SIZE`` combinations and ``CACHE_ROWS`` indexed rows. ``tag`` is ``store_tag(items)`` if the
    caller knows it already (a server holding the store read-only reads it once): reading it costs a query,
    about 6 ms, on every call.
    """
    chosen = filters or Filters()
    key = _cache_key(items, chosen, tag)
    one = chosen.snapshot_ids if chosen.snapshot_ids and len(set(chosen.snapshot_ids)) == 1 else None
    # One snapshot named: the default index holds exactly its items when that snapshot is the only one in it
    # (every government in it has it as its latest), as on a store of one national snapshot.
    default_key = _cache_key(items, Filters(), tag) if one is not None and chosen == Filters(snapshot_ids=one) else None
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
        default = _cache.get(default_key) if default_key is not None else None
        if default is not None and one is not None and default.snapshot_set() == frozenset(one):
            _cache.move_to_end(default_key)
            return default
    # One contiguous copy of the rows (the chunked result is dropped at once): the build adds no other.
    index = SearchIndex.from_arrow(selection(items, chosen).select(*_COLUMNS).to_pyarrow().combine_chunks())
    pa.default_memory_pool().release_unused()  # the build's temporary Arrow buffers: back to the system now
    with _cache_lock:
        _cache[key] = index
        while len(_cache) > 1 and (len(_cache) > CACHE_SIZE or sum(i.rows for i in _cache.values()) > CACHE_ROWS):
            _cache.popitem(last=False)
    return index


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


def search(
    items: Any,
    query: str,
    *,
    filters: Filters | None = None,
    limit: int | None = 20,
    gov_codes: Sequence[str] | None = None,
    region: str | None = None,
    field: str | None = None,
) -> list[SearchHit]:
    """Search item names of ``items`` (an Ibis table); see ``SearchIndex.search``.

    ``filters`` choose what is indexed (e.g. ``Filters(snapshot_ids=(3,))``; without snapshot ids, each
    government's latest snapshot: see ``selection``); the other arguments narrow the hits of that index.
    """
    return index_for(items, filters).search(query, limit=limit, gov_codes=gov_codes, region=region, field=field)


__all__ = [
    "EXACT",
    "SYNONYM",
    "TYPO",
    "SearchHit",
    "SearchIndex",
    "clear_cache",
    "index_for",
    "search",
    "selection",
    "store_tag",
]
