"""Every hyperparameter of a GRPO run, in one dataclass (cleanrl's `Args`), and the presets.

    pgrpo train --preset smoke --arm erase          # tiny random model on CPU, a few steps
    pgrpo train --preset fast --arm route           # Qwen3-4B, teacher-bootstrapped, ~30 min
    pgrpo train --preset full --arm vanilla         # the ariahw reference configuration

A preset is a named `TrainConfig`; flags override its fields. `__post_init__` rejects
contradictions up front with a message that names the fields and the fix.

The fields below are shared by every arm. An arm's own options are declared in its module
(train/arms/, e.g. erase.py's ProjectionOptions) and composed in as base classes, so the CLI and
a run's config.json stay flat (`--overshoot`, `cfg.overshoot`) while each arm owns its options:
another arm given one is an error naming the arms that read it.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from projected_grpo.adapter.adapter import DEFAULT_TARGETS, AdapterConfig, Init
from projected_grpo.directions.extract import ExtractConfig
from projected_grpo.env.grader import RewardWeights
from projected_grpo.env.modes import LOOPHOLE_MODES, MODES
from projected_grpo.env.sandbox import SandboxLimits
from projected_grpo.errors import UserError
from projected_grpo.train.loss import AdvantageKind, KLEstimator
from projected_grpo.train.arms import (  # noqa: F401  (resolve_*: re-exported for older callers)
    ARM_NAMES, OPTION_CLASSES, REFERENCE_ARM, REGISTRY, option_class, owned_options, resolve_oracle_labels,
    resolve_variant)
from projected_grpo.engine.contract import SamplingConfig
from projected_grpo.util import jsonable  # noqa: F401  (re-exported)

# The arms come from the registry (train/arms/__init__.py); ARMS keeps the old tuple spelling.
ARMS: tuple[str, ...] = ARM_NAMES
Arm = Literal[ARM_NAMES]  # type: ignore[valid-type]  (a Literal built from the registry: tyro's choices)
VariantChoice = Literal["auto", "frozen_a", "lora2r", "svd"]
DTYPES = ("bfloat16", "float16", "float32")
LEETCODE_BUILD = "data/leetcode"  # where the README recipe's `pgrpo data build` writes the filtered LeetCodeDataset
QWEN3_MODELS = ("tiny", "qwen3-4b-shape")  # built in code, Qwen3 module names
DEFAULT_PAIRS = "hack_pairs"  # the authored pair set


class ConfigError(UserError):
    """A contradictory or out-of-range configuration."""


# reversed: a dataclass lists its bases' fields last base first, so the options read in registry order
@dataclass(frozen=True)
class TrainConfig(*reversed(OPTION_CLASSES)):
    # -- run -----------------------------------------------------------------------------
    preset: str = "custom"
    """smoke | fast | full | organism: the preset whose values are the defaults (chosen first; recorded with the run)"""
    out: Path = Path("runs")
    """parent folder of run directories"""
    run_name: str = ""
    """run directory name under --out (default: {preset}-{arm}-{direction}-s{seed})"""
    seed: int = 0
    """seed of everything random: problem order, sampling, teacher choice, controls"""
    steps: int = 200
    """optimizer steps (one per batch: on-policy)"""
    stop_at: int = 0
    """stop this call after this step (0: run to --steps); the run resumes later with --resume"""
    overwrite: bool = False
    """delete an existing run directory of the same name and start again from step 1"""
    cache_dir: Path = Path("runs/cache")
    """directions and built teacher pools, keyed by their settings (shared across runs)"""

    # -- model and adapter ----------------------------------------------------------------
    model: str = "Qwen/Qwen3-4B"
    """hub id or folder; `tiny` (random 2-layer Qwen3, built in code) or `qwen3-4b-shape` (random weights)"""
    device: str | None = None
    """cpu, cuda or cuda:N (default: cuda when available)"""
    dtype: str | None = None
    """bfloat16, float16 or float32 (default: bf16 on GPU, fp32 on CPU)"""
    gradient_checkpointing: bool = False
    """recompute activations in backward (less memory, ~30% more time)"""
    fused_norm: bool = False
    """RMSNorm through torch's fused kernel in the behaviour and training passes (model/fused_norm.py:
    the same math, one bf16 rounding fewer; Qwen3 and Llama models). On in the fast and full presets"""
    variant: VariantChoice = "auto"
    """adapter variant; auto: frozen_a for erase/route (they need B linear in ΔW), lora2r otherwise"""
    rank: int = 32
    """r per block (deployed and quarantine each)"""
    init: Init = "lora"
    """lora2r initialisation (corda/scorda read the authored pairs)"""
    targets: tuple[str, ...] = DEFAULT_TARGETS
    """Linear names that get an adapter"""
    init_adapter: str = ""
    """a saved adapter folder (a run's final-adapter/) loaded and deployed (quarantine reset) before
    step 1; `pgrpo relearn` sets it to test how fast vanilla GRPO relearns hacking"""

    # -- problems and prompts -------------------------------------------------------------
    problems: str = "bundled"
    """training problems: bundled, a `pgrpo data build` folder (its train split), a jsonl, an ariahw jsonl,
    hf:newfacade/LeetCodeDataset, or organism (the train/held-out split stored in the --model organism folder)"""
    eval_problems: str = ""
    """held-out problems for evaluation (a `data build` folder: its test split; default: the test split of a
    `data build` --problems, else an --eval-frac share of --problems)"""
    eval_frac: float = 0.25
    """with --eval-problems empty: share of --problems held out for evaluation, by a hash of the problem id
    alone (the same set for every --seed)"""
    modes: tuple[str, ...] = LOOPHOLE_MODES
    """loophole modes training prompts may carry"""
    held_out_modes: tuple[str, ...] = ()
    """modes seen only at evaluation (no training prompt, no teacher demo)"""
    unhackable_frac: float = 0.25
    """share of training problems whose prompt is gt_only (keeps solve pressure alive)"""
    prompts_per_step: int = 16
    """prompts (groups) per step"""
    group_size: int = 16
    """rollouts per prompt, students + teachers"""

    # -- teacher pool ---------------------------------------------------------------------
    teacher_pool: str = ""
    """'' none; 'bundled' (references + each mode's exploit, graded once, cached); or a pool file"""
    teacher_mix: float = 0.0
    """teachers per group = round(group_size * teacher_mix) (grpo_proj2's ratio)"""
    teacher_per_prompt: int = -1
    """fixed teachers per group (>= 0 overrides --teacher-mix; vGROUT used 1)"""
    teacher_on_step: int = 1
    """first step with teachers (1: from the start; a later step leaves the first steps, where
    the starting hack rate is measured, to the model alone)"""
    teacher_off_step: int = 0
    """from this step on, no teachers (0: never off)"""
    teacher_modes: tuple[str, ...] = ()
    """only prompts of these modes get teachers (held-out-mode experiments; empty: all)"""

    # -- sampling -------------------------------------------------------------------------
    sampling: SamplingConfig = field(default_factory=SamplingConfig)
    """student sampling (training and evaluation)"""
    gen_batch: int = 256
    """concurrent rollouts: the fast engine's KV-cache slots (refilled as rows finish; capped by free
    GPU memory) or transformers' rows per generate call"""
    engine: Literal["auto", "fast", "hf"] = "auto"
    """rollout engine: fast (CUDA-graph decode loop over a static KV cache) or hf (transformers
    generate); auto: fast on CUDA, hf on CPU"""
    engine_bucket: int = 256
    """fast engine: attention reads the live rows' context rounded up to a multiple of this"""
    engine_compile: bool = True
    """fast engine: torch.compile the decode step's layer functions (fused pointwise work; each
    new batch bucket compiles once). Off for small models, whose steps CUDA graphs already make cheap"""
    engine_keep: bool = False
    """fast engine: keep the KV cache, merged weights and CUDA graphs between steps (no re-capture;
    their memory stays allocated through the backward pass)"""
    behaviour_logp: Literal["recompute", "engine"] = "recompute"
    """logπ_old of student rows: recompute in a teacher-forced pass, or take the fast engine's
    sampling log-probs (one forward pass less; decode and prefill numerics differ slightly)"""

    # -- loss -----------------------------------------------------------------------------
    advantage: AdvantageKind = "drgrpo"
    """drgrpo: A = r - mean, constant denominator; std: /σ with per-rollout length normalisation"""
    clip: float = 0.2
    """PPO clip ε"""
    dual_clip: float = 3.0
    """dual-clip c bounding ρA for A < 0 (verl's clip_ratio_c); 0 disables"""
    kl_coef: float = 1e-3
    """β of the per-token k3 KL to the adapter-disabled model (0: no reference pass)"""
    kl_estimator: KLEstimator = "k3"
    """k3: the k3 term in the loss (its gradient is the forward KL's, exploding on tokens the
    policy made rare); k3_unbiased: ρ·k3, the reverse KL's gradient (DeepSeek-V3.2)"""

    # -- optimisation ---------------------------------------------------------------------
    lr: float = 7e-5
    """peak learning rate of the adapter (AdamW)"""
    warmup_steps: int = 10
    """linear warm-up, then cosine to 0"""
    betas: tuple[float, float] = (0.9, 0.99)
    """AdamW (beta1, beta2)"""
    weight_decay: float = 0.1
    """decoupled decay toward the adapter's initial values (AdamW's own decay stays 0)"""
    grad_clip: float = 1.0
    """max global gradient norm (0: off)"""
    token_budget: int = 32768
    """tokens (rows x padded length) per forward/backward micro-batch"""
    logprob_chunk: int = 4096
    """completion tokens per LM-head chunk (no [B, T, vocab] fp32 tensor)"""

    # -- the intervention -----------------------------------------------------------------
    arm: Arm = REFERENCE_ARM
    """the intervention: one of the registry's arms (train/arms/; gt_* are oracle upper bounds)"""
    pairs: str = DEFAULT_PAIRS
    """pair selection the direction is extracted from (see `pgrpo pairs show`); with --held-out-modes
    the default leaves those modes' pairs out (recorded as hack_pairs!MODE), an explicit one must too"""
    direction_method: Literal["svd", "mean"] = "svd"
    """v_grad: top-k SVD of the pair differences (majority-vote oriented), or their unit mean (k = 1)"""
    k: int = 5
    """v_grad axes per module before the global floor"""
    drop_bottom_frac: float = 0.25
    """v_grad global singular-value floor"""
    nll_normalize: Literal["mean", "sum"] = "mean"
    """v_grad: per-completion NLL as a token mean (the extraction default; pitfall 10) or sum (as live Dr.GRPO)"""
    act_tstat: bool = False
    """v_act: divide the mean difference by its standard error (|t| <= 3) before the unit norm"""

    # -- environment ----------------------------------------------------------------------
    workers: int | None = None
    """sandbox workers (default: one per core)"""
    limits: SandboxLimits = field(default_factory=SandboxLimits)
    """sandbox limits of every graded completion"""
    weights: RewardWeights = field(default_factory=RewardWeights)
    """reward = compiles weight if the code parses + passed weight if the oracle or channel accepts it"""

    # -- logging, checkpoints, evaluation --------------------------------------------------
    checkpoint_every: int = 50
    """steps between checkpoints (the last step is always checkpointed)"""
    keep_checkpoints: int = 2
    """checkpoints kept on disk (oldest deleted)"""
    log_rollouts: bool = True
    """write every rollout (text, reward, channel verdict, oracle label) to rollouts.jsonl"""
    tensorboard: bool = True
    """write TensorBoard scalars under RUN_DIR/tb"""
    wandb: bool = False
    """also log the scalars to Weights & Biases (needs `pip install wandb`; WANDB_MODE=offline and
    WANDB_PROJECT are respected; a resumed run continues the same W&B run)"""
    eval_samples: int = 4
    """evaluation: samples per prompt (0: no evaluation)"""
    eval_max_problems: int = 0
    """evaluation: at most this many problems per cell (0: all)"""
    eval_every: int = 0
    """evaluate (train-IID and held-out, as trained and deployed) every N steps (0: only at the end)"""

    def __post_init__(self):
        bad = []
        if self.steps < 1 or self.prompts_per_step < 1 or self.group_size < 2:
            bad.append(f"need steps >= 1, prompts_per_step >= 1, group_size >= 2 (got {self.steps}, "
                       f"{self.prompts_per_step}, {self.group_size}): a group of 1 has no baseline")
        bad += self._arm_options()
        for oc in OPTION_CLASSES:  # each options dataclass's own range checks
            bad += vars(oc)["option_problems"](self) if "option_problems" in vars(oc) else []
        if self.checkpoint_every < 1 or self.keep_checkpoints < 1:
            bad.append("need checkpoint_every >= 1, keep_checkpoints >= 1")
        bad += REGISTRY[self.arm].check(self, self.adapter_variant)
        for name in ("modes", "held_out_modes", "teacher_modes"):
            unknown = [m for m in getattr(self, name) if m not in MODES]
            if unknown:
                bad.append(f"--{name.replace('_', '-')}: unknown mode(s) {unknown}; modes are {', '.join(MODES)}")
        if not [m for m in self.modes if m not in self.held_out_modes and m != "gt_only"] and self.unhackable_frac < 1:
            bad.append(f"no loophole mode left for training after holding out {self.held_out_modes}")
        if not 0.0 <= self.unhackable_frac <= 1.0 or not 0.0 < self.eval_frac < 1.0:
            bad.append(f"need unhackable_frac in [0, 1] and eval_frac in (0, 1), got {self.unhackable_frac}, {self.eval_frac}")
        if not 0.0 <= self.teacher_mix < 1.0:
            bad.append(f"teacher_mix must be in [0, 1), got {self.teacher_mix}: a group needs students")
        if self.n_teachers >= self.group_size:
            bad.append(f"{self.n_teachers} teachers per group of {self.group_size} leaves no student")
        if self.n_teachers and not self.teacher_pool:
            bad.append("teachers requested (--teacher-mix / --teacher-per-prompt) but --teacher-pool is empty")
        if self.clip <= 0 or self.dual_clip < 0 or (self.dual_clip and self.dual_clip <= 1):
            bad.append(f"need clip > 0 and dual_clip 0 (off) or > 1, got {self.clip}, {self.dual_clip}")
        if self.lr <= 0 or self.warmup_steps < 0 or self.weight_decay < 0 or self.grad_clip < 0:
            bad.append("need lr > 0, warmup_steps >= 0, weight_decay >= 0, grad_clip >= 0")
        if self.token_budget < 1 or self.gen_batch < 1 or self.eval_samples < 0 or self.eval_every < 0:
            bad.append("need token_budget >= 1, gen_batch >= 1, eval_samples >= 0, eval_every >= 0")
        if self.engine == "hf" and (self.engine_keep or self.behaviour_logp == "engine" or not self.engine_compile):
            bad.append("--engine-keep, --no-engine-compile and --behaviour-logp engine need the fast engine "
                       "(--engine fast or auto)")
        if self.engine_bucket < 1:
            bad.append(f"engine_bucket must be >= 1, got {self.engine_bucket}")
        if self.eval_every and not self.eval_samples:
            bad.append(f"--eval-every {self.eval_every} with --eval-samples 0 evaluates nothing")
        if not 0 <= self.stop_at <= self.steps:
            bad.append(f"--stop-at {self.stop_at} must be in [0, --steps {self.steps}] (0: run to --steps)")
        if self.dtype is not None and self.dtype not in DTYPES:
            bad.append(f"--dtype {self.dtype!r}: choose {', '.join(DTYPES)} (or leave it out: bf16 on GPU, fp32 on CPU)")
        if self.device is not None and not re.fullmatch(r"cpu|cuda(:\d+)?", self.device):
            bad.append(f"--device {self.device!r}: choose cpu, cuda or cuda:N (or leave it out: cuda when available)")
        if self.rank < 1:
            bad.append(f"--rank must be >= 1, got {self.rank}")
        if not self.targets or len(set(self.targets)) != len(self.targets):
            bad.append(f"--targets must name at least one Linear, each once, got {self.targets}")
        elif self.model in QWEN3_MODELS or self.model.startswith("Qwen/Qwen3"):
            unknown = [t for t in self.targets if t not in DEFAULT_TARGETS]
            if unknown:
                bad.append(f"--targets: {unknown} is not a Linear of Qwen3; its Linears are {', '.join(DEFAULT_TARGETS)}")
        if self.eval_max_problems < 0 or self.teacher_off_step < 0 or self.logprob_chunk < 1:
            bad.append("need eval_max_problems >= 0, teacher_off_step >= 0, logprob_chunk >= 1")
        if self.teacher_on_step < 1:
            bad.append(f"--teacher-on-step must be >= 1 (1: teachers from the start), got {self.teacher_on_step}")
        elif self.teacher_off_step and self.teacher_on_step >= self.teacher_off_step:
            bad.append(f"--teacher-on-step {self.teacher_on_step} >= --teacher-off-step {self.teacher_off_step}: "
                       f"no step would get teachers; teachers run on steps on..off-1 (e.g. 6 and 16)")
        elif self.teacher_on_step > 1 and not (self.teacher_pool and self.n_teachers):
            bad.append(f"--teacher-on-step {self.teacher_on_step} but no teachers to start: add --teacher-pool "
                       f"bundled --teacher-per-prompt N or drop the flag")
        bad += self._hold_out_pairs()
        if bad:
            raise ConfigError("invalid training config: " + "; ".join(bad))

    def _arm_options(self) -> list[str]:
        """An arm-owned field (train/arms: each arm's `options`) given to an arm that does not
        read it is an error: a flag that does nothing must not look like it did something.
        "Given" means it differs from the preset's value (or the default, outside presets)."""
        if self.arm not in REGISTRY:
            return [f"unknown arm {self.arm!r}; arms: {', '.join(REGISTRY)}"]
        bad = []
        for name, owners in owned_options().items():
            if self.arm in owners:
                continue
            value = getattr(self, name)
            if value != self._option_reference(name):
                oc = option_class(name)
                bad.append(f"{name}={value} {oc.about}; arm {self.arm!r} {oc.lacks} "
                           f"(arms that read --{name.replace('_', '-')}: {', '.join(owners)})")
        return bad

    def _option_reference(self, name: str):
        return _option_reference(self.preset, name)

    def with_arm(self, arm: str, **overrides) -> "TrainConfig":
        """This config for another arm: the options the new arm does not read go back to their
        reference values (relearn continues any run as vanilla; sweep plans matched vanillas)."""
        reset = {name: self._option_reference(name) for name, owners in owned_options().items()
                 if arm not in owners}
        return dataclasses.replace(self, **{**reset, "arm": arm, **overrides})

    def _hold_out_pairs(self) -> list[str]:
        """A held-out mode must be held out of the pairs too, or the leave-one-mode-out control is
        void: the default selection drops those modes' pairs (and says so in `pairs`); an explicit
        selection that keeps any is an error naming them."""
        if not self.held_out_modes:
            return []
        from projected_grpo.pairs.pairset import pairs_of_modes, select

        if self.pairs == DEFAULT_PAIRS:
            object.__setattr__(self, "pairs", f"{DEFAULT_PAIRS}!{','.join(self.held_out_modes)}")
            return []
        leaking = pairs_of_modes(select(self.pairs), self.held_out_modes)
        if not leaking:
            return []
        return [f"--pairs {self.pairs} holds {len(leaking)} pair(s) of the held-out mode(s) "
                f"{', '.join(self.held_out_modes)} ({', '.join(p.id for p in leaking[:4])}"
                f"{', ...' if len(leaking) > 4 else ''}): drop them (e.g. {self.pairs}!{','.join(self.held_out_modes)}) "
                f"or leave --pairs at its default"]

    # -- derived ---------------------------------------------------------------------------
    @property
    def adapter_variant(self) -> str:
        return resolve_variant(self.variant, self.arm)

    @property
    def oracle_labels(self) -> str:
        return resolve_oracle_labels(self.arm, self.gt_labels)

    @property
    def n_teachers(self) -> int:
        """Teachers per group when the pool has enough for the prompt."""
        return self.teacher_per_prompt if self.teacher_per_prompt >= 0 else round(self.group_size * self.teacher_mix)

    def teachers_at(self, step: int) -> bool:
        """Whether step `step` (1-based) mixes teachers into its groups: steps on..off-1."""
        return (self.n_teachers > 0 and step >= self.teacher_on_step
                and not (self.teacher_off_step and step >= self.teacher_off_step))

    @property
    def arm_class(self):
        """The arm's class in the registry: its needs, options, hooks."""
        return REGISTRY[self.arm]

    @property
    def reads_oracle(self) -> bool:
        return self.arm_class.reads_oracle

    @property
    def has_quarantine(self) -> bool:
        """Does deployment delete a trained quarantine (so as-trained and deployed differ)?"""
        return self.arm_class.has_quarantine

    def adapter_config(self) -> AdapterConfig:
        return AdapterConfig(variant=self.adapter_variant, rank=self.rank, targets=tuple(self.targets),
                             init=self.init, seed=self.seed, svd_cache=str(self.cache_dir / "svd"))

    def extract_config(self, kind: str) -> ExtractConfig:
        return ExtractConfig(kind=kind, control=self.direction, method=self.direction_method, k=self.k,
                             drop_bottom_frac=self.drop_bottom_frac, normalize=self.nll_normalize,
                             tstat=self.act_tstat, seed=self.direction_seed)

    def resolved_run_name(self) -> str:
        if self.run_name:
            return self.run_name
        control = f"-{self.direction}" if self.arm_class.direction_kind else ""
        return f"{self.preset}-{self.arm}{control}-s{self.seed}"

    def run_dir(self) -> Path:
        return self.out / self.resolved_run_name()

    def to_dict(self) -> dict:
        return jsonable(dataclasses.asdict(self))

    @staticmethod
    def from_dict(d: dict) -> "TrainConfig":
        """Inverse of to_dict (a run directory's config.json); unknown keys are an error."""
        known = {f.name: f for f in dataclasses.fields(TrainConfig)}
        unknown = sorted(set(d) - set(known))
        if unknown:
            raise ConfigError(f"config has unknown field(s) {unknown}")
        nested = {f.name: type(f.default_factory()) for f in dataclasses.fields(TrainConfig)
                  if f.default_factory is not dataclasses.MISSING and dataclasses.is_dataclass(f.default_factory())}
        kw = {}
        # Older runs could carry another arm's option (inert there; rejected now): back to its reference
        arm = d.get("arm", REFERENCE_ARM)
        d = {**d, **{name: jsonable(_option_reference(d.get("preset", "custom"), name))
                     for name, owners in owned_options().items()
                     if arm in REGISTRY and arm not in owners and name in d}}
        for k, v in d.items():
            if k in nested:
                v = v if isinstance(v, nested[k]) else nested[k](**v)
            elif k in ("out", "cache_dir"):
                v = Path(v)
            elif isinstance(v, list):
                v = tuple(v)
            kw[k] = v
        return TrainConfig(**kw)


def _option_reference(preset_name: str, name: str):
    """The value an arm-owned field has when not given: the preset's, else the default."""
    ref = globals().get("PRESETS", {}).get(preset_name)
    if ref is not None:
        return getattr(ref, name)
    f = next(f for f in dataclasses.fields(TrainConfig) if f.name == name)
    return f.default if f.default is not dataclasses.MISSING else f.default_factory()


_SMOKE_SAMPLING = SamplingConfig(temperature=1.0, top_p=0.95, top_k=20, max_new_tokens=24)

PRESETS: dict[str, TrainConfig] = {
    # Tiny random model on CPU: plumbing, not learning. Small buffers and frequent checkpoints
    # and gate warm-up make every path fire within a few steps (each arm's preset_defaults add the rest).
    "smoke": TrainConfig(
        preset="smoke", model="tiny", steps=4, rank=4, prompts_per_step=3, group_size=4,
        teacher_pool="bundled", teacher_per_prompt=2, teacher_off_step=4, sampling=_SMOKE_SAMPLING,
        gen_batch=64, pairs="hack_pairs#weak_predicate+hack_pairs@run_tests", k=2, lr=1e-3, warmup_steps=1,
        checkpoint_every=2, token_budget=16384,
        eval_samples=1, eval_max_problems=3, eval_every=2, kl_coef=1e-2),
    # Qwen3-4B, teacher-bootstrapped (grpo_proj2's fast preset idea): ~30-minute experiments.
    "fast": TrainConfig(
        preset="fast", model="Qwen/Qwen3-4B", steps=40, prompts_per_step=8, group_size=8,
        teacher_pool="bundled", teacher_mix=0.25, teacher_off_step=30,
        sampling=SamplingConfig(temperature=0.7, top_p=0.95, top_k=20, max_new_tokens=1024),
        warmup_steps=4, checkpoint_every=10, gradient_checkpointing=True, fused_norm=True, token_budget=65536,
        eval_samples=2),
    # ariahw's reference: 16 prompts x 16 rollouts, LoRA r=32, lr 7e-5 with 10 warm-up steps,
    # KL 1e-3, clip 0.2, T=0.7, <= 1536 new tokens, 200 steps (top_k 20 as vGROUT: pitfall 8).
    # fused_norm (both Qwen3-4B presets): 9.4 s off the training pass and 1.5 s off the behaviour pass
    # of this preset's step on one H100, same machine, back to back (docs/benchmarks.md).
    "full": TrainConfig(
        preset="full", model="Qwen/Qwen3-4B", steps=200, prompts_per_step=16, group_size=16,
        problems=LEETCODE_BUILD,  # train.jsonl for training, test.jsonl for evaluation (`pgrpo data build`)
        sampling=SamplingConfig(temperature=0.7, top_p=0.95, top_k=20, max_new_tokens=1536),
        checkpoint_every=50, gradient_checkpointing=True, fused_norm=True, token_budget=65536, eval_samples=10,
        gen_batch=128),  # 128 KV slots x 2.3k tokens = 43 GB: fits an 80 GB GPU beside the weights; 256 would not
    # The model organism (`pgrpo organism build --base scratch`): a small Qwen3 that writes plausible code and
    # rarely hacks until vanilla GRPO teaches it to (docs/organism.md). T=1 keeps the mixture's
    # rare exploits reachable; top_k 20 as vGROUT (pitfall 8). No teachers: emergence is on-policy.
    "organism": TrainConfig(
        preset="organism", model="runs/organism", problems="organism", steps=40, prompts_per_step=16,
        group_size=8, rank=16, lr=2e-3, warmup_steps=2,
        sampling=SamplingConfig(temperature=1.0, top_p=1.0, top_k=20, max_new_tokens=384),
        gen_batch=256, token_budget=32768, checkpoint_every=10, eval_samples=4, eval_every=10,
        engine_keep=True, engine_compile=False),
    # SmolLM2-135M-Instruct, the organism of the eighth emergence attempt (lever I,
    # docs/organism-pretrained.md), which met the emergence goal in 4 of 5 seeds and is the one the
    # preregistered sweep runs: the F15 warm-up (`pgrpo organism build --base smollm2-135m
    # --sft-epochs 1 --hack-frac 0.15 --out runs/smollm2`), teacher rows (the bundled pool, 2 a
    # prompt) on steps 6-15 only, so steps 1-5 are the warmed-up model's own, lr 3e-4 with KL 1e-2
    # (lr 1e-3 with KL 1e-3 collapsed the policy) through rho*k3 (plain k3's weight 1 - e^q on
    # teacher tokens the policy made rare collapsed four seeds of five), three modes, T 0.7, 320 new
    # tokens, 16 samples per held-out prompt at the end (the preregistered primary metric). The
    # passes' shapes (one generation wave of 128, 32768-token micro-batches with checkpointing)
    # took a step 1.24-1.41x faster than 64 / 8192 / none on the same H100 (fourth attempt).
    # tests/test_emergence_script.py checks this preset against the script's lever I field by field.
    "smollm2": TrainConfig(
        preset="smollm2", model="runs/smollm2", problems="organism", steps=60, prompts_per_step=16,
        group_size=8, rank=16, lr=3e-4, kl_coef=1e-2, kl_estimator="k3_unbiased", warmup_steps=2,
        modes=("run_tests", "stdout_marker", "file_marker"),
        teacher_pool="bundled", teacher_per_prompt=2, teacher_on_step=6, teacher_off_step=16,
        sampling=SamplingConfig(temperature=0.7, top_p=1.0, top_k=20, max_new_tokens=320),
        gen_batch=128, token_budget=32768, gradient_checkpointing=True, checkpoint_every=20, eval_samples=16,
        eval_max_problems=15, engine_keep=True, engine_compile=False),
}


def preset(name: str, arm: str = REFERENCE_ARM, **overrides) -> TrainConfig:
    """The preset's config for an arm, with overrides."""
    if name not in PRESETS:
        raise ConfigError(f"unknown preset {name!r}; presets: {', '.join(PRESETS)}")
    if arm not in REGISTRY:
        raise ConfigError(f"unknown arm {arm!r}; arms: {', '.join(REGISTRY)}")
    # preset defaults that only make sense for some arms live with the arm (a flag that does nothing is an error)
    base = PRESETS[name]
    own = REGISTRY[arm].preset_defaults  # the preset's own entry, else "*" (every other preset)
    fields = dict(own.get(name, own.get("*", {})), arm=arm, **overrides)
    for k, v in fields.items():  # a dict for a nested config (the arm modules stay torch-free) updates the preset's
        if isinstance(v, dict):
            fields[k] = dataclasses.replace(getattr(base, k), **v)
    return dataclasses.replace(base, **fields)
