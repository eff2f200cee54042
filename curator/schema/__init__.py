"""JSON Schemas shipped with the package (editors can use them via a yaml-language-server comment)."""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

import jsonschema

from .. import yamlio
from ..errors import Problem
from ..model import parse_timestamp

if TYPE_CHECKING:
    from ..platforms.base import Adapter

FORMATS = jsonschema.FormatChecker(formats=())


@FORMATS.checks("date-time", raises=ValueError)
def _is_timestamp(value: object) -> bool:
    # Require a full date and time (a bare date is not a timestamp); fromisoformat checks ranges.
    return not isinstance(value, str) or ("T" in value and bool(parse_timestamp(value)))


@FORMATS.checks("date", raises=ValueError)
def _is_date(value: object) -> bool:
    return not isinstance(value, str) or bool(date.fromisoformat(value)) and len(value) == 10


PLATFORM_ENUM = '"platform": {"enum": []}'  # in testimonial.schema.json: filled from the platform registry


def text(name: str) -> str:
    """The schema as text; the record schema with the registry's platforms (the copy beside the
    records for editors, and the key of the store's validation cache, follow the installed ones)."""
    raw = resources.files(__package__).joinpath(f"{name}.schema.json").read_text("utf-8")
    if name != "testimonial":
        return raw
    from .. import platforms

    return raw.replace(PLATFORM_ENUM, PLATFORM_ENUM.replace("[]", json.dumps(list(platforms.names()))))


def load(name: str) -> dict:
    """The schema, with what the platform registry decides: record platforms, source types and
    their fields, the ``handles`` keys."""
    from .. import platforms

    data = json.loads(text(name))
    if name == "config":
        source = data["$defs"]["source"]
        types = platforms.source_types()
        source["properties"]["type"]["enum"] = list(types)
        source["allOf"] = [
            {"if": {"properties": {"type": {"const": kind}}}, "then": _source_fields(adapter, source)}
            for kind, adapter in types.items()
        ]
        data["properties"]["handles"]["properties"] = {
            p.name: {"type": "string"} for p in platforms.all_platforms() if p.replies
        }
    return data


def _source_fields(adapter: type[Adapter], source: dict) -> dict:
    """The fields one source type allows: name and type, the HTTP knobs if it reads the network, its own."""
    shared = [field for field in source["properties"] if adapter.uses_network or field in ("name", "type")]
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["name", "type", *adapter.required_options],
        "properties": {**dict.fromkeys(shared, True), **adapter.options},
    }


def validator(name: str) -> jsonschema.Draft202012Validator:
    from .. import platforms

    return _validator(name, platforms.names(), tuple(platforms.source_types()))


@cache
def _validator(name: str, *registry: tuple[str, ...]) -> jsonschema.Draft202012Validator:
    """Compiled once per schema and set of platforms (``registry`` is only the cache key)."""
    return jsonschema.Draft202012Validator(load(name), format_checker=FORMATS)


def problems(name: str, data: object, path: str, lines: dict | yamlio.LineMap, prefix: str = "") -> list[Problem]:
    """Every schema violation in ``data`` as a Problem with its line and a hint how to fix it."""
    found = [_explain(err, path, lines, prefix) for err in validator(name).iter_errors(data)]
    return [problem for group in found for problem in group]


def _explain(err: jsonschema.ValidationError, path: str, lines: dict | yamlio.LineMap, prefix: str) -> list[Problem]:
    where = tuple(err.absolute_path)

    def problem(at: tuple, message: str) -> Problem:
        return Problem(path, yamlio.line_of(lines, at), prefix + ".".join(str(p) for p in at), message)

    if err.validator == "additionalProperties":
        allowed = sorted(err.schema.get("properties", {}))
        extras = sorted(set(err.instance) - set(allowed))
        hint = f"unknown field (a typo?); allowed here: {', '.join(allowed)}"
        return [problem(where + (extra,), hint) for extra in extras]
    if err.validator == "required":
        missing = err.message.split("'")[1]
        hint = "required here; add it"
        if where == ("permission",) and err.instance.get("status") == "granted":
            hint = "required when permission is granted; record it with `curator grant ID --evidence URL`"
        return [problem(where + (missing,), hint)]
    if err.validator == "enum":
        choices = ", ".join("null" if v is None else str(v) for v in err.validator_value)
        message = f"{err.instance!r} is not allowed; use one of: {choices}"
    elif err.validator == "format" or _formats_only(err):
        wanted = " or ".join(sub.validator_value for sub in err.context) if err.context else err.validator_value
        message = (
            f"{err.instance!r} is not a valid {wanted}; use ISO 8601, "
            "e.g. 2026-03-14T18:22:05Z, or 2028-03-15 for a date"
        )
    elif err.validator == "pattern":
        message = f"{err.instance!r} does not have the expected form {err.validator_value}"
    elif err.validator == "type":
        message = f"{err.instance!r} is not of type {err.validator_value}"
    else:
        message = err.message
    return [problem(where, message)]


def _formats_only(err: jsonschema.ValidationError) -> bool:
    """An ``anyOf`` of formats (a timestamp, or a date alone) that the value matches none of."""
    return err.validator == "anyOf" and bool(err.context) and all(sub.validator == "format" for sub in err.context)
