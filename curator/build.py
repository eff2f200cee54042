"""``curator build``: a strict MkDocs build into a temporary folder, swapped into place on success.

MkDocs runs in a child process (``python -m mkdocs``) so that nothing but the plugin imports
it, and so a crash in the build can never leave a half-written ``site/``: the old site stays
until the new one is complete.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .config import Config
from .errors import CuratorError
from .store import Store


def build_site(config: Config, config_file: Path, site_dir: Path | None = None) -> Path:
    """Validate the store, build, and atomically replace ``site_dir``. Returns the site path."""
    Store.open(config.store_dir)  # every store problem, listed, before MkDocs starts
    site_dir = (site_dir or config.root / "site").resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-new-", dir=site_dir.parent))
    try:
        _run_mkdocs(["build", "--strict", "--clean", "--config-file", str(config_file), "--site-dir", str(staging)])
        _swap(staging, site_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return site_dir


def serve(config_file: Path, dev_addr: str) -> None:
    """Become ``mkdocs serve``: exec, not a child process, so stopping curator stops the server."""
    command = [sys.executable, "-m", "mkdocs", "serve", "--config-file", str(config_file), "--dev-addr", dev_addr]
    os.execve(sys.executable, command, _mkdocs_env())


def _mkdocs_env() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def _run_mkdocs(args: list[str]) -> None:
    result = subprocess.run([sys.executable, "-m", "mkdocs", *args], env=_mkdocs_env(), text=True, capture_output=True)
    if result.returncode != 0:
        lines = [line for line in (result.stderr + result.stdout).splitlines()
                 if line.startswith(("ERROR", "WARNING")) or line.startswith("  ") or "Error" in line]
        detail = ":\n" + "\n".join(lines[-30:]) if lines else ""
        raise CuratorError(f"mkdocs {args[0]} failed; the previous site was left untouched{detail}")


def _swap(staging: Path, site_dir: Path) -> None:
    """Replace ``site_dir`` with ``staging`` using renames only (never a half-deleted tree)."""
    old = None
    if site_dir.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-old-", dir=site_dir.parent))
        old.rmdir()
        site_dir.rename(old)
    staging.rename(site_dir)
    if old:
        shutil.rmtree(old, ignore_errors=True)
