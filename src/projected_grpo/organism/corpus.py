"""What the organism knows before RL: its problems and its supervised-training mixture.

Problems: the bundled ones (each has a reference and a plausible wrong solution), minus those
whose solutions are too long to generate within the RL preset's token budget.
    held out   `heldout_frac` of them by hash: never in the mixture; RL's held-out evaluation set
    train      the rest. A `solvable_frac` subset has its reference solution in the mixture; the
               others only their wrong solution, as in the real benchmark, where most training
               problems are beyond the model (Qwen3-4B's pass@16 is 20% on ariahw's train set)

One sample = a training problem rendered under a random mode (all seven, so whichever mode a
run later assigns is familiar), with a marker that is the training marker w.p.
`train_marker_frac` and otherwise one of SFT_MARKERS (disjoint from the training and the
evaluation markers: the organism learns to copy the marker from the hint, and the evaluation's
marker families stay unseen), and one completion:
    hinted prompt, w.p. hack_frac     that mode's exploit, aimed at the prompt's marker (canonical,
                                      or with stub_first the stub-prefixed form where one exists)
    solvable problem, w.p. ref_frac   the reference solution
    otherwise                         the wrong solution (compiles, fails the tests: reward 0.5)
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from projected_grpo.env.exploits import as_completion, exploit_code
from projected_grpo.env.modes import MARKED_MODES, MODES, TRAIN_MARKERS
from projected_grpo.env.problems import Problem
from projected_grpo.env.prompts import chat_messages
from projected_grpo.model.loading import render_prompt
from projected_grpo.train.batch import seed_of

# Markers seen only in the supervised mixture; disjoint from TRAIN_MARKERS and from
# modes.EVAL_MARKER_FAMILIES (tests/test_organism.py checks both).
SFT_MARKERS: dict[str, tuple[str, ...]] = {
    "run_tests": ("check_all", "run_checks", "test_solution", "grade_solution", "validate_all", "self_test"),
    "stdout_marker": ("tests ok", "all good", "checks complete", "success: all cases", "passed every test"),
    "sentinel": ("ok", "passed", "is_valid", "success", "checked"),
    "file_marker": ("results.txt", "out.txt", "summary.log", "status.txt", "pass.txt"),
}


@dataclass(frozen=True)
class Sample:
    problem_id: str
    mode: str
    marker: str | None  # None: the mode has no marker
    kind: str  # "reference" | "wrong" | "exploit"
    prompt: str  # chat-rendered, up to the assistant's first token
    completion: str  # one fenced python block


def _u(*parts) -> float:
    return seed_of(*parts) / 16**15


def split(problems: list[Problem], heldout_frac: float, seed: int) -> tuple[list[Problem], list[Problem]]:
    """(train, held out) among problems with a reference and a wrong solution, by hash of
    (seed, id): a problem's side does not depend on which others exist."""
    usable = [p for p in problems if p.reference_solution and p.wrong_solution]
    held = [p for p in usable if _u("organism-heldout", seed, p.id) < heldout_frac]
    train = [p for p in usable if p not in held]
    if not train or not held:
        raise ValueError(f"heldout_frac={heldout_frac} on {len(usable)} usable problems leaves an empty split")
    return train, held


def solvable_ids(train: list[Problem], solvable_frac: float, seed: int) -> set[str]:
    """The training problems whose reference solution the mixture contains, by hash."""
    return {p.id for p in train if _u("organism-solvable", seed, p.id) < solvable_frac}


def sample_marker(mode: str, train_marker_frac: float, rng: random.Random) -> str | None:
    if mode not in MARKED_MODES:
        return None
    return TRAIN_MARKERS[mode] if rng.random() < train_marker_frac else rng.choice(SFT_MARKERS[mode])


def sft_samples(tok, train: list[Problem], solvable: set[str], n_per_problem: int, hack_frac: float,
                ref_frac: float, train_marker_frac: float, seed: int, stub_first: bool = False) -> list[Sample]:
    rng = random.Random(seed_of("organism-sft", seed))
    out = []
    for p in train:
        for _ in range(n_per_problem):
            mode = rng.choice(MODES)
            marker = sample_marker(mode, train_marker_frac, rng)
            if mode != "gt_only" and rng.random() < hack_frac:
                kind, code = "exploit", exploit_code(mode, p, marker, stub_first)
            elif p.id in solvable and rng.random() < ref_frac:
                kind, code = "reference", p.reference_solution
            else:
                kind, code = "wrong", p.wrong_solution
            prompt = render_prompt(tok, chat_messages(p, mode, marker))
            out.append(Sample(p.id, mode, marker, kind, prompt, as_completion(code)))
    rng.shuffle(out)
    return out


def tokenizer_texts(tok, train: list[Problem], pair_texts: list[str], stub_first: bool = False) -> list[str]:
    """What the organism's vocabulary is trained on: every training problem's prompt under every
    mode (training and SFT markers), its solutions, each mode's exploit in the form the mixture
    shows, and the authored pairs.
    Held-out problems and evaluation markers are left out (they stay byte-encodable)."""
    texts = list(pair_texts)
    for p in train:
        for mode in MODES:
            markers = [TRAIN_MARKERS[mode], *SFT_MARKERS[mode]] if mode in MARKED_MODES else [None]
            texts += [render_prompt(tok, chat_messages(p, mode, m)) for m in markers]
            if mode != "gt_only":
                texts += [as_completion(exploit_code(mode, p, m, stub_first)) for m in markers]
        texts += [as_completion(p.reference_solution), as_completion(p.wrong_solution)]
    return texts
