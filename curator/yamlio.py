"""YAML reading with line numbers and canonical, atomic writing.

Why our own Loader/Dumper: timestamps stay strings (so a record round-trips byte-for-byte and
JSON Schema sees what the user typed), duplicate keys are errors instead of silently dropping
the first value, and every value keeps the line it came from for ``path:line: field`` messages.

Two readers. ``parse`` reads data (record files, ``add FILE``, the suppression list, cursors):
plain YAML only — no tags at all (``!ENV`` would copy a secret into the store and the site), no
anchors or aliases (a few hundred bytes of aliases expand to gigabytes), bounded size and
nesting. ``parse_config`` reads ``mkdocs.yml``, where ``!ENV`` belongs.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem

_TIMESTAMP = "tag:yaml.org,2002:timestamp"


def _without_timestamps(resolvers: dict) -> dict:
    return {
        first: [(tag, regexp) for tag, regexp in entries if tag != _TIMESTAMP] for first, entries in resolvers.items()
    }


# libyaml's parser when PyYAML was built with it (the wheels are): far faster on a store (figures:
# docs/benchmarks.md, "Figures behind the code").
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Loader(_SafeLoader):  # type: ignore[valid-type,misc]  # the C or the Python loader, whichever PyYAML has
    """Safe loader for data: no timestamp conversion, no duplicate keys, no tags (see ``parse``)."""


Loader.yaml_implicit_resolvers = _without_timestamps(_SafeLoader.yaml_implicit_resolvers)


class ConfigLoader(Loader):
    """``mkdocs.yml``: the data loader, plus ``!ENV`` (secrets from the environment) and
    Material's ``!!python/name:`` tags, which mean nothing to curator and read as None."""


MAX_DATA_BYTES = 1_000_000  # a record is a few kB; a post's text is bounded far below this
MAX_DEPTH = 32  # a record nests four levels deep
PLAIN_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq")}


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
ConfigLoader.add_constructor("!ENV", _construct_env)
ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _construct_unknown)
ConfigLoader.add_multi_constructor("!", _construct_unknown)


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
        self._text = text
        self._lines: dict[tuple, int] | None = None

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
    return lines.get(path) or (1 if lines else 0)


def parse(text: str, path: str) -> tuple[Any, list[Problem]]:
    """Parse a data file (plain YAML: see the module docstring); every refusal is a Problem
    with the line it was found on."""
    if len(text.encode("utf-8")) > MAX_DATA_BYTES:
        return None, [
            Problem(
                path,
                0,
                "",
                f"is larger than {MAX_DATA_BYTES:,} bytes; a record file is a few kB: check what was written into it",
            )
        ]
    loader = Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None, []
        problems = _plain_problems(root, path)
        return (None, problems) if problems else (loader.construct_document(root), [])
    except yaml.YAMLError as err:
        return None, [_syntax_problem(err, path)]
    except RecursionError:
        return None, [Problem(path, 0, "", f"is nested deeper than {MAX_DEPTH} levels; a record is four levels deep")]
    finally:
        loader.dispose()


def _plain_problems(root: yaml.Node, path: str) -> list[Problem]:
    """Tags, aliases and depth, checked on the node graph before anything is built from it (an
    alias is a node met twice: walking with a seen-set never expands it)."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int, tuple]] = [(root, 1, ())]
    while stack:
        node, depth, where = stack.pop()
        line = node.start_mark.line + 1
        field = ".".join(map(str, where))
        if id(node) in seen:
            return [
                Problem(
                    path,
                    line,
                    field,
                    "anchors and aliases (& and *) are not allowed in a data file; write the value out",
                )
            ]
        seen.add(id(node))
        if node.tag not in PLAIN_TAGS:
            return [
                Problem(
                    path,
                    line,
                    field,
                    f"the tag {node.tag} is not allowed in a data file (records are data: "
                    "no !ENV, no Python tags); write the value itself",
                )
            ]
        if depth > MAX_DEPTH:
            return [
                Problem(path, line, field, f"is nested deeper than {MAX_DEPTH} levels; a record is four levels deep")
            ]
        if isinstance(node, yaml.MappingNode):
            stack += [(value, depth + 1, where + (key.value,)) for key, value in node.value]
            stack += [(key, depth + 1, where) for key, _ in node.value]
        elif isinstance(node, yaml.SequenceNode):
            stack += [(item, depth + 1, where + (index,)) for index, item in enumerate(node.value)]
    return []


def parse_config(text: str, path: str) -> tuple[Any, list[Problem]]:
    """Parse ``mkdocs.yml``, with ``!ENV``; a syntax error becomes a Problem with its line."""
    try:
        return yaml.load(text, Loader=ConfigLoader), []
    except yaml.YAMLError as err:
        return None, [_syntax_problem(err, path)]


def _syntax_problem(err: yaml.YAMLError, path: str) -> Problem:
    if isinstance(err, yaml.MarkedYAMLError):
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 0
        what = " ".join(part for part in (err.context, err.problem) if part)
        started = err.context_mark.line + 1 if err.context_mark else line
        unclosed = any(opened in (err.context or "") for opened in ("quoted scalar", "flow"))
        if unclosed and started < line:  # an unclosed quote or bracket: the mistake is where it opened
            return Problem(
                path, started, "", f"not valid YAML: {what} (noticed on line {line}); close what opens on this line"
            )
        return Problem(path, line, "", f"not valid YAML: {what}; fix the syntax on that line")
    return Problem(path, 0, "", f"not valid YAML: {err}")


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
    body = yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100_000, default_flow_style=False)
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
