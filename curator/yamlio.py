"""YAML reading with line numbers and canonical, atomic writing.

Why our own Loader/Dumper: timestamps stay strings (so a record round-trips byte-for-byte and
JSON Schema sees what the user typed), duplicate keys are errors instead of silently dropping
the first value, and every value keeps the line it came from for ``path:line: field`` messages.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, Iterable

import yaml

from .errors import Problem

_TIMESTAMP = "tag:yaml.org,2002:timestamp"


def _without_timestamps(resolvers: dict) -> dict:
    return {
        first: [(tag, regexp) for tag, regexp in entries if tag != _TIMESTAMP]
        for first, entries in resolvers.items()
    }


# libyaml's parser when PyYAML was built with it (the wheels are): about 8× faster on a store.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Loader(_SafeLoader):
    """Safe loader: no timestamp conversion, no duplicate keys, ``!ENV`` reads the environment."""


Loader.yaml_implicit_resolvers = _without_timestamps(_SafeLoader.yaml_implicit_resolvers)


class DuplicateKey(yaml.MarkedYAMLError):
    pass


def _construct_mapping(loader: Loader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise DuplicateKey(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return yaml.constructor.SafeConstructor.construct_mapping(loader, node, deep=deep)


def _construct_env(loader: Loader, node: yaml.Node) -> Any:
    """MkDocs' ``!ENV NAME`` / ``!ENV [NAME, OTHER, default]``: secrets never live in files."""
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        items = loader.construct_sequence(node)
        names, default = (items[:-1], items[-1]) if len(items) > 1 else (items, None)
    for name in names:
        if os.environ.get(name):
            return os.environ[name]
    return default


def _construct_unknown(loader: Loader, suffix: str, node: yaml.Node) -> None:
    # mkdocs.yml may hold Material's ``!!python/name:`` tags; they mean nothing to curator.
    return None


Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
Loader.add_constructor("!ENV", _construct_env)
Loader.add_multi_constructor("tag:yaml.org,2002:python/", _construct_unknown)
Loader.add_multi_constructor("!", _construct_unknown)


def line_map(text: str) -> dict[tuple, int]:
    """Map every key path (tuple of keys and list indexes) to its 1-based line number."""
    lines: dict[tuple, int] = {}

    def walk(node: yaml.Node, path: tuple) -> None:
        lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key_path = path + (key_node.value,)
                lines[key_path] = key_node.start_mark.line + 1
                walk(value_node, key_path)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, path + (index,))

    try:
        root = yaml.compose(text, Loader=Loader)
    except yaml.YAMLError:
        return {}
    if root is not None:
        walk(root, ())
    return lines


class LineMap:
    """``line_map`` worked out on first use: only a file with a problem needs line numbers, and
    composing the YAML a second time for every file would double the cost of loading a store."""

    def __init__(self, text: str):
        self._text, self._lines = text, None

    def _computed(self) -> dict[tuple, int]:
        if self._lines is None:
            self._lines = line_map(self._text)
        return self._lines

    def __contains__(self, path: tuple) -> bool:
        return path in self._computed()

    def __bool__(self) -> bool:
        return bool(self._computed())

    def get(self, path: tuple, default: int | None = None) -> int | None:
        return self._computed().get(path, default)


def line_of(lines: dict[tuple, int] | LineMap, path: tuple) -> int:
    """The line of ``path`` or of its nearest ancestor that has one."""
    path = tuple(path)
    while path not in lines and path:
        path = path[:-1]
    return lines.get(path, 1 if lines else 0)


def parse(text: str, path: str) -> tuple[Any, list[Problem]]:
    """Parse YAML text; a syntax error becomes a Problem with the line it was found on."""
    try:
        return yaml.load(text, Loader=Loader), []
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 0
        what = " ".join(part for part in (err.context, err.problem) if part)
        return None, [Problem(path, line, "", f"not valid YAML: {what}; fix the syntax on that line")]
    except yaml.YAMLError as err:
        return None, [Problem(path, 0, "", f"not valid YAML: {err}")]


class Dumper(yaml.SafeDumper):
    """Canonical output: given key order, unicode as-is, multi-line text as a ``|`` block.

    Unlike the Loader it keeps the timestamp resolver, so date-like strings are written quoted:
    other YAML tools (editors using the JSON Schema) then read them as strings too.
    """




def _represent_str(dumper: Dumper, value: str) -> yaml.ScalarNode:
    if "\n" in value and all(line == line.rstrip() for line in value.split("\n")):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


Dumper.add_representer(str, _represent_str)


def dump(data: Any, header: str = "") -> str:
    body = yaml.dump(
        data, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100_000, default_flow_style=False
    )
    return header + body


def read_cache(path: Path | None) -> dict:
    """A cache file's JSON object; {} when there is none or it is damaged (a cache is only ever
    a shortcut: what it would have said is worked out again)."""
    try:
        found = json.loads(path.read_bytes()) if path else {}
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def write_atomic(path: Path, content: str | bytes | Iterable[str], durable: bool = True) -> bool:
    """Write via a temp file in the same directory + rename; skip if the bytes are unchanged.

    ``content`` may also be pieces of text, written as they are made (a wall-wide feed is never
    whole in memory); those are always written. Returns True when the file was (re)written. A
    crash leaves either the old or the new file. ``durable=False`` skips the fsync (a few ms a
    file) for a cache entry whose reader checks it: a crash may then leave it empty or short.
    """
    if isinstance(content, (str, bytes)):
        data = content.encode("utf-8") if isinstance(content, str) else content
        if path.exists() and path.read_bytes() == data:
            return False
        pieces: Iterable[bytes] = (data,)
    else:
        pieces = (piece.encode("utf-8") for piece in content)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644  # mkstemp's 0600 would hide site files
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            for piece in pieces:
                handle.write(piece)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True
