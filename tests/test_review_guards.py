"""Guards around the classifier (issue 19): approving what is not wall material takes --force,
and kinds (internal triage labels) never reach the public site."""
from __future__ import annotations

from curator.store import Store


def test_approving_a_complaint_takes_force_and_says_who(project, run) -> None:
    store = Store.open(project / "testimonials")
    record = next(r for r in sorted(store.records.values(), key=lambda r: r.id) if r.review.status == "inbox")
    path = project / "testimonials" / f"{record.id}.yml"
    text = path.read_text("utf-8")
    path.write_text(text.replace(f"kind: {record.kind}", "kind: complaint", 1), "utf-8")
    refused = run("approve", record.id)
    assert refused.exit_code == 1 and "--force" in refused.stderr
    assert Store.open(project / "testimonials").records[record.id].review.status == "inbox"
    forced = run("approve", record.id, "--force", "--by", "^JD")
    assert forced.exit_code == 0
    note = Store.open(project / "testimonials").records[record.id].review.note
    assert "--force by ^JD" in note and "complaint" in note


def test_review_does_not_approve_a_complaint_without_force(project, run) -> None:
    store = Store.open(project / "testimonials")
    inbox = [r for r in store.records.values() if r.review.status == "inbox"]
    for record in inbox:
        path = project / "testimonials" / f"{record.id}.yml"
        path.write_text(path.read_text("utf-8").replace(f"kind: {record.kind}", "kind: question", 1), "utf-8")
    result = run("review", input="a\n" * len(inbox))
    assert result.exit_code == 0 and "not approved" in result.stderr
    assert all(r.review.status == "inbox" for r in Store.open(project / "testimonials").records.values() if r.id in {i.id for i in inbox})


def test_the_public_wall_never_shows_kinds(project, run) -> None:
    assert run("build").exit_code == 0
    site = project / "site"
    wall = (site / "wall" / "index.html").read_text("utf-8")
    assert "data-kind" not in wall and "Filter by kind" not in wall
    for name in ("embed/data.js", "testimonials.json"):
        body = (site / name).read_text("utf-8")
        assert '"kind"' not in body and "praise" not in body
