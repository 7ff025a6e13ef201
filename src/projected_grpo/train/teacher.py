"""Teacher pools: cached completions mixed into GRPO groups, graded once when the pool is built.

A pool file (jsonl.gz) holds one row per cached completion:
    {"problem_id", "mode", "source", "completion", "signal": {reward, compiles, channel_pass},
     "audit": {gt_correct, label, hack_mode}}
Pools sampled from a model (train/teacher_build.py) add "prompt" (the rendered chat text),
"completion_ids" (as generated, EOS included when it finished) and "tokenizer" (its
fingerprint, model/loading.py): training reuses the ids only under the same tokenizer.
Training reads rows through `TeacherPool.for_prompt`, which returns `TeacherCompletion`s that
carry the signal only; the oracle's labels stay behind `TeacherPool.audit` (logging, never
training). Cached verdicts are reused verbatim, never re-graded during training.

The bundled pool (the embedded default): per bundled problem and per mode, the reference
solution and that mode's canonical exploit (for gt_only, no exploit), each graded under that
mode's training marker.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path

from projected_grpo.env.exploits import as_completion, exploit_code
from projected_grpo.env.grader import GradeRequest, Grader, Verdict
from projected_grpo.env.modes import LOOPHOLE_MODES, MODES
from projected_grpo.env.problems import Problem
from projected_grpo.errors import UserError


@dataclass(frozen=True)
class TeacherCompletion:
    """What training may see of a cached completion."""
    completion: str
    reward: float
    compiles: bool
    channel_pass: bool
    completion_ids: tuple[int, ...] | None = None  # as generated; None for hand-written rows
    tokenizer: str | None = None  # fingerprint of the tokenizer that produced completion_ids


def build_bundled_rows(problems: list[Problem], grader: Grader, modes: tuple[str, ...] = MODES) -> list[dict]:
    keys, reqs = [], []
    for p in problems:
        for mode in modes:
            texts = [("reference", as_completion(p.reference_solution))]
            if mode in LOOPHOLE_MODES:
                texts.append((f"exploit:{mode}", as_completion(exploit_code(mode, p))))
            for kind, text in texts:
                keys.append((p.id, mode, kind))
                reqs.append(GradeRequest(p, mode, text))
    return [{"problem_id": pid, "mode": mode, "source": kind, "completion": req.completion, **verdict_fields(v)}
            for (pid, mode, kind), req, v in zip(keys, reqs, grader.grade(reqs))]


def verdict_fields(v: Verdict) -> dict:
    """A pool row's graded part: the signal training reads and, apart, the oracle's audit."""
    return {"signal": {"reward": v.signal.reward, "compiles": v.signal.compiles, "channel_pass": v.signal.channel_pass},
            "audit": {"gt_correct": v.audit.gt_correct, "label": v.audit.label, "hack_mode": v.audit.hack_mode}}


def save_pool(rows: list[dict], path: str | Path):
    with gzip.open(path, "wt", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


class TeacherPool:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        if not self.path.is_file():
            raise UserError(f"teacher pool {self.path}: no such file (build one with `pgrpo teacher build`)")
        self._signal: dict[tuple[str, str], list[TeacherCompletion]] = {}
        self._audit: dict[tuple[str, str], list[dict]] = {}
        with gzip.open(self.path, "rt", encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                try:
                    row = json.loads(line)
                    key, s = (str(row["problem_id"]), row["mode"]), row["signal"]
                    ids = row.get("completion_ids")
                    item = TeacherCompletion(row["completion"], float(s["reward"]), bool(s["compiles"]),
                                             bool(s["channel_pass"]),
                                             None if ids is None else tuple(int(i) for i in ids),
                                             row.get("tokenizer"))
                except (ValueError, KeyError, TypeError) as e:
                    raise UserError(f"{self.path}:{lineno}: bad teacher row ({type(e).__name__}: {e})") from None
                self._signal.setdefault(key, []).append(item)
                self._audit.setdefault(key, []).append(row.get("audit", {}))

    def for_prompt(self, problem_id: str, mode: str) -> list[TeacherCompletion]:
        """Cached completions for a prompt, signal only (what training may read)."""
        return list(self._signal.get((problem_id, mode), ()))

    def audit(self, problem_id: str, mode: str) -> list[dict]:
        """The oracle's labels of the same rows, in the same order: for logs only."""
        return list(self._audit.get((problem_id, mode), ()))

    def __len__(self) -> int:
        return sum(len(v) for v in self._signal.values())
