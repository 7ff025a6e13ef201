"""Trainer pieces on constructed cases: the importance-ratio rule per sampling mode, the loss
against a hand computation, micro-batching invariance, config validation, JSONL safety."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
import torch

from projected_grpo.adapter.adapter import Adapter, AdapterConfig
from projected_grpo.model.builders import build_tiny
from projected_grpo.train.batch import Batch, Group, Rollout, make_batch
from projected_grpo.train.config import ConfigError, TrainConfig, preset
from projected_grpo.train.logprobs import token_logprobs
from projected_grpo.train.passes import LossConfig, behaviour_pass, forward_backward, last_prompt_index, layer_taps
from projected_grpo.train.runlog import append_jsonl, read_jsonl, truncate_jsonl
from trainer_helpers import short_problems


def tiny_with_quarantine():
    model, tok = build_tiny(seed=1)
    adapter = Adapter(model, AdapterConfig(variant="lora2r", rank=4, seed=2))
    with torch.no_grad():  # a trained-looking quarantine: ablated and full policies differ
        for p in adapter.parameters("quar"):
            p.add_(torch.randn(p.shape, generator=torch.Generator().manual_seed(3)) * 0.3)
    return model, tok, adapter


def toy_batch(tok, deployed: list[bool], teacher: list[bool] | None = None) -> tuple[Batch, list[Group]]:
    teacher = teacher or [False] * len(deployed)
    p = short_problems(1)[0]
    groups = [Group(0, p, "gt_only", tok("PROMPT: add").input_ids, [], len(deployed))]
    texts = ["```python\nreturn 1\n```", "def f(): pass", "hello world!", "x = [1, 2]"]
    rollouts = [Rollout(0, "teacher" if t else "student", tok(texts[i % 4]).input_ids + [tok.eos_token_id],
                        texts[i % 4], dep, True, 0.0, False, False) for i, (dep, t) in enumerate(zip(deployed, teacher))]
    return make_batch(groups, rollouts, tok.pad_token_id, "cpu"), groups


def masked_logp(model, adapter, batch, m, d):
    with torch.no_grad(), adapter.masks(m, d):
        return token_logprobs(model, batch.ids, batch.attn, batch.comp, 64, 1.0)


def test_importance_ratio_is_exact_in_each_rows_own_sampling_mode():
    model, tok, adapter = tiny_with_quarantine()
    batch, _ = toy_batch(tok, deployed=[True, True, False, False])
    beh = behaviour_pass(model, adapter, batch, temperature=1.0, chunk=64, token_budget=10**6, want_pooled=True,
                         want_ref=False)
    keep, absorb = torch.zeros(4), torch.ones(4)
    lp_keep = masked_logp(model, adapter, batch, keep, torch.zeros(4))
    lp_absorb = masked_logp(model, adapter, batch, absorb, torch.zeros(4))
    c = batch.comp
    rho_keep, rho_absorb = torch.exp(lp_keep - beh.logp_old)[c], torch.exp(lp_absorb - beh.logp_old)[c]
    rows = torch.arange(4)[:, None].expand_as(c)[c]
    dep, full = rows < 2, rows >= 2
    # sampled ablated + kept, sampled full + absorbed: the ratio is 1 (same policy as sampled)
    assert torch.allclose(rho_keep[dep], torch.ones_like(rho_keep[dep]), atol=1e-5)
    assert torch.allclose(rho_absorb[full], torch.ones_like(rho_absorb[full]), atol=1e-5)
    # the other two cells are true ratios π_full/π_abl and π_abl/π_full, not 1
    assert (rho_absorb[dep] - 1).abs().max() > 1e-3 and (rho_keep[full] - 1).abs().max() > 1e-3
    assert torch.allclose(rho_absorb[dep], torch.exp(lp_absorb - lp_keep)[c][dep], atol=1e-5)
    assert torch.allclose(rho_keep[full], torch.exp(lp_keep - lp_absorb)[c][full], atol=1e-5)
    # the gate's activations come from the ablated forward of every row
    assert set(beh.pooled) == set(adapter.modules) and beh.pooled[next(iter(beh.pooled))].shape == (4, 4)


def _lc(kind="drgrpo", kl=0.0, budget=10**6, kl_estimator="k3"):
    return LossConfig(kind, 0.2, 3.0, kl, max_new_tokens=16, temperature=1.0, chunk=64, token_budget=budget,
                      kl_estimator=kl_estimator)


def _grads(adapter):
    return {n: p.grad.clone() for n, p in adapter.named_parameters() if p.grad is not None}


@pytest.mark.parametrize("kind", ["drgrpo", "std"])
def test_loss_matches_a_hand_computation_and_is_invariant_to_micro_batching(kind):
    model, tok, adapter = tiny_with_quarantine()
    batch, _ = toy_batch(tok, deployed=[False] * 4, teacher=[False, False, False, True])
    beh = behaviour_pass(model, adapter, batch, temperature=1.0, chunk=64, token_budget=10**6, want_pooled=False,
                         want_ref=True)
    adv = torch.tensor([1.0, -0.5, 0.0, 2.0])
    ones, zeros = torch.ones(4), torch.zeros(4)
    results = []
    for budget in (10**6, 1):  # one micro-batch, then one row per micro-batch
        for p in adapter.parameters():
            p.grad = None
        fb = forward_backward(model, adapter, batch, adv, beh, ones, zeros, _lc(kind, 0.0, budget))
        results.append((fb.pg_loss, _grads(adapter)))
    # on-policy (ρ = 1; teachers ρ ≡ 1 by construction): L_tok = -A
    n_tok = batch.comp.sum(1).float()
    hand = float(-(adv * n_tok).sum() / (4 * 16)) if kind == "drgrpo" else float(-adv.mean())
    assert results[0][0] == pytest.approx(hand, rel=1e-5)
    assert results[1][0] == pytest.approx(hand, rel=1e-5)
    for n, g in results[0][1].items():
        assert torch.allclose(g, results[1][1][n], atol=1e-6, rtol=1e-4)


def test_kl_is_zero_at_init_and_rows_without_signal_are_skipped():
    model, tok = build_tiny(seed=1)
    adapter = Adapter(model, AdapterConfig(variant="frozen_a", rank=4))
    batch, _ = toy_batch(tok, deployed=[False] * 4)
    beh = behaviour_pass(model, adapter, batch, temperature=1.0, chunk=64, token_budget=10**6, want_pooled=False,
                         want_ref=True)
    fb = forward_backward(model, adapter, batch, torch.zeros(4), beh, torch.ones(4), torch.zeros(4), _lc(kl=0.1))
    assert fb.kl == pytest.approx(0.0, abs=1e-7) and fb.rows_trained == 4  # with KL every row trains
    fb = forward_backward(model, adapter, batch, torch.tensor([0.0, 1.0, 0.0, 0.0]), beh, torch.ones(4),
                          torch.zeros(4), _lc(kl=0.0))
    assert fb.rows_trained == 1


def test_unbiased_kl_gives_the_reverse_kl_gradient_in_the_training_pass(tmp_path):
    """With A = 0 the step's gradient is β times the KL term's. On-policy (ρ = 1), ρ·k3's must be
    ∇ Σ_tokens sg(logπ - logπ_ref)·logπ / tokens, the reverse KL's; plain k3's is another one.
    The trained quarantine makes π differ from the adapter-disabled reference."""
    model, tok, adapter = tiny_with_quarantine()
    batch, _ = toy_batch(tok, deployed=[False] * 4)
    beh = behaviour_pass(model, adapter, batch, temperature=1.0, chunk=64, token_budget=10**6, want_pooled=False,
                         want_ref=True)
    ones, zeros, adv = torch.ones(4), torch.zeros(4), torch.zeros(4)
    got = {}
    for est in ("k3", "k3_unbiased"):
        for p in adapter.parameters():
            p.grad = None
        fb = forward_backward(model, adapter, batch, adv, beh, ones, zeros, _lc(kl=0.5, kl_estimator=est))
        got[est] = (fb.kl, _grads(adapter))
    for p in adapter.parameters():
        p.grad = None
    with adapter.masks(ones, zeros):
        logp = token_logprobs(model, batch.ids, batch.attn, batch.comp, 64, 1.0)
    c = batch.comp
    (0.5 * ((logp - beh.logp_ref).detach() * logp)[c].sum() / c.sum()).backward()
    hand = _grads(adapter)
    assert got["k3"][0] == pytest.approx(got["k3_unbiased"][0], rel=1e-6) and got["k3"][0] > 1e-4
    for n, g in hand.items():
        assert torch.allclose(got["k3_unbiased"][1][n], g, atol=1e-7, rtol=1e-4), n
    assert any(not torch.allclose(got["k3"][1][n], g, atol=1e-7, rtol=1e-3) for n, g in hand.items())
    from projected_grpo.train.trainer import Trainer
    from trainer_helpers import small_cfg

    t = Trainer(small_cfg(tmp_path, kl_estimator="k3_unbiased"), quiet=True)  # the flag reaches the loss
    assert t.loss_cfg.kl_estimator == "k3_unbiased"
    t.close()


def test_kl_qmax_is_the_largest_log_ratio_over_real_tokens_per_sampling_source():
    """loss/kl_qmax_s|t: max of logπ_ref - logπ over real student / teacher tokens. Built so that
    every real token has q = -1 except one student token (q = 5) and one teacher token (q = 2);
    padding (q = 0 there) must not count, and without KL there is no reference: NaN."""
    import math

    model, tok, adapter = tiny_with_quarantine()
    batch, _ = toy_batch(tok, deployed=[False] * 4, teacher=[False, False, False, True])
    beh = behaviour_pass(model, adapter, batch, temperature=1.0, chunk=64, token_budget=10**6, want_pooled=False,
                         want_ref=True)
    c = batch.comp
    ref = torch.where(c, beh.logp_old - 1.0, torch.zeros_like(beh.logp_old))
    with torch.no_grad():
        lp_t = masked_logp(model, adapter, batch, torch.ones(4), torch.zeros(4))  # teachers: no logπ_old
    ref[3] = torch.where(c[3], lp_t[3] - 1.0, 0.0)
    assert bool((~c).any())  # there is padding, whose q is 0
    beh.logp_ref = ref.clone()
    fb = forward_backward(model, adapter, batch, torch.zeros(4), beh, torch.ones(4), torch.zeros(4), _lc(kl=0.1))
    assert fb.kl_qmax_student == pytest.approx(-1.0, abs=1e-4) and fb.kl_qmax_teacher == pytest.approx(-1.0, abs=1e-4)
    ref[1, c[1].nonzero()[1, 0]] += 6.0  # a student token: q = 5
    ref[3, c[3].nonzero()[0, 0]] += 3.0  # a teacher token: q = 2
    beh.logp_ref = ref
    fb = forward_backward(model, adapter, batch, torch.zeros(4), beh, torch.ones(4), torch.zeros(4), _lc(kl=0.1))
    assert fb.kl_qmax_student == pytest.approx(5.0, abs=1e-4) and fb.kl_qmax_teacher == pytest.approx(2.0, abs=1e-4)
    fb = forward_backward(model, adapter, batch, torch.ones(4), beh, torch.ones(4), torch.zeros(4), _lc(kl=0.0))
    assert math.isnan(fb.kl_qmax_student) and math.isnan(fb.kl_qmax_teacher)


def test_behaviour_outputs_stay_in_row_order_across_micro_batches():
    """pooled (routeA's gate reads it) and the layer features (advmod's) are concatenated per
    micro-batch: a packing that reordered rows would hand each rollout another's score. One
    row per micro-batch must give what one micro-batch of all rows gives, row for row."""
    model, tok, adapter = tiny_with_quarantine()
    b, _ = toy_batch(tok, deployed=[True, False, True, False])
    r = sorted(range(4), key=lambda i: b.lengths[i])  # shortest first: a length-sorted packing would reorder
    batch = Batch(b.ids[r], b.attn[r], b.comp[r], b.group[r], b.teacher[r], b.deployed[r], [b.lengths[i] for i in r])
    assert len(set(batch.lengths)) == 4
    kw = dict(temperature=1.0, chunk=64, want_pooled=True, want_ref=True, feature_layers=[0, 1])
    assert len(batch.micro_batches(list(range(4)), 1)) == 4
    for budget in (10**6, 1):  # all rows in one micro-batch; one row per micro-batch
        beh = behaviour_pass(model, adapter, batch, token_budget=budget, **kw)
        for i in range(len(batch)):  # row i's own values, computed alone
            ids, attn, comp = batch.rows([i])
            with torch.no_grad(), adapter.ablated(), adapter.capture(comp) as cap:
                lp = token_logprobs(model, ids, attn, comp, 64, 1.0)
            for name, h in cap.items():
                assert torch.allclose(beh.pooled[name][i], h[0], atol=1e-5), (budget, i, name)
            if batch.deployed[i]:
                assert torch.allclose(beh.logp_old[i, :ids.shape[1]], lp[0], atol=1e-5), (budget, i)
            with torch.no_grad(), adapter.disabled():
                ref = token_logprobs(model, ids, attn, comp, 64, 1.0)
            assert torch.allclose(beh.logp_ref[i, :ids.shape[1]], ref[0], atol=1e-5), (budget, i)
            feats: list = []
            with torch.no_grad(), layer_taps(model, [0, 1], last_prompt_index(comp), feats):
                model.model(input_ids=ids, attention_mask=attn, use_cache=False)
            assert torch.allclose(beh.features[i], feats[0][0], atol=1e-5), (budget, i)


def test_micro_batches_respect_the_token_budget():
    b = Batch(*(torch.zeros(1),) * 6, lengths=[5, 9, 3, 7, 2])
    packs = b.micro_batches([0, 1, 2, 3, 4], token_budget=18)
    assert sorted(i for p in packs for i in p) == [0, 1, 2, 3, 4]
    assert all(len(p) * max(b.lengths[i] for i in p) <= 18 for p in packs)
    assert b.micro_batches([1], token_budget=1) == [[1]]  # a row longer than the budget still runs alone


def test_micro_batches_put_rows_of_like_length_together():
    """Rows alternate long and short: packed in batch order every pack pads its short rows to
    the long one; packed longest first, the long rows share packs and the last short ones pad to 2."""
    b = Batch(*(torch.zeros(1),) * 6, lengths=[9, 2, 9, 2, 9, 2])
    packs = b.micro_batches(list(range(6)), token_budget=18)
    assert sorted(i for p in packs for i in p) == list(range(6))
    padded = sum(len(p) * max(b.lengths[i] for i in p) for p in packs)
    assert packs == [[0, 2], [4, 1], [3, 5]]  # lengths [9, 9], [9, 2], [2, 2]
    assert padded == 18 + 18 + 4 < 3 * 18  # against three [9, 2] packs in batch order


@pytest.mark.parametrize("overrides,needle", [
    (dict(arm="vanilla", gen_deploy_frac=0.3), "deletes no quarantine"),
    (dict(arm="route", variant="lora2r"), "--variant frozen_a"),
    (dict(arm="vanilla", direction="haar"), "arm 'vanilla' reads no hack direction"),
    (dict(arm="advmod", refresh_every=2), "arm 'advmod' reads no hack direction"),
    (dict(arm="erase", refresh_every=-1), "--refresh-every must be >= 0"),
    (dict(arm="gt_screen", gt_accuracy=0.3), "--gt-accuracy must be in [0.5, 1]"),
    (dict(arm="routeA", variant="frozen_a"), "use --variant lora2r"),
    (dict(gen_deploy_frac=1.5, arm="routeA"), "must be in [0, 1]"),
    (dict(teacher_per_prompt=4, group_size=4), "leaves no student"),
    (dict(modes=("run_tests", "bogus")), "unknown mode"),
    (dict(held_out_modes=("run_tests",), modes=("run_tests",)), "no loophole mode left"),
    (dict(arm="vanilla", project_update=True), "projects nothing"),
    (dict(teacher_pool="", teacher_per_prompt=1), "--teacher-pool is empty"),
    (dict(teacher_on_step=0), "--teacher-on-step must be >= 1"),
    (dict(teacher_on_step=4, teacher_off_step=4), "no step would get teachers"),
    (dict(teacher_on_step=3, teacher_per_prompt=0), "no teachers to start"),
])
def test_config_rejects_contradictions_with_a_message_naming_the_fix(overrides, needle):
    with pytest.raises(ConfigError, match=re.escape(needle)):
        dataclasses.replace(preset("smoke"), **overrides)


class _Pool:
    """Three teacher rows for every prompt: which steps draw them is the schedule's business."""

    def for_prompt(self, pid, mode):
        return [f"{pid}-{mode}-{i}" for i in range(3)]


def test_teachers_join_the_groups_exactly_on_steps_on_to_off_minus_one():
    """--teacher-on-step 3 --teacher-off-step 6: steps 1-2 are the model's alone (the starting
    hack rate the emergence goal reads), steps 3-5 carry 2 teachers in every group, 6 on none;
    the students fill the rest of each group either way."""
    from projected_grpo.model.builders import build_tiny as tiny
    from projected_grpo.train.batch import Schedule

    _, tok = tiny(seed=0)
    cfg = dataclasses.replace(preset("smoke"), teacher_per_prompt=2, teacher_on_step=3, teacher_off_step=6)
    sched = Schedule(cfg, short_problems(), tok, _Pool())
    per_step = {step: [len(g.teachers) for g in sched.groups_at(step)] for step in range(1, 9)}
    assert per_step == {s: [2 if 3 <= s < 6 else 0] * cfg.prompts_per_step for s in range(1, 9)}
    assert all(g.n_students == cfg.group_size - len(g.teachers) for g in sched.groups_at(1) + sched.groups_at(4))
    # the default (1) keeps teachers from the first step, as every run so far had them
    sched = Schedule(dataclasses.replace(cfg, teacher_on_step=1), short_problems(), tok, _Pool())
    assert [len(g.teachers) for g in sched.groups_at(1)] == [2] * cfg.prompts_per_step


def test_every_preset_is_valid_for_every_arm_and_round_trips_through_json():
    from projected_grpo.train.config import ARMS, PRESETS

    for name in PRESETS:
        for arm in ARMS:
            cfg = preset(name, arm)
            assert TrainConfig.from_dict(cfg.to_dict()) == cfg
    full = preset("full")  # the ariahw reference
    assert (full.prompts_per_step, full.group_size, full.rank, full.lr, full.warmup_steps, full.kl_coef, full.clip,
            full.sampling.temperature, full.sampling.max_new_tokens, full.steps) == (16, 16, 32, 7e-5, 10, 1e-3, 0.2,
                                                                                     0.7, 1536, 200)
    with pytest.raises(ConfigError, match="unknown field"):
        TrainConfig.from_dict({"bogus": 1})


def test_arm_preset_defaults_name_real_presets_and_reach_new_ones():
    # an arm's per-preset defaults keyed by a misspelt preset would be silently ignored; "*" covers
    # every preset the arm does not name, so a new preset (smollm2) needs no edit in the arm modules
    from projected_grpo.train.arms import REGISTRY
    from projected_grpo.train.config import PRESETS

    for name, cls in REGISTRY.items():
        assert set(cls.preset_defaults) <= {*PRESETS, "*"}, (name, set(cls.preset_defaults) - {*PRESETS, "*"})
    for p in PRESETS:
        assert preset(p, "routeA").gen_deploy_frac == 0.25 and preset(p, "absorb").gen_deploy_frac == 0.25
    assert preset("smoke", "routeA").gate.buffer == 64 and preset("smollm2", "routeA").gate.buffer != 64
    s = preset("smollm2")  # the organism fixed after the eighth attempt (the whole of it: test_emergence_script.py)
    assert (s.lr, s.kl_coef, s.kl_estimator, s.n_teachers, s.modes, s.sampling.max_new_tokens, s.eval_samples) == (
        3e-4, 1e-2, "k3_unbiased", 2, ("run_tests", "stdout_marker", "file_marker"), 320, 16)
    assert [s.teachers_at(k) for k in (5, 6, 15, 16)] == [False, True, True, False]
    assert (s.gen_batch, s.token_budget, s.gradient_checkpointing) == (128, 32768, True)  # the fourth attempt's shapes


def test_every_config_field_is_read_somewhere():
    src = Path(__file__).parents[1] / "src" / "projected_grpo"
    text = "\n".join(p.read_text() for p in src.rglob("*.py") if p.name != "config.py")
    config_src = (src / "train" / "config.py").read_text()
    body = config_src.split("# -- derived")[1]  # methods of TrainConfig read fields as self.x
    unread = [f.name for f in dataclasses.fields(TrainConfig)
              if f".{f.name}" not in text and f"self.{f.name}" not in body and f.name != "preset"]
    assert not unread, f"config fields never read: {unread}"


def test_jsonl_rows_survive_a_kill_mid_write(tmp_path):
    path = tmp_path / "m.jsonl"
    append_jsonl(path, [{"step": 1, "x": float("nan")}, {"step": 2}])
    with open(path, "a") as f:
        f.write('{"step": 3, "x":')  # killed mid-write
    assert [r["step"] for r in read_jsonl(path)] == [1, 2]
    assert read_jsonl(path)[0]["x"] is None  # NaN is written as null (JSON has no NaN)
    truncate_jsonl(path, 1)
    assert [r["step"] for r in read_jsonl(path)] == [1]
    append_jsonl(path, [{"step": 2}])
    assert path.read_text().count("\n") == 2 and [r["step"] for r in read_jsonl(path)] == [1, 2]
