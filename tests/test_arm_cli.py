"""The arm as a `pgrpo train` subcommand (issue 20): `pgrpo train erase --overshoot 1.5` is
`--arm erase --overshoot 1.5`; a flag the arm does not read is one line and exit 2."""

from __future__ import annotations

import pytest

from projected_grpo.cli import main
from projected_grpo.cli_train import _arm_subcommand, _description
from projected_grpo.errors import UserError


@pytest.mark.parametrize("argv,want", [
    (["erase", "--overshoot", "3", "--lr", "5"], ["--overshoot", "3", "--lr", "5", "--arm", "erase"]),
    (["--lr", "5", "routeA", "--preset", "fast"], ["--lr", "5", "--preset", "fast", "--arm", "routeA"]),
    (["--arm", "route", "--lr", "5"], ["--arm", "route", "--lr", "5"]),
    (["route", "--arm", "route"], ["--arm", "route"]),
    (["--run-name", "erase"], ["--run-name", "erase"]),  # a flag's value is not the arm
])
def test_a_bare_arm_name_is_the_arm(argv, want):
    assert _arm_subcommand(argv) == want


def test_two_arms_are_an_error():
    with pytest.raises(UserError, match="one arm per run"):
        _arm_subcommand(["erase", "--arm", "route"])


def test_a_flag_the_arm_ignores_cannot_be_given(capsys):
    assert main(["train", "vanilla", "--overshoot", "2"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "projects nothing" in err


@pytest.mark.parametrize("argv,says", [
    (["train", "vanilla", "--gate.tail-q", "0.2"], "has no gate"),  # a nested option is owned too
    (["train", "routeA", "--preset", "fast", "--no-project-update"], "projects nothing"),
    (["train", "erase", "--advmod-alpha=2"], "advmod"),
])
def test_other_arms_flags_are_refused_by_name(argv, says, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and says in err and "arms that read it" in err


def test_arm_help_lists_only_what_the_arm_reads(capsys):
    with pytest.raises(SystemExit):
        main(["train", "vanilla", "--help"])
    vanilla = capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["train", "erase", "--preset", "fast", "--help"])
    erase = capsys.readouterr().out
    assert "--lr" in vanilla and "--lr" in erase
    assert "--overshoot" not in vanilla and "--gate.tail-q" not in vanilla and "--advmod-alpha" not in vanilla
    assert "--overshoot" in erase and "--gate.tail-q" not in erase


def test_a_gate_given_to_an_arm_without_one_is_a_config_error():
    import dataclasses

    from projected_grpo.train.config import ConfigError, preset
    cfg = preset("smoke", "vanilla")
    with pytest.raises(ConfigError, match="has no gate"):
        dataclasses.replace(cfg, gate=dataclasses.replace(cfg.gate, tail_q=0.2))
    assert preset("smoke", "routeA").gate.warmup == 16  # the smoke gate is routeA's preset default
    assert preset("smoke", "routeA").with_arm("vanilla").gate == cfg.gate


def test_arm_help_names_its_own_options():
    assert "--overshoot" in _description("erase") and "--overshoot" not in _description("routeA")
    assert "--gate" in _description("routeV")


def test_an_older_run_config_with_another_arms_option_still_loads():
    """config.json of earlier runs stores flat fields; one another arm reads (inert in that run,
    rejected for new runs) goes back to its reference on reading, so eval / resume still work."""
    from projected_grpo.train.config import ConfigError, TrainConfig, preset

    d = dict(preset("smoke").to_dict(), overshoot=1.5, direction_seed=4)
    cfg = TrainConfig.from_dict(d)
    assert (cfg.arm, cfg.overshoot, cfg.direction_seed) == ("vanilla", 1.0, 0)
    erase = dict(preset("smoke", "erase").to_dict(), overshoot=1.5)
    assert TrainConfig.from_dict(erase).overshoot == 1.5  # its own option is kept
    with pytest.raises(ConfigError, match="projects nothing"):
        preset("smoke", overshoot=1.5)
