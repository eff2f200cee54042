"""What a revocation does everywhere (issue 24, items 1–3): exported files, what the record keeps,
and no e-mail address shown as a public handle."""
from __future__ import annotations

from curator.store import Store

RECORD = "x-188000000000000013"


def test_revoke_deletes_every_export_that_holds_the_post(project, run):
    assert run("render", RECORD, "x-188000000000000003", "--out", "print").exit_code == 0
    assert run("render", "--size", "print", "--brochure", "a4", "--out", "brochures").exit_code == 0
    other = sorted((project / "print").glob("x-188000000000000003-*"))
    assert other and list((project / "print").glob(f"{RECORD}-*"))
    result = run("revoke", RECORD)
    assert result.exit_code == 0 and "recalled by hand" in result.output
    assert not list((project / "print").glob(f"{RECORD}-*")) and not (project / "brochures" / "brochure.pdf").exists()
    assert sorted((project / "print").glob("x-188000000000000003-*")) == other  # others' files stay
    assert "deleted export:" in result.output and "brochure.pdf" in result.output


def test_a_revoked_record_keeps_only_the_proof(project, run):
    before = Store.open(project / "testimonials").records[RECORD]
    assert run("revoke", RECORD, "--reason", "asked by email").exit_code == 0
    after = Store.open(project / "testimonials").records[RECORD]
    assert (after.text, after.author.name, after.author.handle, after.author.url, after.author.avatar) == ("", "", None, None, None)
    assert (after.kind, after.sentiment, after.metrics, after.tags, after.lang) == (None, None, None, [], None)
    assert after.author.id == before.author.id and after.source == before.source
    assert after.permission.evidence_url == before.permission.evidence_url
    assert after.permission.revoked_reason == "asked by email" and after.permission.evidence_text is None
    assert run("check").exit_code == 0


def test_an_email_address_as_a_handle_is_a_check_warning(project, run):
    path = project / "testimonials" / "manual-email-010.yml"
    path.write_text(path.read_text("utf-8").replace("handle: null", "handle: tomas@example.org"), "utf-8")
    result = run("check")
    assert result.exit_code == 0 and "manual-email-010.yml" in result.stderr and "e-mail address" in result.stderr


def test_the_sample_wall_shows_no_email_address(project, run):
    result = run("check")
    assert result.exit_code == 0 and "e-mail" not in result.stderr


def test_readme_and_data_model_say_the_same_about_what_is_kept():
    from pathlib import Path

    repo = Path(__file__).resolve().parents[1]

    def paragraph(name: str) -> str:
        text = (repo / name).read_text("utf-8")
        start = text.index("A revoked record keeps only")
        return " ".join(text[start:text.index("\n\n", start)].split())

    assert paragraph("README.md") == paragraph("docs/data-model.md")
