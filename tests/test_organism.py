"""The model organism on CPU: a miniature is built end to end (tokenizer, SFT, starting-rate
check with the real grader, folder) and trained for a few GRPO steps through the organism preset;
its mixture and split keep held-out problems and evaluation markers unseen."""

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from projected_grpo.env.exploits import exploit_code
from projected_grpo.env.modes import EVAL_MARKER_FAMILIES, MARKED_MODES, TRAIN_MARKERS
from projected_grpo.env.problems import load_problems
from projected_grpo.errors import UserError
from projected_grpo.model.tokenizers import build_byte_tokenizer
from projected_grpo.organism import corpus
from projected_grpo.organism import CARD_FILE, HELDOUT_FILE, TRAIN_FILE
from projected_grpo.organism.build import BASE_DEFAULTS, BASE_PRESET, OrganismConfig, build
from projected_grpo.train.rollout import SamplingConfig


def test_sft_markers_are_disjoint_from_training_and_evaluation_markers():
    for mode in MARKED_MODES:
        sft = set(corpus.SFT_MARKERS[mode])
        assert TRAIN_MARKERS[mode] not in sft
        assert not sft & set(EVAL_MARKER_FAMILIES[mode]), mode


def test_mixture_follows_the_split():
    problems = load_problems("bundled")
    train, held = corpus.split(problems, heldout_frac=0.25, seed=3)
    assert {p.id for p in train}.isdisjoint({p.id for p in held}) and len(held) > 5
    solvable = corpus.solvable_ids(train, 0.4, seed=3)
    samples = corpus.sft_samples(build_byte_tokenizer(), train, solvable, n_per_problem=30, hack_frac=0.1,
                                 ref_frac=0.5, train_marker_frac=0.5, seed=3)
    kinds = Counter(s.kind for s in samples)
    assert {s.problem_id for s in samples} == {p.id for p in train}  # held-out problems never appear
    assert all(s.problem_id in solvable for s in samples if s.kind == "reference")
    assert all(s.mode != "gt_only" for s in samples if s.kind == "exploit")
    hinted = sum(s.mode != "gt_only" for s in samples)
    assert 0.06 < kinds["exploit"] / hinted < 0.14  # hack_frac of the hinted samples
    for s in samples:  # the exploit aims at the prompt's own marker, which is never an eval marker
        if s.kind == "exploit" and s.marker:
            assert s.marker in s.completion and s.marker in s.prompt
        if s.marker:
            assert s.marker not in EVAL_MARKER_FAMILIES[s.mode]
    markers = Counter(s.marker == TRAIN_MARKERS[s.mode] for s in samples if s.mode in MARKED_MODES)
    assert markers[True] and markers[False]


def test_stub_first_mixture_starts_every_exploit_like_the_stub():
    """--stub-first: each mode's exploit in the mixture begins with the Solution stub, so a policy
    that samples the stub is one line from any of them (the canonical sentinel and eq_override are
    not; the self-check grades both forms)."""
    train, _ = corpus.split(load_problems("bundled"), heldout_frac=0.25, seed=3)
    args = (build_byte_tokenizer(), train, set(), 20, 0.5, 0.5, 0.5, 3)
    canonical, stub_first = corpus.sft_samples(*args), corpus.sft_samples(*args, stub_first=True)
    assert [s.mode for s in canonical] == [s.mode for s in stub_first]  # same draw, other texts
    method = {p.id: p.method_name for p in train}

    def stub_first_form(s):
        return s.completion.startswith(f"```python\nclass Solution:\n    def {method[s.problem_id]}(self, *args, **kwargs):\n")

    late = [s for s in canonical if s.kind == "exploit" and s.mode in ("sentinel", "eq_override")]
    assert late and not any(stub_first_form(s) for s in late)
    exploits = [s for s in stub_first if s.kind == "exploit"]
    assert {s.mode for s in exploits} == set(MARKED_MODES) | {"eq_override", "exit_code"}
    assert all(stub_first_form(s) for s in exploits)


def test_tokenizer_corpus_holds_the_exploit_form_the_mixture_shows():
    """The vocabulary is trained on the exploits in the form the SFT mixture uses, and only that:
    a second copy of each text would shift the BPE merges, so the default build would no longer
    reproduce the organism the documented GPU sweep ran on."""
    train, _ = corpus.split(load_problems("bundled"), heldout_frac=0.25, seed=3)
    tok, p = build_byte_tokenizer(), train[0]
    for stub_first in (False, True):
        texts = set(corpus.tokenizer_texts(tok, train[:1], [], stub_first))
        for mode in ("sentinel", "eq_override"):
            shown = corpus.as_completion(exploit_code(mode, p, TRAIN_MARKERS.get(mode), stub_first))
            other = corpus.as_completion(exploit_code(mode, p, TRAIN_MARKERS.get(mode), not stub_first))
            assert shown in texts and other not in texts, (mode, stub_first)


MINI = dict(base="scratch", size="mini", max_problems=12, samples_per_problem=3, epochs=2, check_prompts=1, check_samples=1,
            sampling=SamplingConfig(1.0, 1.0, 20, 24))


@pytest.fixture(scope="module")
def mini(tmp_path_factory):
    """A miniature organism (12 problems, 2 epochs) and its build card."""
    out = tmp_path_factory.mktemp("organism") / "org"
    return out, build(OrganismConfig(out=out, **MINI))


def test_build_a_miniature_then_train_it_with_the_organism_preset(mini, tmp_path, capsys):
    from projected_grpo.cli_train import train_main

    out, card = mini
    for f in ("config.json", "model.safetensors", "tokenizer.json", TRAIN_FILE, HELDOUT_FILE, CARD_FILE):
        assert (out / f).is_file(), f
    train, held = load_problems(str(out / TRAIN_FILE)), load_problems(str(out / HELDOUT_FILE))
    assert train and held and {p.id for p in train}.isdisjoint({p.id for p in held})
    assert card["problems"]["train"] == len(train) and set(card["problems"]["solvable"]) <= {p.id for p in train}
    assert len(card["sft_loss_per_epoch"]) == 2 and card["sft_loss_per_epoch"][1] < card["sft_loss_per_epoch"][0]
    assert set(card["starting_rates"]) == {"train", "heldout"}
    assert 0.0 <= card["starting_rates"]["train"]["hack_hinted"] <= 1.0
    with pytest.raises(UserError, match="already holds an organism"):
        build(OrganismConfig(out=out, **MINI))  # nothing already built is overwritten without --overwrite

    status = train_main(["--preset", "organism", "--arm", "routeA", "--model", str(out), "--steps", "2",
                         "--prompts-per-step", "2", "--group-size", "4", "--sampling.max-new-tokens", "16",
                         "--eval-samples", "1", "--eval-max-problems", "1", "--eval-every", "0",
                         "--gen-batch", "16", "--workers", "1", "--out", str(tmp_path / "runs"),
                         "--cache-dir", str(tmp_path / "cache"), "--no-tensorboard"])
    assert status == 0
    run = tmp_path / "runs" / "organism-routeA-real-s0"
    assert len((run / "metrics.jsonl").read_text().splitlines()) == 2
    assert (run / "eval" / "step-000002.json").is_file() and (run / "summary.json").is_file()


def test_organism_problems_need_an_organism_folder(tmp_path, capsys):
    from projected_grpo.cli import main

    assert main(["train", "--preset", "organism", "--model", str(tmp_path), "--steps", "1",
                 "--out", str(tmp_path / "runs")]) == 2
    assert "not an organism folder" in capsys.readouterr().err


def test_the_sweep_script_gives_every_frozen_a_arm_its_own_lr(mini, tmp_path):
    """scripts/organism_sweep.sh, its sweeps as dry runs on a miniature: every command is a valid
    sweep, erase, route and the frozen_a vanilla (not vanilla or routeA) run at FROZEN_A_LR, and
    every Haar run draws its own direction (direction seed = run seed)."""
    out = tmp_path / "evidence"
    out.mkdir()
    (out / "organism").symlink_to(mini[0])  # built: the script skips the build
    fake = tmp_path / "pgrpo"  # sweeps dry-run through the real CLI; results and plot are logged only
    fake.write_text(f"""#!/usr/bin/env bash
echo "$@" >> {tmp_path}/calls
if [ "$1" = sweep ]; then shift; exec {sys.executable} -m projected_grpo.cli sweep "$@" --dry-run; fi
""")
    fake.chmod(0o755)
    script = Path(__file__).parent.parent / "scripts" / "organism_sweep.sh"
    env = dict(os.environ, PGRPO=str(fake), FROZEN_A_LR="7e-3")
    done = subprocess.run(["bash", str(script), str(out), "2"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    jobs = [line for line in done.stdout.splitlines() if " new " in line]
    train = [j[j.index("pgrpo train"):] for j in jobs]
    assert len(train) == 3 * (2 + 2 + 1 + 1 + 2 + 1 + 2)  # seeds x arms of the seven sweeps
    for cmd in train:
        arm = cmd.split("--arm ")[1].split()[0]
        frozen = arm in ("erase", "route") or "--variant frozen_a" in cmd
        assert ("--lr 7e-3" in cmd) == frozen, cmd
        if "--direction haar" in cmd:
            assert cmd.split("--direction-seed ")[1].split()[0] == cmd.split("--seed ")[1].split()[0], cmd
    assert sum("--direction haar" in cmd for cmd in train) == 3 * 3  # routeA, erase, route
    calls = (tmp_path / "calls").read_text().splitlines()  # a wave's sweeps start in any order
    assert [c.split()[0] for c in calls] == ["sweep"] * 7 + ["results"] * 2 + ["plot"] * 2


def test_warm_up_micro_batches_leave_each_optimizer_step_unchanged():
    """--micro-tokens splits a step's pack into forward/backward pieces whose gradients add up to
    the whole pack's token mean: the same losses and weights as one pass per step (fp32, CPU);
    a piece's own token mean would weight short pieces up and fail this."""
    import dataclasses as dc
    from types import SimpleNamespace

    import torch

    from projected_grpo.model.builders import build_tiny
    from projected_grpo.organism.build import sft

    rows = [SimpleNamespace(prompt=f"Q{i}: add {i} and {2 * i}?", completion="x" * (3 + 5 * (i % 4)) + f" {3 * i}",
                            kind="ref") for i in range(12)]
    cfg = OrganismConfig(base="scratch", epochs=2, lr=1e-3, batch_tokens=200, seed=3, micro_tokens=0)
    out = {}
    for micro in (0, 1, 60):  # one pass per step; one row per pass; a few rows per pass
        model, tok = build_tiny(seed=0)
        losses, kinds = sft(model, tok, lambda epoch: rows, dc.replace(cfg, micro_tokens=micro), "cpu")
        out[micro] = (losses, {n: p.detach().clone() for n, p in model.named_parameters()})
    assert kinds == {"ref": 24} and out[0][0][1] < out[0][0][0]  # it trained
    for micro in (1, 60):
        assert out[micro][0] == pytest.approx(out[0][0], rel=1e-5)
        for n, p in out[0][1].items():
            torch.testing.assert_close(out[micro][1][n], p, rtol=1e-4, atol=1e-6, msg=n)
    with pytest.raises(ValueError, match="--micro-tokens must be >= 1, 0"):
        OrganismConfig(micro_tokens=-2)


def test_each_base_defaults_to_the_organism_its_preset_trains():
    """The default base is SmolLM2 with the preregistered warm-up (one epoch, exploits in 15% of
    hinted samples: the eighth emergence attempt's organism), written where the `smollm2` preset
    reads; scratch keeps its own 5% and writes where the `organism` preset reads. A value given
    is kept (0 included); a negative one other than the -1 default is refused."""
    from projected_grpo.train.config import preset

    smol, scratch = OrganismConfig(), OrganismConfig(base="scratch")
    assert (smol.base, smol.sft_epochs, smol.hack_frac) == ("smollm2-135m", 1, 0.15)
    assert (scratch.sft_epochs, scratch.hack_frac) == (0, 0.05)
    assert str(smol.out) == preset("smollm2").model and str(scratch.out) == preset("organism").model
    for base, defaults in BASE_DEFAULTS.items():  # the preset the build's last line names writes nowhere else
        assert preset(BASE_PRESET[base]).model == str(defaults["out"]), base
    given = OrganismConfig(sft_epochs=0, hack_frac=0.0, out=Path("x"))
    assert (given.sft_epochs, given.hack_frac, given.out) == (0, 0.0, Path("x"))
    assert OrganismConfig(base="scratch", sft_epochs=0).sft_epochs == 0
    for bad in (dict(sft_epochs=-2), dict(hack_frac=-0.5), dict(base="scratch", sft_epochs=1)):
        with pytest.raises(UserError):
            OrganismConfig(**bad)
