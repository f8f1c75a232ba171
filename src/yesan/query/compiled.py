"""Run an Ibis expression, compiling each query's shape once: its values are bound as parameters.

Compiling an Ibis expression to SQL costs 10–50 ms (graph rewrites in Python), more than DuckDB takes to answer
most of yesan's questions. Questions asked for the first time differ from earlier ones in their values only (a
government, a threshold, a year), not in their shape, so on DuckDB ``arrow`` replaces every integer and string
literal of the expression by a placeholder (``$p0``, ``$p1`` …), compiles that shape once through Ibis's own
DuckDB compiler, keeps the SQL, and runs it with the values bound. Anything it cannot take apart that way (other
backends, in-memory tables, UDFs, a shape the compiler cannot write with placeholders) runs through Ibis as
before: the answer is the same either way, only the time differs.

``rows`` fetches the rows as Python values; ``rows_over(build, selection, ...)`` also skips building the
expression (Ibis validates each node as it builds: a join costs some 10 ms) for a selection of a shape it has
built over before.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any, Final

import ibis.expr.datashape as ds
import ibis.expr.datatypes as dt
import ibis.expr.operations as ops
import sqlglot.expressions as sge
from ibis.common.graph import Graph

from yesan.store.backend import UNBINDABLE_ERRORS

#: Compiled shapes kept (least recently used dropped first); a server asks a few dozen shapes in all.
CACHE_SIZE: Final = 512

#: DuckDB errors that say a shape's SQL cannot run with placeholders (a place where SQL wants a constant): that
#: shape goes back to the plain path for good. Others (an interrupt, memory, I/O) are the query's own errors.
_UNBINDABLE: Final = UNBINDABLE_ERRORS


class Bound(ops.Scalar):  # type: ignore[misc]
    """A value bound at run time: placeholder ``$name`` of type ``dtype`` (stands for a literal in a shape)."""

    dtype: dt.DataType
    name: str

    shape = ds.scalar


_UNCOMPILABLE: Final = object()  # a shape that runs through the plain path


class _Cache:
    def __init__(self, size: int) -> None:
        self.size = size
        self._sql: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, shape: Any) -> Any:
        with self._lock:
            found = self._sql.get(shape)
            if found is None:
                self.misses += 1
                return None
            self._sql.move_to_end(shape)
            self.hits += 1
            return found

    def put(self, shape: Any, sql: Any) -> None:
        with self._lock:
            self._sql[shape] = sql
            self._sql.move_to_end(shape)
            while len(self._sql) > self.size:
                self._sql.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._sql.clear()
            self.hits = self.misses = 0


_cache = _Cache(CACHE_SIZE)
_compiler: Any = None


def arrow(expr: Any) -> Any:
    """The result of ``expr`` as ``expr.to_pyarrow()`` gives it (a table, column or scalar), compiled once per shape."""
    prepared = _prepared(expr)
    if prepared is None:
        return expr.to_pyarrow()
    con, sql, params, key = prepared
    try:
        table = con.sql(sql, params=params).to_arrow_table()
    except _UNBINDABLE:
        _cache.put(key, _UNCOMPILABLE)
        return expr.to_pyarrow()
    from ibis.backends.duckdb.converter import DuckDBPyArrowData

    return expr.__pyarrow_result__(table, data_mapper=DuckDBPyArrowData)


def rows(expr: Any) -> list[dict[str, Any]]:
    """The rows of table expression ``expr`` as dicts, the values ``arrow(expr).to_pylist()`` would give.

    Rows of integers, floats, strings, booleans, dates, naive timestamps and lists of integers or strings are
    fetched as Python values straight away, without the Arrow table and the casts to Ibis's types between
    (about a millisecond a query); integers and floats are made the type Ibis declares (DuckDB may answer a
    sum as HUGEINT or a product as DECIMAL). Other columns take the Arrow path.
    """
    schema = expr.schema()
    convert = _converters(schema)
    prepared = _prepared(expr) if convert is not None else None
    if prepared is None or convert is None:
        found: list[dict[str, Any]] = arrow(expr).to_pylist()
        return found
    con, sql, params, key = prepared
    try:
        fetched = con.execute(sql, params).fetchall()
    except _UNBINDABLE:
        _cache.put(key, _UNCOMPILABLE)
        found = expr.to_pyarrow().to_pylist()
        return found
    return _as_dicts(fetched, list(schema.names), convert)


def rows_over(build: Callable[..., Any], selected: Any, *args: Any) -> list[dict[str, Any]]:
    """``rows(build(selected, *args))``, with the expression built and compiled once per shape of ``selected``.

    Building an Ibis expression validates every node as it goes (a join of the items to their sources: some
    10 ms), and a question asked for the first time differs from the last in its selection's values only. So
    the key is the fingerprint of ``selected`` alone, with ``build`` and ``args``; a new shape is built once
    over the selection with its values as placeholders, and each later selection of that shape only binds its
    values. ``build`` must be a function of its arguments alone (it builds an expression, runs nothing, and
    reads no values from the selection); arguments that are not plain values (``Tables``) are told apart by
    identity and kept alive with the compiled query.
    """
    found = _over(build, selected, args)
    if found is None:
        return rows(build(selected, *args))
    con, sql, params, schema, convert, key = found
    try:
        fetched = con.execute(sql, params).fetchall()
    except _UNBINDABLE:
        _cache.put(key, _UNCOMPILABLE)
        return rows(build(selected, *args))
    return _as_dicts(fetched, list(schema.names), convert)


def table_over(build: Callable[..., Any], selected: Any, *args: Any) -> Any:
    """``build(selected, *args)`` as an Arrow table, built and compiled once per shape of ``selected`` (as
    ``rows_over``), for answers whose rows are many and mostly not looked at one by one.

    The columns are DuckDB's own (a sum may be a decimal of 38 digits, where Ibis would say int64): exact, to be
    read with ``int()``.
    """
    found = _over(build, selected, args)
    if found is None:
        return build(selected, *args).to_pyarrow()
    con, sql, params, _, _, key = found
    try:
        return con.sql(sql, params=params).to_arrow_table()
    except _UNBINDABLE:
        _cache.put(key, _UNCOMPILABLE)
        return build(selected, *args).to_pyarrow()


def _over(build: Callable[..., Any], selected: Any, args: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """The connection, SQL, bound values, schema, converters and cache key of ``build(selected, *args)``, or
    None when it must run through Ibis."""
    taken = _fingerprint(selected.op())
    if taken is None or len(taken[2]) != 1 or getattr(next(iter(taken[2])), "name", None) != "duckdb":
        return None
    shape, values, sources = taken
    key = ("over", build, *(_identity(a) for a in args), shape)
    compiled = _cache.get(key)
    if compiled is None:
        compiled = _compile_over(build, selected, args)
        _cache.put(key, compiled)
    if compiled is _UNCOMPILABLE:
        return None
    sql, names, schema, convert, _ = compiled
    return next(iter(sources)).con, sql, {name: values[name] for name in names}, schema, convert, key


def _compile_over(build: Callable[..., Any], selected: Any, args: tuple[Any, ...]) -> Any:
    """``build`` over ``selected`` with its bindable literals as placeholders (named as ``_fingerprint`` names
    them), compiled: its SQL, placeholders, schema and converters, and ``args`` (kept alive)."""
    global _compiler
    replacements: dict[ops.Node, ops.Node] = {}
    for i, node in enumerate(Graph.from_bfs(selected.op())):
        if isinstance(node, ops.Literal) and _bindable(node):
            replacements[node] = Bound(dtype=node.dtype, name=f"p{i}")
    try:
        expr = build(selected.op().replace(replacements).to_expr(), *args)
        schema = expr.schema()
        convert = _converters(schema)
        if convert is None:
            return _UNCOMPILABLE
        if _compiler is None:
            _compiler = _binding_compiler()
        query = _compiler.to_sqlglot(expr)
        names = tuple(sorted({p.name for p in query.find_all(sge.Placeholder)}))
        return query.sql(dialect=_compiler.dialect), names, schema, convert, args
    except Exception:  # a node or compiler rule that needs a literal's value: the plain path builds it with it
        return _UNCOMPILABLE


def _identity(value: Any) -> Any:
    if value is None or isinstance(value, str | int | bool):
        return (type(value), value)
    if isinstance(value, tuple) and all(v is None or isinstance(v, str | int | bool) for v in value):
        return (tuple, value)
    return ("object", id(value))  # the compiled query keeps ``value`` alive, so its id is not reused meanwhile


def _as_dicts(fetched: list[tuple[Any, ...]], names: list[str], convert: list[Any]) -> list[dict[str, Any]]:
    if not any(convert):
        return [dict(zip(names, row, strict=True)) for row in fetched]
    return [
        {
            name: (value if to is None or value is None else to(value))
            for name, to, value in zip(names, convert, row, strict=True)
        }
        for row in fetched
    ]


def _prepared(expr: Any) -> tuple[Any, str, dict[str, Any], Any] | None:
    """The DuckDB connection, SQL, bound values and cache key of ``expr``, or None for Ibis's own path."""
    root = expr.as_table().op()
    taken = _fingerprint(root)
    if taken is None:
        return None
    key, values, sources = taken
    if len(sources) != 1:
        return None  # no table, or tables of several backends: Ibis says what it makes of them
    backend = sources.pop()  # the tables' own backend: no second walk over the graph to find it
    if getattr(backend, "name", None) != "duckdb":
        return None
    compiled = _cache.get(key)
    if compiled is None:
        compiled = _compile(root)
        _cache.put(key, compiled)
    if compiled is _UNCOMPILABLE:
        return None
    sql, names = compiled
    return backend.con, sql, {name: values[name] for name in names}, key


def _converters(schema: Any) -> list[Callable[[Any], Any] | None] | None:
    """Per column, what makes a fetched value the Python value of its Ibis type (None: it is already); None when
    some column's values need Arrow's conversion."""
    found: list[Callable[[Any], Any] | None] = []
    for dtype in schema.types:
        if dtype.is_integer():
            found.append(int)
        elif dtype.is_floating():
            found.append(float)
        elif dtype.is_string() or dtype.is_boolean() or dtype.is_date() or _naive_timestamp(dtype):
            found.append(None)
        elif dtype.is_array() and dtype.value_type.is_integer():
            found.append(_int_list)
        elif dtype.is_array() and dtype.value_type.is_string():
            found.append(None)
        else:
            return None
    return found


def _naive_timestamp(dtype: dt.DataType) -> bool:
    return bool(dtype.is_timestamp() and dtype.timezone is None)


def _int_list(values: Any) -> list[int | None]:
    return [None if v is None else int(v) for v in values]


def cache_info() -> dict[str, int]:
    """How many shapes are compiled, and how often a shape was found compiled (``hits``) or not (``misses``)."""
    return {"shapes": len(_cache._sql), "hits": _cache.hits, "misses": _cache.misses}


def clear_cache() -> None:
    """Forget every compiled shape (the next run of each compiles it again)."""
    _cache.clear()


def _bindable(op: ops.Literal) -> bool:
    """Integers (as BIGINT) and strings: the values questions differ by. Other literals stay in the shape."""
    dtype = op.dtype
    if op.value is None:
        return False
    if dtype.is_string():
        return isinstance(op.value, str)
    return dtype.is_signed_integer() and isinstance(op.value, int) and not isinstance(op.value, bool)


def _fingerprint(root: ops.Node) -> tuple[tuple[Any, ...], dict[str, Any], set[Any]] | None:
    """What identifies the SQL of ``root`` up to its values, the values by placeholder name, and the backends of
    its tables; None when the expression cannot be taken apart (then it runs through Ibis as it is).

    Each node of the graph is named by its position in a breadth-first walk (equal subtrees are one node, so
    the positions say how the nodes are shared as well); a bindable literal stands as its type alone, its value
    going to placeholder ``p<position>``; a table stands as its name, schema and namespace, not its connection,
    so that one shape serves every cursor. Walking the graph costs far less than rebuilding it, which
    ``_compile`` does only for a shape not seen before.
    """
    graph = Graph.from_bfs(root)
    position = {node: i for i, node in enumerate(graph)}
    values: dict[str, Any] = {}
    parts: list[Any] = []
    sources: set[Any] = set()

    def token(value: Any) -> Any:
        if isinstance(value, ops.Node):
            return position[value]
        if isinstance(value, tuple):
            return tuple(token(v) for v in value)
        if isinstance(value, Mapping):
            return ("map", tuple((k, token(v)) for k, v in value.items()))
        return value

    for node, i in position.items():
        if isinstance(node, ops.Literal):
            if _bindable(node):
                values[f"p{i}"] = node.value
                parts.append(("bound", node.dtype))
            else:
                value = node.value  # -0.0 == 0.0 and True == 1, but their SQL differs
                parts.append((ops.Literal, type(value), repr(value) if isinstance(value, float) else value, node.dtype))
        elif isinstance(node, ops.DatabaseTable):
            parts.append((ops.DatabaseTable, node.name, node.schema, node.namespace))
            sources.add(node.source)
        elif isinstance(node, ops.PhysicalTable | ops.ScalarUDF | ops.AggUDF | ops.ScalarParameter):
            return None  # in-memory tables, UDFs and parameters need the backend's own preparation
        else:
            parts.append((type(node), token(node.__args__)))
    if any(isinstance(node, ops.SQLQueryResult) for node in position):
        return None  # SQL of the caller's own, run by Ibis
    return tuple(parts), values, sources


def _compile(root: ops.Node) -> Any:
    """The SQL of ``root`` with its bindable literals as placeholders (named as ``_fingerprint`` names them), and
    the placeholders it holds; ``_UNCOMPILABLE`` when Ibis cannot write it that way."""
    global _compiler
    replacements: dict[ops.Node, ops.Node] = {}
    for i, node in enumerate(Graph.from_bfs(root)):
        if isinstance(node, ops.Literal) and _bindable(node):
            replacements[node] = Bound(dtype=node.dtype, name=f"p{i}")
        elif isinstance(node, ops.DatabaseTable):  # a shape of its own, for no cursor in particular
            replacements[node] = ops.UnboundTable(name=node.name, schema=node.schema, namespace=node.namespace)
    try:
        if _compiler is None:
            _compiler = _binding_compiler()
        query = _compiler.to_sqlglot(root.replace(replacements).to_expr())
        names = tuple(sorted({p.name for p in query.find_all(sge.Placeholder)}))
        return query.sql(dialect=_compiler.dialect), names
    except Exception:  # a node or compiler rule that needs a literal's value: the plain path compiles it with it
        return _UNCOMPILABLE


def _binding_compiler() -> Any:
    from ibis.backends.sql.compilers.duckdb import DuckDBCompiler

    class BindingCompiler(DuckDBCompiler):  # type: ignore[misc]
        def visit_Bound(self, op: Bound, *, dtype: dt.DataType, name: str) -> Any:
            to = dt.string if dtype.is_string() else dt.int64
            return sge.Cast(this=sge.Placeholder(this=name), to=self.type_mapper.from_ibis(to), copy=False)

    return BindingCompiler()


__all__ = ["Bound", "arrow", "cache_info", "clear_cache", "rows", "rows_over", "table_over"]
