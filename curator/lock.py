"""One command at a time writes a project's store or site.

Commands that write (``pull``, ``add``, ``revoke``, ``build``, …) hold an exclusive lock on
``.cache/curator.lock`` beside mkdocs.yml (in ``.cache/``, which every wall's ``.gitignore``
already leaves out, and beside, not in, the caches a takedown deletes); another command waits,
saying whom it waits for. So a
``revoke`` typed during a build waits until the build has swapped its site in and then takes
the post off the store, and two builds never share staging folders. The operating system
drops the lock when its process ends, however it ends: a killed command leaves no stale lock.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import CuratorError

LOCK_FILE = Path(".cache") / "curator.lock"


@contextmanager
def project_lock(root: Path, doing: str, waiting: Callable[[str], None] = lambda line: None) -> Iterator[None]:
    """Hold the project's lock while the block runs; ``doing`` (e.g. "curator build") is what
    a command that has to wait is told."""
    path = root / LOCK_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as err:
        raise CuratorError(
            f"{path}: cannot create the lock that keeps two commands from writing at once ({err.strerror})"
        ) from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting(f"waiting for another curator command to finish ({_holder(handle) or 'see ' + str(path)})")
            fcntl.flock(handle, fcntl.LOCK_EX)
        os.ftruncate(handle, 0)
        os.write(handle, f"{doing}, process {os.getpid()}".encode())
        yield
    finally:
        os.close(handle)  # closing the file releases the lock


def _holder(handle: int) -> str:
    """What the holder wrote (its command and process id); the file is ours, never a secret."""
    return os.pread(handle, 200, 0).decode("utf-8", "replace").strip()
