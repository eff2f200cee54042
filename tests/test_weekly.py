"""The weekly job's parts: the CI files `curator init` writes (valid, least privilege, no drift from
the project's own workflow), `pull --takedowns`, deterministic builds, no-op pulls, doctor."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from curator.cli import cli
from curator.scaffold import FILES, scaffold
from curator.store import Store
from sources_mock import Reply, mastodon_post, png_bytes
from test_pull_curation import TAG_HTML, reply
from test_sources_pull import fast, run, write_config

REPO = Path(__file__).resolve().parent.parent
GITHUB = REPO / "curator" / "scaffold" / "github-workflow.yml"
GITLAB = REPO / "curator" / "scaffold" / "gitlab-ci.yml"


# --- the CI files ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "schema"), [
    (GITHUB, "vendor.github-workflows"),
    (REPO / ".github" / "workflows" / "curator.yml", "vendor.github-workflows"),
    (GITLAB, "vendor.gitlab-ci"),
])
def test_ci_files_validate_against_their_published_schemas_offline(path: Path, schema: str) -> None:
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = yaml.safe_load(GITHUB.read_text("utf-8"))
    broken["jobs"]["refresh"]["runs-on"] = None
    del broken["jobs"]["deploy"]["steps"]
    path = tmp_path / "broken.yml"
    path.write_text(yaml.safe_dump(broken), "utf-8")
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                             str(path)], capture_output=True, text=True)
    assert result.returncode != 0


def test_init_writes_the_ci_files_and_the_project_uses_the_same_workflow(tmp_path: Path) -> None:
    written, _ = scaffold(tmp_path, "Globex & Co")
    assert {tmp_path / ".github/workflows/curator.yml", tmp_path / ".gitlab-ci.yml", tmp_path / "requirements.txt"} <= set(written)
    assert (tmp_path / ".github/workflows/curator.yml").read_bytes() == GITHUB.read_bytes()  # copied byte for byte
    assert (tmp_path / ".gitlab-ci.yml").read_bytes() == GITLAB.read_bytes()
    # the demo wall deploys with exactly the workflow new walls get (edit the template, then copy it)
    assert (REPO / ".github/workflows/curator.yml").read_bytes() == GITHUB.read_bytes()
    assert "requirements.txt" in {destination for _, destination in FILES}
    assert (REPO / "requirements.txt").is_file()


def workflow() -> dict:
    return yaml.safe_load(GITHUB.read_text("utf-8"))


def all_steps(data: dict) -> list[dict]:
    return [step for job in data["jobs"].values() for step in job["steps"]]


def test_workflow_triggers_versions_and_least_privilege() -> None:
    data = workflow()
    on = data[True]  # YAML 1.1 reads the key `on` as true
    assert "workflow_dispatch" in on and on["push"] == {"branches": ["main"]}
    minute = on["schedule"][0]["cron"].split()[0]
    assert minute != "0" and minute.isdigit()  # :00 is the busiest minute of the shared queue
    assert data["permissions"] == {"contents": "read"}
    assert data["jobs"]["refresh"]["permissions"] == {"contents": "write", "pull-requests": "write"}
    assert data["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert data["jobs"]["deploy"]["environment"]["name"] == "github-pages"
    minimum = {"actions/checkout": 5, "actions/setup-python": 6, "actions/upload-pages-artifact": 5,
               "actions/deploy-pages": 5}
    used = {}
    for step in all_steps(data):
        if "uses" in step:
            action, version = step["uses"].split("@")
            used[action] = int(version.lstrip("v").split(".")[0])
    assert set(used) == set(minimum) and all(used[action] >= minimum[action] for action in minimum)
    setup = next(step for step in all_steps(data) if step.get("uses", "").startswith("actions/setup-python"))
    assert setup["with"]["cache"] == "pip"


def test_no_expression_is_expanded_inside_a_shell_script() -> None:
    """`${{ }}` in `run:` is pasted into the script before bash sees it (script injection)."""
    scripts = [step["run"] for step in all_steps(workflow()) if "run" in step]
    assert scripts and not any("${{" in script for script in scripts)
    gitlab = GITLAB.read_text("utf-8")
    assert "${{" not in gitlab


def test_gitlab_scripts_are_valid_bash_and_push_without_new_pipelines() -> None:
    jobs = {name: job for name, job in yaml.safe_load(GITLAB.read_text("utf-8")).items() if isinstance(job, dict) and "script" in job}
    assert set(jobs) == {"pages", "recheck"} and jobs["pages"]["pages"] == {"publish": "public"}
    scripts = {name: "\n".join(job["before_script"] + job["script"]) for name, job in jobs.items()}
    for script in scripts.values():
        result = subprocess.run(["bash", "-n"], input=script, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    assert "--takedowns" in scripts["pages"] and "curator build --site-dir public" in scripts["pages"]
    pushes = [line for line in scripts["pages"].splitlines() if "git push" in line]
    assert pushes and all("-o ci.skip" in line for line in pushes)
    # the daily re-check's takedown push starts the pipeline that publishes the wall without the post
    assert "curator pull --recheck --takedowns" in scripts["recheck"] and "ci.skip" not in scripts["recheck"]


def test_secrets_reach_only_the_pull_step() -> None:
    for step in all_steps(workflow()):
        secrets = [value for value in (step.get("env") or {}).values() if "secrets." in str(value)]
        assert not secrets or step.get("id") in ("pull", "recheck"), step


# --- pull --takedowns and a pull that finds nothing new --------------------------------------------

def tracked(root: Path) -> None:
    (root / ".gitignore").write_text((resources.files("curator") / "scaffold" / "gitignore").read_text("utf-8"), "utf-8")  # as `curator init` writes it
    subprocess.run(["git", "init", "--quiet"], cwd=root, check=True)
    subprocess.run(["git", "add", "--all"], cwd=root, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "--quiet", "-m", "store"], cwd=root, check=True)


def git_status(root: Path) -> str:
    return subprocess.run(["git", "status", "--porcelain"], cwd=root, check=True, capture_output=True, text=True).stdout


def publish(config: Path, record_id: str) -> None:
    for args in (["approve", record_id], ["grant", record_id, "--evidence", "https://mail.acme.example/yes"]):
        assert run(config, *args).exit_code == 0


def test_pull_lists_the_files_of_takedowns_and_a_quiet_pull_changes_nothing(tmp_path: Path, mock, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    mock.files["/avatars/one.png"] = Reply(200, png_bytes(colour="#C2410C"), {"Content-Type": "image/png"})
    mock.files["/avatars/two.png"] = Reply(200, png_bytes(colour="#15803D"), {"Content-Type": "image/png"})
    mock.mastodon = [mastodon_post(mock, 2, "<p>Acme is great, really great</p>", "/avatars/two.png"),
                     mastodon_post(mock, 1, "<p>I love Acme, it is wonderful</p>", "/avatars/one.png")]
    config = write_config(tmp_path, [fast({"name": "fedi", "type": "mastodon", "instance": mock.base, "hashtags": ["AcmeLove"]})])
    assert run(config, "pull").exit_code == 0
    store = Store.open(tmp_path / "testimonials")
    one, two = sorted(store.records)
    for record_id in (one, two):
        publish(config, record_id)
    avatar = store.records[one].author.avatar
    tracked(tmp_path)

    quiet = run(config, "pull", "--takedowns", "takedowns.txt", "--json")
    assert quiet.exit_code == 0, quiet.output
    assert json.loads(quiet.stdout)["takedowns"] == [] and (tmp_path / "takedowns.txt").read_text() == ""
    (tmp_path / "takedowns.txt").unlink()
    assert git_status(tmp_path) == ""  # no timestamps, no reordered keys, no cursor churn

    status = mock.mastodon[1]
    no = reply(mock, status, 3, status["account"], TAG_HTML.format(base=mock.base, tag="NoAcme") + " please", status["id"])
    mock.mastodon_context[status["id"]] = {"ancestors": [], "descendants": [no]}
    mock.mastodon_gone.add(mock.mastodon[0]["id"])
    result = run(config, "pull", "--takedowns", str(tmp_path / "out" / "takedowns.txt"), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [(t["id"], t["reason"]) for t in report["takedowns"]] == [(one, "revoked"), (two, "deleted")]
    listed = (tmp_path / "out" / "takedowns.txt").read_text().splitlines()
    assert listed == sorted([f"testimonials/{one}.yml", f"testimonials/{two}.yml", "testimonials/_suppressed.yml",
                             f"testimonials/{avatar}"])
    # exactly the files git sees changed (nothing else was touched by the takedowns)
    changed = {line[3:] for line in git_status(tmp_path).splitlines()} - {"out/"}
    assert changed == set(listed)
    text = run(config, "pull")
    assert "takedown" not in text.output  # both are final: nothing more to take down


def test_recheck_unowned_false_keeps_the_pull_to_the_configured_sources(tmp_path: Path, mock, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    mock.files["/avatars/alice.png"] = Reply(200, png_bytes(), {"Content-Type": "image/png"})
    mock.mastodon = [mastodon_post(mock, 1, "<p>I love Acme, it is wonderful</p>")]
    config = write_config(tmp_path, [fast({"name": "fedi", "type": "mastodon", "instance": mock.base, "hashtags": ["AcmeLove"]})])
    assert run(config, "pull").exit_code == 0
    (record_id,) = Store.open(tmp_path / "testimonials").records
    publish(config, record_id)
    mock.mastodon_gone.add(mock.mastodon[0]["id"])
    lookups = f"/api/v1/statuses/{mock.mastodon[0]['id']}"

    settings = yaml.safe_load(config.read_text("utf-8"))
    block = settings["plugins"][0]["curator"]
    block["sources"], block["recheck_unowned"] = [], False  # the post is now owned by no source
    config.write_text(yaml.safe_dump(settings), "utf-8")
    tracked(tmp_path)
    mock.log.clear()
    assert run(config, "pull").exit_code == 0
    assert mock.requests_to(lookups) == [] and git_status(tmp_path) == ""

    del block["recheck_unowned"]  # default: a post added by URL is still re-checked where it lives
    config.write_text(yaml.safe_dump(settings), "utf-8")
    result = run(config, "pull", "--json")
    assert result.exit_code == 0 and mock.requests_to(lookups)
    assert [t["reason"] for t in json.loads(result.stdout)["takedowns"]] == ["deleted"]


def test_the_demo_wall_pull_is_a_quiet_no_op(project: Path, run) -> None:
    """The project's own weekly job pulls the demo wall: fictitious posts must not be looked up."""
    tracked(project)
    result = run("pull", "--takedowns", str(project.parent / "takedowns.txt"))
    assert result.exit_code == 0, result.output
    assert git_status(project) == "" and (project.parent / "takedowns.txt").read_text() == ""


# --- two builds of the same store ------------------------------------------------------------------

def digest(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def test_two_builds_in_different_folders_with_cold_caches_are_byte_identical(project: Path, tmp_path: Path) -> None:
    """Every file (pages, cards, press kit PDFs, feeds, search index), not a shared card cache."""
    twin = tmp_path / "twin"
    twin.mkdir()
    for part in ("mkdocs.yml", "docs", "overrides", "testimonials"):
        (shutil.copytree if (project / part).is_dir() else shutil.copy2)(project / part, twin / part)
    sites = []
    for root in (project, twin):
        (root / ".cache").unlink(missing_ok=True)  # the shared test cache would hide a renderer's randomness
        result = CliRunner().invoke(cli, ["-f", str(root / "mkdocs.yml"), "build"], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        sites.append(digest(root / "site"))
    first, second = sites
    assert first == second
    kinds = {Path(name).suffix for name in first}
    assert {".html", ".png", ".pdf", ".json", ".xml"} <= kinds
    assert any(name.startswith("press/") and name.endswith(".pdf") for name in first)
    assert sum(name.startswith("cards/") for name in first) >= 15


def test_source_date_epoch_sets_the_build_date(project: Path, run, monkeypatch) -> None:
    def sitemap_dates() -> set[str]:
        return set(re.findall(r"<lastmod>([^<]+)</lastmod>", (project / "site" / "sitemap.xml").read_text("utf-8")))

    assert run("build").exit_code == 0
    assert sitemap_dates() == {"2026-11-23"}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1795392000 + 400 * 86400))  # a later day: an expiry may pass
    assert run("build").exit_code == 0
    assert sitemap_dates() == {"2027-12-28"}


# --- doctor -----------------------------------------------------------------------------------------

def doctor(config: Path, env: dict[str, str]) -> tuple[int, dict[str, dict]]:
    result = CliRunner().invoke(cli, ["-f", str(config), "doctor", "--json"], env=env, catch_exceptions=False)
    return result.exit_code, {check["name"]: check for check in json.loads(result.stdout)}


def test_doctor_names_missing_tokens_never_their_values(tmp_path: Path) -> None:
    config = write_config(tmp_path, [
        {"name": "sky", "type": "bluesky", "queries": ["acme"], "handle": "acme.example"},
        {"name": "bird", "type": "x", "queries": ["acme"], "token_env": "ACME_X"},
        {"name": "fedi", "type": "mastodon", "instance": "https://mastodon.example", "hashtags": ["acme"]},
    ])
    code, checks = doctor(config, {"CURATOR_BLUESKY_APP_PASSWORD": "", "ACME_X": "s3cret-value"})
    assert checks["tokens"]["status"] == "warn"
    assert "CURATOR_BLUESKY_APP_PASSWORD (sky: search needs an app password)" in checks["tokens"]["detail"]
    assert "ACME_X" not in checks["tokens"]["detail"]
    code, checks = doctor(config, {"CURATOR_BLUESKY_APP_PASSWORD": "app-pass", "ACME_X": "s3cret-value"})
    assert checks["tokens"] == {"name": "tokens", "status": "ok", "detail": "set: ACME_X, CURATOR_BLUESKY_APP_PASSWORD", "fix": ""}
    # The name an earlier curator read (existing walls' CI secrets) still counts, with a note to rename it.
    code, checks = doctor(config, {"BLUESKY_APP_PASSWORD": "app-pass", "ACME_X": "s3cret-value"})
    assert checks["tokens"]["status"] == "ok"
    assert "BLUESKY_APP_PASSWORD (the old name of CURATOR_BLUESKY_APP_PASSWORD: rename it)" in checks["tokens"]["detail"]
    assert "s3cret-value" not in json.dumps(checks) and "app-pass" not in json.dumps(checks)
    assert checks["Python"]["status"] == "ok" and checks["config"]["status"] == "ok"
    assert checks["write access"]["status"] == "ok" and code == 0


def test_doctor_fails_on_a_mentions_source_without_a_token_variable(tmp_path: Path) -> None:
    config = write_config(tmp_path, [{"name": "fedi", "type": "mastodon", "instance": "https://m.example", "mentions": True}])
    code, checks = doctor(config, {})
    assert code == 1 and checks["tokens"]["status"] == "fail" and "token_env" in checks["tokens"]["fix"]


def test_doctor_reports_an_invalid_config_and_a_missing_store(tmp_path: Path) -> None:
    config = write_config(tmp_path, [{"name": "Bad Name", "type": "mastodon"}])
    code, checks = doctor(config, {})
    assert code == 1 and checks["config"]["status"] == "fail" and "mkdocs.yml" in checks["config"]["detail"]
    config = write_config(tmp_path, [])
    shutil.rmtree(tmp_path / "testimonials")
    code, checks = doctor(config, {})
    assert code == 1 and checks["write access"]["status"] == "fail" and "does not exist" in checks["write access"]["detail"]


def test_doctor_runs_outside_a_wall(tmp_path: Path) -> None:
    code, checks = doctor(tmp_path / "mkdocs.yml", {})
    assert checks["config"]["status"] == "warn" and checks["tokens"]["detail"] == "no sources configured"
