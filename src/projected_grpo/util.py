"""Small helpers every layer uses, with no heavy imports (analysis/ reads run folders through
them without torch): stable seeds and JSON (lines) I/O."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path


def seed_of(*parts) -> int:
    """A 63-bit seed from any tuple of parts (stable across processes, unlike hash())."""
    return int(hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()[:15], 16)


def jsonable(x):
    """Dataclass dicts to JSON-ready values (tuples as lists, paths as strings)."""
    if isinstance(x, dict):
        return {k: jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [jsonable(v) for v in x]
    if isinstance(x, Path):
        return str(x)
    return x


def read_jsonl(path: Path) -> list[dict]:
    """Complete rows only (a partial last line from a killed run is skipped)."""
    if not path.exists():
        return []
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return rows
