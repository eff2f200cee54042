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


def test_review_shows_why_confirms_each_decision_and_ends_cleanly_at_end_of_input(project, run) -> None:
    store = Store.open(project / "testimonials")
    inbox = sorted((r for r in store.records.values() if r.review.status == "inbox"), key=lambda r: r.id)
    result = run("review", input="r\n")  # one decision, then the input ends
    assert result.exit_code == 0 and "Aborted" not in result.output
    assert "rejected: " in result.output and "not seen" in result.output
    assert "kind: " in result.output and "(" in result.output.split("kind: ", 1)[1].split("\n")[0]  # the reason
    assert len(inbox) > 1


def test_review_offers_ask_only_where_a_reply_can_be_sent(project, run) -> None:
    path = project / "testimonials" / "csv-form-021.yml"
    text = path.read_text("utf-8")
    assert "review:\n  status: approved" in text
    path.write_text(text.replace("review:\n  status: approved", "review:\n  status: inbox"), "utf-8")
    output = run("review", input="s\n" * 20).output
    after_card = output[output.index("csv-form-021"):]
    prompt = after_card[after_card.index("[a]pprove"):].split(":", 1)[0]
    assert "as[k]" not in prompt and "as[k]" in output  # the others (Mastodon, Bluesky, X) still offer it
