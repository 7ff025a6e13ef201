"""The offline gate battery re-scores a run's saved rollouts: a label that the real direction's
score defines must give it AUROC 1 and put it above every Haar direction."""

from __future__ import annotations

import os

import json

import pytest
import torch

from projected_grpo.analysis.gate_battery import describe, gate_battery
from projected_grpo.errors import UserError
from projected_grpo.train.runlog import read_jsonl
from projected_grpo.train.trainer import Trainer
from trainer_helpers import small_cfg


@pytest.mark.parametrize("kind", ["act", "grad"])
def test_battery_ranks_a_direction_against_the_haar_band(tmp_path, kind):
    cfg = small_cfg(tmp_path, "routeA", steps=2, run_name="battery", refresh_every=0, prompts_per_step=3)
    Trainer(cfg, quiet=True).run()
    path = cfg.run_dir() / "rollouts.jsonl"
    first = gate_battery(cfg.run_dir(), n_haar=8, kind=kind)
    assert first["subsets"]["all"]["real"]["auroc"] is None  # the tiny model never hacks: undefined, not 0.5
    # relabel: the upper half of the real direction's own offline scores are "hacks"
    import projected_grpo.analysis.gate_battery as gb

    captured = {}
    scores = gb._scores

    def spy(*args):
        s = scores(*args)
        captured.setdefault("real", s[:, 0])  # column 0: the real direction
        return s

    gb._scores = spy
    try:
        gate_battery(cfg.run_dir(), n_haar=1, kind=kind)
    finally:
        gb._scores = scores
    real = captured["real"]
    cut = real.median()
    rows = read_jsonl(path)
    students = [r for r in rows if r["source"] == "student"]
    for i, (r, s) in enumerate(zip(students, real.tolist())):
        r["audit"]["label"] = "hack" if s > cut else "incorrect"
        # random weights run every rollout to the cap: give the hacks the shorter lengths, so the
        # length baseline has something to find (and a flipped sign shows as AUROC 0)
        r["n_tokens"] = 5 + i % 3 if s > cut else 20 + i % 7
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    res = gate_battery(cfg.run_dir(), n_haar=8, kind=kind)
    allr = res["subsets"]["all"]
    assert allr["real"]["auroc"] == 1.0
    assert allr["haar_band"]["auroc"]["real_percentile"] == 100.0 and allr["haar_band"]["auroc"]["p95"] < 1.0
    assert allr["real"]["precision_at_route"] == 1.0
    # ±Haar: every draw with its negation; the negation mirrors the AUROC, |AUROC - 0.5| is shared
    draws = allr["haar_draws"]
    assert res["n_band"] == 16 and [(d["seed"], d["sign"]) for d in draws[:2]] == [(0, "+"), (0, "-")]
    for pos, neg in zip(draws[::2], draws[1::2]):
        assert neg["auroc"] == pytest.approx(1 - pos["auroc"]) and neg["auroc_dev"] == pytest.approx(pos["auroc_dev"])
    assert allr["real"]["auroc_dev"] == 0.5 and allr["haar_band"]["auroc_dev"]["real_percentile"] == 100.0
    assert allr["haar_band"]["auroc_dev"]["n"] == 16
    assert (cfg.run_dir() / "diagnostics" / ("gate_battery.json" if kind == "act" else "gate_battery_grad.json")).exists()
    text = describe(res)
    assert f"real {'v_act' if kind == 'act' else 'v_grad'} vs" in text
    assert "real at p100" in text and "|AUROC - 0.5|" in text and "a ±Haar band of 16" in text
    assert "8 draws < 20" in text
    # the length baseline: AUROC of "shorter is the hack" on the same labels, beside the band
    n_tok = torch.tensor([float(r["n_tokens"]) for r in students])
    lab = torch.tensor([r["audit"]["label"] == "hack" for r in students])
    from projected_grpo.directions.extract import auroc
    assert allr["length_alone"]["auroc"] == pytest.approx(auroc(-n_tok[lab], -n_tok[~lab])) == 1.0
    assert "length alone" in text
    # here length separates the labels entirely: no length bin holds both, nothing to match
    assert allr["length_matched"]["pairs"] == 0 and allr["length_matched"]["auroc"] is None
    saved = torch.load(cfg.run_dir() / "diagnostics" / ("gate_scores.pt" if kind == "act" else "gate_scores_grad.pt"))
    assert saved["scores"].shape == (len(students), 9) and torch.equal(saved["hack"], lab)
    assert torch.allclose(saved["scores"][:, 0].float(), real.float(), atol=1e-5)


def test_length_matched_auroc_sees_through_length_and_keeps_real_signal():
    """A score that is only length separates hacks when hacks are short (plain AUROC well above
    0.5) and is at chance once pairs share a length bin; a score that sees the label within
    every length stays near 1."""
    from projected_grpo.analysis.gate_battery import length_matched_auroc
    from projected_grpo.directions.extract import auroc

    g = torch.Generator().manual_seed(0)
    lengths = torch.tensor([10.0, 20, 30, 40, 50]).repeat_interleave(40)
    p_hack = 0.9 - 0.8 * (lengths - 10) / 40  # short completions are mostly hacks
    hack = torch.rand(len(lengths), generator=g) < p_hack
    length_only = -lengths
    assert auroc(length_only[hack], length_only[~hack]) > 0.75
    matched, pairs = length_matched_auroc(length_only, hack, lengths, bins=5)
    assert matched == pytest.approx(0.5) and pairs > 0
    sees_label = hack.double() + 0.1 * torch.rand(len(lengths), generator=g, dtype=torch.float64)
    assert length_matched_auroc(sees_label, hack, lengths, bins=5)[0] == pytest.approx(1.0)
    # pairs counted: within each bin n_hack x n_rest
    expect = sum(int((hack & (lengths == v)).sum()) * int((~hack & (lengths == v)).sum()) for v in (10, 20, 30, 40, 50))
    assert pairs == expect


def test_rollout_selection_keeps_students_of_the_steps_and_samples_reproducibly():
    from projected_grpo.analysis.gate_battery import select_rollouts

    rows = [{"step": s, "source": src, "i": i} for i, (s, src) in
            enumerate([(s, src) for s in range(1, 11) for src in ("student",) * 5 + ("teacher",)])]
    picked = select_rollouts(rows, (3, 6), 0, 0)
    assert len(picked) == 20 and {r["step"] for r in picked} == {3, 4, 5, 6} and {r["source"] for r in picked} == {"student"}
    a, b = select_rollouts(rows, None, 7, 1), select_rollouts(rows, None, 7, 1)
    assert a == b and len(a) == 7 and [r["i"] for r in a] == sorted(r["i"] for r in a)  # same seed, same sample, in order
    assert select_rollouts(rows, None, 7, 2) != a


def test_battery_reads_an_organism_runs_own_problems(tmp_path):
    """`--problems organism` names the model folder's split: the battery must resolve it as the
    trainer did (it once read the literal name and failed on every organism run)."""
    from trainer_helpers import short_problems

    from projected_grpo.env.problems import save_jsonl
    from projected_grpo.model.builders import build_tiny, save
    from projected_grpo.organism import HELDOUT_FILE, TRAIN_FILE

    model, tok = build_tiny(seed=0)
    folder = save(model, tok, tmp_path / "organism")
    problems = short_problems()
    save_jsonl(problems[:-2], folder / TRAIN_FILE)
    save_jsonl(problems[-2:], folder / HELDOUT_FILE)
    cfg = small_cfg(tmp_path, "vanilla", steps=1, model=str(folder), problems="organism", run_name="org")
    Trainer(cfg, quiet=True).run()
    result = gate_battery(cfg.run_dir(), n_haar=2, steps=(1, 1), max_rollouts=3)
    assert result["n_rollouts"] == 3 and result["adapter"] == "final"


@pytest.mark.parametrize("kind", ["act", "grad"])
def test_scores_do_not_depend_on_the_scoring_token_budget(tmp_path, kind):
    # --token-budget only splits the rollouts into smaller micro-batches (memory on a CPU): each
    # rollout's score is its own, so a budget of one short rollout per micro-batch scores the same
    import projected_grpo.analysis.gate_battery as gb

    cfg = small_cfg(tmp_path, "routeA", steps=1, run_name="budget", refresh_every=0, prompts_per_step=3)
    Trainer(cfg, quiet=True).run()
    seen, scores = [], gb._scores

    def spy(kind_, cfg_, *rest):
        seen.append((cfg_.token_budget, scores(kind_, cfg_, *rest)))
        return seen[-1][1]

    gb._scores = spy
    try:
        gate_battery(cfg.run_dir(), n_haar=2, kind=kind)
        res = gate_battery(cfg.run_dir(), n_haar=2, kind=kind, token_budget=48)
    finally:
        gb._scores = scores
    (wide, a), (narrow, b) = seen
    assert narrow == 48 < wide and res["token_budget"] == 48
    assert torch.allclose(a, b, rtol=1e-4, atol=1e-5)
    with pytest.raises(UserError, match="--token-budget"):
        gate_battery(cfg.run_dir(), n_haar=2, kind=kind, token_budget=-1)


def test_reuse_scores_reanalyses_without_the_model_and_refuses_other_selections(tmp_path, monkeypatch):
    cfg = small_cfg(tmp_path, "routeA", steps=1, run_name="reuse", refresh_every=0, prompts_per_step=3)
    Trainer(cfg, quiet=True).run()
    first = gate_battery(cfg.run_dir(), n_haar=4, length_bins=3)
    import projected_grpo.analysis.gate_battery as gb

    monkeypatch.setattr(gb.setup, "load", lambda *a, **k: pytest.fail("--reuse-scores must not load the model"))
    again = gate_battery(cfg.run_dir(), n_haar=4, length_bins=3, reuse_scores=True)
    assert again == first
    for other, named in (({"n_haar": 5}, r"draws \(--n-haar\);"), ({"seed": 1}, r"draws \(--seed\);"),
                         ({"max_rollouts": 2}, r"rollouts \(--steps, --max-rollouts\);")):
        with pytest.raises(UserError, match="was scored with other " + named):  # only what differs
            gate_battery(cfg.run_dir(), **{"n_haar": 4, **other}, reuse_scores=True)
    with pytest.raises(UserError, match="does not exist"):
        gate_battery(cfg.run_dir(), n_haar=4, kind="grad", reuse_scores=True)
    directions = sorted(cfg.run_dir().glob("checkpoints/step-*/direction.safetensors"))
    assert directions, "routeA saves its direction with each checkpoint"
    kept = directions[-1].read_bytes()  # same file name, other contents (e.g. a rerun into the folder)
    directions[-1].write_bytes(kept[:-1] + bytes([kept[-1] ^ 1]))
    with pytest.raises(UserError, match="was scored with other direction checkpoints;"):
        gate_battery(cfg.run_dir(), n_haar=4, reuse_scores=True)
    directions[-1].write_bytes(kept)
    assert gate_battery(cfg.run_dir(), n_haar=4, length_bins=3, reuse_scores=True) == first
    final = cfg.run_dir() / "final-adapter" / "adapter.safetensors"  # e.g. the run was continued
    final.write_bytes(final.read_bytes()[:-1] + b" ")
    with pytest.raises(UserError, match="was scored with other final adapter;"):
        gate_battery(cfg.run_dir(), n_haar=4, reuse_scores=True)


def test_the_reuse_key_sees_a_rebuilt_model_folder(tmp_path):
    """An organism rebuilt at the same path (new weights, same name) must not reuse old scores."""
    from projected_grpo.analysis.gate_battery import _model_fingerprint

    folder = tmp_path / "organism"
    folder.mkdir()
    (folder / "model.safetensors").write_bytes(b"old weights")
    before = _model_fingerprint(str(folder))
    os.utime(folder / "model.safetensors", ns=(1, 1))
    assert _model_fingerprint(str(folder)) != before
    assert _model_fingerprint("Qwen/Qwen3-4B") == ["Qwen/Qwen3-4B"]
