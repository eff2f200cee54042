"""Runs the CI files of `curator init` on this machine, the way a runner would.

Each job's steps run in order: every ``run:`` script with bash in a fresh clone of a bare
"origin" repository, with the workflow's and the step's ``env:`` (``${{ secrets.X }}`` and
``${{ github.token }}`` resolved), ``GITHUB_*`` variables, ``$GITHUB_OUTPUT`` read back into
step outputs, and ``gh`` replaced by a fake that keeps pull requests in a JSON file. The
``uses:`` steps are played by small stand-ins (checkout = clone, deploy = copy ``site/``).
Only the ``if:`` expressions the workflow really uses are understood; any other fails the test.
The GitLab ``pages`` job runs the same way (``run_gitlab``), with ``curl`` as a fake merge
request API.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import yaml

REPO = Path(__file__).resolve().parent.parent
WORKFLOW = REPO / ".github" / "workflows" / "curator.yml"
GITLAB_CI = REPO / "curator" / "scaffold" / "gitlab-ci.yml"
GITLAB_RULES = {  # what each job's rules must be for run_gitlab to run it
    "pages": [{"if": "$CURATOR_RECHECK", "when": "never"}, {"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}],
    "recheck": [{"if": '$CURATOR_RECHECK && $CI_PIPELINE_SOURCE == "schedule" && $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH'}],
}
WEEKLY, DAILY = "17 6 * * 1", "41 5 * * *"  # the cron lines of the workflow's schedule

FAKE_GH = r'''#!{python}
"""gh, as far as the workflow uses it: pr list/create/edit, kept in $FAKE_GH_STATE."""
import json, os, sys
from pathlib import Path

state_file = Path(os.environ["FAKE_GH_STATE"])
state = json.loads(state_file.read_text()) if state_file.exists() else {{"prs": [], "calls": []}}
args = sys.argv[1:]
state["calls"].append(args)

def option(name):
    return args[args.index(name) + 1]

if args[:2] == ["pr", "list"]:
    assert option("--state") == "open" and option("--jq") == ".[].number", args
    for pr in state["prs"]:
        if pr["head"] == option("--head") and pr["state"] == "open":
            print(pr["number"])
elif args[:2] == ["pr", "create"]:
    number = len(state["prs"]) + 1
    state["prs"].append({{"number": number, "head": option("--head"), "base": option("--base"), "title": option("--title"),
                          "body": Path(option("--body-file")).read_text(), "state": "open"}})
    print(f"https://github.example/acme/wall/pull/{{number}}")
elif args[:2] == ["pr", "edit"]:
    pr = next(pr for pr in state["prs"] if pr["number"] == int(args[2]))
    pr["body"] = Path(option("--body-file")).read_text()
else:
    sys.exit(f"fake gh: unsupported call {{args}}")
state_file.write_text(json.dumps(state))
'''

FAKE_CURL = r'''#!{python}
"""curl, as far as .gitlab-ci.yml uses it: GitLab's merge requests API, kept in $FAKE_GH_STATE."""
import json, os, sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

state_file = Path(os.environ["FAKE_GH_STATE"])
state = json.loads(state_file.read_text()) if state_file.exists() else {{"prs": [], "calls": []}}
args, method, data, url = sys.argv[1:], "GET", {{}}, None
words = iter(args)
for word in words:
    if word == "-X":
        method = next(words)
    elif word == "-H":
        assert next(words) == "PRIVATE-TOKEN: " + os.environ["CURATOR_BOT_TOKEN"], "wrong token"
    elif word == "--data-urlencode":
        item = next(words)
        cut = min(i for i in (item.find("="), item.find("@")) if i > 0)
        data[item[:cut]] = item[cut + 1:] if item[cut] == "=" else Path(item[cut + 1:]).read_text()
    elif not word.startswith("-"):
        url = word
state["calls"].append(["curl", method, url])
parts = urlsplit(url)
assert parts.path.startswith("/api/v4/projects/7/merge_requests"), url
if method == "GET":
    query = parse_qs(parts.query)
    assert query["state"] == ["opened"], query
    print(json.dumps([{{"iid": pr["number"]}} for pr in state["prs"]
                      if pr["head"] == query["source_branch"][0] and pr["state"] == "open"]))
elif method == "POST":
    state["prs"].append({{"number": len(state["prs"]) + 1, "head": data["source_branch"], "base": data["target_branch"],
                          "title": data["title"], "body": data["description"], "state": "open"}})
else:
    assert method == "PUT", method
    pr = next(pr for pr in state["prs"] if pr["number"] == int(parts.path.rsplit("/", 1)[1]))
    pr["body"] = data["description"]
state_file.write_text(json.dumps(state))
'''

FAKE_PIP = '''#!/bin/sh
# The runner's pip: the test's virtualenv already has curator; record what would be installed.
[ "$1 $2" = "install -r" ] && [ -f "$3" ] || { echo "fake pip: unexpected: $*" >&2; exit 1; }
echo "$*" >> "$FAKE_PIP_LOG"
'''


@dataclass
class Runner:
    """One simulated repository on a forge: origin, pull requests, secrets, deployed site."""

    root: Path
    secrets: dict[str, str] = field(default_factory=dict)
    runs: int = 0

    @property
    def origin(self) -> Path:
        return self.root / "origin.git"

    @property
    def deployed(self) -> Path:
        return self.root / "deployed"

    @property
    def state_file(self) -> Path:
        return self.root / "gh-state.json"

    def gh_state(self) -> dict:
        return json.loads(self.state_file.read_text()) if self.state_file.exists() else {"prs": [], "calls": []}

    def set_gh_state(self, state: dict) -> None:
        self.state_file.write_text(json.dumps(state))

    def create_origin(self, project: Path) -> None:
        """``project``'s files become the first commit of ``main`` on a bare origin."""
        git(project, "init", "--quiet", "--initial-branch=main")
        identity(project, "Jane Doe", "jane@acme.example")
        git(project, "add", "--all")
        git(project, "commit", "--quiet", "-m", "A new wall")
        subprocess.run(["git", "clone", "--quiet", "--bare", str(project), str(self.origin)], check=True)
        git(self.origin, "config", "receive.advertisePushOptions", "true")  # GitLab's `-o ci.skip`

    def tools(self) -> Path:
        folder = self.root / "bin"
        if not folder.exists():
            folder.mkdir()
            (folder / "gh").write_text(FAKE_GH.format(python=sys.executable))
            (folder / "pip").write_text(FAKE_PIP)
            (folder / "curl").write_text(FAKE_CURL.format(python=sys.executable))
            for tool in folder.iterdir():
                tool.chmod(0o755)
        return folder

    def environment(self, base: Path) -> dict[str, str]:
        """A fresh runner's environment: the fakes first on PATH, no global git identity, no pager."""
        env = {key: value for key, value in os.environ.items() if not key.startswith(("GITHUB_", "RUNNER_", "CI_"))}
        env.pop("SOURCE_DATE_EPOCH", None)  # the CI files do not set it: the build date is today
        env.update({
            "PATH": f"{self.tools()}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{env['PATH']}", "CI": "true",
            "FAKE_GH_STATE": str(self.state_file), "FAKE_PIP_LOG": str(base / "pip.log"),
            "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "GIT_PAGER": "cat",
        })
        return env

    def run_gitlab(self, source: str = "schedule", job_name: str = "pages", variables: dict[str, str] | None = None) -> Path:
        """The `pages` job of .gitlab-ci.yml (before_script + script, as GitLab's bash runs them)
        in a detached checkout of main; returns the job's folder. ``curl`` is a fake merge
        request API; the bot's https remote is mapped onto the bare origin."""
        self.runs += 1
        base = self.root / f"run-{self.runs}"
        work, temp = base / "work", base / "temp"
        temp.mkdir(parents=True)
        ci = yaml.safe_load(GITLAB_CI.read_text("utf-8"))
        job = ci[job_name]
        assert job["rules"] == GITLAB_RULES[job_name]  # the caller passes what makes them hold
        subprocess.run(["git", "clone", "--quiet", str(self.origin), str(work)], check=True)
        git(work, "checkout", "--quiet", "--detach")
        env = self.environment(base)
        env.update({key: str(value) for key, value in ci["variables"].items()})
        env.update(variables or {})
        env.update({
            "CI_PIPELINE_SOURCE": source, "CI_COMMIT_BRANCH": "main", "CI_DEFAULT_BRANCH": "main",
            "CI_PROJECT_DIR": str(work), "CI_SERVER_HOST": "gitlab.example", "CI_PROJECT_PATH": "acme/wall",
            "CI_API_V4_URL": "https://gitlab.example/api/v4", "CI_PROJECT_ID": "7", "CURATOR_BOT_TOKEN": "bot-token",
            "TMPDIR": str(temp),
            "GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": f"url.{self.origin}.insteadOf",
            "GIT_CONFIG_VALUE_0": "https://curator-bot:bot-token@gitlab.example/acme/wall.git",
        })
        script = "\n".join(job["before_script"] + job["script"])
        result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=work, env=env,
                                text=True, capture_output=True)
        (base / "log.txt").write_text(result.stdout + result.stderr)
        assert result.returncode == 0, result.stdout + result.stderr
        if "pages" in job:
            shutil.rmtree(self.deployed, ignore_errors=True)
            shutil.copytree(work / job["pages"]["publish"], self.deployed)
        return base

    def run(self, event: str = "schedule", ref: str = "main", expect_failure: str | None = None,
            before: dict[str, Callable[[], None]] | None = None, cron: str = WEEKLY) -> "Run":
        """Every job of the workflow for one event (a failed step ends its job and skips the jobs
        that need it, as on GitHub); only the step named by ``expect_failure`` may fail.
        ``before`` maps a step's label to something that happens meanwhile (a person pushes)."""
        self.runs += 1
        workflow = yaml.safe_load(WORKFLOW.read_text("utf-8"))
        run = Run(self, event, ref, self.root / f"run-{self.runs}", before=before or {},
                  schedule=cron if event == "schedule" else "")
        run.temp.mkdir(parents=True)
        for job_name, job in workflow["jobs"].items():
            needs = job.get("needs", [])
            if any(need in run.failed_jobs for need in ([needs] if isinstance(needs, str) else needs)):
                run.log.append(f"{job_name}: skipped (a job it needs failed)")
                run.failed_jobs.add(job_name)
            elif any(need in run.skipped_jobs for need in ([needs] if isinstance(needs, str) else needs)):
                run.log.append(f"{job_name}: skipped (a job it needs was skipped)")
                run.skipped_jobs.add(job_name)
            elif not run.condition(job.get("if")):
                run.log.append(f"{job_name}: skipped")
                run.skipped_jobs.add(job_name)
            else:
                run.job(job_name, job, workflow.get("env", {}))
        assert run.failed_step == expect_failure, "\n".join(run.log)
        return run


@dataclass
class Run:
    runner: Runner
    event: str
    ref: str
    base: Path
    log: list[str] = field(default_factory=list)
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)  # step id → outputs
    job_outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    summaries: dict[str, str] = field(default_factory=dict)  # step label → its $GITHUB_STEP_SUMMARY
    before: dict[str, Callable[[], None]] = field(default_factory=dict)
    failed_jobs: set[str] = field(default_factory=set)
    skipped_jobs: set[str] = field(default_factory=set)
    schedule: str = ""  # the cron line that started a scheduled run
    failed_step: str | None = None
    artifact: Path | None = None

    @property
    def temp(self) -> Path:
        return self.base / "temp"

    @property
    def work(self) -> Path:
        return self.base / "work"

    def condition(self, expression: str | None) -> bool:
        known = {
            None: True,
            "github.event.schedule != '41 5 * * *' && (github.event_name == 'schedule' || "
            "github.ref_name == github.event.repository.default_branch)":
                self.schedule != DAILY and (self.event == "schedule" or self.ref == "main"),
            "github.event.schedule == '41 5 * * *'": self.schedule == DAILY,
            "steps.recheck.outputs.taken_down == 'yes'": self.outputs.get("recheck", {}).get("taken_down") == "yes",
            "steps.recheck.outputs.exit_code == '3'": self.outputs.get("recheck", {}).get("exit_code") == "3",
            "github.event_name != 'push'": self.event != "push",
            "needs.refresh.outputs.pull_exit == '3'": self.job_outputs.get("refresh", {}).get("pull_exit") == "3",
        }
        assert expression in known, f"the test does not understand `if: {expression}`; teach Run.condition"
        return known[expression]

    def expand(self, value: str) -> str:
        def one(match: re.Match) -> str:
            expression = match.group(1).strip()
            if expression.startswith("secrets."):
                return self.runner.secrets.get(expression[len("secrets."):], "")
            if expression == "github.token":
                return "fake-github-token"
            if expression.startswith("steps.") and expression.endswith(".outputs.exit_code"):
                return self.outputs.get(expression.split(".")[1], {}).get("exit_code", "")
            raise AssertionError(f"the test does not understand ${{{{ {expression} }}}}")
        return re.sub(r"\$\{\{(.*?)\}\}", one, str(value))

    def environment(self, workflow_env: dict, step_env: dict, output: Path, summary: Path) -> dict[str, str]:
        env = self.runner.environment(self.base)
        env.update({
            "GITHUB_EVENT_NAME": self.event, "GITHUB_REF_NAME": self.ref, "GITHUB_REF": f"refs/heads/{self.ref}",
            "GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(self.work), "RUNNER_TEMP": str(self.temp),
            "GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary),
        })
        env.update({key: self.expand(value) for key, value in {**workflow_env, **step_env}.items()})
        return env

    def job(self, name: str, job: dict, workflow_env: dict) -> None:
        for index, step in enumerate(job["steps"]):
            label = f"{name}/{step.get('name') or step.get('uses') or index}"
            if not self.condition(step.get("if")):
                self.log.append(f"{label}: skipped")
                continue
            if label in self.before:
                self.before[label]()
            if "uses" in step:
                self.action(step["uses"], step.get("with", {}))
            elif not self.shell(label, step, workflow_env):
                self.failed_step = label
                self.failed_jobs.add(name)
                return
            self.log.append(f"{label}: ok")
        self.job_outputs[name] = {key: self.expand(value) for key, value in job.get("outputs", {}).items()}

    def shell(self, label: str, step: dict, workflow_env: dict) -> bool:
        number = len(self.log)
        output, summary = self.temp / f"output-{number}", self.temp / f"summary-{number}.md"
        output.touch()
        script = self.temp / f"step-{number}.sh"
        script.write_text(step["run"])
        cwd = self.work if self.work.exists() else self.base
        result = subprocess.run(["bash", "--noprofile", "--norc", "-e", str(script)], cwd=cwd, text=True,
                                capture_output=True, env=self.environment(workflow_env, step.get("env", {}), output, summary))
        self.log.append(f"{label}: stdout={result.stdout!r} stderr={result.stderr[-2000:]!r}")
        if "id" in step:
            self.outputs[step["id"]] = dict(line.split("=", 1) for line in output.read_text().splitlines() if "=" in line)
        if summary.exists():
            self.summaries[label] = summary.read_text()
        return result.returncode == 0

    def action(self, uses: str, inputs: dict) -> None:
        action, version = uses.split("@")
        if action == "actions/checkout":
            subprocess.run(["git", "clone", "--quiet", "--branch", self.ref, str(self.runner.origin), str(self.work)], check=True)
        elif action == "actions/upload-pages-artifact":
            site = self.work / inputs["path"]
            assert (site / "index.html").is_file(), "nothing to upload"
            self.artifact = self.base / "artifact"
            shutil.copytree(site, self.artifact)
        elif action == "actions/deploy-pages":
            shutil.rmtree(self.runner.deployed, ignore_errors=True)
            shutil.copytree(self.artifact, self.runner.deployed)
        else:
            assert action == "actions/setup-python", f"the test cannot play {uses}"


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, text=True, capture_output=True).stdout


def identity(cwd: Path, name: str, email: str) -> None:
    git(cwd, "config", "user.name", name)
    git(cwd, "config", "user.email", email)
