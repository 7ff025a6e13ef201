"""Small helpers every layer uses, with no heavy imports (analysis/ reads run folders through
them without torch): stable seeds, JSON (lines) I/O and a real value's place in a control band."""

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


def percentile_of(value: float, band: list[float]) -> float:
    """Percentile rank of value in band, 0-100: share below plus half the share tied (mid-rank),
    so a value equal to every band member sits at 50, not at 0 or 100. The one rule for "where
    does the real direction sit among its controls" (pgrpo results, the gate batteries, extract)."""
    below = sum(b < value for b in band)
    tied = sum(b == value for b in band)
    return 100.0 * (below + 0.5 * tied) / len(band)


def band(values: list, real: float | None) -> dict:
    """A control band: n, p5 / p50 / p95 of the draws and the real value's percentile in them
    (percentile_of: mid-rank, ties count half); None values are left out."""
    vals = sorted(v for v in values if v is not None)
    if not vals or real is None:
        return {"n": len(vals)}
    q = lambda p: vals[min(len(vals) - 1, int(p * (len(vals) - 1) + 0.5))]  # noqa: E731
    return {"n": len(vals), "p5": q(0.05), "p50": q(0.5), "p95": q(0.95),
            "real_percentile": percentile_of(real, vals)}
