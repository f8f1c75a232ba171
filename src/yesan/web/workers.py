"""``yesan serve --workers N``: N server processes on one port, each with a listening socket of its own.

uvicorn's own ``workers`` share one listening socket, and whichever process wakes first accepts every
connection waiting in the queue: 50 keep-alive clients arriving together were split 17/33 between two
workers, and the busier one answered in twice the time. Here every worker binds the port with
``SO_REUSEPORT``, so the kernel spreads new connections evenly across them by their addresses.

The workers run in a process group of their own: Ctrl-C reaches this supervisor alone, which then stops
each worker once (SIGTERM: uvicorn's graceful shutdown) and waits for it. A worker that dies stops the
others, and ``serve`` exits non-zero. On Linux a worker also gets SIGTERM if the supervisor is killed.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import socket
import sys
import threading
from typing import Any, Final

from yesan.errors import YesanError

#: How long a worker may take to finish its requests and close the store once asked to stop.
STOP_TIMEOUT_S: Final = 60.0
_PR_SET_PDEATHSIG: Final = 1


def run_workers(app_factory: str, host: str, port: int, workers: int, log_level: str) -> int:
    """Run ``workers`` processes serving ``app_factory`` (``module:function``) until interrupted; exit status."""
    try:
        listening_socket(host, port).close()  # a clear error here rather than a traceback from each worker
    except OSError as error:
        raise YesanError(
            f"cannot listen on {host}:{port}: {error.strerror or error}; is another server running there? "
            "pick another --port"
        ) from None
    context = multiprocessing.get_context("spawn")
    processes = [
        context.Process(target=_worker, args=(app_factory, host, port, log_level), name=f"yesan-worker-{n}")
        for n in range(workers)
    ]
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        for process in processes:
            process.start()
        shown = f"[{host}]" if ":" in host else host
        print(f"yesan: serving http://{shown}:{port} with {workers} workers (Ctrl-C to stop)", file=sys.stderr)
        while not stop.is_set() and all(p.is_alive() for p in processes):
            stop.wait(0.5)
    finally:
        for process in processes:
            if process.pid is not None and process.is_alive():
                os.kill(process.pid, signal.SIGTERM)
        for process in processes:
            process.join(timeout=STOP_TIMEOUT_S)
            if process.is_alive():
                process.kill()
                process.join()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    failed = [p for p in processes if p.exitcode not in (0, -signal.SIGTERM)]
    for process in failed:
        print(f"error: server worker {process.name} stopped with status {process.exitcode}", file=sys.stderr)
    return 1 if failed else 0


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket listening on ``host:port`` that other workers of this server may also bind (SO_REUSEPORT)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _worker(app_factory: str, host: str, port: int, log_level: str) -> None:
    import uvicorn

    os.setpgrp()  # Ctrl-C in a terminal goes to the supervisor, which stops each worker once
    _die_with_parent()
    server_memory()
    sock = listening_socket(host, port)
    config = uvicorn.Config(app_factory, factory=True, host=host, port=port, log_level=log_level)
    uvicorn.Server(config).run(sockets=[sock])


#: glibc's mallopt parameter for the number of malloc arenas.
_M_ARENA_MAX: Final = -8
#: Arenas for a server process: glibc gives each thread that allocates its own arena (up to 8 per core).
MALLOC_ARENAS: Final = 2


def server_memory() -> None:
    """Allocators for a long-running server (call before threads start): Arrow allocates with the system's
    malloc, capped at MALLOC_ARENAS arenas, instead of mimalloc, which kept what each request thread had
    freed. The load test (20,000 requests, 50 clients) grew 78–132 MB after its warm-up with mimalloc and 32 MB
    with this, 1 MB in its second half. ``$ARROW_DEFAULT_MEMORY_POOL`` and ``$MALLOC_ARENA_MAX`` still win."""
    import pyarrow as pa

    if not os.environ.get("MALLOC_ARENA_MAX"):
        with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to cap
            libc: Any = ctypes.CDLL(None, use_errno=True)
            libc.mallopt(_M_ARENA_MAX, MALLOC_ARENAS)
    if not os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        pa.set_memory_pool(pa.system_memory_pool())


def _die_with_parent() -> None:
    """Ask Linux to send this process SIGTERM when its parent dies (no orphaned servers holding the store)."""
    try:
        libc: Any = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: the supervisor's own shutdown still stops the workers
        pass


__all__ = ["MALLOC_ARENAS", "listening_socket", "run_workers", "server_memory"]
