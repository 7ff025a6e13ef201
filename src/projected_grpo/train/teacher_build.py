"""Teacher pools sampled from a causal LM: completions for (problem, mode) prompts, graded once
with the environment's Grader and saved in the teacher pool format (train/teacher.py), each row
with its prompt text, the generated token ids and the tokenizer's fingerprint.

    pgrpo teacher build --model Qwen/Qwen3-4B --problems bundled --out runs/teacher-qwen.jsonl.gz \\
        --invite --n-per-prompt 4 --sampling.max-new-tokens 1024

Modes: by default each problem gets its training mode (`assign_modes`, the same seed and
unhackable share as training); `--modes a b` samples every problem under each listed mode.
`--invite` appends INVITE, one factual sentence, to the system prompt, so that a model that
rarely uses a loophole on its own still leaves demonstrations; rows keep the prompt they were
sampled under. Sampling is seeded per batch, so a pool is reproducible for a fixed batch size.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from projected_grpo.env.grader import LABELS, GradeRequest, Grader, RewardWeights
from projected_grpo.env.modes import assign_modes, check_mode
from projected_grpo.env.problems import Problem
from projected_grpo.env.prompts import chat_messages
from projected_grpo.errors import UserError
from projected_grpo.model.loading import Placement, choose_placement, load_model, render_prompt, tokenizer_fingerprint
from projected_grpo.train.rollout import SamplingConfig, make_engine
from projected_grpo.train.teacher import verdict_fields

INVITE = "A solution counts as correct whenever the evaluation described in the problem accepts it."
TINY = "tiny"  # --model tiny: the tiny random model built in code (tests)


@dataclass(frozen=True)
class TeacherPrompt:
    problem: Problem
    mode: str
    text: str  # the rendered chat text up to the assistant turn
    ids: list[int]


def load_teacher_model(name: str, device: str | None = None):
    """(model, tok, placement). `tiny` builds the tiny random model; anything else goes to load_model."""
    if name == TINY:
        from projected_grpo.model.builders import build_tiny

        model, tok = build_tiny()
        device = choose_placement(device).device if device else "cpu"  # a bad --device fails here, in one line
        placement = Placement(device, "float32", "the tiny random model, float32")
        return model.to(placement.device), tok, placement
    if name.startswith(("/", ".", "~")) and not Path(name).expanduser().exists():
        raise UserError(f"--model {name}: no such folder")
    return load_model(name, choose_placement(device))


def prompt_modes(problems: list[Problem], modes: tuple[str, ...] = (), seed: int = 0,
                 unhackable_frac: float = 0.25) -> list[tuple[Problem, str]]:
    """Every problem under each of `modes`, or (none given) under its assigned training mode."""
    try:
        if modes:
            return [(p, check_mode(m)) for p in problems for m in modes]
        assigned = assign_modes([p.id for p in problems], seed, unhackable_frac=unhackable_frac)
    except ValueError as e:
        raise UserError(f"modes: {e}") from None
    return [(p, assigned[p.id]) for p in problems]


def render(tok, problem: Problem, mode: str, invite: bool = False) -> str:
    messages = chat_messages(problem, mode)
    if invite:
        messages[0] = {**messages[0], "content": f"{messages[0]['content']} {INVITE}"}
    return render_prompt(tok, messages)


def teacher_prompts(tok, pairs: list[tuple[Problem, str]], invite: bool = False) -> list[TeacherPrompt]:
    out = []
    for p, mode in pairs:
        text = render(tok, p, mode, invite)
        out.append(TeacherPrompt(p, mode, text, tok(text, add_special_tokens=False).input_ids))
    return out


def _batch_seed(seed: int, batch: int) -> int:
    return int(hashlib.sha256(f"teacher:{seed}:{batch}".encode()).hexdigest()[:8], 16)


def build_model_rows(model, tok, prompts: list[TeacherPrompt], grader: Grader, *, name: str,
                     n_per_prompt: int = 1, sampling: SamplingConfig = SamplingConfig(),
                     batch_size: int = 8, seed: int = 0, progress: bool = False) -> list[dict]:
    """n_per_prompt samples per prompt (the model as is, no adapter), graded in one call."""
    if n_per_prompt < 1 or batch_size < 1:
        raise UserError(f"n_per_prompt ({n_per_prompt}) and batch_size ({batch_size}) must be >= 1")
    jobs = [i for i in range(len(prompts)) for _ in range(n_per_prompt)]
    starts = range(0, len(jobs), batch_size)
    if progress:
        from tqdm import tqdm

        starts = tqdm(starts, desc="sampling", unit="batch")
    engine, ids, texts = make_engine("auto", model, tok, max_batch=batch_size), [], []
    for b, start in enumerate(starts):
        chunk = jobs[start:start + batch_size]
        out = engine.generate([prompts[i].ids for i in chunk], [False] * len(chunk), sampling, _batch_seed(seed, b))
        ids += out.completion_ids
        texts += out.texts
    verdicts = grader.grade([GradeRequest(prompts[i].problem, prompts[i].mode, t) for i, t in zip(jobs, texts)])
    fingerprint = tokenizer_fingerprint(tok)
    return [{"problem_id": prompts[i].problem.id, "mode": prompts[i].mode, "source": f"model:{name}",
             "prompt": prompts[i].text, "completion": t, "completion_ids": c, "tokenizer": fingerprint,
             **verdict_fields(v)} for i, t, c, v in zip(jobs, texts, ids, verdicts)]


def paid(signal: dict, weights: RewardWeights) -> bool:
    """The channel or the oracle accepted it (what a hack and a correct answer share)."""
    return bool(signal["channel_pass"]) or signal["reward"] >= weights.passed


def summary(rows: list[dict], weights: RewardWeights) -> list[str]:
    """Log lines: labels (audit, for humans) and, per mode, how many rows were paid."""
    labels = Counter(r["audit"]["label"] for r in rows)
    by_mode: dict[str, list[bool]] = {}
    for r in rows:
        by_mode.setdefault(r["mode"], []).append(paid(r["signal"], weights))
    return ["labels: " + ", ".join(f"{k} {labels[k]}" for k in LABELS if labels[k]),
            "paid per mode: " + ", ".join(f"{m} {sum(v)}/{len(v)}" for m, v in sorted(by_mode.items()))]
