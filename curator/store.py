"""The store: ``testimonials/<id>.yml``, one record per file, plus ``_suppressed.yml``.

Loading validates every file and reports every problem in every file at once. Saving is
atomic and canonical, and a save that changes nothing writes nothing.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from . import schema, yamlio
from .errors import CuratorError, InvalidData, Problem
from .identity import Suppression, edited_since_consent, fingerprints, same_post
from .model import Testimonial, parse_timestamp

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")  # a fediverse handle starts with @: @name@host
MAX_TEXT = 30_000  # code points: X's long posts (25,000) are the longest any supported platform allows
SUPPRESSED_FILE = "_suppressed.yml"
AVATAR_DIR = "avatars"
SCHEMA_FILE = "_schema.json"  # a copy of the package's schema beside the records, for editors
SCHEMA_COMMENT = f"# yaml-language-server: $schema={SCHEMA_FILE}\n"
SUPPRESSED_HEADER = (
    "# Revoked posts: never re-imported, never published. Each is kept as its id and one-way\n"
    "# hashes of its post id, URL and words (so another source cannot bring it back); no text.\n"
)


@dataclass
class Store:
    root: Path
    records: dict[str, Testimonial] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)  # record id → digest of its file as opened
    suppressed: Suppression = field(default_factory=Suppression)
    _by_post: dict[tuple[str, str], list[str]] | None = field(default=None, repr=False)  # made by find_post
    _present_files: set[str] = field(default_factory=set, repr=False)  # media/emoji files found inside the store

    @classmethod
    def open(cls, root: Path | str, cache: Path | None = None) -> Store:
        """Load and validate everything; raise InvalidData listing every problem found.

        ``cache``: a JSON file of validated files by content hash (``Config.store_cache``). A file
        whose bytes are in it skips YAML parsing and JSON Schema, most of the load time."""
        root = Path(root)
        if not root.is_dir():
            raise CuratorError(f"{root}: no testimonial store here; run `curator init` or set `store:` in mkdocs.yml")
        store = cls(root)
        problems: list[Problem] = []
        suppressed, suppressed_problems = _load_suppressed(root / SUPPRESSED_FILE)
        store.suppressed = suppressed
        problems += suppressed_problems
        first_seen: dict[str, Path] = {}
        known = ValidatedFiles.read(cache)
        for path in sorted(root.glob("*.yml")):
            if path.name.startswith("_"):
                continue
            record, file_problems, version = load_record(path, root, known)
            problems += file_problems
            if record is None:
                continue
            if record.id in first_seen:
                line = yamlio.line_of(yamlio.line_map(path.read_text("utf-8")), ("id",))
                problems.append(
                    Problem(
                        _rel(path),
                        line,
                        "id",
                        f"duplicate id {record.id!r}, also in {first_seen[record.id].name}; ids must be unique",
                    )
                )
                continue
            first_seen[record.id] = path
            store.records[record.id] = record
            store.versions[record.id] = version
            if record.id in suppressed:  # entries written before prints were kept
                suppressed.add(record.id, fingerprints(record))
        if problems:
            raise InvalidData(problems)
        known.write(cache)
        return store

    def path_for(self, record_id: str) -> Path:
        return self.root / f"{record_id}.yml"

    def get(self, record_id: str) -> Testimonial:
        try:
            return self.records[record_id]
        except KeyError:
            raise CuratorError(
                f"{record_id}: no such testimonial in {self.root}; `curator list` shows the ids"
            ) from None

    def save(self, record: Testimonial) -> bool:
        """Write one record atomically; returns False when the file already says the same."""
        path = self.path_for(record.id)
        data = record.to_dict()
        if path.exists():
            current, problems = yamlio.parse(path.read_text("utf-8"), str(path))
            if not problems and current == data:
                return False  # same content, maybe hand-formatted: leave the person's bytes alone
        if record.id not in self.records and self._by_post is not None:
            self._by_post.setdefault(_post_key(record), []).append(record.id)
        self.records[record.id] = record
        return yamlio.write_atomic(path, SCHEMA_COMMENT + yamlio.dump(data))

    def warnings(self) -> list[Problem]:
        """What is valid but worth a person's look, for ``curator check``: a granted record whose
        text is not the version its author consented to (a hand edit, most likely: it is hidden),
        and a handle that looks like an e-mail address (the handle is shown publicly)."""
        found = []
        for record in sorted(self.records.values(), key=lambda r: r.id):
            if record.permission.status == "granted" and edited_since_consent(record):
                found.append(
                    self._problem(
                        record,
                        ("text",),
                        "differs from the version its author consented to (source.version): hidden "
                        "everywhere until they confirm again; undo the edit, or record their new "
                        f"yes with `curator grant {record.id} --evidence URL`",
                    )
                )
            if record.author.handle and _EMAIL.fullmatch(record.author.handle.strip()):
                found.append(
                    self._problem(
                        record,
                        ("author", "handle"),
                        "looks like an e-mail address, and the handle is shown on every card; "
                        "set handle: null (the name is enough) unless it really is a public handle",
                    )
                )
        return found

    def _problem(self, record: Testimonial, where: tuple, message: str) -> Problem:
        path = self.path_for(record.id)
        line = yamlio.line_of(yamlio.line_map(path.read_text("utf-8")), where)
        return Problem(_rel(path), line, ".".join(where), message)

    def problems_in(self, record: Testimonial) -> list[Problem]:
        """What ``curator check`` would say about ``record`` saved as it is now (nothing written)."""
        path = self.path_for(record.id)
        text = SCHEMA_COMMENT + yamlio.dump(record.to_dict())
        data, problems = _parse_valid(text, _rel(path))
        if problems:
            return problems
        lines = yamlio.LineMap(text)
        problems = _semantic_problems(Testimonial.from_dict(data), path, self.root, lines)
        problems += self._avatar_problems(record, lines)
        if keeps_files(record):
            files = zip(record_files(record), _file_fields(record), strict=True)
            problems += [
                Problem(
                    _rel(path),
                    yamlio.line_of(lines, where),
                    ".".join(map(str, where)),
                    f"{file} is not a file under {self.root}; put the image there or remove the entry",
                )
                for (file, _), where in files
                if not self._present(file)
            ]
        return problems

    def avatar_problems(self, records: Iterable[Testimonial] | None = None, decode: bool = True) -> list[Problem]:
        """Every avatar (of ``records``, default all) that is not a real PNG, JPEG, WebP or GIF
        within the pixel limit. Not part of every load: ``curator check`` decodes each image, a
        build reads the headers of those it publishes (``decode=False``)."""
        found = []
        for record in sorted(self.records.values() if records is None else records, key=lambda r: r.id):
            found += self._avatar_problems(record, None, decode)
        return found

    def _avatar_problems(self, record: Testimonial, lines: yamlio.LineMap | None, decode: bool = True) -> list[Problem]:
        """``lines``: of the record's text, or None to read its file (only when there is a problem)."""
        avatar = self.avatar_path(record)
        if avatar is None or not avatar.is_file() or not avatar.resolve().is_relative_to(self.root.resolve()):
            return []  # missing or outside: the load's own checks say so
        from .images import AVATAR, stored_image_problem  # Pillow: only for the commands that check images

        problem = stored_image_problem(avatar, AVATAR, decode)
        if problem is None:
            return []
        if lines is None:
            lines = yamlio.LineMap(self.path_for(record.id).read_text("utf-8"))
        return [
            Problem(
                _rel(self.path_for(record.id)),
                yamlio.line_of(lines, ("author", "avatar")),
                "author.avatar",
                f"{record.author.avatar}: {problem}; replace it with a real image or set avatar: null",
            )
        ]

    def suppress(self, record: Testimonial) -> None:
        """Put ``record`` on the suppression list, by id and by its prints (taken before its
        text is scrubbed)."""
        self.suppressed.add(record.id, fingerprints(record))
        entries = [
            {"id": record_id, "prints": sorted(self.suppressed.prints_by_id[record_id])}
            for record_id in self.suppressed
        ]
        yamlio.write_atomic(self.root / SUPPRESSED_FILE, SUPPRESSED_HEADER + yamlio.dump(entries))

    def find_post(self, record: Testimonial) -> Testimonial | None:
        """The stored record of the same post as ``record``, whatever id it was saved under
        (ids made by an older curator stay in use)."""
        candidate = self.records.get(record.id)
        if candidate is not None and same_post(candidate, record):
            return candidate
        if self._by_post is None:
            self._by_post = {}
            for stored in self.records.values():
                self._by_post.setdefault(_post_key(stored), []).append(stored.id)
        return next(
            (
                self.records[other]
                for other in self._by_post.get(_post_key(record), [])
                if same_post(self.records[other], record)
            ),
            None,
        )

    def avatar_path(self, record: Testimonial) -> Path | None:
        return self.root / record.author.avatar if record.author.avatar else None

    # --- media and custom emoji ------------------------------------------------------------------

    def missing_files(self, record: Testimonial) -> list[str]:
        """The media and emoji files of ``record`` that are not a file inside the store (absent,
        or a symlink out): what the gate hides a record for. A stat per file, remembered for
        the life of this Store (a build asks for every record on every channel); no hashing:
        ``curator check`` compares digests."""
        return [path for path, _ in record_files(record) if not self._present(path)]

    def _present(self, path: str) -> bool:
        if path not in self._present_files:  # only a file found is remembered: a pull may store it later
            target = self.root / path
            if not (target.is_file() and target.resolve().is_relative_to(self.root.resolve())):
                return False
            self._present_files.add(path)
        return True

    def media_problems(self, records: Iterable[Testimonial] | None = None, decode: bool = True) -> list[Problem]:
        """Every medium and emoji file (of ``records``, default all) that is outside the store,
        missing, not the bytes its digest names, or not a real image within limits. A rejected
        or revoked record's files are deleted on purpose: not a problem."""
        from .images import EMOJI, MEDIUM, stored_image_problem  # Pillow: only for the commands that check images

        found = []
        for record in sorted(self.records.values() if records is None else records, key=lambda r: r.id):
            if not keeps_files(record):
                continue
            lines: yamlio.LineMap | None = None
            for (path, digest), where in zip(record_files(record), _file_fields(record), strict=True):
                kind = EMOJI if where[0] == "emoji" else MEDIUM
                problem = _file_problem(self.root, path, digest) or stored_image_problem(self.root / path, kind, decode)
                if problem is None:
                    continue
                lines = lines or yamlio.LineMap(self.path_for(record.id).read_text("utf-8"))
                found.append(
                    Problem(
                        _rel(self.path_for(record.id)),
                        yamlio.line_of(lines, where),
                        ".".join(map(str, where)),
                        f"{path}: {problem}; the record is hidden until it is fixed: run "
                        f"`curator add {record.source.url or '<the post URL>'}` to download it again",
                    )
                )
        return found

    def forget_files(self, paths: Iterable[str]) -> list[str]:
        """Delete the files among ``paths`` that no record still keeping its files uses (a
        rejected or revoked record's media and emoji go; one shared with another post stays).
        Returns the deleted paths."""
        used = {path for record in self.records.values() if keeps_files(record) for path, _ in record_files(record)}
        used |= {record.author.avatar for record in self.records.values() if record.author.avatar}
        deleted = []
        for path in sorted(set(paths) - used):
            target = self.root / path
            if target.is_file() and not target.is_symlink():
                target.unlink()
                deleted.append(path)
            self._present_files.discard(path)
        return deleted


def record_files(record: Testimonial) -> list[tuple[str, str]]:
    """(path, digest) of every medium and emoji file ``record`` shows (its avatar aside), in the
    order of ``_file_fields``."""
    media = list(record.media) + (list(record.quote.media) if record.quote else [])
    media += [record.link.image] if record.link and record.link.image else []
    return [(m.path, m.digest) for m in media] + [(e.path, e.digest) for e in record.emoji]


def _file_fields(record: Testimonial) -> list[tuple]:
    """Where each of ``record_files`` is written in the record's file (for a problem's line)."""
    where: list[tuple] = [("media", index, "path") for index in range(len(record.media))]
    where += [("quote", "media", index, "path") for index in range(len(record.quote.media if record.quote else []))]
    where += [("link", "image", "path")] if record.link and record.link.image else []
    return where + [("emoji", index, "path") for index in range(len(record.emoji))]


def keeps_files(record: Testimonial) -> bool:
    """A rejected or revoked post's media and emoji are deleted: curator keeps copies of what a
    post shows only while it may still be published."""
    return record.review.status != "rejected" and record.permission.status != "revoked"


def file_digest(path: Path) -> str:
    """``sha256-<hex>`` of a file, read in blocks (a post's photo may be 16 MB)."""
    with path.open("rb") as handle:
        return "sha256-" + hashlib.file_digest(handle, "sha256").hexdigest()


def _file_problem(root: Path, path: str, digest: str) -> str | None:
    target = root / path
    if not target.resolve().is_relative_to(root.resolve()):
        return f"leads outside {root} (a symlink or ..): the build would publish that file"
    if not target.is_file():
        return "not found"
    if file_digest(target) != digest:
        return "is not the file its digest names (changed or replaced since it was downloaded)"
    return None


def _post_key(record: Testimonial) -> tuple[str, str]:
    return record.source.platform, str(record.source.post_id)


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@dataclass
class ValidatedFiles:
    """Record files known to pass YAML parsing and the JSON Schema: content hash → their data.

    Tied to the schema's text and curator's version, so a change to either starts afresh. Only
    the data is kept: the checks that look beyond the file (its name, the avatar on disk) run on
    every load."""

    tag: str
    data: dict[str, dict] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)
    read_from_disk: set[str] = field(default_factory=set)

    @classmethod
    def current_tag(cls) -> str:
        from . import __version__

        return f"{__version__}:{hashlib.sha256(schema.text('testimonial').encode()).hexdigest()[:16]}"

    @classmethod
    def read(cls, path: Path | None) -> ValidatedFiles:
        known = cls(cls.current_tag())
        saved = yamlio.read_cache(path)
        if saved.get("tag") == known.tag and isinstance(saved.get("files"), dict):
            known.data = saved["files"]
            known.read_from_disk = set(known.data)
        return known

    def lookup(self, content: bytes) -> tuple[str, dict | None]:
        digest = hashlib.blake2b(content, digest_size=16).hexdigest()
        self.used.add(digest)
        return digest, self.data.get(digest)

    def add(self, digest: str, data: dict) -> None:
        self.data[digest] = data

    def write(self, path: Path | None) -> None:
        """Keep the files seen in this load (a deleted or edited file's old entry goes)."""
        if path is None or self.used == self.read_from_disk:
            return
        kept = {digest: self.data[digest] for digest in sorted(self.used) if digest in self.data}
        yamlio.write_atomic(path, json.dumps({"tag": self.tag, "files": kept}, ensure_ascii=False, sort_keys=True))


def load_record(
    path: Path, root: Path, known: ValidatedFiles | None = None
) -> tuple[Testimonial | None, list[Problem], str]:
    """Parse and validate one file; return the record (if usable), every problem in it and the
    digest of its bytes (empty without ``known``)."""
    shown = _rel(path)
    content = path.read_bytes()
    text = content.decode("utf-8")
    digest, data = known.lookup(content) if known else ("", None)
    if data is None:
        data, problems = _parse_valid(text, shown)
        if problems:
            return None, problems, digest
        if known:
            known.add(digest, data)
    lines = yamlio.LineMap(text)
    record = Testimonial.from_dict(data)
    problems = _semantic_problems(record, path, root, lines)
    return record, problems, digest


def _parse_valid(text: str, shown: str) -> tuple[dict, list[Problem]]:
    """YAML, then the JSON Schema: the checks that depend on nothing but the file's bytes."""
    data, problems = yamlio.parse(text, shown)
    if problems:
        return {}, problems
    if not isinstance(data, dict):
        return {}, [Problem(shown, 1, "", "a testimonial file must be a mapping of fields (see docs/data-model.md)")]
    return data, schema.problems("testimonial", data, shown, yamlio.LineMap(text))


def _semantic_problems(record: Testimonial, path: Path, root: Path, lines: yamlio.LineMap) -> list[Problem]:
    """Rules JSON Schema cannot express: name = id, offsets inside the text, files that exist."""
    shown = _rel(path)
    problems: list[Problem] = []

    def add(where: tuple, message: str) -> None:
        problems.append(Problem(shown, yamlio.line_of(lines, where), ".".join(map(str, where)), message))

    if path.stem != record.id:
        add(("id",), f"{record.id!r} does not match the file name {path.name}; rename the file to {record.id}.yml")
    length = len(record.text)
    for index, entity in enumerate(record.entities):
        if not (entity.start < entity.end <= length):
            add(("entities", index), f"span {entity.start}..{entity.end} is outside the text ({length} code points)")
    if record.highlight and not (record.highlight.start < record.highlight.end <= length):
        add(
            ("highlight",),
            f"span {record.highlight.start}..{record.highlight.end} is outside the text ({length} code points)",
        )
    if record.author.avatar:
        avatar = root / record.author.avatar
        if not avatar.resolve().is_relative_to(root.resolve()):
            add(
                ("author", "avatar"),
                f"{record.author.avatar} leads outside {root} (a symlink or ..): the build would "
                "publish that file; store the image itself under avatars/ or set avatar: null",
            )
        elif not avatar.is_file():
            add(
                ("author", "avatar"),
                f"file {record.author.avatar} not found under {root}; fix the path or set avatar: null",
            )
    if length > MAX_TEXT:
        add(
            ("text",),
            f"is {length:,} characters long, more than any platform allows in one post ({MAX_TEXT:,}); "
            "this is not a post: check what was written into the file",
        )
    if not record.text.strip() and not (record.media or record.poll) and record.permission.status != "revoked":
        add(("text",), "is empty; only a post with media or a poll, or a revoked record, has no text")
    permission = record.permission
    if permission.expires and permission.granted_at and permission.expires < permission.granted_at[:10]:
        add(("permission", "expires"), f"{permission.expires} is before granted_at {permission.granted_at}")
    if permission.granted_at and parse_timestamp(permission.granted_at) < parse_timestamp(record.posted_at):
        add(("permission", "granted_at"), "is before the post was written; check the date")
    return problems


def _load_suppressed(path: Path) -> tuple[Suppression, list[Problem]]:
    """A list of entries ``{id, prints}``; a bare id (the older form) is read as an entry."""
    suppressed = Suppression()
    if not path.exists():
        return suppressed, []
    data, problems = yamlio.parse(path.read_text("utf-8"), _rel(path))
    if problems or data is None:
        return suppressed, problems
    wrong = [Problem(_rel(path), 1, "", "must be a YAML list of entries `{id: ..., prints: [...]}` (or bare ids)")]
    if not isinstance(data, list):
        return suppressed, wrong
    for entry in data:
        if isinstance(entry, str):
            suppressed.add(entry)
        elif (
            isinstance(entry, dict)
            and isinstance(entry.get("id"), str)
            and isinstance(entry.get("prints", []), list)
            and all(isinstance(p, str) for p in entry.get("prints", []))
        ):
            suppressed.add(entry["id"], entry.get("prints", []))
        else:
            return Suppression(), wrong
    return suppressed, []
