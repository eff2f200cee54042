"""Work done in a forked process while this one goes on (``Forked``), and when forking is safe.

Linux only: the children inherit every loaded module and the store, and start in milliseconds.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable
from functools import partial
from multiprocessing.process import BaseProcess
from typing import cast

from ..errors import CuratorError


def can_fork() -> bool:
    """fork() copies only the calling thread: a lock another thread holds at that moment (e.g.
    ``mkdocs serve``'s live-reload server) would stay locked in the worker, so only a
    single-threaded process forks. Not on macOS (system libraries are not fork-safe) or Windows."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


class Forked:
    """``function(*args)`` computed in a forked process while this one goes on; ``result()`` waits
    for it and raises what it raised. Where forking is unsafe (see ``can_fork``) ``result()``
    computes it in place. Leaving the ``with`` block without the result (the build failed, or
    was interrupted) stops the process and the workers it started, instead of waiting for them."""

    def __init__(self, function: Callable, *args) -> None:
        self._call = partial(function, *args)
        self._process: BaseProcess | None = None
        self._pid = 0  # of the started process
        self._outcome: tuple[bool, object] | None = None
        if can_fork():
            context = multiprocessing.get_context("fork")
            self._receive, send = context.Pipe(duplex=False)
            sys.stdout.flush()  # or the child would write out what the parent had buffered, again
            sys.stderr.flush()
            # Not a daemon: a daemon may not start the worker processes a cold build renders in.
            process = context.Process(target=_send_outcome, args=(send, self._call), name="curator-cards")
            process.start()
            self._process, self._pid = process, cast(int, process.pid)  # a started process has one
            send.close()
            _own_group(self._pid)  # the child does it too: whichever comes first

    def result(self):
        if self._outcome is None:
            self._outcome = self._collect(self._process) if self._process is not None else _outcome_of(self._call)
        ok, value = self._outcome
        if not ok:
            raise value
        return value

    def _collect(self, process: BaseProcess) -> tuple[bool, object]:
        try:
            outcome = self._receive.recv()
        except EOFError:  # it died without a word: killed, or out of memory
            outcome = None
        self._receive.close()
        process.join()
        if outcome is None:
            return False, CuratorError(
                f"the forked process stopped before it answered (exit code {process.exitcode}); run the command again"
            )
        return outcome

    def __enter__(self) -> Forked:
        return self

    def __exit__(self, *exc_info) -> None:
        if self._process is not None and self._outcome is None:
            with contextlib.suppress(ProcessLookupError):  # all gone already
                os.killpg(self._pid, signal.SIGTERM)  # its process group: it and its workers
            self._receive.close()
            self._process.join()
            self._outcome = False, CuratorError("stopped before its result was asked for")


def _own_group(pid: int) -> None:
    """Make ``pid`` lead a process group, which the workers it forks join: one signal stops them
    all. Only the parent's ^C reaches it then, and the parent stops it (``Forked.__exit__``)."""
    with contextlib.suppress(OSError):  # the child did it first and has exited: nothing left to group
        os.setpgid(pid, pid)


def _outcome_of(call: Callable) -> tuple[bool, object]:
    try:
        return True, call()
    except Exception as err:  # handed to whoever asks for the result
        return False, err


def _send_outcome(send, call: Callable) -> None:
    _own_group(0)
    outcome = _outcome_of(call)
    try:
        send.send(outcome)
    except Exception as err:  # a value or error pickle cannot carry
        send.send((False, CuratorError(f"the forked process's answer could not be sent back: {outcome[1]!r} ({err})")))
    send.close()
