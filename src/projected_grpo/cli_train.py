"""`pgrpo train` and `pgrpo smoke` (kept apart from cli.py: train parses its flags against a
preset's values, which tyro needs before parsing).

    pgrpo train --preset smoke --arm erase            # preset values, then flags override
    pgrpo train erase --overshoot 1.5 --preset fast   # the arm as a subcommand (same as --arm erase)
    pgrpo train --preset fast --arm route --direction haar --direction-seed 3
    pgrpo train --resume runs/fast-route-haar-s0      # the run's saved config, to its --steps
    pgrpo smoke                                       # every arm on the tiny model, one table
"""

from __future__ import annotations

import dataclasses
import functools
import typing
from dataclasses import dataclass
from pathlib import Path

import tyro

from projected_grpo.cli_parse import parse
from projected_grpo.errors import UserError
from projected_grpo.train.arms import REFERENCE_ARM, REGISTRY, option_class, owned_options
from projected_grpo.train.config import ARMS, PRESETS, TrainConfig, preset
from projected_grpo.train.runlog import check_wandb


def _take(argv: list[str], flag: str) -> str | None:
    """Remove `flag VALUE` / `flag=VALUE` from argv and return VALUE."""
    for i, a in enumerate(argv):
        if a == flag:
            if i + 1 >= len(argv):
                raise UserError(f"{flag} needs a value")
            value = argv[i + 1]
            del argv[i:i + 2]
            return value
        if a.startswith(flag + "="):
            del argv[i]
            return a.split("=", 1)[1]
    return None


def _peek(argv: list[str], flag: str) -> str | None:
    return _take(list(argv), flag)


def _int_flag(flag: str, value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        raise UserError(f"{flag} {value!r}: expected an integer") from None


def _arm_subcommand(argv: list[str]) -> list[str]:
    """`pgrpo train erase --overshoot 1.5` and `pgrpo train --lr 5 routeA ...`: a bare arm name
    (not a flag's value) is the arm, spelled as the older `--arm NAME` that sweeps and scripts use."""
    bare = [i for i, a in enumerate(argv) if a in ARMS and (i == 0 or not argv[i - 1].startswith("-")
                                                            or argv[i - 1].startswith("--no-"))]
    if not bare:
        return argv
    arms = {argv[i] for i in bare} | ({_peek(argv, "--arm")} - {None})
    if len(arms) > 1 or len(bare) > 1:
        raise UserError(f"one arm per run, got {', '.join(sorted(arms))}")
    return argv[:bare[0]] + argv[bare[0] + 1:] + ([] if _peek(argv, "--arm") else ["--arm", argv[bare[0]]])


def _description(arm: str) -> str:
    """The general description, then the arm's own: what it does and the options only it reads."""
    cls = REGISTRY[arm]
    opts = ", ".join("--" + n.replace("_", "-") for n in cls.all_options()) or "none"
    return (f"{DESCRIPTION} Arm {arm}: {cls.summary}. Options only this arm (and arms sharing them) reads: "
            f"{opts}; other arms' options are not listed here and are rejected.")


@functools.cache
def _arm_view(arm: str) -> type:
    """TrainConfig as `pgrpo train ARM` parses it: other arms' options are hidden from --help and
    from parsing (a subclass that re-annotates them tyro.conf.Suppress; the parsed value is turned
    back into a plain TrainConfig)."""
    hints = typing.get_type_hints(TrainConfig)
    others = [n for n, owners in owned_options().items() if arm not in owners]
    return dataclasses.make_dataclass(
        f"TrainConfig_{arm}", [(n, typing.Annotated[hints[n], tyro.conf.Suppress], dataclasses.field(default=None))
                               for n in others], bases=(TrainConfig,), frozen=True)


def _reject_other_arms_flags(arm: str, argv: list[str]):
    """Say why another arm's flag is refused (tyro alone would only call it unrecognised)."""
    for name, owners in owned_options().items():
        flag = "--" + name.replace("_", "-")
        given = [a for a in argv if a.split("=", 1)[0] in (flag, "--no-" + flag[2:]) or a.startswith(flag + ".")]
        if arm not in owners and given:
            oc = option_class(name)
            raise UserError(f"{given[0].split('=', 1)[0]} {oc.about}; arm {arm!r} {oc.lacks} "
                            f"(arms that read it: {', '.join(owners)})")


def _parse_for_arm(arm: str, argv: list[str], default: TrainConfig) -> TrainConfig:
    _reject_other_arms_flags(arm, argv)
    view = _arm_view(arm)
    shallow = {f.name: getattr(default, f.name) for f in dataclasses.fields(TrainConfig)}
    parsed = parse(view, argv, "pgrpo train", default=view(**shallow), description=_description(arm))
    return TrainConfig(**{f.name: getattr(parsed, f.name) for f in dataclasses.fields(TrainConfig)})


def config_from_argv(argv: list[str]) -> TrainConfig:
    """The TrainConfig a `pgrpo train` command line (without --resume) asks for: preset first,
    then the arm's flags (scripts' tests check their commands through this)."""
    if "-h" in argv or "--help" in argv:
        argv = [a for a in argv if a not in ("-h", "--help")] + ["--help"]
    argv = _arm_subcommand(argv)
    name = _peek(argv, "--preset") or "smoke"
    if name not in PRESETS:
        raise UserError(f"--preset {name!r}: presets are {', '.join(PRESETS)}")
    arm = _peek(argv, "--arm") or REFERENCE_ARM
    if arm not in ARMS:
        raise UserError(f"--arm {arm!r}: arms are {', '.join(ARMS)}")
    return _parse_for_arm(arm, argv, preset(name, arm))


def train_main(argv: list[str]) -> int:
    from projected_grpo.train.trainer import Trainer

    argv = list(argv)
    resume = _take(argv, "--resume")
    if resume is not None:
        stop_at, steps = _int_flag("--stop-at", _take(argv, "--stop-at")), _int_flag("--steps", _take(argv, "--steps"))
        if argv:
            raise UserError(f"--resume continues a run with its saved config; only --steps (to extend it) "
                            f"and --stop-at may be added (got {' '.join(argv)})")
        Trainer.resume(Path(resume), stop_at=stop_at, steps=steps).run()
        return 0
    cfg = config_from_argv(argv)
    if cfg.wandb:
        check_wandb()
    Trainer(cfg).run()
    return 0


DESCRIPTION = (f"GRPO with an intervention arm. Defaults shown are the preset's (--preset "
               f"{'|'.join(PRESETS)}, chosen first; see README 'The trainer'). --resume RUN_DIR continues a "
               f"run with its saved config (a run killed before its first checkpoint starts again from step 1); "
               f"with it only --steps N (extend the run; the cosine lr is recomputed over N) and --stop-at "
               f"may be given. --overwrite deletes a run of the same name and starts again.")


@dataclass
class Train:
    """GRPO with an intervention arm: `pgrpo train --preset PRESET --arm ARM [flags]`, or
    `pgrpo train --resume RUN_DIR`. `pgrpo train --help` lists every field with the preset's value."""


@dataclass
class Smoke:
    """Every arm on the tiny random model on CPU (train to step 2, resume to the end, evaluate
    as trained and as deployed) and one comparison table; exit 1 if any path did not fire."""

    out: Path = Path("runs/smoke")
    """parent folder of the smoke runs (each is replaced)"""
    arms: tuple[str, ...] = ARMS
    """arms to run"""
    workers: int | None = None
    """sandbox workers (default: one per core)"""

    def run(self) -> int:
        from projected_grpo.train.smoke import run_smoke

        unknown = [a for a in self.arms if a not in ARMS]
        if unknown:
            raise UserError(f"--arms: unknown {unknown}; arms are {', '.join(ARMS)}")
        return run_smoke(self.out, tuple(self.arms), self.workers)


@dataclass
class Eval:
    """The 2 x 2 evaluation of a run (train-IID with training markers / held-out with randomised
    markers, x as trained / deployed), per mode; writes RUN_DIR/eval/step-N.json and eval.jsonl."""

    run_dir: tyro.conf.Positional[Path]
    """a run directory (holds config.json and final-adapter/ or checkpoints/)"""
    problems: str = ""
    """held-out problems for the `test` cell (default: the run's own held-out split)"""
    samples_per_problem: int = 0
    """samples per prompt (default: the run's eval_samples, else 4)"""
    checkpoint: str = ""
    """evaluate checkpoints/NAME (e.g. step-000050) instead of final-adapter/"""
    max_problems: int = -1
    """problems per cell (-1: the run's eval_max_problems; 0: all)"""
    workers: int | None = None
    """sandbox workers (default: the run's, else one per core)"""

    def run(self) -> int:
        from projected_grpo.eval.run import eval_run

        eval_run(self.run_dir, self.problems, self.samples_per_problem, self.checkpoint, self.max_problems, self.workers)
        return 0
