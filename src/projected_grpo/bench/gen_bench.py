"""`pgrpo bench gen`: decode throughput of the fast engine against transformers, same workload, same run.

Workload: a random-weight model of the exact Qwen3-4B shape with the real Qwen vocabulary, a
lora2r r=32 adapter whose both blocks are non-zero (so the quarantine's low-rank path runs),
B prompts of P random tokens, exactly N new tokens per row (random weights never stop on EOS,
so EOS is ignored), T=0.7, top_p 0.95, top_k 20.

The memory-bandwidth bound is computed for the workload actually run: every decode step reads
the decode weights once plus the keys/values of each live row's real context,
    bytes = steps x weight_bytes + Σ_steps Σ_rows context x kv_bytes_per_token,
over the GPU's peak bandwidth (spec sheet; a measured device-to-device copy is printed beside it).
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass

import torch

from projected_grpo.bench import kernels, roofline
from projected_grpo.errors import UserError

from projected_grpo.adapter.adapter import Adapter, AdapterConfig
from projected_grpo.engine.fast import FastGenerate
from projected_grpo.engine.contract import SamplingConfig

def copy_bandwidth(gib: int = 4) -> float:
    """Measured device-to-device copy bandwidth (bytes read + written per second)."""
    a = torch.empty(gib * 2**30 // 2, dtype=torch.bfloat16, device="cuda")
    b = torch.empty_like(a)
    b.copy_(a)
    torch.cuda.synchronize()
    t = time.perf_counter()
    for _ in range(10):
        b.copy_(a)
    torch.cuda.synchronize()
    return 10 * 2 * a.numel() * a.element_size() / (time.perf_counter() - t)


@dataclass
class Result:
    engine: str
    batch: int
    new_tokens: int
    seconds: float  # wall time of the generate call
    tok_s: float  # generated tokens / wall time
    ms_per_step: float  # decode time / decode steps
    ttft_s: float  # time to first token (nan where not measured)
    peak_gib: float
    first_call_s: float = float("nan")  # the warm-up call: compilation and graph capture included
    bound_ms_per_step: float = float("nan")
    bound_frac: float = float("nan")  # bound time / measured decode time


def bench_model(rank: int = 32, seed: int = 0):
    from projected_grpo.model.builders import build_qwen3_4b_shape

    model, tok = build_qwen3_4b_shape(seed=seed, dtype=torch.bfloat16, device="cuda")
    adapter = Adapter(model, AdapterConfig(variant="lora2r", rank=rank))
    g = torch.Generator(device="cuda").manual_seed(seed)
    with torch.no_grad():
        for p in adapter.parameters():  # both blocks away from init: the quarantine path is live
            p.add_(1e-3 * torch.randn(p.shape, device=p.device, generator=g))
    return model, tok, adapter


def random_prompts(tok, batch: int, length: int, seed: int) -> list[list[int]]:
    g = torch.Generator().manual_seed(seed)
    first_special = min(tok.all_special_ids)  # ordinary tokens only
    return torch.randint(0, first_special, (batch, length), generator=g).tolist()


def _peak_reset():
    torch.cuda.synchronize()
    torch.cuda.reset_peak_memory_stats()


def _peak() -> float:
    return torch.cuda.max_memory_allocated() / 2**30


def run_fast(model, tok, adapter, prompts, sc: SamplingConfig, bandwidth: float, bucket: int,
             deployed_frac: float = 0.0, attention: str = "sdpa", profile: int = 0) -> tuple[Result, dict]:
    engine = FastGenerate(model, tok, adapter, max_batch=len(prompts), bucket=bucket, ignore_eos=True,
                          attention=attention)
    deployed = [i < round(deployed_frac * len(prompts)) for i in range(len(prompts))]
    _peak_reset()
    t = time.perf_counter()
    engine.generate(prompts, deployed, sc, seed=0)  # compiles, captures every context bucket's graph
    first = time.perf_counter() - t
    warm = asdict(engine.stats)
    _peak_reset()
    t = time.perf_counter()
    out = engine.generate(prompts, deployed, sc, seed=1)
    torch.cuda.synchronize()
    wall = time.perf_counter() - t
    st = engine.stats
    if st.graphs:
        raise RuntimeError(f"the timed call captured {st.graphs} graphs: the warm-up should have captured all")
    n_tok = sum(len(c) for c in out.completion_ids)
    w_bytes, kv_token = roofline.decode_bytes_per_step(engine, model)
    bound = roofline.decode_seconds(st.decode_steps, st.context_tokens, w_bytes, kv_token, bandwidth)
    label = f"fast ({attention}, bucket {bucket}" + (f", {deployed_frac:.0%} deployed" if deployed_frac else "") + ")"
    res = Result(label, len(prompts), sc.max_new_tokens, wall, n_tok / wall,
                 1e3 * st.decode_s / st.decode_steps, st.first_token_s, _peak(), first,
                 1e3 * bound / st.decode_steps, bound / st.decode_s)
    detail = {"warmup_stats": {k: v for k, v in warm.items() if k != "buckets"},
              "timed_stats": {k: v for k, v in asdict(st).items() if k != "buckets"},
              "weight_gib": w_bytes / 2**30, "kv_bytes_per_token": kv_token,
              "mean_context": st.context_tokens / max(1, st.decode_steps * len(prompts))}
    if profile:
        detail["profile"] = profile_decode(engine, sc, profile, quar=not all(deployed))
    engine.release()
    return res, detail


def profile_decode(engine: FastGenerate, sc: SamplingConfig, steps: int, quar: bool) -> dict:
    """GPU time per kernel category over `steps` eager decode steps at the widest context bucket
    the timed call used (kernels are the same inside a graph; eager adds only host overhead)."""
    from torch.profiler import ProfilerActivity, profile

    nb, ctx = max(engine.stats.buckets, key=lambda k: (k[0], k[1]))
    engine._step(nb, ctx, quar, sc)  # warm
    torch.cuda.synchronize()
    with profile(activities=[ProfilerActivity.CUDA]) as prof:
        for _ in range(steps):
            engine._step(nb, ctx, quar, sc)
        torch.cuda.synchronize()
    rows = kernels.kernel_rows(prof, device=True, per=steps)
    out = kernels.print_profile(f"profile: GPU time per decode step (B={nb}, context {ctx})", rows, kernels.DECODE, top=12)
    return {"gpu_ms_per_step": out["ms"], "categories": out["categories"], "top": out["top"], "batch": nb, "context": ctx}


def run_hf(model, tok, prompts, sc: SamplingConfig, static: bool) -> Result:
    """transformers generate on the same prompts, exactly N new tokens (min_new_tokens = N)."""
    ids = torch.tensor(prompts, device="cuda")
    kw = dict(do_sample=True, temperature=sc.temperature, top_p=sc.top_p, top_k=sc.top_k,
              max_new_tokens=sc.max_new_tokens, min_new_tokens=sc.max_new_tokens,
              attention_mask=torch.ones_like(ids), pad_token_id=tok.pad_token_id)
    if static:
        kw["cache_implementation"] = "static"
    _peak_reset()
    t = time.perf_counter()
    # warm-up of the same shapes. Static: the whole N tokens, so that every compilation (and
    # recompilation) happens here, not in the timed call (a 1-second warm-up left it there: 2.5 s
    # a step on an H100, 2026-12-07); eager: stopped after about 1 s of decoding
    with torch.no_grad():
        model.generate(ids, **kw, **({} if static else {"max_time": 1.0}))
    first = time.perf_counter() - t
    _peak_reset()
    t = time.perf_counter()
    with torch.no_grad():
        out = model.generate(ids, **kw)
    torch.cuda.synchronize()
    wall = time.perf_counter() - t
    n_new = out.shape[1] - ids.shape[1]
    if n_new != sc.max_new_tokens:
        raise RuntimeError(f"transformers generated {n_new} tokens, asked for exactly {sc.max_new_tokens}")
    name = "transformers static cache" if static else "transformers eager"
    return Result(name, len(prompts), n_new, wall, len(prompts) * n_new / wall, 1e3 * wall / n_new, float("nan"),
                  _peak(), first)


def run(batches: list[int], prompt_len: int, new_tokens: int, baselines: tuple[str, ...], baseline_tokens: int,
        buckets: tuple[int, ...], bandwidth_tbs: float, out: str | None, deployed_fracs: tuple[float, ...] = (0.0,),
        attentions: tuple[str, ...] = ("sdpa",), profile: int = 0,
        baseline_batches: tuple[int, ...] | None = None) -> list[Result]:
    if not torch.cuda.is_available():
        raise UserError("pgrpo bench gen needs a CUDA GPU")
    name = torch.cuda.get_device_name()
    bw = bandwidth_tbs * 1e12 if bandwidth_tbs else roofline.spec_bandwidth(name)
    measured = copy_bandwidth()
    print(f"GPU {name}: spec bandwidth {bw / 1e12:.2f} TB/s, measured copy {measured / 1e12:.2f} TB/s; "
          f"torch {torch.__version__}", flush=True)
    model, tok, adapter = bench_model()
    results, details = [], {}

    def save():  # after every measurement: a run cut short keeps what it measured
        if out:
            with open(out, "w") as f:
                json.dump({"gpu": name, "spec_bandwidth": bw, "copy_bandwidth": measured, "torch": torch.__version__,
                           "prompt_len": prompt_len, "results": [asdict(r) for r in results],
                           "fast_detail": details}, f, indent=1, default=str)

    for b in batches:
        prompts = random_prompts(tok, b, prompt_len, seed=b)
        sc = SamplingConfig(temperature=0.7, top_p=0.95, top_k=20, max_new_tokens=new_tokens)
        variants = [(att, bucket, frac) for att in attentions for bucket in buckets for frac in deployed_fracs]
        for att, bucket, frac in variants:
            r, detail = run_fast(model, tok, adapter, prompts, sc, bw, bucket, frac, att, profile)
            details[f"{b}/{att}/{bucket}/{frac}"] = detail
            results.append(r)
            _print(r)
            save()
        fast = results[-len(variants)]  # the first variant: the baselines' reference
        n_base = baseline_tokens or new_tokens
        for kind in baselines if baseline_batches is None or b in baseline_batches else ():
            r = run_hf(model, tok, prompts, SamplingConfig(0.7, 0.95, 20, n_base), static=kind == "static")
            results.append(r)
            _print(r, fast)
            save()
    return results


def _print(r: Result, vs: Result | None = None):
    extra = f" | bound {r.bound_ms_per_step:.2f} ms/step, {100 * r.bound_frac:.0f}% of bound" \
        if r.bound_frac == r.bound_frac else ""
    ratio = f" | fast is {vs.tok_s / r.tok_s:.1f}x" + ("" if r.new_tokens == vs.new_tokens
                                                      else f" (this ran {r.new_tokens} tokens)") if vs else ""
    ttft = f", TTFT {r.ttft_s:.2f} s" if r.ttft_s == r.ttft_s else ""
    print(f"  {r.engine:<38} B={r.batch:<4} N={r.new_tokens:<5} {r.tok_s:9.0f} tok/s  {r.ms_per_step:7.2f} ms/step"
          f"{ttft}  peak {r.peak_gib:5.1f} GiB  first call {r.first_call_s:6.1f} s{extra}{ratio}", flush=True)
