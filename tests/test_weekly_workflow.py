"""The weekly workflow, run step by step against the local fake Mastodon (tests/weekly_runner.py):
new mentions wait in ONE pull request, merging it deploys, a #NoAcme reply and an upstream
deletion are committed to the default branch and gone from the deployed site in the same run,
and a week with nothing new changes nothing."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from curator.identity import record_id as make_record_id
from curator.cli import cli
from sources_mock import Reply, mastodon_post, png_bytes
from test_pull_curation import TAG_HTML, reply
from test_sources_pull import fast
from weekly_runner import DAILY, Runner, git, identity

BOT = "41898282+github-actions[bot]@users.noreply.github.com"
BRANCH = "curator/weekly-pull"
COLOURS = ["#1D6FA5", "#7A4CC2", "#C2410C", "#15803D", "#B91C1C"]


def post(mock, number: int) -> dict:
    """A praise post with an avatar of its own (so a revocation has a file to delete)."""
    path = f"/avatars/person-{number}.png"
    mock.files[path] = Reply(200, png_bytes(colour=COLOURS[number]), {"Content-Type": "image/png"})
    return mastodon_post(mock, number, content=f"<p>I love Acme, it is wonderful and so fast! Story number {number}.</p>",
                         avatar=path)


def text_of(number: int) -> str:
    return f"Story number {number}."


def record_id(mock, number: int) -> str:
    return make_record_id("mastodon", str(114620000000000000 + number), mock.base.split("://")[1])


@pytest.fixture
def forge(tmp_path: Path, mock) -> Runner:
    """A wall made by `curator init`, one Mastodon source (the fake), pushed to a bare origin."""
    seed = tmp_path / "seed"
    assert CliRunner().invoke(cli, ["init", str(seed), "--brand", "Acme"]).exit_code == 0
    config_file = seed / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text("utf-8"))
    block = next(item["curator"] for item in config["plugins"] if isinstance(item, dict))
    block["sources"] = [fast({"name": "fedi", "type": "mastodon", "instance": mock.base, "hashtags": ["AcmeLove"]})]
    config_file.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), "utf-8")
    runner = Runner(tmp_path, secrets={"CURATOR_MASTODON_TOKEN": "", "CURATOR_BLUESKY_APP_PASSWORD": "", "CURATOR_X_TOKEN": ""})
    runner.create_origin(seed)
    return runner


def desk(runner: Runner, name: str) -> Path:
    """A person's clone of origin."""
    folder = runner.root / name
    git(runner.root, "clone", "--quiet", str(runner.origin), str(folder))
    identity(folder, "Jane Doe", "jane@acme.example")
    return folder


def curator(folder: Path, *args: str) -> None:
    result = CliRunner().invoke(cli, ["-f", str(folder / "mkdocs.yml"), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def merge_review(runner: Runner, approve_and_grant: list[str]) -> None:
    """Moderation: merge the open pull request, approve and grant on main, push (as a person)."""
    folder = desk(runner, f"desk-{runner.runs}")
    git(folder, "merge", "--quiet", "--no-ff", "-m", "Merge the weekly review", f"origin/{BRANCH}")
    for record in approve_and_grant:
        curator(folder, "approve", record, "--by", "^JD")
        curator(folder, "grant", record, "--evidence", f"https://mail.acme.example/consent/{record}")
    git(folder, "add", "--all")
    git(folder, "commit", "--quiet", "--allow-empty", "-m", "Approve and grant")
    git(folder, "push", "--quiet", "origin", "main")
    state = runner.gh_state()
    for pr in state["prs"]:
        pr["state"] = "merged"
    runner.set_gh_state(state)


def origin_files(runner: Runner, ref: str) -> set[str]:
    return set(git(runner.origin, "ls-tree", "-r", "--name-only", ref).split())


def deployed_text(runner: Runner) -> str:
    return "\n".join(p.read_bytes().decode("utf-8", "replace") for p in sorted(runner.deployed.rglob("*")) if p.is_file())


def test_weekly_cycle_review_by_pull_request_takedowns_on_main_and_a_quiet_week(forge: Runner, mock) -> None:
    mock.mastodon = [post(mock, n) for n in (2, 1)]
    main_before = git(forge.origin, "rev-parse", "main")

    # week 1: two new mentions → a commit on the review branch and one pull request; main untouched
    week1 = forge.run()
    assert git(forge.origin, "rev-parse", "main") == main_before
    on_branch = origin_files(forge, BRANCH)
    assert {f"testimonials/{record_id(mock, n)}.yml" for n in (1, 2)} <= on_branch
    assert "testimonials/_cursors.yml" in on_branch
    assert git(forge.origin, "log", "-1", "--format=%ae", BRANCH).strip() == BOT
    (pr,) = forge.gh_state()["prs"]
    assert pr["state"] == "open" and pr["base"] == "main" and pr["head"] == BRANCH
    assert "## New in the inbox (2)" in pr["body"] and record_id(mock, 1) in pr["body"]
    assert "permission none" in pr["body"] and "score +" in pr["body"]
    assert pr["body"] == week1.summaries["refresh/Pull mentions"]
    assert (forge.deployed / "index.html").is_file() and text_of(1) not in deployed_text(forge)
    assert (week1.base / "pip.log").read_text() == "install -r requirements.txt\n"

    # week 2, review still open: a third mention → the same pull request is updated
    mock.mastodon.insert(0, post(mock, 3))
    forge.run()
    (pr,) = forge.gh_state()["prs"]
    assert "## New in the inbox (3)" in pr["body"] and ["pr", "edit", "1", "--body-file"] == forge.gh_state()["calls"][-1][:4]
    assert f"testimonials/{record_id(mock, 3)}.yml" in origin_files(forge, BRANCH)

    # a person merges the review and publishes all three; the push deploys at once (no pull)
    ids = [record_id(mock, n) for n in (1, 2, 3)]
    merge_review(forge, ids)
    calls = len(forge.gh_state()["calls"])
    pushed = forge.run(event="push")
    assert any(line.endswith("Pull mentions: skipped") for line in pushed.log)
    assert len(forge.gh_state()["calls"]) == calls
    site = deployed_text(forge)
    assert all(text_of(n) in site for n in (1, 2, 3))
    avatar_path = yaml.safe_load(git(forge.origin, "show", f"main:testimonials/{ids[0]}.yml"))["author"]["avatar"]
    avatar_1 = subprocess.run(["git", "show", f"main:testimonials/{avatar_path}"], cwd=forge.origin, check=True,
                              capture_output=True).stdout
    assert any(p.read_bytes() == avatar_1 for p in forge.deployed.rglob("*") if p.is_file())

    # week 3: the author of 1 replies #NoAcme, post 2 is deleted upstream, post 4 is new
    status = mock.mastodon[-1]
    no = reply(mock, status, 3, status["account"], TAG_HTML.format(base=mock.base, tag="NoAcme") + " please remove it",
               status["id"])
    mock.mastodon_context[status["id"]] = {"ancestors": [], "descendants": [no]}
    mock.mastodon_gone.add(str(114620000000000000 + 2))
    mock.mastodon.insert(0, post(mock, 4))
    before = git(forge.origin, "rev-parse", "main").strip()
    forge.run()
    # the takedown went straight to main, by the bot, with exactly the takedown files
    assert git(forge.origin, "log", "--format=%ae %s", f"{before}..main").strip() == f"{BOT} curator: takedowns from the weekly pull"
    changed = git(forge.origin, "show", "--name-status", "--format=", "main").split("\n")
    changed = {tuple(line.split("\t")) for line in changed if line}
    assert ("M", f"testimonials/{ids[0]}.yml") in changed and ("M", f"testimonials/{ids[1]}.yml") in changed
    assert ("M", "testimonials/_suppressed.yml") in changed
    assert any(status == "D" and path.startswith("testimonials/avatars/") for status, path in changed)
    assert len(changed) == 4
    main_store = yaml.safe_load(git(forge.origin, "show", f"main:testimonials/{ids[0]}.yml"))
    assert main_store["text"] == "" and main_store["permission"]["status"] == "revoked"
    assert yaml.safe_load(git(forge.origin, "show", f"main:testimonials/{ids[1]}.yml"))["upstream"]["status"] == "deleted"
    # ... and was deployed in the same run; the new mention waits in a new pull request
    site = deployed_text(forge)
    assert text_of(1) not in site and text_of(2) not in site and text_of(3) in site
    assert not any(p.read_bytes() == avatar_1 for p in forge.deployed.rglob("*") if p.is_file())
    open_prs = [pr for pr in forge.gh_state()["prs"] if pr["state"] == "open"]
    assert len(open_prs) == 1 and record_id(mock, 4) in open_prs[0]["body"]
    assert "## Consent changes (1)" in open_prs[0]["body"] and "## Deleted or private upstream (1)" in open_prs[0]["body"]
    assert f"testimonials/{record_id(mock, 4)}.yml" not in origin_files(forge, "main")

    # week 4, after the review is merged: nothing new → no commit, no pull request call, clean tree
    merge_review(forge, [])
    heads = git(forge.origin, "for-each-ref", "--format=%(refname) %(objectname)")
    calls = len(forge.gh_state()["calls"])
    quiet = forge.run()
    assert git(forge.origin, "for-each-ref", "--format=%(refname) %(objectname)") == heads
    assert len(forge.gh_state()["calls"]) == calls
    assert git(quiet.work, "status", "--porcelain") == ""
    assert text_of(3) in deployed_text(forge)


def test_a_review_with_commits_by_people_is_not_overwritten(forge: Runner, mock) -> None:
    mock.mastodon = [post(mock, 1)]
    forge.run()
    folder = desk(forge, "reviewer")
    git(folder, "switch", "--quiet", BRANCH)
    curator(folder, "approve", record_id(mock, 1), "--by", "^JD")
    git(folder, "commit", "--quiet", "--all", "-m", "Approve 1")
    git(folder, "push", "--quiet", "origin", BRANCH)
    reviewed = git(forge.origin, "rev-parse", BRANCH)

    mock.mastodon.insert(0, post(mock, 2))
    week = forge.run()
    assert git(forge.origin, "rev-parse", BRANCH) == reviewed
    assert not any(call[:2] == ["pr", "edit"] for call in forge.gh_state()["calls"])
    assert any("has commits by people" in line for line in week.log)
    assert git(week.work, "status", "--porcelain") == ""  # the wall was built from main only


def test_a_bad_day_a_source_fails_and_someone_pushes_meanwhile_the_takedown_still_ships(forge: Runner, mock) -> None:
    mock.mastodon = [post(mock, 1)]
    forge.run()
    merge_review(forge, [record_id(mock, 1)])
    forge.run(event="push")
    assert text_of(1) in deployed_text(forge)

    status = mock.mastodon[0]
    no = reply(mock, status, 3, status["account"], TAG_HTML.format(base=mock.base, tag="NoAcme"), status["id"])
    mock.mastodon_context[status["id"]] = {"ancestors": [], "descendants": [no]}
    mock.fault("/api/v1/timelines/tag/", Reply(500, {"error": "down"}), times=4)

    def someone_pushes() -> None:
        folder = desk(forge, "meanwhile")
        page = folder / "docs" / "index.md"
        page.write_text(page.read_text("utf-8") + "\nPushed while the job ran.\n", "utf-8")
        git(folder, "commit", "--quiet", "--all", "-m", "Edit the home page")
        git(folder, "push", "--quiet", "origin", "main")

    week = forge.run(expect_failure="deploy/Fail if a source failed",
                     before={"refresh/Commit takedowns to the default branch": someone_pushes})
    assert week.outputs["pull"]["exit_code"] == "3"
    assert "## Failed sources (1)" in week.summaries["refresh/Pull mentions"]
    subjects = git(forge.origin, "log", "--format=%s", "-2", "main").splitlines()
    assert subjects == ["curator: takedowns from the weekly pull", "Edit the home page"]
    site = deployed_text(forge)
    assert text_of(1) not in site and "Pushed while the job ran." in site


def test_the_daily_recheck_deploys_only_when_a_published_post_is_gone(forge: Runner, mock) -> None:
    mock.mastodon = [post(mock, n) for n in (2, 1)]
    forge.run()
    merge_review(forge, [record_id(mock, 1), record_id(mock, 2)])
    forge.run(event="push")
    mock.mastodon.insert(0, post(mock, 3))  # new upstream: only the weekly refresh brings it in
    heads = git(forge.origin, "for-each-ref", "--format=%(refname) %(objectname)")
    deployed = deployed_text(forge)

    quiet = forge.run(cron=DAILY)  # nothing gone: no commit, no build, no deploy
    assert any(line.startswith("refresh: skipped") for line in quiet.log) and quiet.artifact is None
    assert git(forge.origin, "for-each-ref", "--format=%(refname) %(objectname)") == heads
    assert deployed_text(forge) == deployed and git(quiet.work, "status", "--porcelain") == ""

    mock.mastodon_gone.add(str(114620000000000000 + 2))
    before = git(forge.origin, "rev-parse", "main").strip()
    forge.run(cron=DAILY)
    assert git(forge.origin, "log", "--format=%ae %s", f"{before}..main").strip() == \
        f"{BOT} curator: takedowns from the daily re-check"
    site = deployed_text(forge)
    assert text_of(2) not in site and text_of(1) in site and text_of(3) not in site
    assert f"testimonials/{record_id(mock, 3)}.yml" not in origin_files(forge, "main")


def test_the_gitlab_pipeline_tells_the_same_story(forge: Runner, mock) -> None:
    mock.mastodon = [post(mock, n) for n in (2, 1)]
    main_before = git(forge.origin, "rev-parse", "main")
    forge.run_gitlab()
    assert git(forge.origin, "rev-parse", "main") == main_before
    assert f"testimonials/{record_id(mock, 1)}.yml" in origin_files(forge, BRANCH)
    (mr,) = forge.gh_state()["prs"]
    assert mr["base"] == "main" and "## New in the inbox (2)" in mr["body"] and mr["state"] == "open"
    assert (forge.deployed / "index.html").is_file() and text_of(1) not in deployed_text(forge)

    mock.mastodon.insert(0, post(mock, 3))
    forge.run_gitlab(source="web")  # "Run pipeline" by hand, the merge request still open: updated
    assert "## New in the inbox (3)" in forge.gh_state()["prs"][0]["body"]
    assert forge.gh_state()["calls"][-1][:2] == ["curl", "PUT"]

    merge_review(forge, [record_id(mock, 1), record_id(mock, 2)])
    calls = len(forge.gh_state()["calls"])
    forge.run_gitlab(source="push")  # the merge: build and publish only
    assert len(forge.gh_state()["calls"]) == calls and text_of(1) in deployed_text(forge)

    status = mock.mastodon[-1]
    no = reply(mock, status, 3, status["account"], TAG_HTML.format(base=mock.base, tag="NoAcme"), status["id"])
    mock.mastodon_context[status["id"]] = {"ancestors": [], "descendants": [no]}
    before = git(forge.origin, "rev-parse", "main").strip()
    forge.run_gitlab()
    assert git(forge.origin, "log", "--format=%ae %s", f"{before}..main").strip() == \
        "curator-bot@noreply.invalid curator: takedowns from the weekly pull"
    site = deployed_text(forge)
    assert text_of(1) not in site and text_of(2) in site


def test_the_gitlab_daily_recheck_pushes_a_takedown_and_its_pipeline_publishes(forge: Runner, mock) -> None:
    mock.mastodon = [post(mock, n) for n in (2, 1)]
    forge.run_gitlab()
    merge_review(forge, [record_id(mock, 1), record_id(mock, 2)])
    forge.run_gitlab(source="push")
    daily = {"CURATOR_RECHECK": "1"}
    heads = git(forge.origin, "for-each-ref", "--format=%(refname) %(objectname)")
    forge.run_gitlab(job_name="recheck", variables=daily)  # nothing gone: nothing pushed
    assert git(forge.origin, "for-each-ref", "--format=%(refname) %(objectname)") == heads

    mock.mastodon_gone.add(str(114620000000000000 + 1))
    mock.mastodon.insert(0, post(mock, 3))
    before = git(forge.origin, "rev-parse", "main").strip()
    forge.run_gitlab(job_name="recheck", variables=daily)
    assert git(forge.origin, "log", "--format=%ae %s", f"{before}..main").strip() == \
        "curator-bot@noreply.invalid curator: takedowns from the daily re-check"
    assert f"testimonials/{record_id(mock, 3)}.yml" not in origin_files(forge, "main")
    forge.run_gitlab(source="push")  # the takedown's own pipeline
    site = deployed_text(forge)
    assert text_of(1) not in site and text_of(2) in site
