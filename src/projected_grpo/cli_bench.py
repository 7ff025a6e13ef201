"""`pgrpo bench gen`, `pgrpo bench attention` and `pgrpo bench step`: the GPU speed benchmarks (results in
docs/benchmarks.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal
from projected_grpo.train.arms import REFERENCE_ARM


@dataclass
class BenchGen:
    """Decode throughput: the fast engine vs transformers eager and static-cache generate on the
    same workload in the same run (random-weight Qwen3-4B shape, real Qwen vocabulary)."""

    batches: tuple[int, ...] = (64, 128, 256)
    """batch sizes (rows decoded at once) to measure"""
    prompt_len: int = 600
    """prompt tokens per row"""
    new_tokens: int = 1536
    """new tokens per row, exactly (EOS ignored: random weights never stop)"""
    baselines: tuple[Literal["eager", "static"], ...] = ("eager", "static")
    """transformers generate baselines: eager and/or static KV cache"""
    baseline_batches: tuple[int, ...] = ()
    """batch sizes that get the transformers baselines (empty: every batch size)"""
    baseline_tokens: int = 0
    """new tokens for the transformers baselines (0: the same as --new-tokens; fewer only to save
    time, and the printed ratio then says so)"""
    bucket: tuple[int, ...] = (256,)
    """the fast engine's context bucket(s): attention reads the live context rounded up to this"""
    deployed_frac: tuple[float, ...] = (0.0,)
    """share(s) of rows sampled with the quarantine ablated (1.0: the low-rank path is skipped)"""
    attention: tuple[Literal["sdpa", "matmul", "split_k"], ...] = ("sdpa",)
    """decode attention kernel(s) to measure"""
    profile: int = 0
    """profile this many decode steps per fast variant: GPU time by kernel category"""
    bandwidth_tbs: float = 0.0
    """peak memory bandwidth in TB/s for the bound (0: the GPU's spec sheet)"""
    out: str = ""
    """write the figures as JSON here"""

    def run(self) -> int:
        from projected_grpo.bench import gen_bench

        gen_bench.run(list(self.batches), self.prompt_len, self.new_tokens, tuple(self.baselines),
                      self.baseline_tokens, tuple(self.bucket), self.bandwidth_tbs, self.out or None,
                      tuple(self.deployed_frac), tuple(self.attention), self.profile,
                      tuple(self.baseline_batches) or None)
        return 0


@dataclass
class BenchAttention:
    """Decode attention alone, one layer: sdpa vs the split-K kernel over a grid of launch settings
    (the fastest is what engine/decode_attention.DEFAULT should be on this card)."""

    batch: int = 128
    """rows decoded at once"""
    ctx: int = 1792
    """context length of the cache (a multiple of --bucket, as the engine's is)"""
    bucket: int = 256
    """rows' live lengths are uniform over the last bucket below --ctx"""
    n_heads: int = 32
    """query heads (Qwen3-4B: 32)"""
    n_kv: int = 8
    """KV heads (Qwen3-4B: 8)"""
    head_dim: int = 128
    """head size (Qwen3-4B: 128)"""
    block_n: tuple[int, ...] = (32, 64, 128)
    """keys per inner iteration to try"""
    warps: tuple[int, ...] = (2, 4, 8)
    """warps per program to try"""
    stages: tuple[int, ...] = (1, 2, 3, 4)
    """pipeline stages to try"""
    target_programs: tuple[int, ...] = (528, 2048, 4096)
    """programs the context split aims for (decides the number of splits)"""
    out: str = ""
    """write the table as JSON here"""

    def run(self) -> int:
        from projected_grpo.bench import attention_bench

        configs = attention_bench.grid(self.block_n, self.warps, self.stages, self.target_programs)
        attention_bench.run(self.batch, self.ctx, self.n_heads, self.n_kv, self.head_dim, self.bucket, configs,
                            self.out or None)
        return 0


@dataclass
class BenchStep:
    """Full GRPO steps of the reference configuration (preset full) phase by phase, with the peak
    GPU memory of each phase, through the real trainer."""

    arm: str = REFERENCE_ARM
    """the arm of the measured steps"""
    steps: int = 3
    """steps per length mode (each table is the median of its steps 2..N: the run's step 1 compiles)"""
    set: list[str] = field(default_factory=list)
    """config overrides FIELD=VALUE, e.g. behaviour_logp=engine gen_batch=256 engine_keep=true"""
    out: str = ""
    """write the figures as JSON here"""
    lengths: tuple[Literal["full", "realistic"], ...] = ("full",)
    """full: random weights run every row to the cap (the worst case); realistic: rows stop at
    lengths drawn from real completions (bundled teacher pool, hack pairs) scaled to the cap;
    both (`--lengths full realistic`): --steps steps of each in turn, one model load"""
    profile: bool = False
    """one more step, in the last length mode, with the behaviour and training passes under
    torch.profiler: GPU time of each by kernel category (attention, GEMM, ...) and inside the LM head"""
    profile_micro_batches: int = 8
    """--profile: profile each pass's first N micro-batches (0: all); the rest run unprofiled
    (reading a whole training pass's events can take longer than a device call)"""

    def run(self) -> int:
        from projected_grpo.bench import step_bench

        step_bench.run(self.arm, self.steps, self.set, self.out or None, self.lengths, self.profile,
                       self.profile_micro_batches)
        return 0
