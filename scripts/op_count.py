"""Count what a GRPO step dispatches, on the CPU: aten operators per training micro-batch (with
and without gradient checkpointing) and per no-grad forward (with and without the adapter), and
how a run's logged steps pack into micro-batches at several token budgets. Small models on a
shared GPU are bound by the number of operators, not by FLOPs (docs/organism-pretrained.md).

    python scripts/op_count.py MODEL_DIR [RUN_DIR] [--steps 1 20] [--rank 16]

MODEL_DIR: an organism folder (e.g. the SmolLM2 conversion); RUN_DIR: a run of that organism,
whose rollouts.jsonl gives the row lengths (prompt + completion tokens).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import torch
from torch.utils._python_dispatch import TorchDispatchMode
from transformers import AutoModelForCausalLM, AutoTokenizer

from projected_grpo.adapter.adapter import Adapter, AdapterConfig
from projected_grpo.env.problems import load_problems
from projected_grpo.model.loading import prompt_ids
from projected_grpo.organism import HELDOUT_FILE, TRAIN_FILE
from projected_grpo.train.batch import Batch
from projected_grpo.train.logprobs import token_logprobs


class OpCount(TorchDispatchMode):
    """n: aten operators dispatched; kernels: those that are not views (views cost CPU dispatch
    time only; the rest launch GPU work)."""

    def __init__(self):
        super().__init__()
        self.n = self.kernels = 0

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        self.n += 1
        self.kernels += not func.is_view
        return func(*args, **(kwargs or {}))


def packing(model_dir: Path, run_dir: Path, steps: list[int], budgets=(8192, 16384, 32768)):
    tok = AutoTokenizer.from_pretrained(model_dir)
    problems = {p.id: p for f in (TRAIN_FILE, HELDOUT_FILE) for p in load_problems(str(model_dir / f))}
    prompt_len: dict[tuple[str, str], int] = {}
    rows = [json.loads(line) for line in open(run_dir / "rollouts.jsonl")]
    for step in steps:
        lengths = []
        for r in (r for r in rows if r["step"] == step):
            key = (r["problem_id"], r["mode"])
            if key not in prompt_len:
                prompt_len[key] = len(prompt_ids(tok, problems[key[0]], key[1]))  # the trainer's prompt
            lengths.append(prompt_len[key] + r["n_tokens"])
        if not lengths:
            print(f"step {step}: no rollouts logged")
            continue
        batch = Batch(*(torch.zeros(1),) * 6, lengths=lengths)
        packs = {b: len(batch.micro_batches(list(range(len(lengths))), b)) for b in budgets}  # longest first
        print(f"step {step}: {len(lengths)} rows, mean {sum(lengths) / len(lengths):.0f} tokens, longest "
              f"{max(lengths)}; micro-batches at {'/'.join(map(str, budgets))}: "
              f"{'/'.join(str(packs[b]) for b in budgets)}")


def operators(model_dir: Path, rank: int):
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32)
    adapter = Adapter(model, AdapterConfig(variant="lora2r", rank=rank))
    ids = torch.randint(0, 1000, (2, 48))
    attn, comp = torch.ones_like(ids), torch.zeros_like(ids, dtype=torch.bool)
    comp[:, 30:] = True
    masks = (torch.ones(2), torch.zeros(2))  # vanilla's (the emergence runs'): absorb on every row
    for ckpt in (False, True):
        if ckpt:
            model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        model.train(ckpt)  # HF checkpoints only in train mode
        with OpCount() as c, adapter.masks(*masks):
            token_logprobs(model, ids, attn, comp, 4096, 1.0).sum().backward()
        print(f"training micro-batch (forward + backward), gradient checkpointing {ckpt}: {c.n} aten ops "
              f"({c.kernels} not views)")
    model.gradient_checkpointing_disable()
    model.eval()
    with OpCount() as with_adapter, torch.no_grad():
        token_logprobs(model, ids, attn, comp, 4096, 1.0)
    with OpCount() as without, torch.no_grad(), adapter.disabled():
        token_logprobs(model, ids, attn, comp, 4096, 1.0)
    print(f"no-grad forward: {with_adapter.n} aten ops with the adapter, {without.n} with it disabled "
          f"({(with_adapter.n - without.n) / len(adapter.modules):.0f} per adapted module, {len(adapter.modules)} modules); "
          f"not views: {with_adapter.kernels} / {without.kernels}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("model_dir", type=Path)
    ap.add_argument("run_dir", type=Path, nargs="?")
    ap.add_argument("--steps", type=int, nargs="+", default=[1, 20])
    ap.add_argument("--rank", type=int, default=16)
    a = ap.parse_args()
    for path, what in ((a.model_dir / "config.json", "MODEL_DIR"), (a.model_dir / TRAIN_FILE, "MODEL_DIR"),
                       (a.run_dir / "rollouts.jsonl" if a.run_dir else None, "RUN_DIR")):
        if path is not None and not path.is_file():
            ap.exit(2, f"op_count.py: {what}: {path} does not exist (MODEL_DIR: an organism folder; RUN_DIR: a run of it)\n")
    if a.run_dir is not None:
        packing(a.model_dir, a.run_dir, a.steps)
    operators(a.model_dir, a.rank)
