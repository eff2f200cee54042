"""The typed config: one dataclass per block of mkdocs.yml's ``curator`` entry, agreeing with the
JSON Schema that validates it (and gives editors their completions)."""
from __future__ import annotations

from dataclasses import fields, is_dataclass
from pathlib import Path

import pytest

from curator import schema
from curator.config import AutoApprove, Brand, Cards, Config, Font
from curator.errors import InvalidData
from curator.render.theme import THEME_NAMES, Theme


def _blocks(cls: type, properties: dict, at: str = "curator"):
    """(where, dataclass, its schema properties) for ``cls`` and every dataclass block below it."""
    yield at, cls, properties
    for block in fields(cls):
        if is_dataclass(block.default_factory):
            yield from _blocks(block.default_factory, properties[block.name]["properties"], f"{at}.{block.name}")


def test_every_block_declares_the_fields_the_schema_allows() -> None:
    properties = schema.load("config")["properties"]
    blocks = list(_blocks(Config, properties))
    assert [where for where, _, _ in blocks] == ["curator", "curator.auto_approve", "curator.cards", "curator.cards.brand",
                                                 "curator.web"]
    for where, cls, allowed in blocks:
        declared = {f.name for f in fields(cls)} - {"root"}  # root: the folder of mkdocs.yml, not a key
        assert declared == set(allowed), where


def test_the_cards_block_is_typed_all_the_way_down() -> None:
    config = Config.from_mapping({"cards": {"theme": "brand", "fonts": ["a.ttf"], "brand": {"accent": "#B0421F"}},
                                  "auto_approve": {"kinds": ["praise"]}}, Path("."))
    assert config.cards == Cards(theme="brand", fonts=("a.ttf",), brand=Brand(accent="#B0421F"))
    assert config.auto_approve == AutoApprove(kinds=("praise",))
    assert Config.from_mapping({}, Path(".")) == Config()  # the dataclasses' defaults are the config's


def test_a_bad_cards_value_is_one_line_with_its_place() -> None:
    lines = {("cards",): 3, ("cards", "theme"): 4, ("cards", "brand"): 5, ("cards", "brand", "accent"): 6}
    with pytest.raises(InvalidData) as raised:
        Config.from_mapping({"cards": {"theme": "neon", "brand": {"accent": "red", "shadow": 2}}}, Path("."),
                            "mkdocs.yml", lines)
    assert [str(problem) for problem in raised.value.problems] == [
        "mkdocs.yml:4: curator.cards.theme: 'neon' is not allowed; use one of: light, dim, dark, brand",
        "mkdocs.yml:5: curator.cards.brand.shadow: unknown field (a typo?); allowed here: accent, background, badge, "
        "border, canvas, font, highlight, link, radius, secondary, text",
        "mkdocs.yml:6: curator.cards.brand.accent: 'red' does not have the expected form ^#[0-9A-Fa-f]{6}$"]


def test_card_themes_and_brand_keys_are_the_renderers() -> None:
    cards = schema.load("config")["properties"]["cards"]["properties"]
    assert tuple(cards["theme"]["enum"]) == THEME_NAMES
    # accent stands for link and badge; every other brand key is a Theme token of the same name
    assert {f.name for f in fields(Brand)} - {"accent"} <= {f.name for f in fields(Theme)}


def test_the_web_block_is_typed() -> None:
    config = Config.from_mapping({"web": {"layout": "carousel", "theme": "dark", "fonts": [
        {"family": "Brand Sans", "src": "assets/fonts/brand.woff2", "weight": "700"}]}}, Path("."))
    assert (config.web.layout, config.web.theme) == ("carousel", "dark")
    assert config.web.font_files() == (Font("Brand Sans", "assets/fonts/brand.woff2", "700"),)
    with pytest.raises(InvalidData):  # a font name that would end the CSS string
        Config.from_mapping({"web": {"fonts": [{"family": 'x"; }', "src": "a.woff2"}]}}, Path("."))
    with pytest.raises(InvalidData):
        Config.from_mapping({"web": {"layout": "mosaic"}}, Path("."))
