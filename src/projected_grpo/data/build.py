"""`pgrpo data build`: turn an external problem source into train / holdout / test files.

Keeps a problem only if (1) its difficulty is wanted, (2) its reference solution passes every
hidden test under the oracle with the harness limits (ariahw's `completion_gt_pass` filter; if
you change the limits, re-build), and (3) optionally, its prompt fits a token budget under a
tokenizer's chat template. The split hashes each id with the seed, so it is deterministic,
disjoint, and stable when problems are added or removed.

ariahw's holdout is "solved 16/16 by Qwen3-4B", which needs the model; this split is by hash.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from projected_grpo.env.exploits import as_completion
from projected_grpo.env.grader import GradeRequest, Grader
from projected_grpo.env.modes import MODES
from projected_grpo.env.problems import Problem, load_problems, save_jsonl
from projected_grpo.errors import UserError

SPLITS = ("train", "holdout", "test")
DIFFICULTIES = ("easy", "medium", "hard")


@dataclass
class BuildReport:
    kept: dict[str, int]
    dropped: dict[str, int]  # reason -> count
    manifest_path: Path


def split_of(problem_id: str, seed: int, holdout_frac: float, test_frac: float) -> str:
    u = int(hashlib.sha256(f"{seed}:{problem_id}".encode()).hexdigest()[:12], 16) / 16**12
    return "test" if u < test_frac else "holdout" if u < test_frac + holdout_frac else "train"


def reference_passes(problems: list[Problem], grader: Grader) -> list[bool]:
    reqs = [GradeRequest(p, "gt_only", as_completion(p.reference_solution)) for p in problems]
    verdicts = tqdm(grader.grade_iter(reqs), total=len(reqs), desc="checking references", unit="problem",
                    disable=None)  # terminal only
    return [v.audit.gt_correct for v in verdicts]


def prompt_tokens(problems: list[Problem], tokenizer_path: str) -> list[int]:
    try:
        from transformers import AutoTokenizer
    except ImportError:
        raise UserError("--max-prompt-tokens needs transformers installed") from None
    from projected_grpo.model.loading import prompt_ids

    try:
        tok = AutoTokenizer.from_pretrained(tokenizer_path)
    except (OSError, ValueError) as e:
        raise UserError(f"--tokenizer {tokenizer_path}: cannot load ({' '.join(str(e).split())[:200]}); "
                        f"pass a model id or a local folder") from None
    # ariahw's filter applies the hint first; a problem may get any mode later, so the longest
    # of its prompts (under the chat template, generation prompt included) must fit
    return [max(len(prompt_ids(tok, p, mode)) for mode in MODES)
            for p in tqdm(problems, desc="counting prompt tokens", unit="problem", disable=None)]


def check_options(source: str, out: Path, difficulties: tuple[str, ...], holdout_frac: float, test_frac: float,
                  max_prompt_tokens: int, tokenizer: str):
    """Every option checked before any problem is loaded or graded."""
    unknown = [d for d in difficulties if d not in DIFFICULTIES]
    if unknown or not difficulties:
        raise UserError(f"--difficulties {' '.join(difficulties) or '(none)'}: choose from {', '.join(DIFFICULTIES)}")
    if not (0 <= holdout_frac < 1 and 0 <= test_frac < 1 and holdout_frac + test_frac < 1):
        raise UserError(f"need --holdout-frac, --test-frac >= 0 with a sum below 1 (train keeps the rest), "
                        f"got {holdout_frac}, {test_frac}")
    if max_prompt_tokens < 0:
        raise UserError(f"--max-prompt-tokens must be >= 0 (0: no filter), got {max_prompt_tokens}")
    if max_prompt_tokens and not tokenizer:
        raise UserError("--max-prompt-tokens needs --tokenizer (a model id or folder)")
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {out} is a file: data build writes a folder (train/holdout/test.jsonl, manifest.json)")
    src = Path(source)
    if src.exists() and out.exists() and (src.resolve() == out.resolve() or out.resolve() in src.resolve().parents):
        raise UserError(f"--out {out} holds --source {source}: choose another folder (inputs are never overwritten)")


def build(source: str, out: Path, grader: Grader, difficulties: tuple[str, ...] = ("medium", "hard"),
          seed: int = 0, holdout_frac: float = 0.2, test_frac: float = 0.1,
          max_prompt_tokens: int = 0, tokenizer: str = "") -> BuildReport:
    check_options(source, out, difficulties, holdout_frac, test_frac, max_prompt_tokens, tokenizer)
    problems = load_problems(source)
    dropped: Counter = Counter()
    kept = [p for p in problems if p.difficulty in difficulties]
    dropped["difficulty"] = len(problems) - len(kept)
    no_ref = [p for p in kept if not p.reference_solution]
    dropped["no reference solution"] = len(no_ref)
    kept = [p for p in kept if p.reference_solution]
    ok = reference_passes(kept, grader)
    dropped["reference fails its tests"] = ok.count(False)
    kept = [p for p, passed in zip(kept, ok) if passed]
    if max_prompt_tokens:
        lengths = prompt_tokens(kept, tokenizer)
        before = len(kept)
        kept = [p for p, n in zip(kept, lengths) if n <= max_prompt_tokens]
        dropped[f"prompt over {max_prompt_tokens} tokens"] = before - len(kept)
    if not kept:
        raise UserError(f"--source {source}: no problem left after filtering (loaded {len(problems)}; dropped "
                        f"{dict((k, v) for k, v in dropped.items() if v)}): nothing written")
    out.mkdir(parents=True, exist_ok=True)
    by_split = {s: [p for p in kept if split_of(p.id, seed, holdout_frac, test_frac) == s] for s in SPLITS}
    files = {}
    for s, ps in by_split.items():
        path = out / f"{s}.jsonl"
        save_jsonl(sorted(ps, key=lambda p: p.id), path)
        files[s] = {"path": path.name, "n": len(ps), "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
    manifest = {"source": source, "seed": seed, "difficulties": list(difficulties),
                "holdout_frac": holdout_frac, "test_frac": test_frac,
                "max_prompt_tokens": max_prompt_tokens, "tokenizer": tokenizer,
                "limits": grader.sandbox.limits.__dict__, "loaded": len(problems),
                "dropped": {k: v for k, v in dropped.items() if v}, "splits": files}
    manifest_path = out / "manifest.json"
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    return BuildReport({s: len(ps) for s, ps in by_split.items()}, manifest["dropped"], manifest_path)
