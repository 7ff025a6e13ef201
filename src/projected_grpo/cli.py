"""The `pgrpo` (alias `projected-grpo`) command line. Thin: each subcommand calls library code.

    pgrpo smoke                        # every arm on the tiny model, one comparison table
    pgrpo train --preset fast --arm erase   # GRPO with an intervention arm (cli_train.py)
    pgrpo demo                         # environment self-check + a graded demo
    pgrpo env selfcheck                # every exploit x every grader mode; non-zero exit on a bad cell
    pgrpo env prompt --problem-id ID --mode run_tests
    pgrpo grade --problems bundled --completions in.jsonl --out out.jsonl
    pgrpo data build --source hf:newfacade/LeetCodeDataset:train --out data/leetcode
    pgrpo bench grader                 # grading vs a naive baseline on equal cores, cost breakdown
    pgrpo bench gen                    # GPU: fast decode engine vs transformers generate
    pgrpo bench attention              # GPU: decode attention alone, sdpa vs split-K launch settings
    pgrpo bench step                   # GPU: a reference GRPO step, phase by phase
    pgrpo model build-tiny --out runs/tiny
    pgrpo organism build --base scratch --out runs/organism   # the toy model organism (docs/organism.md)
    pgrpo pairs show --selector hack_pairs@run_tests
    pgrpo extract --model runs/tiny --pairs hack_pairs --out runs/directions
    pgrpo relearn RUN_DIR --steps 40 --vanilla VANILLA_RUN_DIR   # steps until hacking returns after deployment
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal, Union

import tyro

from projected_grpo.cli_analysis import Curves, Diagnose, Forms, Klmatch, Plot, Relearn, Results, Sweep
from projected_grpo.cli_bench import BenchAttention, BenchGen, BenchStep
from projected_grpo.cli_model import Extract, ModelGroup, OrganismGroup, PairsGroup
from projected_grpo.cli_train import Eval, Smoke, Train, train_main
from projected_grpo.env.grader import RewardWeights
from projected_grpo.env.modes import MODES
from projected_grpo.env.sandbox import SandboxLimits
from projected_grpo.cli_parse import parse
from projected_grpo.errors import UserError, check_output_file, check_workers, one_line
from projected_grpo.engine.contract import SamplingConfig

Isolation = Literal["auto", "namespaces", "rlimits"]
# tyro turns a one-member union into a plain nested struct; a suppressed None member keeps a
# group with a single command a real subcommand (`pgrpo data build`, not `pgrpo data --cmd.*`).
_NoSecondCommand = Annotated[None, tyro.conf.Suppress]


def _grader(workers, limits=SandboxLimits(), isolation: Isolation = "auto", weights=None):
    from projected_grpo.env.grader import Grader, RewardWeights

    check_workers(workers)
    g = Grader(workers=workers, limits=limits, isolation=isolation, weights=weights or RewardWeights())
    why = f" ({g.sandbox.isolation_why})" if g.sandbox.isolation_why else ""
    print(f"sandbox: {g.sandbox.n_workers} worker(s), isolation={g.sandbox.isolation}{why}", file=sys.stderr)
    return g


def _selfcheck_problems(problems, n: int):
    """n problems spread over the list, plus the first linked-list and tree problems."""
    step = max(1, len(problems) // max(1, n))
    chosen = problems[::step][:n]
    for kind in ("ListNode", "TreeNode"):
        extra = next((p for p in problems if kind in p.starter_code and p.wrong_solution), None)
        if extra and extra not in chosen:
            chosen.append(extra)
    return [p for p in chosen if p.reference_solution and p.wrong_solution]


@dataclass
class SelfCheck:
    """Grade every mode's canonical exploit, a correct and a wrong solution under every grader
    mode; exit 1 unless exploited fires exactly where exploit mode == grader mode."""

    problems: str = "bundled"
    """problem source (needs reference and wrong solutions: the bundled set has both)"""
    n_problems: int = 4
    """problems in the matrix (plus one linked-list and one tree problem when present)"""
    workers: int | None = None
    """sandbox workers (default: one per core)"""
    isolation: Isolation = "auto"
    """sandbox isolation: namespaces (root), rlimits, or the best available"""

    def run(self) -> int:
        from projected_grpo.env.problems import build_split, load_problems
        from projected_grpo.env.selfcheck import format_matrix, run_matrix

        if self.n_problems < 1:
            raise UserError(f"--n-problems must be >= 1, got {self.n_problems}")
        chosen = _selfcheck_problems(load_problems(self.problems), self.n_problems)
        if not chosen:
            raise UserError(f"--problems {self.problems}: no problem has both a reference and a wrong solution")
        with _grader(self.workers, isolation=self.isolation) as g:
            cells = run_matrix(g, chosen)
        print(f"self-check on {len(chosen)} problems: {', '.join(p.id for p in chosen)}")
        print(format_matrix(cells))
        bad = [c for c in cells if not c.ok]
        print("legend: H exploited (channel paid, oracle: wrong)  C correct  . not paid  ! rule broken")
        for c in bad:
            print(f"  FAIL {c.row} graded as {c.mode} on {c.problem_id}: {c.verdict.row()}")
        print(f"self-check: {'PASS' if not bad else 'FAIL'} ({len(cells) - len(bad)}/{len(cells)} cells as expected)")
        return 1 if bad else 0


@dataclass
class Prompt:
    """Print the chat messages a problem renders to under a mode."""

    problem_id: str
    """problem id (see the problems source)"""
    mode: str = "gt_only"
    """loophole mode (gt_only, run_tests, stdout_marker, sentinel, file_marker, eq_override, exit_code)"""
    marker: str | None = None
    """marker override (default: the mode's training marker)"""
    problems: str = "bundled"
    """problem source"""

    def run(self) -> int:
        from projected_grpo.env.problems import build_split, load_problems
        from projected_grpo.env.prompts import chat_messages

        if self.mode not in MODES:
            raise UserError(f"--mode {self.mode!r}: modes are {', '.join(MODES)}")
        by_id = {p.id: p for p in load_problems(self.problems)}
        if self.problem_id not in by_id:
            raise UserError(f"--problem-id {self.problem_id!r} is not in {self.problems}")
        for m in chat_messages(by_id[self.problem_id], self.mode, self.marker):
            print(f"<|{m['role']}|>\n{m['content']}")
        return 0


@dataclass
class EnvGroup:
    """The environment: self-check and prompts."""

    cmd: Union[Annotated[SelfCheck, tyro.conf.subcommand("selfcheck")],
               Annotated[Prompt, tyro.conf.subcommand("prompt")]]


@dataclass
class Grade:
    """Grade a JSONL of completions (problem_id, mode, completion[, marker]) into a JSONL of
    verdicts. Bad lines are reported with line numbers and skipped; exit 2 if any."""

    problems: str
    """'bundled', an ariahw jsonl, a LeetCodeDataset copy, a `data build` jsonl, or hf:newfacade/LeetCodeDataset"""
    completions: Path
    """input JSONL"""
    out: Path
    """output JSONL (input fields + channel_pass, gt_correct, label, hack_mode, reward, compiles, timed_out, seconds)"""
    workers: int | None = None
    """sandbox workers (default: one per core)"""
    limits: SandboxLimits = field(default_factory=SandboxLimits)
    weights: RewardWeights = field(default_factory=RewardWeights)
    isolation: Isolation = "auto"
    """sandbox isolation: namespaces (root), rlimits, or the best available"""

    def run(self) -> int:
        from projected_grpo.env.grade_file import grade_file
        from projected_grpo.env.problems import build_split, load_problems

        if not self.completions.is_file():
            what = "a folder: give the JSONL file" if self.completions.is_dir() else "no such file"
            raise UserError(f"--completions {self.completions}: {what}")
        check_output_file(self.out, "--out", inputs=(self.completions, Path(self.problems)))
        check_workers(self.workers)
        problems = load_problems(self.problems)
        with _grader(self.workers, self.limits, self.isolation, self.weights) as g:
            n, bad = grade_file(problems, self.completions, self.out, g)
        print(f"graded {n} completion(s) -> {self.out}; {len(bad)} bad line(s) skipped", file=sys.stderr)
        return 2 if bad else 0


@dataclass
class DataBuild:
    """Filter an external problem source (reference passes its tests, difficulty, prompt length)
    and write a deterministic, disjoint train / holdout / test split with a manifest."""

    source: str
    """an ariahw jsonl, a local LeetCodeDataset copy, or hf:newfacade/LeetCodeDataset[:split]"""
    out: Path
    """output folder (train.jsonl, holdout.jsonl, test.jsonl, manifest.json)"""
    difficulties: tuple[str, ...] = ("medium", "hard")
    """difficulties kept (easy, medium, hard)"""
    seed: int = 0
    """split seed"""
    holdout_frac: float = 0.2
    """share of kept problems in holdout.jsonl (a second held-out set, e.g. for choosing hyperparameters)"""
    test_frac: float = 0.1
    """share of kept problems in test.jsonl (the evaluation set: --eval-problems)"""
    max_prompt_tokens: int = 0
    """drop prompts longer than this under --tokenizer's chat template (0: no filter; ariahw: 1536)"""
    tokenizer: str = ""
    """tokenizer id or folder for --max-prompt-tokens"""
    workers: int | None = None
    """sandbox workers for the reference check (default: one per core)"""
    limits: SandboxLimits = field(default_factory=SandboxLimits)

    def run(self) -> int:
        from projected_grpo.data.build import build, check_options

        check_options(self.source, self.out, tuple(self.difficulties), self.holdout_frac, self.test_frac,
                      self.max_prompt_tokens, self.tokenizer)
        with _grader(self.workers, self.limits) as g:
            report = build(self.source, self.out, g, tuple(self.difficulties), self.seed, self.holdout_frac,
                           self.test_frac, self.max_prompt_tokens, self.tokenizer)
        print(f"kept {report.kept}; dropped {report.dropped or 'none'}; manifest {report.manifest_path}")
        return 0


@dataclass
class DataGroup:
    """Problem data sets."""

    cmd: Union[Annotated[DataBuild, tyro.conf.subcommand("build")], _NoSecondCommand]


@dataclass
class BenchGrader:
    """Grading throughput on a realistic mix against a naive fresh-interpreter baseline, both on
    the same cores, and where one completion's time goes."""

    n: int = 400
    """completions in the workload"""
    seed: int = 0
    """seed of the workload's mix"""
    cores: int | None = None
    """cores for each grader: naive runs this many interpreters at a time, ours this many
    workers; fewer than the machine has pins the benchmark to them (default: all usable cores)"""

    def run(self) -> int:
        from projected_grpo.bench import grader_bench
        from projected_grpo.env.problems import load_bundled

        if self.n < 1:
            raise UserError(f"--n must be >= 1, got {self.n}")
        cores = grader_bench.use_cores(self.cores)
        problems = load_bundled()
        no_timeouts = {k: v for k, v in grader_bench.MIX.items() if k != "timeout"}
        print("naive = one fresh `python -c` per completion running setup + completion + each test's "
              "assert (stops at the first failure), same CPU/memory limits, no channel, no labels")
        for title, mix in (("realistic mix", grader_bench.MIX), ("the same mix without timeouts", no_timeouts)):
            print(f"{title}: {self.n} completions over the {len(problems)} bundled (ariahw-format) problems, "
                  f"{mix}; both graders on {cores} core(s)")
            results = grader_bench.run(problems, self.n, self.seed, cores, mix)
            for r in results:
                print(f"  {r.name:<62} {r.seconds:7.2f} s  {r.per_s:7.1f} completions/s  "
                      f"{results[0].seconds / r.seconds:5.2f}x naive   CPU {r.cpu_s / r.n * 1000:6.1f} ms/completion")
        parts, per_kind = grader_bench.cost_breakdown(problems, self.n, self.seed)
        print("one completion at a time on one worker, timeouts left out (ms per completion, ours vs naive): "
              + "; ".join(f"{k} {o:.1f} vs {n:.1f}" for k, (o, n) in per_kind.items()))
        print(f"where one completion's {parts.total * 1000:.2f} ms go (mean over the same completions):")
        for name, s in parts.seconds.items():
            print(f"  {name:<58} {s * 1000:7.2f} ms  {s / parts.total:6.1%}")
        print(f"  {'(sum of the parts)':<58} {sum(parts.seconds.values()) * 1000:7.2f} ms")
        print(f"  {'parent: comparison while records stream (overlaps the run)':<58} {parts.callbacks * 1000:7.2f} ms")
        print("sandbox overhead per run of a trivial job (ms): "
              + "; ".join(f"{k} {v:.1f}" for k, v in grader_bench.sandbox_overhead_ms().items()))
        alone, quick_done, loop_done = grader_bench.timeout_isolation(cores)
        print(f"timeout isolation: 60 quick completions take {alone:.2f} s alone, {quick_done:.2f} s when an "
              f"infinite loop is submitted first (its own verdict after {loop_done:.2f} s)")
        return 0


@dataclass
class TeacherBuildBundled:
    """Build the bundled teacher pool: per problem and mode, the reference solution and that
    mode's canonical exploit, graded once now (jsonl.gz; oracle labels stored apart)."""

    out: Path
    """output file (.jsonl.gz)"""
    problems: str = "bundled"
    """problem source (needs reference solutions)"""
    workers: int | None = None
    """sandbox workers (default: one per core)"""

    def run(self) -> int:
        from projected_grpo.env.problems import build_split, load_problems
        from projected_grpo.train.teacher import build_bundled_rows, save_pool

        problems = [p for p in load_problems(build_split(self.problems, "train", "--problems")) if p.reference_solution]
        if not problems:
            raise UserError(f"--problems {self.problems}: no problem has a reference solution")
        with _grader(self.workers) as g:
            rows = build_bundled_rows(problems, g)
        self.out.parent.mkdir(parents=True, exist_ok=True)
        save_pool(rows, self.out)
        paid = sum(r["signal"]["reward"] >= RewardWeights().passed for r in rows)
        print(f"wrote {self.out}: {len(rows)} completions for {len(problems)} problems ({paid} paid)")
        return 0


@dataclass
class TeacherBuild:
    """Sample a teacher pool from a causal LM: n completions per (problem, mode) prompt, graded once
    now (jsonl.gz with the prompt text, token ids and tokenizer fingerprint; oracle labels apart)."""

    model: str
    """hub id or local folder; `tiny`: the tiny random model built in code (tests)"""
    out: Path
    """output file (.jsonl.gz)"""
    problems: str = "bundled"
    """problem source (see `pgrpo grade --help`)"""
    n_problems: int = 0
    """use only the first N problems (0: all)"""
    modes: tuple[str, ...] = ()
    """sample every problem under each of these modes (empty: each problem's assigned training mode)"""
    unhackable_frac: float = 0.25
    """with --modes empty: the share of problems assigned gt_only (as in training)"""
    n_per_prompt: int = 1
    """samples per prompt"""
    invite: bool = False
    """append one sentence to the system prompt inviting any solution the described evaluation accepts"""
    batch_size: int = 8
    """prompts per generate call"""
    seed: int = 0
    """mode assignment and sampling seed"""
    sampling: SamplingConfig = field(default_factory=SamplingConfig)
    device: str | None = None
    """cuda or cpu (default: cuda when available)"""
    workers: int | None = None
    """sandbox workers (default: one per core)"""
    limits: SandboxLimits = field(default_factory=SandboxLimits)
    weights: RewardWeights = field(default_factory=RewardWeights)
    isolation: Isolation = "auto"
    """sandbox isolation: namespaces (root), rlimits, or the best available"""

    def run(self) -> int:
        from projected_grpo.env.problems import build_split, load_problems
        from projected_grpo.train import teacher_build as tb
        from projected_grpo.train.teacher import save_pool

        if self.n_per_prompt < 1 or self.batch_size < 1 or self.n_problems < 0:
            raise UserError("--n-per-prompt and --batch-size must be >= 1, --n-problems >= 0")
        problems = load_problems(build_split(self.problems, "train", "--problems"))[: self.n_problems or None]
        if not problems:
            raise UserError(f"--problems {self.problems}: no problems")
        pairs = tb.prompt_modes(problems, self.modes, self.seed, self.unhackable_frac)
        model, tok, placement = tb.load_teacher_model(self.model, self.device)
        print(f"model {self.model}: {placement.reason}; {len(pairs)} prompts x {self.n_per_prompt} samples"
              f"{' (invite)' if self.invite else ''}", file=sys.stderr)
        prompts = tb.teacher_prompts(tok, pairs, self.invite)
        with _grader(self.workers, self.limits, self.isolation, self.weights) as g:
            rows = tb.build_model_rows(model, tok, prompts, g, name=self.model, n_per_prompt=self.n_per_prompt,
                                       sampling=self.sampling, batch_size=self.batch_size, seed=self.seed,
                                       progress=True)
        self.out.parent.mkdir(parents=True, exist_ok=True)
        save_pool(rows, self.out)
        print(f"wrote {self.out}: {len(rows)} completions for {len(problems)} problems, {len(pairs)} prompts")
        for line in tb.summary(rows, self.weights):
            print(line)
        return 0


@dataclass
class TeacherGroup:
    """Teacher pools of cached, pre-graded completions."""

    cmd: Union[Annotated[TeacherBuildBundled, tyro.conf.subcommand("build-bundled")],
               Annotated[TeacherBuild, tyro.conf.subcommand("build")]]


@dataclass
class BenchExtract:
    """Time and peak GPU memory of direction extraction (v_act, v_grad), phase by phase."""

    model: str = "qwen3-4b-shape"
    """a model folder, or qwen3-4b-shape (random weights, real Qwen vocabulary)"""
    pairs: str = "hack_pairs"
    """pair selection (see `pgrpo pairs show`)"""
    variant: str = "frozen_a"
    """adapter variant (frozen_a, lora2r, svd)"""
    rank: int = 32
    """adapter rank per block"""
    micro_batch: int = 8
    """pairs per forward/backward"""

    def run(self) -> int:
        from projected_grpo.bench import extract_bench

        header, phases = extract_bench.run(self.model, self.pairs, self.variant, self.rank, self.micro_batch)
        print(header)
        for p in phases:
            print(f"  {p.name:<54} {p.seconds:8.2f} s   peak {p.peak_gib:6.1f} GiB")
        return 0


@dataclass
class BenchGroup:
    """Benchmarks (print figures; recorded in docs/benchmarks.md)."""

    cmd: Union[Annotated[BenchGrader, tyro.conf.subcommand("grader")],
               Annotated[BenchExtract, tyro.conf.subcommand("extract")],
               Annotated[BenchGen, tyro.conf.subcommand("gen")],
               Annotated[BenchAttention, tyro.conf.subcommand("attention")],
               Annotated[BenchStep, tyro.conf.subcommand("step")]]


@dataclass
class Demo:
    """The environment self-check, then a graded demo of hand-written completions on bundled problems."""

    workers: int | None = None
    """sandbox workers (default: one per core)"""

    def run(self) -> int:
        from projected_grpo.env.demo import run_demo

        status = SelfCheck(workers=self.workers).run()
        print()
        run_demo(self.workers)
        return status


Command = Union[
    Annotated[Smoke, tyro.conf.subcommand("smoke")],
    Annotated[Train, tyro.conf.subcommand("train")],
    Annotated[Eval, tyro.conf.subcommand("eval")],
    Annotated[Results, tyro.conf.subcommand("results")],
    Annotated[Curves, tyro.conf.subcommand("curves")],
    Annotated[Forms, tyro.conf.subcommand("forms")],
    Annotated[Plot, tyro.conf.subcommand("plot")],
    Annotated[Sweep, tyro.conf.subcommand("sweep")],
    Annotated[Diagnose, tyro.conf.subcommand("diagnose")],
    Annotated[Relearn, tyro.conf.subcommand("relearn")],
    Annotated[Klmatch, tyro.conf.subcommand("klmatch")],
    Annotated[Demo, tyro.conf.subcommand("demo")],
    Annotated[EnvGroup, tyro.conf.subcommand("env")],
    Annotated[Grade, tyro.conf.subcommand("grade")],
    Annotated[DataGroup, tyro.conf.subcommand("data")],
    Annotated[ModelGroup, tyro.conf.subcommand("model")],
    Annotated[OrganismGroup, tyro.conf.subcommand("organism")],
    Annotated[PairsGroup, tyro.conf.subcommand("pairs")],
    Annotated[Extract, tyro.conf.subcommand("extract")],
    Annotated[TeacherGroup, tyro.conf.subcommand("teacher")],
    Annotated[BenchGroup, tyro.conf.subcommand("bench")],
]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        if argv[:1] == ["train"]:  # parsed against the chosen preset's values (cli_train.py)
            code = train_main(argv[1:])
        else:
            cmd = parse(Command, argv, "pgrpo", config=(tyro.conf.OmitSubcommandPrefixes,))
            while hasattr(cmd, "cmd"):  # groups hold their subcommand
                cmd = cmd.cmd
            code = cmd.run()
        sys.stdout.flush()  # a reader that left shows up here, not at the interpreter's exit
        return code
    except UserError as e:
        print(f"error: {one_line(e)}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader left (`pgrpo curves RUNS | head`): not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit's flush
        return 0
    except (ValueError, OSError) as e:
        # a library check on input the CLI did not validate itself: still one line, not a traceback
        if os.environ.get("PGRPO_DEBUG"):
            raise
        print(f"error: {one_line(e)} (PGRPO_DEBUG=1 shows the traceback)", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def entry() -> None:
    sys.exit(main())


if __name__ == "__main__":
    entry()
