"""Article checks in child processes that are killed at their deadline (``POST /api/check``, the check page).

A check is pure Python for seconds (extraction, then a few ms per figure), and a thread cannot be stopped:
a check that ran past its 504 kept a store connection and a core until it finished on its own, so four long
articles left every page answering 503 for minutes. Here each check runs in one of a few worker processes
(each a new interpreter: no threads or DuckDB state copied from the server). A worker opens the store
read-only on its own connection, so a check never holds one of the server's (``Backends``). The server waits
for the answer until the deadline; then it kills the worker (SIGKILL: nothing in it can hold the check up),
answers 504 and, if no worker is left, starts one in the background. A new worker loads the extractor's
rules and model before its first check (seconds of CPU); that start is bounded on its own (``STARTUP_S``),
not counted in the check's time limit. A check that waits for a free worker past its time limit is a 504 too.
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Final, cast

from yesan.claims.verdict.check import CheckReport, CheckTimeout
from yesan.errors import YesanError
from yesan.settings import Settings

__all__ = ["DEFAULT_WORKERS", "CheckWorkers", "WorkerFailed", "serve_checks"]

#: Checks that run at once (more wait for a free worker): one per core of the 2-core servers measured.
DEFAULT_WORKERS: Final = Settings().check_workers
#: Seconds a worker gets after the deadline to report its own CheckTimeout (raised between steps) before it is
#: killed.
GRACE_S: Final = 0.5
#: Seconds a new worker may take to be ready (imports, the store, the morphological analyser's model: 3 s on a
#: quiet machine, 35 s measured on a loaded one). Not counted in a check's time limit, which is about its text.
STARTUP_S: Final = 180.0
_STOP_S: Final = 5.0
_WARM_UP: Final = "2026년 예산은 1억원이다."
_PACKAGE_ROOT: Final = str(Path(__file__).resolve().parents[2])


class WorkerFailed(YesanError):
    """A check's worker process stopped without an answer (killed from outside, out of memory)."""


class _Worker:
    """One child process (a fresh interpreter: nothing of the server's ``__main__`` is imported again, as
    multiprocessing's "spawn" would) and the parent's end of a socket pair to it."""

    def __init__(self, db: Path, memory_limit: str | None) -> None:
        parent, child = socket.socketpair()
        arguments = f"{child.fileno()}, {str(db)!r}, {memory_limit!r}"
        code = f"from yesan.web.checkers import serve_checks; serve_checks({arguments})"
        env = dict(os.environ)  # the child imports the same yesan as this process, however it was found
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_ROOT, env.get("PYTHONPATH", "")) if p)
        try:
            self.process = subprocess.Popen([sys.executable, "-c", code], pass_fds=[child.fileno()],
                                            stdin=subprocess.DEVNULL, env=env)  # fmt: skip
        except BaseException:
            parent.close()
            raise
        finally:
            child.close()
        self.connection = Connection(parent.detach())

    def ready(self) -> None:
        """Wait for the worker's first message: ready (the tiny warm-up check ran), or the error it stopped with."""
        try:
            if not self.connection.poll(STARTUP_S):
                raise WorkerFailed(f"the article checker did not start within {STARTUP_S:g} s; try again")
            status, value = self.connection.recv()
        except (EOFError, OSError):
            raise WorkerFailed("the article checker stopped while starting; the server log has the reason") from None
        if status != "ready":
            raise value if isinstance(value, BaseException) else WorkerFailed(str(value))

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, kill: bool) -> None:
        with contextlib.suppress(OSError, ValueError):
            if kill:
                self.process.kill()
            else:
                self.connection.send(None)  # asks the worker to return
        try:
            self.process.wait(timeout=_STOP_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.connection.close()


class CheckWorkers:
    """At most ``size`` worker processes checking articles against the store at ``db``, started when needed."""

    def __init__(self, db: Path, size: int = DEFAULT_WORKERS, *, memory_limit: str | None = None) -> None:
        if size < 1:
            raise ValueError("size must be at least 1")
        self.db = Path(db).resolve()
        self.size = size
        self.memory_limit = memory_limit
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._lock = threading.Lock()
        self._running = 0  # workers alive or starting, idle or busy
        self._closed = False
        self.killed = 0  # workers killed at a deadline (for tests and logs)

    def check(
        self,
        text: str,
        *,
        government: str | None,
        year: int | None,
        source: str,
        time_limit_s: float,
        decisions: dict[tuple[str, str], Any] | None = None,
    ) -> CheckReport:
        """``yesan.claims.verdict.check.check(...)`` run in a worker; a CheckTimeout when it takes longer than
        ``time_limit_s`` (or waits that long for a free worker), the check's own errors (QueryError …) re-raised."""
        worker = self._take(time.monotonic() + time_limit_s)
        deadline = time.monotonic() + time_limit_s
        try:
            worker.connection.send((text, government, year, source, deadline, decisions))
            if not worker.connection.poll(max(0.0, deadline - time.monotonic()) + GRACE_S):
                self._discard(worker, kill=True)
                self.killed += 1
                self._replace()
                raise CheckTimeout("checking took too long and was stopped; send a shorter text")
            status, value = worker.connection.recv()
        except (EOFError, OSError):
            self._discard(worker, kill=True)
            raise WorkerFailed("the check stopped unexpectedly (its worker process ended); try again") from None
        except BaseException:
            if not worker.connection.closed:
                self._discard(worker, kill=True)  # interrupted while the worker was busy: it cannot be reused
            raise
        self._give_back(worker)
        if status == "ok":
            return cast("CheckReport", value)
        if isinstance(value, BaseException):
            raise value
        raise RuntimeError(str(value))

    def warm(self) -> None:
        """Have a worker ready (started, its rules and model loaded) for the next check."""
        with self._lock:
            if self._running > 0:
                return
        self._give_back(self._start())

    def close(self) -> None:
        """Stop the idle workers (busy ones are stopped by their check when it ends)."""
        with self._lock:
            self._closed = True
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                break
            self._discard(worker, kill=False)

    def _take(self, wait_until: float) -> _Worker:
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                worker = self._start_or_wait(wait_until)
            if worker.alive():
                return worker
            self._discard(worker, kill=True)  # died while idle: take another

    def _start_or_wait(self, wait_until: float) -> _Worker:
        with self._lock:
            if self._closed:
                raise WorkerFailed("the server is stopping; try again")
            start = self._running < self.size
        if start:
            return self._start()
        try:
            return self._idle.get(timeout=max(0.0, wait_until - time.monotonic()))
        except queue.Empty:
            raise CheckTimeout(
                f"checking took too long: all {self.size} checkers stayed busy with other articles; try again"
            ) from None

    def _start(self) -> _Worker:
        """A new worker, ready; counted in ``size`` from the moment it starts."""
        with self._lock:
            self._running += 1
        try:
            worker = _Worker(self.db, self.memory_limit)
        except BaseException:
            with self._lock:
                self._running -= 1
            raise
        try:
            worker.ready()
        except BaseException:
            self._discard(worker, kill=True)
            raise
        return worker

    def _replace(self) -> None:
        """Start a worker in a background thread when a kill left none (one: starting costs seconds of CPU, and
        more start when checks need them)."""

        def start() -> None:
            with self._lock:
                if self._closed or self._running > 0:
                    return
            with contextlib.suppress(Exception):  # the next check starts one and reports why it cannot
                self._give_back(self._start())

        threading.Thread(target=start, name="yesan-check-replace", daemon=True).start()

    def _give_back(self, worker: _Worker) -> None:
        with self._lock:
            closed = self._closed
        if closed:
            self._discard(worker, kill=False)
        else:
            self._idle.put(worker)

    def _discard(self, worker: _Worker, *, kill: bool) -> None:
        worker.stop(kill)
        with self._lock:
            self._running -= 1


def serve_checks(fd: int, db: str, memory_limit: str | None) -> None:
    """A worker's loop (in its own interpreter): get ready (the store opened read-only, a tiny check run to load
    the rules and the model), say so, then answer one check per message on the socket ``fd`` until ``None`` or
    the server closes its end."""
    # Ctrl-C stops the server, which stops its workers. No PR_SET_PDEATHSIG: it follows the thread that started
    # the worker, and request threads come and go; a worker whose server died reads the end of its socket.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    connection = Connection(fd)
    backend = None
    try:
        from yesan.claims.verdict.check import check
        from yesan.query import open_backend, tables
        from yesan.store.backend import serve_memory_limit

        try:
            backend = open_backend(Path(db), read_only=True, memory_limit=memory_limit or serve_memory_limit())
            store = tables(backend)
            check(_WARM_UP, store, source="warm-up")
        except YesanError as error:
            _send(connection, ("error", error))
            return
        connection.send(("ready", None))
        while True:
            try:
                message = connection.recv()
            except (EOFError, OSError):
                return
            if message is None:
                return
            text, government, year, source, deadline, decisions = message
            try:
                report = check(text, store, government=government, year=year, source=source, deadline=deadline,
                               decisions=decisions)  # fmt: skip
                answer: tuple[str, Any] = ("ok", report)  # pickled whole: the page needs its scope too
            except YesanError as error:
                answer = ("error", error)
            except Exception as error:  # reported to the server, which logs it as an internal error
                answer = ("crash", f"{type(error).__name__}: {error}")
            _send(connection, answer)
    except (EOFError, OSError):  # the server went away
        return
    finally:
        if backend is not None:
            with contextlib.suppress(Exception):
                backend.disconnect()


def _send(connection: Connection, answer: tuple[str, Any]) -> None:
    try:
        connection.send(answer)
    except (EOFError, OSError):
        raise
    except Exception:  # an error that cannot be pickled
        connection.send(("error", YesanError(str(answer[1]))))
