"""Pair sets: readable Markdown with a strict structure (pairs/sets/*.md, package data).

    ## pair: <slug>
    family: <family>
    modes: <comma-separated loophole modes, or none>
    tags: <comma-separated tags>

    ### prompt
    <the user message>
    ### hack
    <completion>
    ### clean
    <completion>

Selectors pick subsets: `FILE[#family][@tag,...][!tag,...]`, several joined by `+`. FILE is a
path or a name in the package's pairs/sets (`hack_pairs`); `#family` keeps one family; `@a,b` keeps pairs whose
tags, modes or family include a or b; `!a,b` drops them (`hack_pairs!sentinel`: every pair except
the sentinel mode's, what a run with `--held-out-modes sentinel` extracts from by default). Examples: `hack_pairs`, `hack_pairs@run_tests,stdout_marker`
(the pairs for two modes: a held-out-mode experiment), `hack_pairs#weak_predicate+null_pairs`.
Every selection has a sha256 of its pairs' content, recorded with every direction built from it.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from projected_grpo.env.modes import LOOPHOLE_MODES
from projected_grpo.errors import UserError

# package data (pyproject package-data), so an installed package has them outside a checkout too
PAIRS_DIR = Path(str(resources.files("projected_grpo.pairs") / "sets"))
_SECTIONS = ("prompt", "hack", "clean")
_META = ("family", "modes", "tags")


class PairSetError(UserError):
    """A malformed pair file or selector; the message names the file and line."""


@dataclass(frozen=True)
class Pair:
    id: str  # "<file stem>/<slug>"
    family: str
    modes: tuple[str, ...]
    tags: tuple[str, ...]
    prompt: str  # the user message
    hack: str  # the positive side (the hack; for null/placebo sets just the first slot)
    clean: str
    where: str  # file:line of the pair header

    def labels(self) -> set[str]:
        return {self.family, *self.modes, *self.tags}


def parse_file(path: Path) -> list[Pair]:
    lines = path.read_text(encoding="utf-8").splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("## pair:")]
    if not starts:
        raise PairSetError(f"{path}: no '## pair: <slug>' headers")
    pairs, seen_slugs, seen_content = [], {}, {}
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        pair = _parse_pair(path, lines, start, end)
        slug = pair.id.split("/", 1)[1]
        if slug in seen_slugs:
            raise PairSetError(f"{pair.where}: duplicate pair slug {slug!r} (first at line {seen_slugs[slug]})")
        content = (pair.prompt, pair.hack, pair.clean)
        if content in seen_content:
            raise PairSetError(f"{pair.where}: duplicate pair: same prompt and sides as {seen_content[content]}")
        seen_slugs[slug], seen_content[content] = start + 1, pair.id
        pairs.append(pair)
    return pairs


def _parse_pair(path: Path, lines: list[str], start: int, end: int) -> Pair:
    where = f"{path}:{start + 1}"
    slug = lines[start][len("## pair:"):].strip()
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", slug):
        raise PairSetError(f"{where}: pair slug {slug!r} must be lowercase letters, digits, '-' or '_'")
    meta, sections, current, i = {}, {}, None, start + 1
    while i < end:
        line = lines[i]
        if line.startswith("### "):
            name = line[4:].strip()
            if name not in _SECTIONS:
                raise PairSetError(f"{path}:{i + 1}: unknown section {name!r} (expected one of {_SECTIONS})")
            if name in sections:
                raise PairSetError(f"{path}:{i + 1}: section '### {name}' appears twice in pair {slug!r}")
            current, sections[name] = name, []
        elif current is None:
            if line.strip():
                key, sep, value = line.partition(":")
                if not sep or key.strip() not in _META:
                    raise PairSetError(f"{path}:{i + 1}: expected 'family:', 'modes:' or 'tags:', got {line[:60]!r}")
                meta[key.strip()] = value.strip()
        else:
            sections[current].append(line)
        i += 1
    for key in _META:
        if key not in meta:
            raise PairSetError(f"{where}: pair {slug!r} has no '{key}:' line")
    for name in _SECTIONS:
        text = "\n".join(sections.get(name, [])).strip()
        if not text:
            raise PairSetError(f"{where}: pair {slug!r} has no {'prompt' if name == 'prompt' else name + ' side'} "
                               f"('### {name}' missing or empty)")
        sections[name] = text
    if sections["hack"] == sections["clean"]:
        raise PairSetError(f"{where}: pair {slug!r}: the two sides are identical")
    modes = tuple(m.strip() for m in meta["modes"].split(",") if m.strip())
    if modes == ("none",):
        modes = ()
    unknown = [m for m in modes if m not in LOOPHOLE_MODES]
    if unknown:
        raise PairSetError(f"{where}: pair {slug!r}: unknown mode(s) {unknown} (one of {', '.join(LOOPHOLE_MODES)}, or none)")
    tags = tuple(t.strip() for t in meta["tags"].split(",") if t.strip())
    return Pair(f"{path.stem}/{slug}", meta["family"], modes, tags, sections["prompt"], sections["hack"],
                sections["clean"], where)


def _resolve(name: str) -> Path:
    path = Path(name)
    if path.suffix != ".md":
        path = path.with_suffix(".md")
    for candidate in (path, PAIRS_DIR / path.name):
        if candidate.is_file():
            return candidate
    raise PairSetError(f"pair file {name!r}: not found (looked at {path} and {PAIRS_DIR / path.name})")


@dataclass(frozen=True)
class PairSelection:
    selector: str
    pairs: tuple[Pair, ...]

    @property
    def sha256(self) -> str:
        content = [[p.id, p.prompt, p.hack, p.clean] for p in self.pairs]
        return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()

    def summary(self) -> str:
        fams: dict[str, int] = {}
        for p in self.pairs:
            fams[p.family] = fams.get(p.family, 0) + 1
        return (f"{len(self.pairs)} pairs from {self.selector!r} (sha256 {self.sha256[:12]}): "
                + ", ".join(f"{k} {v}" for k, v in sorted(fams.items())))


def select(selector: str) -> PairSelection:
    chosen: list[Pair] = []
    for part in selector.split("+"):
        m = re.fullmatch(r"([^#@!]+)(?:#([^@!]+))?(?:@([^!]+))?(?:!(.+))?", part.strip())
        if not m:
            raise PairSetError(f"pair selector {part!r}: expected FILE[#family][@tag,...][!tag,...]")
        file, family, tags, dropped = m.groups()
        pairs = parse_file(_resolve(file.strip()))
        if family:
            known = sorted({p.family for p in pairs})
            if family not in known:
                raise PairSetError(f"pair selector {part!r}: unknown family {family!r} (families: {', '.join(known)})")
            pairs = [p for p in pairs if p.family == family]
        if tags:
            wanted = [t.strip() for t in tags.split(",") if t.strip()]
            known = set().union(*(p.labels() for p in pairs))
            unknown = [t for t in wanted if t not in known]
            if unknown:
                raise PairSetError(f"pair selector {part!r}: unknown tag(s) {unknown} "
                                   f"(tags, modes and families here: {', '.join(sorted(known))})")
            pairs = [p for p in pairs if p.labels() & set(wanted)]
        if dropped:
            unwanted = [t.strip() for t in dropped.split(",") if t.strip()]
            known = set().union(*(p.labels() for p in pairs))
            unknown = [t for t in unwanted if t not in known]
            if unknown or not unwanted:
                raise PairSetError(f"pair selector {part!r}: unknown tag(s) to drop {unknown or dropped!r} "
                                   f"(tags, modes and families here: {', '.join(sorted(known))})")
            pairs = [p for p in pairs if not p.labels() & set(unwanted)]
        chosen.extend(p for p in pairs if p not in chosen)
    if not chosen:
        raise PairSetError(f"pair selector {selector!r} selects no pairs")
    return PairSelection(selector, tuple(chosen))


def pairs_of_modes(selection: PairSelection, modes) -> list[Pair]:
    """The pairs of a selection tagged with any of these loophole modes."""
    return [p for p in selection.pairs if set(p.modes) & set(modes)]
