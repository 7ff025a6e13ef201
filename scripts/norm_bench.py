"""Eager against fused RMSNorm (model/fused_norm.py) in the training passes' shape, on one GPU:
a few Qwen3-4B-shape layers in bf16 with the lora2r adapter on every projection (as the trainer
runs them), one micro-batch of rows of the reference step's length, timed forward-only (the
behaviour pass) and forward + backward (the training pass, no checkpointing), each the median of
--iters after --warmup. Prints both timings, their ratio, and the largest output difference.

    python scripts/norm_bench.py [--layers 4 --rows 3 --row-len 2136 --iters 10 --warmup 3]
    python scripts/norm_bench.py --parity MODEL_DIR     # CPU: logits eager vs fused, fp32 and bf16

--parity loads a model folder on the CPU in fp32 and in bf16 and prints, for a short code prompt,
the largest logit difference of the fused model and of the eager one against the fp32 eager
logits, and whether their greedy tokens agree.
"""

from __future__ import annotations

import argparse
import statistics
import sys

import torch
from transformers import Qwen3Config, Qwen3ForCausalLM

from projected_grpo.adapter.adapter import Adapter, AdapterConfig
from projected_grpo.model.builders import QWEN3_4B
from projected_grpo.model.fused_norm import fuse_rms_norms, unfuse_rms_norms


def timed(fn, iters: int, warmup: int) -> float:
    """Median milliseconds of fn() over iters runs, after warmup runs."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(iters):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        end.record()
        torch.cuda.synchronize()
        times.append(start.elapsed_time(end))
    return statistics.median(times)


def layers_config(layers: int) -> Qwen3Config:
    """The Qwen3-4B shape cut to `layers` layers, with a small vocabulary: the LM head is not
    what this measures."""
    return Qwen3Config(**{**QWEN3_4B, "num_hidden_layers": layers, "vocab_size": 1000, "tie_word_embeddings": False})


PROMPT = "class Solution:\n    def twoSum(self, nums, target):\n        seen = {}\n"


def parity(model_dir: str) -> dict:
    """Largest |logit - fp32 eager logit| of eager and fused, in fp32 and bf16, on PROMPT."""
    from projected_grpo.model.loading import choose_placement, load_model

    logits, norms = {}, 0
    for dtype in ("float32", "bfloat16"):
        model, tok, _ = load_model(model_dir, choose_placement("cpu", dtype))
        ids = tok(PROMPT, return_tensors="pt").input_ids
        with torch.no_grad():
            logits[dtype, "eager"] = model(ids).logits.float()
            norms = fuse_rms_norms(model)
            logits[dtype, "fused"] = model(ids).logits.float()
    ref = logits["float32", "eager"]
    return {"norms": norms, "tokens": ids.shape[1], "largest_logit": float(ref.abs().max()),
            **{f"{d}/{k}": (float((v - ref).abs().max()), bool((v.argmax(-1) == ref.argmax(-1)).all()))
               for (d, k), v in logits.items()}}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--parity", metavar="MODEL_DIR", default="")
    for flag, default in (("--layers", 4), ("--rows", 3), ("--row-len", 2136), ("--iters", 10), ("--warmup", 3)):
        ap.add_argument(flag, type=int, default=default)
    a = ap.parse_args(argv)
    if min(a.layers, a.rows, a.row_len, a.iters) < 1 or a.warmup < 0:
        print("norm_bench.py: --layers, --rows, --row-len and --iters must be >= 1, --warmup >= 0 "
              "(e.g. --layers 4 --rows 3)", file=sys.stderr)
        return 2
    if a.parity:
        from projected_grpo.errors import UserError

        try:
            r = parity(a.parity)
        except UserError as e:
            print(f"norm_bench.py: {str(e).replace('--model', '--parity', 1)}", file=sys.stderr)
            return 2
        print(f"{a.parity}: {r['norms']} norms fused, {r['tokens']}-token prompt, largest fp32 logit "
              f"{r['largest_logit']:.2f}; largest |logit - fp32 eager| (greedy tokens the same):")
        for key in ("float32/fused", "bfloat16/eager", "bfloat16/fused"):
            print(f"  {key}: {r[key][0]:.4g} ({'yes' if r[key][1] else 'no'})")
        return 0
    if not torch.cuda.is_available():
        print("norm_bench.py: needs a CUDA GPU (the fused kernel is the GPU's; on CPU both paths are eager-speed)",
              file=sys.stderr)
        return 2
    cfg = layers_config(a.layers)
    cfg._attn_implementation = "sdpa"
    torch.manual_seed(0)
    model = Qwen3ForCausalLM(cfg).to("cuda", torch.bfloat16)
    model.requires_grad_(False)
    adapter = Adapter(model, AdapterConfig(variant="lora2r", rank=32, seed=0))
    x = torch.randn(a.rows, a.row_len, cfg.hidden_size, device="cuda", dtype=torch.bfloat16)

    def forward():
        with torch.no_grad():
            return model.model(inputs_embeds=x, use_cache=False).last_hidden_state

    def forward_backward():
        model.model(inputs_embeds=x, use_cache=False).last_hidden_state.float().square().mean().backward()

    print(f"{torch.cuda.get_device_name()}: {a.layers} Qwen3-4B layers, lora2r r=32, {a.rows} x {a.row_len} tokens, bf16")
    rows = {}
    for kind in ("eager", "fused"):
        n = fuse_rms_norms(model) if kind == "fused" else unfuse_rms_norms(model)
        out = forward()
        rows[kind] = (timed(forward, a.iters, a.warmup), timed(forward_backward, a.iters, a.warmup), out, n)
    diff = (rows["eager"][2].float() - rows["fused"][2].float()).abs().max().item()
    print(f"norms fused: {rows['fused'][3]}")
    for i, phase in enumerate(("forward", "forward + backward")):
        e, f = rows["eager"][i], rows["fused"][i]
        print(f"{phase}: eager {e:.1f} ms, fused {f:.1f} ms, {e / f:.2f}x ({(e - f) / a.layers:.2f} ms a layer)")
    print(f"largest |eager - fused| of the last hidden state: {diff:.3g}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
