"""The site API: file names, the content-hash cache (nothing re-rendered; exactly one changed)."""
from __future__ import annotations

import io
import os
import signal
import time
from dataclasses import replace
from pathlib import Path

import pytest

from curator.config import Config
from curator.cli import progress_bar
from curator.errors import CuratorError
from curator.render import batch, forked, render_site_cards

from render_samples import SAMPLES, record


@pytest.fixture
def renders(monkeypatch):
    """Record ids that were really rendered (not served from the cache)."""
    seen: list[str] = []
    real = batch.render_one

    def counting(job, settings):
        seen.append(job.card.id)
        return real(job, settings)

    monkeypatch.setattr(batch, "render_one", counting)
    return seen


def site(records, tmp_path, social=None) -> dict[str, dict]:
    """Site file name → the cached file, per record (every record granted ``social`` unless told)."""
    config = Config(root=tmp_path)
    social = [record.id for record in records] if social is None else social
    drawn = render_site_cards(records, config, tmp_path, tmp_path / "cache", social)
    return {rid: dict(made) for rid, made in drawn.written.items()}


def contents(written: dict[str, dict]) -> dict[str, bytes]:
    return {name: path.read_bytes() for made in written.values() for name, path in made.items()}


def test_site_cards_names_and_sizes(tmp_path):
    written = site([SAMPLES["en-emoji"]], tmp_path)["en-emoji"]
    assert list(written) == ["en-emoji.png", "en-emoji@2x.png", "en-emoji-dark.png", "en-emoji@2x-dark.png",
                             "en-emoji-social.png"]
    assert all(path.parent == tmp_path / "cache" for path in written.values())
    from PIL import Image

    with Image.open(written["en-emoji-social.png"]) as social:
        assert social.size == (1200, 675)
    with Image.open(written["en-emoji@2x.png"]) as retina:
        assert retina.width == 1100


def test_no_social_poster_without_the_social_grant(tmp_path):
    written = site([SAMPLES["en-emoji"], SAMPLES["ja"]], tmp_path, social=["ja"])
    assert "en-emoji-social.png" not in written["en-emoji"] and "ja-social.png" in written["ja"]


def test_second_run_renders_nothing_and_one_change_renders_one_card(tmp_path, renders):
    records = [SAMPLES[name] for name in ("en-emoji", "ja", "ar")]
    before = contents(site(records, tmp_path))
    assert sorted(set(renders)) == ["ar", "en-emoji", "ja"]

    renders.clear()
    assert contents(site(records, tmp_path)) == before
    assert renders == []

    changed = replace(records[1], text=records[1].text + "！", entities=[])
    after = contents(site([records[0], changed, records[2]], tmp_path))
    assert set(renders) == {"ja"} and len(renders) == 5  # its five variants, nothing else
    assert after["ja.png"] != before["ja.png"] and after["ar.png"] == before["ar.png"]

    (tmp_path / "cache" / "manifest.json").write_text("{damaged", "utf-8")  # a broken index: render again
    renders.clear()
    assert contents(site(records, tmp_path)) == before and len(renders) == 15


def test_cache_key_covers_theme_avatar_and_fonts(tmp_path):
    from curator.render.card import card_data

    rec = SAMPLES["en-emoji"]
    job = batch.Job(card_data(rec, tmp_path), batch.Options(), tmp_path / "x.png")
    key = batch.cache_key(job, batch.Settings())
    assert key == batch.cache_key(job, batch.Settings())
    assert key != batch.cache_key(replace(job, options=batch.Options(theme="dark")), batch.Settings())
    avatar = tmp_path / "avatars" / "a.png"
    avatar.parent.mkdir()
    from PIL import Image

    Image.new("RGB", (8, 8), "red").save(avatar)
    with_avatar = replace(rec, author=replace(rec.author, avatar="avatars/a.png"))
    job2 = batch.Job(card_data(with_avatar, tmp_path), batch.Options(), tmp_path / "x.png")
    key2 = batch.cache_key(job2, batch.Settings())
    Image.new("RGB", (8, 8), "blue").save(avatar)
    job3 = batch.Job(card_data(with_avatar, tmp_path), batch.Options(), tmp_path / "x.png")
    assert key2 != key and key2 != batch.cache_key(job3, batch.Settings())


def test_avatar_outside_the_store_is_ignored(tmp_path):
    from curator.render.card import card_data

    rec = SAMPLES["en-emoji"]
    outside = replace(rec, author=replace(rec.author, avatar="../../etc/passwd"))
    assert card_data(outside, tmp_path).avatar is None


def test_a_site_card_with_a_missing_glyph_stops_the_build_naming_record_script_and_font(tmp_path, monkeypatch):
    from curator.errors import CuratorError
    from curator.render import fonts

    monkeypatch.setattr(fonts, "system_faces", lambda lang, weight: [])  # no CJK font installed
    japanese = record("ja-no-font", "ありがとう、最高です")
    fine = record("en-fine", "Great product!")
    with pytest.raises(CuratorError) as raised:
        render_site_cards([japanese, fine], Config(root=tmp_path), tmp_path, tmp_path / "cache")
    message = str(raised.value)
    assert "no available font has Hiragana glyphs: 'ありがとう、' and 2 more (U+3042 U+308A U+304C U+3068 U+3046 " \
        "U+3001 and 2 more) in 1 card(s), not published: ja-no-font; install Noto Sans CJK" in message
    assert "no available font has Han glyphs: '最高' (U+6700 U+9AD8) in 1 card(s)" in message
    assert "fonts-noto-cjk" in message and "en-fine" not in message


def test_missing_glyphs_make_one_line_per_script_per_build_not_one_per_character_or_card(tmp_path, monkeypatch):
    from curator.errors import CuratorError
    from curator.render import fonts

    monkeypatch.setattr(fonts, "system_faces", lambda lang, weight: [])  # no CJK font installed
    posts = [record(f"ja-{n}", text) for n, text in enumerate(["ありがとう", "すごい", "よかった", "ありがとう!"])]
    with pytest.raises(CuratorError) as raised:
        render_site_cards(posts, Config(root=tmp_path), tmp_path, tmp_path / "cache")
    lines = str(raised.value).splitlines()
    assert len(lines) == 2 and lines[0].startswith("no available font has Hiragana glyphs: ")
    assert "'ありがとうす' and 6 more" in lines[0] and "in 4 card(s), not published: ja-0, ja-1, ja-2 and 1 more;" in lines[0]
    assert lines[1].startswith("`curator doctor` checks every published record")


def test_site_cards_are_deterministic_across_cache_dirs(tmp_path):
    one = site([SAMPLES["hi"]], tmp_path / "a")
    two = site([SAMPLES["hi"]], tmp_path / "b")
    assert contents(one) == contents(two)


def test_avatar_is_drawn_in_a_circle_and_a_broken_file_falls_back_to_initials(tmp_path):
    from PIL import Image

    from curator.render.batch import Job, Options, Settings, render_one
    from curator.render.card import card_data

    (tmp_path / "avatars").mkdir()
    Image.new("RGB", (64, 40), "#FF0000").save(tmp_path / "avatars" / "red.png")
    (tmp_path / "avatars" / "broken.png").write_bytes(b"not a png")
    rec = SAMPLES["en-emoji"]
    drawn = {}
    for name in ("red", "broken"):
        with_avatar = replace(rec, author=replace(rec.author, avatar=f"avatars/{name}.png"))
        job = Job(card_data(with_avatar, tmp_path), Options(), tmp_path / "x.png")
        drawn[name] = render_one(job, Settings()).image
    centre = (16 + 24, 12 + 24)
    assert drawn["red"].getpixel(centre)[:3] == (255, 0, 0)
    assert drawn["red"].getpixel((17, 13))[:3] != (255, 0, 0)  # outside the circle
    assert drawn["broken"].getpixel(centre)[:3] != (255, 0, 0)


def test_worker_processes_write_the_same_bytes_in_the_same_order_as_one_thread(tmp_path, monkeypatch):
    from curator.render.card import card_data

    monkeypatch.setattr(batch, "PROCESS_MIN_RENDERS", 2)  # a process pool for a test-sized batch
    cards = [card_data(SAMPLES[name], tmp_path) for name in ("en-emoji", "ja", "ar", "zwj-family")]
    outcomes = {}
    for workers in (1, 2):
        jobs = [batch.Job(card, batch.Options(theme=theme), tmp_path / str(workers) / f"{card.id}-{theme}.png")
                for card in cards for theme in ("light", "dark")]
        (tmp_path / str(workers)).mkdir()
        outcomes[workers] = batch.run(jobs, batch.Settings(), None, workers=workers)
    assert [o.job.out.name for o in outcomes[2]] == [o.job.out.name for o in outcomes[1]]
    assert [o.job.out.read_bytes() for o in outcomes[2]] == [o.job.out.read_bytes() for o in outcomes[1]]


def test_processes_only_for_large_batches_from_a_single_threaded_process(monkeypatch):
    import sys
    import threading
    from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

    monkeypatch.setattr(sys, "platform", "linux")
    assert isinstance(batch._executor(1, 1000), ThreadPoolExecutor)
    assert isinstance(batch._executor(2, batch.PROCESS_MIN_RENDERS - 1), ThreadPoolExecutor)
    if threading.active_count() == 1:
        with batch._executor(2, batch.PROCESS_MIN_RENDERS) as pool:
            assert isinstance(pool, ProcessPoolExecutor)
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert isinstance(batch._executor(2, 1000), ThreadPoolExecutor)  # forking now could copy a held lock
    finally:
        release.set()
        other.join()


def test_batches_keep_a_bounded_number_of_tasks_in_flight():
    from concurrent.futures import Future

    submitted, collected, most = [], [], [0]

    def submit(task):
        submitted.append(task)
        most[0] = max(most[0], len(submitted) - len(collected))
        future = Future()
        future.set_result(task)
        return future

    for task, future in batch._in_turn(submit, [[i] for i in range(10)], limit=3):
        collected.append(task)
        assert future.result() == task
    assert collected == [[i] for i in range(10)] and most[0] == 3


def test_tasks_keep_a_record_s_variants_together_and_pack_single_images():
    from curator.render.card import card_data

    cards = [card_data(replace(SAMPLES["en-emoji"], id=f"r{n}"), Path(".")) for n in range(200)]
    singles = [batch.Job(card, batch.Options(), None) for card in cards]
    tasks = batch._tasks(list(range(len(singles))), singles, workers=2)
    assert sum(tasks, []) == list(range(200))  # every job once, in order
    assert {len(task) for task in tasks} == {batch.TASK_JOBS}
    assert [len(task) for task in batch._tasks(list(range(20)), singles, workers=2)] == [1] * 20  # too few to pack

    variants = [batch.Job(card, batch.Options(size=size), None) for card in cards for size in ("embed", "social")]
    tasks = batch._tasks(list(range(len(variants))), variants, workers=2)
    task_of = {}
    for number, task in enumerate(tasks):
        for index in task:
            task_of.setdefault(variants[index].card.id, set()).add(number)
    assert all(len(numbers) == 1 for numbers in task_of.values())  # a record's variants never split
    assert {len(task) for task in tasks} == {batch.TASK_JOBS}  # two records to a task


def _one_record_two_images() -> list[batch.Job]:
    from curator.render.card import card_data

    card = card_data(SAMPLES["en-emoji"], Path("."))
    return [batch.Job(card, batch.Options(size=size), None) for size in ("embed", "social")]


def test_a_batch_in_threads_gives_each_image_its_own_task(monkeypatch):
    jobs = _one_record_two_images()
    task_sizes = []
    real = batch._run_jobs
    monkeypatch.setattr(batch, "_run_jobs", lambda task, *rest: task_sizes.append(len(task)) or real(task, *rest))
    outcomes = batch.run(jobs, batch.Settings(), None, workers=2)
    assert task_sizes == [1, 1]  # one record's two images, side by side in two threads
    assert [o.job.options.size for o in outcomes] == ["embed", "social"] and not any(o.error for o in outcomes)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_batch_shows_its_progress_on_a_terminal_only(monkeypatch):
    import sys

    jobs = _one_record_two_images()
    for terminal, asked in ((True, True), (True, False), (False, True)):
        stderr = _Terminal() if terminal else io.StringIO()
        monkeypatch.setattr(sys, "stderr", stderr)
        batch.run(jobs, batch.Settings(), None, workers=2, progress=progress_bar("rendering cards") if asked else None)
        shown = stderr.getvalue()
        if terminal and asked:  # a task at a time, to the end
            assert "rendering cards" in shown and "50%" in shown and "100%" in shown
        else:
            assert shown == ""


def _fails(message):
    raise CuratorError(message)


def _dies():
    os._exit(7)


def _unpicklable():
    return lambda: None


def _sleeps_with_a_worker(note: Path):
    import multiprocessing

    worker = multiprocessing.get_context("fork").Process(target=time.sleep, args=(60,))
    worker.start()
    # written whole, then renamed: the test waits for the name and must never read it half-written
    note.with_suffix(".tmp").write_text(str(worker.pid))
    note.with_suffix(".tmp").rename(note)
    time.sleep(60)


def _alive(pid: int) -> bool:
    """Running, and not a zombie (an orphan's zombie may wait a while to be reaped)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except (FileNotFoundError, ProcessLookupError):
        return False


def test_forked_hands_back_a_value_an_error_or_why_it_got_none(monkeypatch, tmp_path):
    import threading

    if threading.active_count() > 1:
        pytest.skip("forking needs a single-threaded process")
    with forked.Forked(sorted, [3, 1, 2]) as call:
        assert call._process is not None  # it really ran elsewhere
        assert call.result() == [1, 2, 3] and call.result() == [1, 2, 3]
    with pytest.raises(CuratorError, match="no font"):
        forked.Forked(_fails, "no font").result()
    with pytest.raises(CuratorError, match="exit code 7"):
        forked.Forked(_dies).result()
    with pytest.raises(CuratorError, match="could not be sent back"):
        forked.Forked(_unpicklable).result()
    started = time.monotonic()
    with forked.Forked(_sleeps_with_a_worker, tmp_path / "worker") as call:  # never asked for
        while not (tmp_path / "worker").exists():
            time.sleep(0.01)
    assert time.monotonic() - started < 20  # stopped, not waited for
    assert call._process.exitcode == -signal.SIGTERM
    worker = int((tmp_path / "worker").read_text())
    deadline = time.monotonic() + 20  # the worker it started is stopped too (a loaded CI machine may be slow)
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not _alive(worker)
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    in_place = forked.Forked(sorted, [2, 1])
    assert in_place._process is None and in_place.result() == [1, 2]


def test_early_cards_answer_only_the_call_they_were_started_for(tmp_path, monkeypatch):
    from types import SimpleNamespace

    from curator.render import EarlyCards

    monkeypatch.setattr(forked, "can_fork", lambda: False)  # nothing starts: this checks the matching only
    config = Config(root=tmp_path)
    one, two = SAMPLES["hi"], SAMPLES["en-emoji"]
    early = EarlyCards([one], config, tmp_path, tmp_path / "cache")
    early.forked = SimpleNamespace(result=lambda: "the early result")
    assert early.render_site_cards([one], config, tmp_path, tmp_path / "cache") == "the early result"
    other = early.render_site_cards([two], config, tmp_path, tmp_path / "cache")
    assert list(other.written) == [two.id]
    assert early.render_site_cards([one], Config(root=tmp_path, brand="Other"), tmp_path, tmp_path / "c2") != "the early result"


def test_file_digests_are_kept_between_batches_until_size_or_mtime_change(tmp_path: Path) -> None:
    import hashlib

    font = tmp_path / "face.ttf"
    font.write_bytes(b"glyphs")
    manifest = batch.Manifest(tmp_path / "cache")
    assert manifest.file_digest(str(font)) == hashlib.sha256(b"glyphs").hexdigest()
    manifest.save()
    later = batch.Manifest(tmp_path / "cache")
    later.digests[str(font)][2] = "as recorded"
    assert later.file_digest(str(font)) == "as recorded"  # same size and mtime: not read again
    font.write_bytes(b"new glyphs")
    assert later.file_digest(str(font)) == hashlib.sha256(b"new glyphs").hexdigest()
