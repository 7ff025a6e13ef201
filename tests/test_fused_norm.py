"""model/fused_norm.py: F.rms_norm in place of transformers' eager RMSNorm gives the same logits
and adapter gradients (Qwen3 and Llama, fp32; bf16 within rounding), every norm goes through the
fused call, and `--fused-norm` trains the same run as without it."""

from __future__ import annotations

import dataclasses
import json

import pytest
import torch

from projected_grpo.adapter.adapter import Adapter, AdapterConfig
from projected_grpo.errors import UserError
from projected_grpo.model import fused_norm
from projected_grpo.model.fused_norm import fuse_or_fail, fuse_rms_norms, unfuse_rms_norms


def tiny(kind: str):
    from transformers import LlamaConfig, LlamaForCausalLM, Qwen3Config, Qwen3ForCausalLM

    shape = dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
                 num_key_value_heads=2, head_dim=16, vocab_size=97)
    torch.manual_seed(0)
    model = (Qwen3ForCausalLM(Qwen3Config(**shape)) if kind == "qwen3" else LlamaForCausalLM(LlamaConfig(**shape)))
    with torch.no_grad():  # norms as a trained model has them: weights far from 1, a large eps
        for m in model.modules():
            if type(m).__name__ in fused_norm.FUSABLE:
                m.weight.copy_(torch.randn(m.weight.shape) * 0.5 + 1.0)
                m.variance_epsilon = 0.3
    Adapter(model, AdapterConfig(variant="lora2r", rank=4, seed=1))
    with torch.no_grad():  # a trained-looking adapter, so its gradients are not trivially zero
        for n, p in model.named_parameters():
            if p.requires_grad:
                p.add_(torch.randn(p.shape) * 0.1)
    return model


def logits_and_grads(model, ids):
    model.zero_grad()
    logits = model(ids).logits
    logits.float().logsumexp(-1).mean().backward()
    grads = {n: p.grad.clone() for n, p in model.named_parameters() if p.grad is not None}
    return logits.detach().float(), grads


@pytest.mark.parametrize("kind,norms", [("qwen3", 2 * 4 + 1), ("llama", 2 * 2 + 1)])
def test_fused_norm_gives_the_eager_logits_and_adapter_gradients(kind, norms):
    model = tiny(kind)
    ids = torch.randint(0, 97, (3, 11), generator=torch.Generator().manual_seed(2))
    eager = logits_and_grads(model, ids)
    assert fuse_rms_norms(model) == norms
    fused = logits_and_grads(model, ids)
    torch.testing.assert_close(fused[0], eager[0], rtol=1e-5, atol=1e-5)
    assert eager[1].keys() == fused[1].keys() and eager[1]
    for n in eager[1]:
        torch.testing.assert_close(fused[1][n], eager[1][n], rtol=1e-4, atol=1e-6, msg=n)
    # bf16: the one rounding that differs (w multiplied before the cast) stays within bf16's step
    model = model.to(torch.bfloat16)
    unfuse_rms_norms(model)
    e = model(ids).logits.float()
    fuse_rms_norms(model)
    f = model(ids).logits.float()
    assert (f - e).abs().max() <= 0.05 * e.abs().max()


def test_every_norm_goes_through_the_fused_call_once_per_forward(monkeypatch):
    calls = []
    real = fused_norm.F.rms_norm
    monkeypatch.setattr(fused_norm.F, "rms_norm", lambda *a, **k: calls.append(1) or real(*a, **k))
    model = tiny("qwen3")
    ids = torch.randint(0, 97, (2, 5))
    model(ids)
    assert calls == []  # eager until fused
    assert fuse_rms_norms(model) == 9 and fuse_rms_norms(model) == 9  # idempotent
    model(ids)
    assert len(calls) == 9
    assert unfuse_rms_norms(model) == 9
    model(ids)
    assert len(calls) == 9  # back to eager


def test_a_model_without_a_fusable_norm_fails_in_one_line():
    from transformers import GPT2Config, GPT2LMHeadModel

    model = GPT2LMHeadModel(GPT2Config(n_embd=32, n_layer=1, n_head=2, vocab_size=50))
    with pytest.raises(UserError, match=r"--fused-norm: this model has no Qwen3RMSNorm or LlamaRMSNorm .*LayerNorm.*pass --no-fused-norm"):
        fuse_or_fail(model)


def test_fused_norm_trains_the_same_run(tmp_path):
    """Two steps of vanilla GRPO on the tiny model (fp32, CPU), with and without --fused-norm:
    the flag reaches the model (every norm fused) and the run's losses and adapter are the same."""
    from trainer_helpers import small_cfg, warm_caches

    from projected_grpo.train.trainer import Trainer

    cfg = small_cfg(tmp_path, "vanilla", steps=2)
    warm_caches(cfg)
    out = {}
    for flag in (False, True):
        t = Trainer(dataclasses.replace(cfg, fused_norm=flag, run_name=f"fused-{flag}"), quiet=True)
        fused = [m for m in t.model.modules() if getattr(m.forward, "__func__", None) is fused_norm._fused_forward]
        assert len(fused) == (9 if flag else 0)
        start = {n: p.detach().clone() for n, p in t.model.named_parameters() if p.requires_grad}
        t.run()
        rows = [json.loads(line) for line in (t.run_dir / "metrics.jsonl").read_text().splitlines()]
        end = {n: p.detach().clone() for n, p in t.model.named_parameters() if p.requires_grad}
        assert any(not torch.equal(start[n], end[n]) for n in start)  # the steps trained something
        out[flag] = ([r["loss/total"] for r in rows], end)
        t.close()
    assert len(out[True][0]) == 2
    assert out[True][0] == pytest.approx(out[False][0], rel=1e-4, abs=1e-6)
    for n, p in out[False][1].items():
        torch.testing.assert_close(out[True][1][n], p, rtol=1e-4, atol=1e-6, msg=n)
