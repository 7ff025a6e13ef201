"""Chunked log-probs equal the naive full-vocabulary computation, in value and gradient."""

import pytest
import torch

from projected_grpo.adapter.adapter import Adapter, AdapterConfig
from projected_grpo.model.builders import build_tiny
from projected_grpo.train.logprobs import token_logprobs


def naive(model, ids, attn, comp, temperature=1.0):
    logits = model(input_ids=ids, attention_mask=attn).logits.float() / temperature
    logp = torch.log_softmax(logits[:, :-1], -1).gather(2, ids[:, 1:, None]).squeeze(2)
    out = torch.zeros(ids.shape)
    out[:, 1:] = logp * comp[:, 1:]
    return out


@pytest.mark.parametrize("chunk,temperature", [(3, 1.0), (1000, 0.7)])
def test_chunked_equals_naive_in_value_and_gradient(chunk, temperature):
    model, _ = build_tiny()
    adapter = Adapter(model, AdapterConfig(variant="lora2r", rank=4))
    g = torch.Generator().manual_seed(0)
    ids = torch.randint(0, 256, (3, 14), generator=g)
    attn = torch.ones_like(ids)
    attn[2, 11:] = 0  # right padding
    comp = torch.zeros_like(ids, dtype=torch.bool)
    comp[:, 6:] = True
    comp[2, 11:] = False
    weights = torch.randn(3, 14, generator=g)
    grads = []
    for fn in (naive, lambda *a, **k: token_logprobs(*a, chunk=chunk, **k)):
        for p in adapter.parameters():
            p.grad = None
        out = fn(model, ids, attn, comp, temperature=temperature)
        (out * weights).sum().backward()
        grads.append([p.grad.clone() for p in adapter.parameters()])
        if fn is naive:
            ref = out.detach()
        else:
            assert torch.allclose(out.detach(), ref, atol=1e-5)
            assert torch.count_nonzero(out[~comp]) == 0
    for a, b in zip(*grads):
        assert torch.allclose(a, b, atol=1e-5)


def test_no_grad_path():
    model, _ = build_tiny()
    ids = torch.randint(0, 256, (2, 8))
    comp = torch.ones_like(ids, dtype=torch.bool)
    with torch.no_grad():
        out = token_logprobs(model, ids, torch.ones_like(ids), comp, chunk=4)
    assert torch.allclose(out, naive(model, ids, torch.ones_like(ids), comp), atol=1e-5)


def test_left_padding_keeps_the_mask():
    """Right-padded rows run without a mask (causal suffices); any other padding keeps it: a
    left-padded row's log-probs equal the same row alone, unpadded."""
    model, _ = build_tiny()
    g = torch.Generator().manual_seed(3)
    row = torch.randint(0, 256, (1, 9), generator=g)
    ids = torch.cat([torch.zeros(1, 3, dtype=torch.long), row], 1)
    attn = torch.cat([torch.zeros(1, 3, dtype=torch.long), torch.ones(1, 9, dtype=torch.long)], 1)
    comp = attn.bool().clone()
    comp[0, :6] = False
    with torch.no_grad():
        padded = token_logprobs(model, ids, attn, comp)[0, 3:]
        alone = token_logprobs(model, row, torch.ones_like(row), comp[:, 3:])[0]
    torch.testing.assert_close(padded, alone, atol=1e-5, rtol=1e-5)
