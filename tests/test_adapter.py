"""Dual-block adapter invariants on the tiny model: identity at init, exact mask semantics
(also through gradient checkpointing), deployment ablation, per-rollout gradients, parity with
peft LoRA, decay toward init, save/load."""

import pytest
import torch

from projected_grpo.adapter.adapter import Adapter, AdapterConfig
from projected_grpo.model.builders import build_tiny

VARIANTS = ("frozen_a", "lora2r", "svd")


def setup(variant="frozen_a", init="lora", seed=0, **cfg):
    model, tok = build_tiny(seed=seed)
    adapter = Adapter(model, AdapterConfig(variant=variant, rank=4, init=init, **cfg))
    return model, adapter


def ids(batch=3, length=10, seed=0):
    return torch.randint(0, 256, (batch, length), generator=torch.Generator().manual_seed(seed))


def perturb(adapter, block, scale=0.05, seed=1):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in adapter.parameters(block):
            p.add_(torch.randn(p.shape, generator=g) * scale)


def grads(adapter):
    return {n: (p.grad.clone() if p.grad is not None else torch.zeros_like(p)) for n, p in adapter.named_parameters()}


def row_losses(model, x):
    logits = model(x).logits
    return torch.nn.functional.cross_entropy(logits[:, :-1].transpose(1, 2), x[:, 1:], reduction="none").mean(1)


@pytest.mark.parametrize("variant,init", [("frozen_a", "lora"), ("lora2r", "lora"), ("lora2r", "pissa"), ("svd", "lora")])
def test_identity_at_init(variant, init):
    model, _ = build_tiny()
    x = ids()
    ref = model(x).logits
    Adapter(model, AdapterConfig(variant=variant, rank=4, init=init))
    assert torch.equal(model(x).logits, ref) or torch.allclose(model(x).logits, ref, atol=1e-5)


@pytest.mark.parametrize("variant", VARIANTS)
def test_each_mask_sends_gradient_only_where_it_should(variant):
    model, adapter = setup(variant)
    perturb(adapter, "dep", seed=2)
    perturb(adapter, "quar", seed=3)  # away from 0 so every block has a gradient path
    x = ids()
    for zone, (m, d) in {"keep": (0, 0), "absorb": (1, 0), "route": (1, 1)}.items():
        adapter.model.zero_grad(set_to_none=True)
        for p in adapter.parameters():
            p.grad = None
        with adapter.masks(torch.full((3,), float(m)), torch.full((3,), float(d))):
            row_losses(model, x).sum().backward()
        dep = [p.grad for p in adapter.parameters("dep")]
        quar = [p.grad for p in adapter.parameters("quar")]
        dep_zero = all(g is None or torch.count_nonzero(g) == 0 for g in dep)
        quar_zero = all(g is None or torch.count_nonzero(g) == 0 for g in quar)
        assert dep_zero == (zone == "route"), zone
        assert quar_zero == (zone == "keep"), zone


@pytest.mark.parametrize("variant", VARIANTS)
def test_mixed_batch_masks_equal_single_row_runs(variant):
    """Rows [keep, absorb, route] in one batch give each block exactly the gradient of the rows
    that should reach it; route leaves the forward value unchanged."""
    model, adapter = setup(variant)
    perturb(adapter, "quar", seed=4)
    x = ids()
    m, d = torch.tensor([0.0, 1.0, 1.0]), torch.tensor([0.0, 0.0, 1.0])
    with adapter.masks(m, d):
        row_losses(model, x).sum().backward()
    batch = grads(adapter)
    expected = {n: torch.zeros_like(g) for n, g in batch.items()}
    for i in range(3):
        for p in adapter.parameters():
            p.grad = None
        with adapter.masks(m[i:i + 1], d[i:i + 1]):
            row_losses(model, x[i:i + 1]).sum().backward()
        for n, g in grads(adapter).items():
            expected[n] += g
    for n in batch:
        assert torch.allclose(batch[n], expected[n], atol=1e-6), n
    with torch.no_grad(), adapter.masks(torch.ones(3), torch.zeros(3)):
        absorb_logits = model(x).logits
    with torch.no_grad(), adapter.masks(torch.ones(3), torch.ones(3)):
        assert torch.equal(model(x).logits, absorb_logits)


def test_masks_stay_valid_through_gradient_checkpointing():
    x = ids()
    m, d = torch.tensor([0.0, 1.0, 1.0]), torch.tensor([0.0, 0.0, 1.0])
    results = []
    for checkpointing in (False, True):
        model, adapter = setup("lora2r")
        perturb(adapter, "quar", seed=5)
        model.train()
        if checkpointing:
            model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        with adapter.masks(m, d):
            row_losses(model, x).sum().backward()
        results.append(grads(adapter))
    for n in results[0]:
        assert torch.allclose(results[0][n], results[1][n], atol=1e-6), n


@pytest.mark.parametrize("variant", VARIANTS)
def test_ablation_noop_at_init_removes_perturbation_and_restores(variant):
    model, adapter = setup(variant)
    x = ids()
    with torch.no_grad():
        base = model(x).logits
        with adapter.ablated():
            assert torch.equal(model(x).logits, base)
        perturb(adapter, "dep", seed=6)
        dep_only = model(x).logits
        perturb(adapter, "quar", seed=7)
        full = model(x).logits
        assert not torch.allclose(full, dep_only)
        with adapter.ablated():
            assert torch.allclose(model(x).logits, dep_only, atol=1e-6)
        assert torch.equal(model(x).logits, full)  # restored exactly
        adapter.deploy()
        assert torch.allclose(model(x).logits, dep_only, atol=1e-6)


@pytest.mark.parametrize("variant", VARIANTS)
def test_per_rollout_gradients_equal_a_loop(variant):
    model, adapter = setup(variant)
    perturb(adapter, "dep", seed=8)
    x = ids(batch=4)
    m, d = torch.tensor([1.0, 1.0, 0.0, 1.0]), torch.tensor([0.0, 1.0, 0.0, 0.0])
    with adapter.per_sample(), adapter.masks(m, d):
        (row_losses(model, x) * torch.tensor([1.0, -2.0, 0.5, 3.0])).sum().backward()
        per = adapter.per_sample_grads()
    weights = [1.0, -2.0, 0.5, 3.0]
    for i in range(4):
        for p in adapter.parameters():
            p.grad = None
        with adapter.masks(m[i:i + 1], d[i:i + 1]):
            (row_losses(model, x[i:i + 1]) * weights[i]).sum().backward()
        for name, module in adapter.modules.items():
            loop = module.direction_param.grad
            loop = torch.zeros_like(per[name][i]) if loop is None else loop
            assert torch.allclose(per[name][i], loop, atol=1e-6), (name, i)
    assert all(torch.count_nonzero(g[1]) == 0 for g in per.values())  # the route row: no deployed gradient


def test_parity_with_peft_lora():
    """Quarantine ablated, no masks: frozen_a == peft LoRA(A, B_dep); lora2r == peft with two
    active adapters (A_dep, B_dep) and (A0_dep, -B0_dep)."""
    peft = pytest.importorskip("peft")
    x = ids()
    for variant in ("frozen_a", "lora2r"):
        model, adapter = setup(variant)
        perturb(adapter, "dep", seed=9)
        perturb(adapter, "quar", seed=10)
        with torch.no_grad(), adapter.ablated():
            ours = model(x).logits
        ref_model, _ = build_tiny()
        cfg = peft.LoraConfig(r=4, lora_alpha=4, lora_dropout=0.0, target_modules=list(adapter.cfg.targets))
        pm = peft.get_peft_model(ref_model, cfg)
        names = ["default"]
        if variant == "lora2r":
            pm.add_adapter("init", cfg)
            names.append("init")
        with torch.no_grad():
            for name, module in adapter.modules.items():
                lora = pm.base_model.model.get_submodule(name)
                a = module.A if variant == "frozen_a" else module.A_dep
                lora.lora_A["default"].weight.copy_(a)
                lora.lora_B["default"].weight.copy_(module.B_dep)
                if variant == "lora2r":
                    lora.lora_A["init"].weight.copy_(module.A0_dep)
                    lora.lora_B["init"].weight.copy_(-module.B0_dep)
        pm.base_model.set_adapter(names)
        with torch.no_grad():
            theirs = pm(x).logits
        assert torch.allclose(ours, theirs, atol=1e-5), variant


def test_decay_toward_init_and_block_norms():
    model, adapter = setup("lora2r")
    assert adapter.block_norms() == {"dep": 0.0, "quar": 0.0}
    perturb(adapter, "dep")
    assert adapter.block_norms()["dep"] > 0
    adapter.decay_toward_init(0.5)
    half = adapter.block_norms()["dep"]
    adapter.decay_toward_init(1.0)
    assert adapter.block_norms()["dep"] < 1e-6 < half


def test_pooled_capture_is_the_masked_token_mean():
    model, adapter = setup("frozen_a")
    x = ids()
    token_mask = torch.zeros(3, 10)
    token_mask[:, 6:] = 1
    name, module = next(iter(adapter.modules.items()))
    seen = {}
    hook = module.register_forward_pre_hook(lambda mod, args: seen.__setitem__("x", args[0].detach()))
    with torch.no_grad(), adapter.capture(token_mask) as pooled:
        model(x)
    hook.remove()
    h = seen["x"] @ module.A.T
    assert torch.allclose(pooled[name], h[:, 6:].mean(1), atol=1e-6)
    assert pooled[name].shape == (3, 4)


@pytest.mark.parametrize("variant", VARIANTS)
def test_save_load_round_trip(variant, tmp_path):
    model, adapter = setup(variant)
    perturb(adapter, "dep")
    perturb(adapter, "quar", seed=2)
    x = ids()
    with torch.no_grad():
        ref = model(x).logits
    adapter.save(tmp_path)
    model2, adapter2 = setup(variant)
    adapter2.load(tmp_path)
    with torch.no_grad():
        assert torch.equal(model2(x).logits, ref)
    model3, _ = build_tiny()
    a3 = Adapter(model3, AdapterConfig(variant=variant, rank=2))
    with pytest.raises(ValueError, match="differs"):
        a3.load(tmp_path)


def test_config_validation():
    with pytest.raises(ValueError, match="lora2r initialisation"):
        AdapterConfig(variant="frozen_a", init="pissa")
    with pytest.raises(ValueError, match="rank"):
        AdapterConfig(rank=0)
    model, _ = build_tiny()
    with pytest.raises(ValueError, match="contrastive statistics"):
        Adapter(model, AdapterConfig(variant="lora2r", init="scorda"))


def _reference_output(mod, x, m, d):
    """The method brief's per-block form, written out: dep and quar as full-width outputs,
    then dep <- (1-d) dep + d sg(dep), quar <- m quar."""
    f = lambda t: t.to(x.dtype)  # noqa: E731
    if mod.variant == "frozen_a":
        dep, quar = x @ f(mod.A).T @ f(mod.B_dep).T, x @ f(mod.A).T @ f(mod.B_quar).T
    elif mod.variant == "lora2r":
        blk = lambda b: (x @ f(getattr(mod, f"A_{b}")).T @ f(getattr(mod, f"B_{b}")).T  # noqa: E731
                         - x @ f(getattr(mod, f"A0_{b}")).T @ f(getattr(mod, f"B0_{b}")).T)
        dep, quar = blk("dep"), blk("quar")
    else:
        h = x @ f(mod.Vh).T
        dep, quar = (h * f(mod.s_dep)) @ f(mod.U).T, (h * f(mod.s_quar)) @ f(mod.U).T
    d, m = d.view(-1, 1, 1), m.view(-1, 1, 1)
    return mod.base(x) + (1 - d) * dep + d * dep.detach() + m * quar


@pytest.mark.parametrize("variant", VARIANTS)
def test_fused_forward_equals_the_per_block_form(variant):
    """The adapter applies masks in the bottleneck and sums every term in one up-GEMM; values
    and gradients (to both blocks and to the input) equal the per-block formula, also for
    fractional masks."""
    model, adapter = setup(variant)
    perturb(adapter, "dep", seed=11)
    perturb(adapter, "quar", seed=12)
    name, mod = next(iter(adapter.modules.items()))
    x = torch.randn(4, 5, mod.base.in_features, generator=torch.Generator().manual_seed(13))
    m, d = torch.tensor([0.0, 1.0, 1.0, 0.7]), torch.tensor([0.0, 0.0, 1.0, 0.4])
    g_out = torch.randn(4, 5, mod.base.out_features, generator=torch.Generator().manual_seed(14))
    results = []
    for fused in (True, False):
        xi = x.clone().requires_grad_(True)
        for p in adapter.parameters():
            p.grad = None
        if fused:
            with adapter.masks(m, d):
                out = mod(xi)
        else:
            out = _reference_output(mod, xi, m, d)
        (out * g_out).sum().backward()
        results.append((out.detach(), xi.grad, {k: p.grad.clone() for k, p in mod.named_parameters(recurse=False)}))
    (o1, gx1, gp1), (o2, gx2, gp2) = results
    torch.testing.assert_close(o1, o2, atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(gx1, gx2, atol=1e-5, rtol=1e-5)
    for k in gp1:
        torch.testing.assert_close(gp1[k], gp2[k], atol=1e-5, rtol=1e-5, msg=lambda s: f"{name}.{k}: {s}")


@pytest.mark.parametrize("variant", VARIANTS)
def test_decay_moves_every_block_toward_its_init_by_the_factor(variant):
    """The foreach decay: each block's distance from its initial values shrinks by exactly
    (1 - factor), for copies (lora2r) and zero inits (frozen_a, svd) alike, and the optimizer's
    block gradient norms are the L2 norms over every tensor of the block."""
    from projected_grpo.train.optim import AdapterOptimizer

    model, adapter = setup(variant)
    perturb(adapter, "dep", seed=2)
    perturb(adapter, "quar", seed=3)
    before = adapter.block_norms()
    adapter.decay_toward_init(0.25)
    after = adapter.block_norms()
    for block in before:
        assert after[block] == pytest.approx(0.75 * before[block], rel=1e-5), block
    for p in adapter.parameters():
        p.grad = torch.randn_like(p)
    opt = AdapterOptimizer(adapter, 1e-3, (0.9, 0.99), 0.0, 1.0, 0, 10)
    norms = opt.grad_norms()
    for block in ("dep", "quar"):
        expect = sum(float(p.grad.double().square().sum()) for p in adapter.parameters(block)) ** 0.5
        assert norms[block] == pytest.approx(expect, rel=1e-5), block
