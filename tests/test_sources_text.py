"""Text and offsets: emoji and CJK before a link on all three platforms, Mastodon's hidden URL
parts, X's escaped text, the X archive, CSV/JSON exports."""
from __future__ import annotations

import json

import pytest

from curator.sources import SourceSpec, build
from curator.platforms.bluesky import facet_entities
from curator.platforms.imports import Tabular
from curator.platforms.text import html_to_text
from curator.platforms.x import api_text, read_archive

from sources_mock import FIXTURES, fixture

PREFIX = "🚀🙌🏽 日本語のレビュー: "
LINK = "https://acme.example/blog/ローンチ"


def shown(text: str, entity) -> str:
    return text[entity.start:entity.end]


def test_mastodon_emoji_and_cjk_before_a_link():
    content = (f'<p>{PREFIX}<a href="{LINK}" rel="nofollow noopener" target="_blank">'
               '<span class="invisible">https://</span><span class="ellipsis">acme.example/blog/ローンチ</span>'
               '<span class="invisible"></span></a> <a href="https://m.example/tags/acme" class="mention hashtag" rel="tag">#<span>acme</span></a></p>')
    text, entities = html_to_text(content)
    assert text == PREFIX + "acme.example/blog/ローンチ… #acme"
    link, tag = entities
    assert (link.type, link.url, shown(text, link)) == ("url", LINK, "acme.example/blog/ローンチ…")
    assert link.start == len(PREFIX)
    assert (tag.type, shown(text, tag)) == ("hashtag", "#acme")


def test_mastodon_invisible_parts_are_hidden_and_the_ellipsis_is_shown():
    text, entities = html_to_text(fixture("constructed/mastodon_status_with_mention_hashtag_link.json")["content"])
    assert text == "Switched our team to @acme last week 🚀 onboarding took 10 minutes. #AcmeLove acme.example/blog/launch-annou…"
    assert [(e.type, shown(text, e)) for e in entities] == [
        ("mention", "@acme"), ("hashtag", "#AcmeLove"), ("url", "acme.example/blog/launch-annou…")]
    assert entities[2].url == "https://acme.example/blog/launch-announcement-2025"
    assert entities[2].display == "acme.example/blog/launch-annou…"
    # the docs example: www. hidden, two paragraphs become a blank line
    text, entities = html_to_text(fixture("mastodon_status_entity_example.json")["content"])
    assert text.endswith('sort code"\n\ntheguardian.com/money/2019/dec…')
    # a link that was not cut (class="") gets no ellipsis
    text, _ = html_to_text(fixture("constructed/mastodon_context_with_permission_reply.json")["descendants"][0]["content"])
    assert text.endswith("to agree: acme.example/ugc-terms")


def test_mastodon_html_drops_scripts_of_nothing_but_keeps_text_only():
    text, entities = html_to_text('<p>hi <a href="javascript:alert(1)">click</a><br>line two</p>')
    assert text == "hi click\nline two"
    assert entities == []  # a non-http link never becomes a link


def test_bluesky_byte_offsets_become_code_points():
    record = fixture("bluesky_post_record_with_facets_docs.json")
    entities = facet_entities(record["text"], record["facets"])
    assert [(e.type, e.start, shown(record["text"], e)) for e in entities] == [
        ("mention", 21, "@atproto.com"), ("url", 58, "https://en.wikipedia.org/wiki/CBOR")]
    text = PREFIX + LINK + " #acme"
    start = len(PREFIX.encode()); end = start + len(LINK.encode())
    facets = [{"index": {"byteStart": start, "byteEnd": end}, "features": [{"$type": "app.bsky.richtext.facet#link", "uri": LINK}]},
              {"index": {"byteStart": end + 1, "byteEnd": end + 6}, "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "acme"}]},
              {"index": {"byteStart": 1, "byteEnd": 3}, "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "bad"}]}]
    link, tag = facet_entities(text, facets)  # the facet that cuts into 🚀 is dropped
    assert (link.start, shown(text, link), link.url) == (len(PREFIX), LINK, LINK)
    assert shown(text, tag) == "#acme"


def test_x_code_points_with_emoji_cjk_and_escaped_text():
    text = PREFIX + "&amp; more https://t.co/AbC"
    start = text.index("https://t.co")
    post = {"text": text, "entities": {"urls": [{"start": start, "end": start + 16, "url": "https://t.co/AbC",
                                                  "expanded_url": LINK, "display_url": "acme.example/blog/ローンチ"}]}}
    plain, (link,) = api_text(post)
    assert plain == PREFIX + "& more https://t.co/AbC"
    assert shown(plain, link) == "https://t.co/AbC" and link.url == LINK and link.display == "acme.example/blog/ローンチ"
    # the docs payload: code points, not UTF-16
    docs = fixture("x_v2_tweet_payload.json")["includes"]["tweets"][0]
    plain, entities = api_text(docs)
    assert [shown(plain, e) for e in entities if e.type == "mention"] == ["@SuhemParack"]


def test_x_archive_posts_keep_their_offsets():
    posts = read_archive(FIXTURES / "x_archive_tweets_js_synthetic.js")
    assert len(posts) == 4
    request = next(p for p in posts if p.post_id == "1930000000000000202")
    assert request.hashtags() == ["#YesAcme"] and request.in_reply_to == "1930000000000000201"
    emoji = next(p for p in posts if p.post_id == "1928000000000000101")
    mention = next(e for e in emoji.entities if e.type == "mention")
    assert (mention.start, shown(emoji.text, mention)) == (24, "@lee_example")
    assert request.posted_at == "2025-06-03T15:00:02Z"


def csv_source(tmp_path, content: bytes, **options) -> Tabular:
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    return build(SourceSpec.from_mapping({"name": "export", "type": "csv", "path": str(path), **options}))


def test_csv_with_bom_and_metadata_rows(tmp_path):
    content = ("Report:,Acme mentions\nBrand:,Acme\n\nauthor,handle,text,url,date\n"
               "Jane Doe,@jane,\"Love it, truly 🤩\",https://blog.example/jane,2026-03-14 18:22:05\n"
               "No Text,@nt,,https://x.example,2026-03-14\n").encode("utf-8-sig")
    source = csv_source(tmp_path, content)
    (item,) = [i for page in source.pull({}) for i in page]
    assert item.record.text == "Love it, truly 🤩" and item.record.author.name == "Jane Doe"
    assert item.record.posted_at == "2026-03-14T18:22:05Z" and item.record.source.platform == "csv"
    assert any("no text" in note for note in source.notes)


def test_utf16_tab_separated_meltwater_export(tmp_path):
    content = ("Date\tHeadline\tURL\tHit Sentence\tInfluencer\tTwitter Screen Name\tLanguage\tTweet Id\n"
               "2026-03-14T18:22:05Z\t\thttps://x.com/jane/status/1\tAcme 日本 rocks\tJane\tjane\tEN\t1\n").encode("utf-16")
    source = csv_source(tmp_path, content, preset="meltwater")
    (item,) = [i for page in source.pull({}) for i in page]
    assert item.record.text == "Acme 日本 rocks" and item.record.lang == "en" and item.record.id == "csv-1"


def test_json_export_with_custom_mapping(tmp_path):
    path = tmp_path / "export.json"
    path.write_text(json.dumps([{"who": "Kim", "said": "Great support!", "when": "2026-01-02T03:04:05Z"}]))
    source = build(SourceSpec.from_mapping({"name": "j", "type": "json", "path": str(path),
                                            "mapping": {"author": "who", "text": "said", "date": "when"}}))
    (item,) = [i for page in source.pull({}) for i in page]
    assert (item.record.author.name, item.record.text) == ("Kim", "Great support!")


def test_csv_without_the_text_column_says_which_mapping_to_fix(tmp_path):
    source = csv_source(tmp_path, b"a,b\n1,2\n")
    with pytest.raises(Exception, match="mapping.text"):
        list(source.pull({}))


def test_non_http_links_from_a_platform_are_dropped_not_trusted(tmp_path):
    from curator.platforms.mastodon import Mastodon
    from sources_mock import MockPlatforms, mastodon_post
    status = mastodon_post(MockPlatforms(base="https://m.example"), 1)
    status["url"], status["account"]["url"] = "javascript:alert(1)", "data:text/html,hi"
    fetched = Mastodon(SourceSpec.from_mapping({"name": "m", "type": "mastodon", "instance": "m.example"}))._fetched(status)
    assert fetched.record.source.url is None and fetched.record.author.url is None
