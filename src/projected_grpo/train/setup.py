"""Everything a run builds before its first step: model, adapter, problems, teacher pool,
hack direction (advmod's concept vector: train/arms/advmod_concept.py). Each is a named function so the trainer reads
as a list of them; the expensive ones (directions, the bundled pool) are cached by settings.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path

import torch

from projected_grpo.adapter.adapter import Adapter
from projected_grpo.directions.extract import NULL_PAIRS, DirectionSet, ExtractConfig, extract
from projected_grpo.env.grader import Grader
from projected_grpo.env.problems import Problem, is_data_build, load_problems
from projected_grpo.errors import UserError
from projected_grpo.model.loading import Placement, choose_placement, load_model
from projected_grpo.pairs.pairset import PairSelection, select
from projected_grpo.train.arms.advmod_concept import advmod_concept, advmod_layers  # noqa: F401  (re-exported)
from projected_grpo.train.batch import split_train_eval
from projected_grpo.train.config import LEETCODE_BUILD, TrainConfig
from projected_grpo.train.teacher import TeacherPool, build_bundled_rows, save_pool

BUILT_IN_MODELS = ("tiny", "qwen3-4b-shape")


def load(cfg: TrainConfig):
    """(model, tok, placement). `tiny` and `qwen3-4b-shape` are random-weight models built in code."""
    placement = choose_placement(cfg.device, cfg.dtype)
    if cfg.model not in BUILT_IN_MODELS:
        return load_model(cfg.model, placement)
    from projected_grpo.model import builders

    if cfg.model == "tiny":
        model, tok = builders.build_tiny(seed=0)
    else:
        model, tok = builders.build_qwen3_4b_shape(seed=0, dtype=getattr(torch, placement.dtype),
                                                    device=placement.device)
    model = model.to(device=placement.device, dtype=getattr(torch, placement.dtype)).eval()
    tok.padding_side = "left"
    return model, tok, Placement(placement.device, placement.dtype, placement.reason + f"; {cfg.model}: random weights")


def attach_adapter(cfg: TrainConfig, model, tok) -> Adapter:
    acfg = cfg.adapter_config()
    contrast = None
    if acfg.init in ("corda", "scorda", "scorda_rev"):  # these inits read the authored pairs
        from projected_grpo.pairs.collect import contrast_stats

        contrast = contrast_stats(model, tok, select(cfg.pairs), acfg.targets)
    adapter = Adapter(model, acfg, contrast)
    if cfg.init_adapter:  # start from another run's deployed model (pgrpo relearn)
        if not (Path(cfg.init_adapter) / "adapter.safetensors").is_file():
            raise UserError(f"--init-adapter {cfg.init_adapter}: no adapter.safetensors there")
        adapter.load(cfg.init_adapter)
        adapter.deploy()
    return adapter


def problems(cfg: TrainConfig) -> tuple[list[Problem], list[Problem]]:
    """(train, held-out eval) problems. `organism`: the split a `pgrpo organism build` folder
    (--model) was trained on, so its held-out problems are ones it has never seen."""
    if cfg.problems == "organism":
        from projected_grpo.organism import HELDOUT_FILE, TRAIN_FILE

        folder = Path(cfg.model)
        if not (folder / TRAIN_FILE).is_file():
            raise UserError(f"--problems organism reads {folder / TRAIN_FILE}, which does not exist: --model "
                            f"{cfg.model} is not an organism folder (build one: pgrpo organism build --out DIR for "
                            "SmolLM2 with the smollm2 preset, add --base scratch for the organism preset's)")
        return load_problems(str(folder / TRAIN_FILE)), load_problems(cfg.eval_problems or str(folder / HELDOUT_FILE))
    train_spec, eval_spec = data_build_splits(cfg)
    train = load_problems(train_spec)
    if eval_spec:
        held = load_problems(eval_spec)
        overlap = {p.id for p in train} & {p.id for p in held}
        if overlap:
            raise UserError(f"--eval-problems shares {len(overlap)} problem id(s) with --problems, "
                            f"e.g. {sorted(overlap)[:3]}: evaluation must be held out")
        return train, held
    return split_train_eval(train, cfg.eval_frac)


def data_build_splits(cfg: TrainConfig) -> tuple[str, str]:
    """(train, eval) problem sources. A `pgrpo data build` folder is never merged: --problems takes
    its train split and --eval-problems (or, when empty, the same folder) its test split."""
    train, held = cfg.problems, cfg.eval_problems
    if train == LEETCODE_BUILD and not Path(train).is_dir():
        raise UserError(f"--problems {train}: no such folder. Preset {cfg.preset} trains on the filtered LeetCodeDataset "
                        f"splits: run `pgrpo data build --source hf:newfacade/LeetCodeDataset:train --out {train} "
                        f"--max-prompt-tokens 1536 --tokenizer Qwen/Qwen3-4B` first (README 'The real experiment')")
    said = []
    if is_data_build(train):
        said.append(f"training on {Path(train) / 'train.jsonl'}")
        held = held or train
        train = str(Path(train) / "train.jsonl")
    if held and is_data_build(held):
        said.append(f"evaluating on {Path(held) / 'test.jsonl'} (holdout.jsonl is left for model selection)")
        held = str(Path(held) / "test.jsonl")
    if said:
        print(f"`pgrpo data build` folder: {', '.join(said)}", file=sys.stderr)
    return train, held


def teacher_pool(cfg: TrainConfig, train: list[Problem], modes: dict[str, str], grader: Grader) -> TeacherPool | None:
    """None, a pool file, or the bundled pool: per training problem, under its assigned mode,
    the reference solution and that mode's canonical exploit, graded once and cached."""
    if not cfg.teacher_pool or cfg.n_teachers == 0:
        return None
    if cfg.teacher_pool != "bundled":
        return TeacherPool(cfg.teacher_pool)
    key = hashlib.sha256(json.dumps([sorted(modes.items()), asdict(cfg.weights), asdict(cfg.limits)]).encode())
    path = cfg.cache_dir / f"teacher-bundled-{key.hexdigest()[:16]}.jsonl.gz"
    if not path.exists():
        rows = []
        with_ref = [p for p in train if p.reference_solution]
        for mode in sorted(set(modes.values())):
            rows += build_bundled_rows([p for p in with_ref if modes[p.id] == mode], grader, modes=(mode,))
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")  # parallel sweep jobs share the cache
        save_pool(rows, tmp)
        tmp.replace(path)
    return TeacherPool(path)


def pair_selection(cfg: TrainConfig) -> PairSelection:
    """The authored pairs, or the clean-vs-clean null set for `--direction null`."""
    return select(NULL_PAIRS) if cfg.direction == "null" else select(cfg.pairs)


def direction(cfg: TrainConfig, model, tok, adapter: Adapter, kind: str,
              extract_cfg: ExtractConfig | None = None) -> tuple[DirectionSet, dict]:
    return extract(model, tok, adapter, pair_selection(cfg), extract_cfg or cfg.extract_config(kind), cfg.model,
                   out_dir=cfg.cache_dir / "directions")


def pretty_path(p: Path) -> str:
    try:
        return str(p.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(p)
