"""transformers-generation rollouts: per-row quarantine on/off, EOS handling, determinism."""

import pytest
import torch

from projected_grpo.adapter.adapter import Adapter, AdapterConfig
from projected_grpo.model.builders import build_tiny
from projected_grpo.train.rollout import HFGenerate, SamplingConfig


def setup():
    model, tok = build_tiny(seed=4)
    adapter = Adapter(model, AdapterConfig(variant="lora2r", rank=4))
    with torch.no_grad():
        for p in adapter.parameters("quar"):
            p.add_(torch.randn(p.shape, generator=torch.Generator().manual_seed(5)) * 0.5)
    return model, tok, adapter


def test_deployed_rows_are_sampled_with_the_quarantine_ablated():
    model, tok, adapter = setup()
    engine = HFGenerate(model, tok, adapter)
    prompts = [tok("hello").input_ids, tok("a longer prompt here").input_ids]
    greedy = SamplingConfig(temperature=0, max_new_tokens=12)
    mixed = engine.generate(prompts, [False, True], greedy, seed=0)
    full = engine.generate(prompts, [False, False], greedy, seed=0)
    dep = engine.generate(prompts, [True, True], greedy, seed=0)
    assert mixed.completion_ids[0] == full.completion_ids[0]
    assert mixed.completion_ids[1] == dep.completion_ids[1]
    assert full.completion_ids[1] != dep.completion_ids[1]  # the quarantine changes what is sampled
    assert mixed.deployed == [False, True]
    for c, fin in zip(mixed.completion_ids, mixed.finished):
        assert len(c) <= 12 and fin == (bool(c) and c[-1] == tok.eos_token_id)


def test_sampling_is_seeded_and_stops_at_eos():
    model, tok, adapter = setup()
    engine = HFGenerate(model, tok, adapter)
    prompts = [tok("x").input_ids] * 4
    cfg = SamplingConfig(temperature=1.0, top_k=0, top_p=1.0, max_new_tokens=20)
    a = engine.generate(prompts, [False, True, False, True], cfg, seed=3)
    b = engine.generate(prompts, [False, True, False, True], cfg, seed=3)
    assert a.completion_ids == b.completion_ids
    eos = tok.eos_token_id
    with torch.no_grad():  # make EOS overwhelmingly likely: every row must stop right there
        model.lm_head.weight[eos] += 50.0
    c = engine.generate(prompts, [False] * 4, cfg, seed=1)
    assert all(ids == [eos] and fin for ids, fin in zip(c.completion_ids, c.finished))


def test_sampling_config_validation():
    with pytest.raises(ValueError, match="bad sampling config"):
        SamplingConfig(top_p=0)
