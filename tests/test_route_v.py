"""routeV (issue 20's proof arm): the routeA gate on exact per-rollout gradient scores against
v_grad = unit(mean(g_hack - g_clean)). Its score is checked against one backward per rollout,
its config against the registry's rules, and its gate against both zones on the tiny model."""

from __future__ import annotations

import dataclasses

import pytest
import torch
from trainer_helpers import small_cfg

from projected_grpo.directions.sequences import completion_nll
from projected_grpo.train.batch import Batch
from projected_grpo.train.config import ConfigError, preset
from projected_grpo.train.trainer import Trainer
from projected_grpo.util import read_jsonl


def test_routeV_config_comes_from_its_module():
    cfg = preset("smoke", "routeV")
    assert cfg.adapter_variant == "lora2r" and cfg.has_quarantine and cfg.gen_deploy_frac == 0.25
    assert cfg.arm_class.extract_config(cfg).method == "mean" and cfg.arm_class.extract_config(cfg).kind == "grad"
    assert cfg.resolved_run_name() == "smoke-routeV-real-s0"
    with pytest.raises(ConfigError, match="use --variant lora2r"):
        dataclasses.replace(cfg, variant="frozen_a")
    with pytest.raises(ConfigError, match="projects nothing"):
        dataclasses.replace(cfg, overshoot=2.0)
    assert dataclasses.replace(cfg, direction="haar_neg").direction == "haar_neg"  # its controls


@pytest.fixture(scope="module")
def trainer(tmp_path_factory):
    t = Trainer(small_cfg(tmp_path_factory.mktemp("rv"), "routeV", steps=2, refresh_every=0), quiet=True)
    return t


def test_scores_are_exact_per_rollout_gradients_along_v(trainer):
    arm, model, adapter = trainer.arm, trainer.model, trainer.adapter
    torch.manual_seed(0)
    n, t = 3, 12
    ids = torch.randint(5, 200, (n, t))
    comp = torch.zeros(n, t, dtype=torch.bool)
    comp[:, 6:] = True
    lengths = [12, 10, 9]
    attn = torch.zeros(n, t, dtype=torch.long)
    for i, L in enumerate(lengths):
        attn[i, :L] = 1
        comp[i, L:] = False
    batch = Batch(ids, attn, comp, torch.zeros(n, dtype=torch.long), torch.zeros(n, dtype=torch.bool),
                  torch.zeros(n, dtype=torch.bool), lengths)
    feats, ones = arm.scored(batch, None)
    got = torch.stack([feats[m][:, 0] for m in arm.gate.modules], 1)  # [n, M]
    assert all(p.grad is None for p in adapter.parameters())  # the step's own backward starts from zero
    for i in range(n):  # one plain backward per rollout, under the quarantine-ablated model
        for p in adapter.parameters():
            p.grad = None
        L = lengths[i]
        with adapter.ablated():
            completion_nll(model, ids[i:i + 1, :L], attn[i:i + 1, :L], comp[i:i + 1, :L],
                           trainer.cfg.nll_normalize).sum().backward()
            want = torch.stack([adapter.modules[m].direction_param.grad.flatten().float()
                                @ arm.direction.vectors[m][0].float() for m in arm.gate.modules])
        assert torch.allclose(got[i], want, rtol=1e-4, atol=1e-6), (i, got[i], want)
    assert all(float(v.sum()) == 1.0 for v in ones.vectors.values())


def test_gate_fills_keep_and_route_on_the_tiny_model(trainer):
    trainer.run()
    rows = read_jsonl(trainer.cfg.run_dir() / "metrics.jsonl")
    assert trainer.cfg.arm_class.smoke_paths(trainer.cfg, rows)["gate_zones"]


def test_an_accepted_refresh_empties_the_gate_buffer(tmp_path):
    """Buffered routeV scores are along the old v and cannot be re-scored: after a refresh the
    tails must come from new-v scores only (routeA re-scores its activations instead)."""
    t = Trainer(small_cfg(tmp_path, "routeV", steps=3, refresh_every=1, refresh_min_overlap=0.0), quiet=True)
    t.run()
    rows = read_jsonl(t.cfg.run_dir() / "metrics.jsonl")
    assert all(r["direction/basis_overlap"] is not None for r in rows[1:])  # steps 2 and 3 refreshed
    assert t.arm.gate.seen == sum(r["rollout/n"] for r in rows)
    assert len(t.arm.gate.acts) == rows[-1]["rollout/n"]  # only the last step's: the refresh before it flushed
    said, old = [], t.arm.direction
    t.arm.maybe_refresh(2, t.model, t.tok, said.append)
    assert t.arm.direction is not old and t.arm.gate.acts is None and "buffered old-v scores dropped" in said[-1]


def test_grad_scores_put_the_authored_hacks_above_their_clean_sides(tmp_path):
    """The sign of routeV's (and the battery's v_grad) score: v = unit(mean(g_hack - g_clean)), so
    on the pairs v was extracted from, Σ_m <g_m(hack), v_m> - <g_m(clean), v_m> averages |mean D| > 0
    per module: a hack-like rollout scores high and is routed. A score of the wrong sign (or of
    other gradients than the extraction's) fails here."""
    from projected_grpo.directions.extract import pair_sequences
    from projected_grpo.directions.sequences import collate
    from projected_grpo.train import setup
    from projected_grpo.train.gate import grad_scores

    t = Trainer(small_cfg(tmp_path, "routeV", steps=1, refresh_every=0), quiet=True)
    cfg, arm = t.cfg, t.arm
    hack, clean = pair_sequences(t.tok, setup.pair_selection(cfg))
    ids, attn, comp = collate(hack + clean, t.tok.pad_token_id, "cpu")
    n = len(hack)
    batch = Batch(ids, attn, comp, torch.zeros(2 * n, dtype=torch.long), torch.zeros(2 * n, dtype=torch.bool),
                  torch.zeros(2 * n, dtype=torch.bool), [len(s) for s, _ in hack + clean])
    modules = arm.gate.modules
    s = grad_scores(t.model, t.adapter, batch, [arm.direction.vectors], modules, cfg.token_budget, cfg.nll_normalize)[:, 0]
    margin = (s[:n] - s[n:]).mean(0)  # [M]: per module, <mean D, unit(mean D)> = |mean D|
    assert bool((margin > 0).all()), margin
    assert (s[:n].sum(-1) > s[n:].sum(-1)).float().mean() > 0.5  # most pairs: the hack side scores higher
