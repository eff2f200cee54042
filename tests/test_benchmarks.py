"""The benchmark harness's own parts (the whole `--quick` run is `.ci/run`'s smoke test)."""
from __future__ import annotations

import hashlib
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import run, synth  # noqa: E402
from curator import policy  # noqa: E402
from curator.model import CHANNELS  # noqa: E402
from curator.store import Store  # noqa: E402


def _digest(folder: Path) -> str:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return hashlib.sha256(b"".join(p.relative_to(folder).as_posix().encode() + p.read_bytes() for p in files)).hexdigest()


def test_synthetic_store_is_reproducible_valid_and_publishable(tmp_path: Path) -> None:
    synth.make_project(tmp_path / "a", 6)
    synth.make_project(tmp_path / "b", 6)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    store = Store.open(tmp_path / "a" / "testimonials")  # raises on any schema or semantic problem
    assert len(store.records) == 6
    build_day = date(2026, 11, 23)
    for channel in CHANNELS:
        assert len(policy.published(store, channel, build_day)) == 6, channel
    assert any(r.author.avatar for r in store.records.values())
    assert "press_kit: false" in (tmp_path / "a" / "mkdocs.yml").read_text("utf-8")
    for record in store.records.values():
        for entity in record.entities:
            assert record.text[entity.start:entity.end].startswith(("@", "#"))


def test_typical_post_is_about_200_characters_with_emoji(tmp_path: Path) -> None:
    (tmp_path / "avatars").mkdir()
    record = synth.typical_record(tmp_path)
    assert 190 <= len(record.text) <= 210
    assert any(ord(c) > 0x1F000 for c in record.text)
    assert [record.text[e.start:e.end] for e in record.entities] == ["@bench.example", "#sync"]
    assert policy.publishable(record, "social", date(2026, 11, 23))


def test_card_benchmark_measures_render_and_the_encode_floor(tmp_path: Path) -> None:
    plan = run.plan_for(True, None)
    plan.card_runs = 2
    result = run.bench_card(tmp_path, plan)
    assert result["image"] == [1200, 675]
    assert result["png_bytes"] > 10_000
    full, floor = result["render_encode"], result["encode_only"]
    assert full["runs"] == floor["runs"] == 2
    assert full["min"] <= full["median"] <= full["max"]
    assert result["ratio"] == full["median"] / floor["median"]  # timings themselves are the benchmark's job


def test_stat_reports_median_and_range() -> None:
    stat = run.Stat.of([0.3, 0.1, 0.2])
    assert (stat.median, stat.min, stat.max, stat.runs) == (0.2, 0.1, 0.3, 3)
    assert stat.show("ms", 1000) == "200 ms (100–300)"
    assert run.Stat.of([1.8, 1.5, 2.2]).show("×") == "1.8× (1.5–2.2)"
    assert run.Stat.of([0.997, 0.964, 1.07]).show("ms", 1000) == "997 ms (964–1,070)"  # no 1.07e+03


def test_a_timed_process_reports_its_own_peak_rss_not_the_harness_s(tmp_path: Path) -> None:
    ballast = bytearray(200 * 1024 * 1024)  # the harness after opening a big store
    ballast[::4096] = b"\1" * len(ballast[::4096])  # touched, so resident
    small = run.timed_process([sys.executable, "-c", "pass"], tmp_path)
    big = run.timed_process([sys.executable, "-c", "x = bytearray(120 * 1024 * 1024); x[::4096] = b'1' * len(x[::4096])"],
                            tmp_path)
    del ballast
    assert small[1] < 60 and 120 < big[1] < 200  # MB: each child's own peak
    assert 0 < small[0] < big[0] + 5


def test_the_four_photo_card_is_a_valid_record_and_is_measured_like_the_typical_one(tmp_path: Path) -> None:
    store_root = tmp_path / "store"
    record = synth.media_record(store_root)
    Store(store_root).save(record)  # schema-valid: media paths and digests as the store writes them
    assert len(record.media) == 4
    for media in record.media:
        assert hashlib.sha256((store_root / media.path).read_bytes()).hexdigest() == media.digest.removeprefix("sha256-")
    plan = run.plan_for(True, None)
    plan.card_runs = 2
    result = run.bench_card(tmp_path, plan, synth.media_record, "media")
    assert result["images"] == 4 and result["image"] == [1200, 675]
    assert result["ratio"] == result["render_encode"]["median"] / result["encode_only"]["median"]
    assert "1b. the same with 4 photos" in run.table({"quick": True, "machine": {"cores": 2, "load_before": [0]},
                                                      "card": result, "media_card": result,
                                                      "cores": _cores_result(), "builds": {}})


def _cores_result() -> dict:
    stat = {"median": 1.0, "min": 1.0, "max": 1.0, "runs": 1, "values": [1.0]}
    return {"cards": 1, "cores": 2, "one_worker_cards_per_s": 1.0, "all_cores_cards_per_s": 2.0, "speedups": stat,
            "speedup": 2.0, "goal": 1.8, "shares_speedups": stat}


def test_the_builds_whole_post_is_saved_valid_with_its_photos_and_consented_to(tmp_path: Path) -> None:
    synth.make_project(tmp_path, 2)
    synth.add_testimonials(tmp_path / "testimonials", range(2, 3), photos=4)
    store = Store.open(tmp_path / "testimonials")
    (whole,) = [record for record in store.records.values() if record.media]
    assert len(whole.media) == 4 and all((store.root / media.path).is_file() for media in whole.media)
    assert policy.publishable(whole, "web", date(2026, 11, 23))
