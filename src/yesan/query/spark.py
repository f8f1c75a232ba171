"""Apache Spark as a backend for the query layer, over the partitioned Parquet layout.

``open_spark(root, master="local[2]")`` starts (or joins) a Spark session, registers the tables of
the layout written by ``yesan.store.layout`` as temporary views with the store's types, and
returns an Ibis PySpark backend: ``drilldown(tables(open_spark(...)).items, ...)`` then runs on Spark
and gives the same answers as on the DuckDB store. The same code runs on a cluster given its master
(``spark://host:7077``, ``yarn``, ``k8s://…``) and a root every executor can read (``hdfs://…``,
``s3a://…``, a shared mount); cluster settings come from ``$SPARK_CONF_DIR/spark-defaults.conf``
or ``config``.

Two things differ from Ibis's own PySpark backend (``SparkBackend``):

- results come back through ``DataFrame.toArrow()`` (Arrow straight from the JVM) instead of
  pandas, so int64 won stay exact even where a column holds NULLs (pandas would make them floats);
- ``disconnect()`` stops the Spark session only if ``open_spark`` started it.

Every ``open_spark`` call gets its own session (``newSession()``: its own temporary views, the
same JVM), so several layouts can be open at once.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import ibis
from ibis.formats.pyarrow import PyArrowData

try:
    from ibis.backends.pyspark import Backend as _PySparkBackend
except ImportError:  # no pyspark: spark_session() says what to install before anything uses the class
    _PySparkBackend = object

from yesan.errors import StoreError
from yesan.store.layout import ITEMS, MANIFEST, PARTITION_COLUMNS, check_manifest, read_manifest

DEFAULT_MASTER: Final = "local[*]"
#: Session settings yesan needs or that make small aggregate queries fast; ``config`` overrides them.
SESSION_DEFAULTS: Final[Mapping[str, str]] = {
    "spark.sql.session.timeZone": "UTC",  # Ibis sets it too; DATE and TIMESTAMP values then read back unchanged
    "spark.sql.shuffle.partitions": "8",  # the default 200 is for big joins; yesan's results have ≤ 10⁶ groups
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.sql.parquet.filterPushdown": "true",
}
SPARK_INSTALL_HINT: Final = "install it with: pip install 'yesan[spark]' (pyspark and Ibis's PySpark backend)"


class SparkBackend(_PySparkBackend):  # type: ignore[misc]  # Ibis ships no type stubs
    """Ibis's PySpark backend with exact Arrow results; stops the session only if it owns it."""

    owns_session: bool = False

    def to_pyarrow(
        self,
        expr: Any,
        /,
        *,
        params: Mapping[Any, Any] | None = None,
        limit: int | str | None = None,
        **kwargs: Any,
    ) -> Any:
        self._run_pre_execute_hooks(expr)
        table_expr = expr.as_table()
        sql = self.compile(table_expr, params=params, limit=limit, **kwargs)
        arrow = self._session.sql(sql).toArrow()
        return expr.__pyarrow_result__(PyArrowData.convert_table(arrow, table_expr.schema()))

    def disconnect(self) -> None:
        if self.owns_session:
            self._session.stop()

    @property
    def session(self) -> Any:
        """The ``pyspark.sql.SparkSession`` of this backend."""
        return self._session


def java_executable() -> str | None:
    """The ``java`` Spark will start: ``$JAVA_HOME/bin/java`` or the one on ``PATH``; None if there is none."""
    home = os.environ.get("JAVA_HOME")
    if home and os.access(Path(home) / "bin" / "java", os.X_OK):
        return str(Path(home) / "bin" / "java")
    return shutil.which("java")


def missing_requirement() -> str | None:
    """Why Spark cannot run here (pyspark or Java missing), or None when it can."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return f"the Spark engine needs pyspark, which is not installed; {SPARK_INSTALL_HINT}"
    if java_executable() is None:
        return (
            "the Spark engine needs Java 17 or newer, and there is no java on PATH or in $JAVA_HOME; "
            "install one (e.g. Debian's openjdk-17-jre-headless)"
        )
    return None


def spark_session(
    master: str = DEFAULT_MASTER, *, app_name: str = "yesan", config: Mapping[str, str] | None = None
) -> Any:
    """A Spark session for ``master`` with SESSION_DEFAULTS (the running one if this process has one).

    Settings that size the JVM (``spark.driver.memory``) only take effect in a process's first session.
    """
    return _start(master, app_name, config)[0]


def _start(master: str, app_name: str, config: Mapping[str, str] | None) -> tuple[Any, bool]:
    """(session, whether this call started Spark)."""
    problem = missing_requirement()
    if problem is not None:
        raise StoreError(problem)
    from pyspark import SparkContext
    from pyspark.sql import SparkSession

    running = SparkContext._active_spark_context is not None
    if master.startswith("local") and not running:
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # no "hostname resolves to a loopback address" warning
    builder = SparkSession.builder.master(master).appName(app_name)
    for key, value in {**SESSION_DEFAULTS, **(config or {})}.items():
        builder = builder.config(key, value)
    try:
        session = builder.getOrCreate()
    except Exception as error:  # Py4J / JVM start-up errors
        raise StoreError(f"Spark could not start ({master}): {_first_line(error)}") from None
    session.sparkContext.setLogLevel("ERROR")
    return session, not running


def open_spark(
    root: str | Path,
    *,
    master: str | None = None,
    session: Any = None,
    config: Mapping[str, str] | None = None,
) -> SparkBackend:
    """An Ibis backend on Spark over the layout at ``root`` (a directory or a Hadoop URI such as ``s3a://…``).

    The views are registered in a new session of ``session`` (or of this process's running Spark, or
    of one started for ``master``); ``disconnect()`` stops Spark only if this call started it.
    """
    base, owns = _start(master or DEFAULT_MASTER, "yesan", config) if session is None else (session, False)
    scoped = base.newSession()
    for key, value in {**SESSION_DEFAULTS, **(config or {})}.items():
        if key.startswith("spark.sql."):  # the others belong to the JVM and cannot change now
            scoped.conf.set(key, value)
    backend: SparkBackend = SparkBackend().connect(scoped)
    backend.owns_session = owns
    try:
        register_layout(scoped, root)
    except BaseException:
        backend.disconnect()
        raise
    return backend


def register_layout(session: Any, root: str | Path) -> dict[str, Any]:
    """Register the layout's tables as temporary views of ``session``, with the store's column types.

    Returns the manifest. ``items`` is read with partition discovery (fiscal_year, snapshot_id,
    parent_name), so filters on those columns only read the matching directories.
    """
    location = _location(root)
    manifest = _manifest(session, root, location)
    from ibis.backends.pyspark.datatypes import PySparkSchema

    for name, entry in manifest["tables"].items():
        schema = ibis.schema({column: ibis.dtype(dtype) for column, dtype in entry["schema"].items()})
        spark_schema = PySparkSchema.from_ibis(schema)
        path = f"{location}/{entry['path']}"
        if name == ITEMS and not manifest.get("snapshots"):
            frame = session.createDataFrame([], spark_schema)
        elif name == ITEMS:
            frame = session.read.schema(spark_schema).option("basePath", path).parquet(path)
            missing = [column for column in PARTITION_COLUMNS if column not in frame.columns]
            if missing:
                raise StoreError(f"{path} has no partition column(s) {', '.join(missing)}; export the store again")
        else:
            frame = session.read.schema(spark_schema).parquet(path).cache()
        frame.select(*schema.names).createOrReplaceTempView(name)
    return manifest


def _location(root: str | Path) -> str:
    text = str(root).rstrip("/")
    if "://" in text:
        return text
    path = Path(text).expanduser().resolve()
    if not path.is_dir():
        raise StoreError(f"no Parquet layout at {path}: write one with `yesan export --format partitioned {path}`")
    return str(path)


def _manifest(session: Any, root: str | Path, location: str) -> dict[str, Any]:
    if "://" not in location or location.startswith("file://"):
        return read_manifest(location.removeprefix("file://"))
    where = f"{location}/{MANIFEST}"
    try:  # a remote root (hdfs://, s3a://): read the manifest with Spark's own file systems
        rows = session.read.text(where, wholetext=True).collect()
        data = json.loads(rows[0][0])
    except Exception as error:
        raise StoreError(f"cannot read the layout manifest {where}: {_first_line(error)}") from None
    return check_manifest(data, where)


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


__all__ = [
    "DEFAULT_MASTER",
    "SESSION_DEFAULTS",
    "SparkBackend",
    "java_executable",
    "missing_requirement",
    "open_spark",
    "register_layout",
    "spark_session",
]
