"""The fast rollout engine on CPU (the same step the GPU captures as CUDA graphs): same tokens as
transformers greedy generation, per-row quarantine, slot refill and compaction, behaviour
log-probs equal to a teacher-forced recompute, and sampling from the requested distribution."""

from contextlib import nullcontext

import pytest
import torch
from transformers.generation.logits_process import TemperatureLogitsWarper, TopKLogitsWarper, TopPLogitsWarper

from projected_grpo.adapter.adapter import Adapter, AdapterConfig
from projected_grpo.engine import weights as wts
from projected_grpo.engine.fast import FastGenerate
from projected_grpo.engine.sampling import sample, warped_probs
from projected_grpo.model.builders import build_tiny
from projected_grpo.train.logprobs import token_logprobs
from projected_grpo.train.rollout import HFGenerate, SamplingConfig, make_engine

GREEDY = SamplingConfig(temperature=0, max_new_tokens=40)


def trained_adapter(variant: str, eos_boost: float = 1.0):
    """A tiny model whose adapter blocks are both far from init (so the quarantine matters)."""
    model, tok = build_tiny(seed=4)
    adapter = Adapter(model, AdapterConfig(variant=variant, rank=4))
    g = torch.Generator().manual_seed(5)
    with torch.no_grad():
        for p in adapter.parameters():
            p.add_(torch.randn(p.shape, generator=g) * 0.3)
        model.lm_head.weight[tok.eos_token_id] *= eos_boost  # tied embeddings: rows stop at varied lengths
    return model, tok, adapter


def prompts_of(tok, n: int):
    return [tok(f"prompt number {i} " + "ab" * (i % 5)).input_ids for i in range(n)]


@pytest.mark.parametrize("variant,attention", [("lora2r", "sdpa"), ("frozen_a", "sdpa"), ("svd", "sdpa"),
                                               ("lora2r", "matmul"), ("frozen_a", "split_k")])
def test_greedy_tokens_equal_transformers_generate(variant, attention):
    model, tok, adapter = trained_adapter(variant, eos_boost=6.0)
    prompts, deployed = prompts_of(tok, 20), [i % 3 == 0 for i in range(20)]
    hf = HFGenerate(model, tok, adapter).generate(prompts, deployed, GREEDY, seed=0)
    # 16 slots for 20 requests (refill), context buckets of 8 tokens, a host check every 3 steps
    engine = FastGenerate(model, tok, adapter, max_batch=16, bucket=8, check_every=3, attention=attention)
    fast = engine.generate(prompts, deployed, GREEDY, seed=0)
    assert fast.completion_ids == hf.completion_ids
    assert fast.finished == hf.finished and fast.texts == hf.texts and fast.deployed == deployed
    if variant == "lora2r":  # this model stops at varied steps: the harvest/refill path is exercised
        assert len({len(c) for c in fast.completion_ids}) > 8 and any(fast.finished) and not all(fast.finished)
    batches = {b for b, _ in engine.stats.buckets}
    assert batches == {16, 8}  # the live rows were compacted into a smaller batch bucket
    assert len({c for _, c in engine.stats.buckets}) > 3  # attention read growing context buckets
    assert engine.stats.tokens == sum(len(c) for c in fast.completion_ids)


def test_quarantine_is_per_row():
    model, tok, adapter = trained_adapter("lora2r")
    prompts = prompts_of(tok, 6)
    engine = FastGenerate(model, tok, adapter, max_batch=8, bucket=16)
    mixed = engine.generate(prompts, [False, True] * 3, GREEDY, seed=0)
    full = engine.generate(prompts, [False] * 6, GREEDY, seed=0)
    dep = engine.generate(prompts, [True] * 6, GREEDY, seed=0)
    for i in range(6):
        assert mixed.completion_ids[i] == (dep if i % 2 else full).completion_ids[i]
    assert full.completion_ids != dep.completion_ids  # the quarantine changes what is sampled


def test_zero_quarantine_skips_the_low_rank_path_with_the_same_tokens():
    model, tok = build_tiny(seed=4)
    adapter = Adapter(model, AdapterConfig(variant="lora2r", rank=4))
    with torch.no_grad():
        for p in adapter.parameters("dep"):
            p.add_(0.3 * torch.randn_like(p))
    assert wts.quarantine_is_zero(adapter)
    prompts = prompts_of(tok, 5)
    hf = HFGenerate(model, tok, adapter).generate(prompts, [False, True] * 2 + [False], GREEDY, seed=0)
    engine = FastGenerate(model, tok, adapter, max_batch=8, bucket=16)
    assert engine.generate(prompts, [False, True] * 2 + [False], GREEDY, seed=0).completion_ids == hf.completion_ids
    assert all(layer.qkv.b_q is None for layer in engine.layers)


def test_weights_follow_the_adapter_between_calls():
    """Merged weights are rewritten in place each call (captured graphs keep pointing at them)."""
    model, tok, adapter = trained_adapter("frozen_a")
    prompts = prompts_of(tok, 4)
    engine = FastGenerate(model, tok, adapter, max_batch=4, bucket=16)
    engine.generate(prompts, [False] * 4, GREEDY, seed=0)
    w = engine.layers[0].qkv.w
    with torch.no_grad():
        for p in adapter.parameters("dep"):
            p.mul_(-1.0)
    after = engine.generate(prompts, [False] * 4, GREEDY, seed=0)
    assert engine.layers[0].qkv.w is w  # same storage, new values
    assert after.completion_ids == HFGenerate(model, tok, adapter).generate(prompts, [False] * 4, GREEDY, 0).completion_ids


def test_a_kept_longer_cache_serves_shorter_calls_with_the_same_tokens():
    """A call whose prompts need less cache than the kept one reuses it (no reallocation, so the
    captured graphs survive) and samples exactly what a fresh engine samples; a call that needs
    more grows it."""
    model, tok, adapter = trained_adapter("lora2r", eos_boost=4.0)
    short, long = prompts_of(tok, 4), [tok("a much longer prompt " * 6).input_ids] * 4
    cfg = SamplingConfig(temperature=0.8, top_k=20, top_p=0.95, max_new_tokens=12)
    engine = FastGenerate(model, tok, adapter, max_batch=4, bucket=8)
    engine.generate(long, [False] * 4, cfg, seed=0)
    kept, shape = engine.kc, engine._shape
    again = engine.generate(short, [False, True] * 2, cfg, seed=7)
    assert engine.kc is kept and engine._shape == shape
    fresh = FastGenerate(model, tok, adapter, max_batch=4, bucket=8).generate(short, [False, True] * 2, cfg, seed=7)
    assert fresh.completion_ids == again.completion_ids and fresh.logprobs == again.logprobs
    engine.generate([tok("longer still " * 20).input_ids] * 4, [False] * 4, cfg, seed=0)
    assert engine._shape[1] > shape[1]


def test_behaviour_logprobs_equal_a_teacher_forced_recompute():
    model, tok, adapter = trained_adapter("lora2r", eos_boost=4.0)
    prompts, deployed = prompts_of(tok, 10), [i % 2 == 1 for i in range(10)]
    cfg = SamplingConfig(temperature=0.7, top_k=20, top_p=0.9, max_new_tokens=30)
    out = FastGenerate(model, tok, adapter, max_batch=4, bucket=8, check_every=4).generate(prompts, deployed, cfg, 1)
    for p, c, lp, d in zip(prompts, out.completion_ids, out.logprobs, deployed):
        assert len(lp) == len(c)
        ids = torch.tensor([p + c])
        comp = torch.zeros_like(ids, dtype=torch.bool)
        comp[0, len(p):] = True
        with torch.no_grad(), adapter.ablated() if d else nullcontext():
            ref = token_logprobs(model, ids, torch.ones_like(ids), comp, temperature=0.7)[0, len(p):]
        torch.testing.assert_close(torch.tensor(lp), ref, atol=2e-5, rtol=1e-4)


def test_sampling_is_seeded_and_respects_max_new_tokens_and_eos():
    model, tok, adapter = trained_adapter("lora2r")
    prompts = prompts_of(tok, 6)
    cfg = SamplingConfig(temperature=1.0, top_k=0, top_p=1.0, max_new_tokens=12)
    engine = FastGenerate(model, tok, adapter, max_batch=4, bucket=8)
    a = engine.generate(prompts, [False, True] * 3, cfg, seed=3)
    b = engine.generate(prompts, [False, True] * 3, cfg, seed=3)
    c = engine.generate(prompts, [False, True] * 3, cfg, seed=4)
    assert a.completion_ids == b.completion_ids != c.completion_ids
    assert all(len(x) <= 12 for x in a.completion_ids)
    one = engine.generate(prompts, [False] * 6, SamplingConfig(temperature=0, max_new_tokens=1), seed=0)
    assert all(len(x) == 1 for x in one.completion_ids)
    for x, fin in zip(a.completion_ids, a.finished):
        assert fin == (x[-1] == tok.eos_token_id) and (fin or len(x) == 12)
    # a model that stops almost at once under greedy decoding; benchmarks fix lengths with ignore_eos
    model, tok, adapter = trained_adapter("lora2r", eos_boost=8.0)
    stops = FastGenerate(model, tok, adapter, max_batch=4, bucket=8).generate(prompts, [False] * 6, GREEDY, 0)
    assert sum(len(x) == 1 and fin for x, fin in zip(stops.completion_ids, stops.finished)) >= 3
    fixed = FastGenerate(model, tok, adapter, max_batch=4, bucket=8, ignore_eos=True).generate(prompts, [False] * 6, cfg, 1)
    assert all(len(x) == 12 and not fin for x, fin in zip(fixed.completion_ids, fixed.finished))


def test_stop_lengths_end_rows_where_a_benchmark_says_and_change_no_token():
    """bench step's realistic workload: random weights never sample EOS, so rows stop at drawn
    lengths instead. Each row must stop exactly at its length (refill and compaction move the
    caps with the rows) and keep the greedy tokens of the uncapped run."""
    model, tok, adapter = trained_adapter("lora2r")
    prompts, deployed = prompts_of(tok, 20), [False, True, False, False] * 5
    # 16 slots: nine rows stop at once, the four queued ones refill their slots and stop soon after,
    # and the seven long rows left in slots 9-15 are compacted into the 8-row bucket
    lengths = [2] * 9 + [30, 12, 40, 7, 25, 33, 60] + [3, 5, 1, 4]  # 60: above max_new_tokens, capped at 40
    engine = FastGenerate(model, tok, adapter, max_batch=16, bucket=8, check_every=3, ignore_eos=True)
    full = engine.generate(prompts, deployed, GREEDY, 0)
    engine.stop_lengths = lambda n: lengths[:n]
    capped = engine.generate(prompts, deployed, GREEDY, 0)
    assert [len(c) for c in capped.completion_ids] == [min(n, 40) for n in lengths]
    assert all(c == f[:len(c)] for c, f in zip(capped.completion_ids, full.completion_ids))
    assert engine.stats.tokens == sum(min(n, 40) for n in lengths)
    assert any(nb == 8 for nb, _ in engine.stats.buckets)  # the compaction happened
    engine.stop_lengths = lambda n: [5]
    with pytest.raises(ValueError, match="1 lengths for 20 rows"):
        engine.generate(prompts, deployed, GREEDY, 0)


@pytest.mark.parametrize("t,k,p", [(0.7, 20, 0.95), (1.0, 0, 0.5), (1.3, 5, 1.0), (0.5, 0, 1.0)])
def test_warped_distribution_equals_transformers_warpers(t, k, p):
    logits = torch.randn(3, 64, generator=torch.Generator().manual_seed(0)) * 2
    z = logits.clone()
    for warper in [TemperatureLogitsWarper(t)] + ([TopKLogitsWarper(k)] if k else []) + \
                  ([TopPLogitsWarper(p)] if p < 1 else []):
        z = warper(None, z)
    torch.testing.assert_close(warped_probs(logits, t, k, p), torch.softmax(z, -1), atol=1e-6, rtol=1e-5)


@pytest.mark.parametrize("t,k,p", [(0.7, 20, 0.95), (1.0, 0, 0.6), (1.0, 4, 1.0)])
def test_samples_follow_the_warped_distribution(t, k, p):
    torch.manual_seed(0)
    logits = torch.randn(1, 32) * 1.5
    n = 100_000
    tok, lp = sample(logits.expand(n, -1), t, k, p)
    freq = torch.bincount(tok, minlength=32).float() / n
    want = warped_probs(logits, t, k, p)[0]
    assert float((freq - want).abs().max()) < 0.006  # ~4 sigma at n = 1e5
    assert float(freq[want == 0].sum()) == 0.0  # never a token top-k / top-p removed
    torch.testing.assert_close(lp, torch.log_softmax(logits / t, -1)[0, tok])


def test_make_engine_picks_transformers_on_cpu_and_rejects_unknown():
    model, tok, adapter = trained_adapter("lora2r")
    assert isinstance(make_engine("auto", model, tok, adapter), HFGenerate)
    assert isinstance(make_engine("fast", model, tok, adapter), FastGenerate)
    with pytest.raises(ValueError, match="unknown rollout engine"):
        make_engine("vllm", model, tok, adapter)
    with pytest.raises(ValueError, match="no adapter"):
        FastGenerate(model, tok, None).generate(prompts_of(tok, 2), [True, False], GREEDY, 0)
    with pytest.raises(ValueError, match="CUDA"):
        FastGenerate(model, tok, adapter, cuda_graphs=True)


# -- on a GPU: the captured CUDA graphs (and torch.compile) give the same tokens -----------------
cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")


@cuda
@pytest.mark.parametrize("compile", [False, True])
def test_cuda_graphs_give_transformers_tokens(compile):
    model, tok, adapter = trained_adapter("lora2r", eos_boost=6.0)
    model.cuda()  # the adapter's modules live inside the model
    prompts, deployed = prompts_of(tok, 20), [i % 3 == 0 for i in range(20)]
    hf = HFGenerate(model, tok, adapter).generate(prompts, deployed, GREEDY, seed=0)
    engine = FastGenerate(model, tok, adapter, max_batch=16, bucket=8, check_every=3, compile=compile)
    assert engine.cuda_graphs
    fast = engine.generate(prompts, deployed, GREEDY, seed=0)
    assert fast.completion_ids == hf.completion_ids
    assert engine.stats.graphs == len(engine.stats.buckets)  # one capture per (batch, context) bucket
    again = engine.generate(prompts, deployed, GREEDY, seed=0)
    assert again.completion_ids == hf.completion_ids and engine.stats.graphs == 0  # replayed, not re-captured
    cfg = SamplingConfig(temperature=0.7, top_k=20, top_p=0.9, max_new_tokens=30)
    a, b = (engine.generate(prompts, deployed, cfg, seed=2) for _ in range(2))
    assert a.completion_ids == b.completion_ids  # seeded sampling replays the same RNG stream
    for p, c, lp, d in zip(prompts, a.completion_ids, a.logprobs, deployed):
        ids = torch.tensor([p + c], device="cuda")
        comp = torch.zeros_like(ids, dtype=torch.bool)
        comp[0, len(p):] = True
        with torch.no_grad(), adapter.ablated() if d else nullcontext():
            ref = token_logprobs(model, ids, torch.ones_like(ids), comp, temperature=0.7)[0, len(p):]
        torch.testing.assert_close(torch.tensor(lp, device="cuda"), ref, atol=1e-4, rtol=1e-4)
    engine.release()
    assert engine.kc is None and not engine.graphs


# -- the Llama family (SmolLM2): no q/k norm, RoPE from the config, tied embeddings ---------------
LLAMA_ROPE = {"default": {"rope_type": "default", "rope_theta": 100000.0},
              "linear": {"rope_type": "linear", "rope_theta": 10000.0, "factor": 2.0},
              # a short original context puts the 8 frequencies of head_dim 16 in all three llama3 bands
              "llama3": {"rope_type": "llama3", "rope_theta": 500000.0, "factor": 8.0, "low_freq_factor": 1.0,
                         "high_freq_factor": 4.0, "original_max_position_embeddings": 64}}


def tiny_llama(rope: dict, seed: int = 4):
    from transformers import LlamaConfig, LlamaForCausalLM

    from projected_grpo.model.tokenizers import build_byte_tokenizer

    tok = build_byte_tokenizer()
    torch.manual_seed(seed)
    cfg = LlamaConfig(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4,
                      num_key_value_heads=2, head_dim=16, vocab_size=len(tok), max_position_embeddings=4096,
                      tie_word_embeddings=True, rope_parameters=rope, bos_token_id=None,
                      eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id)
    model = LlamaForCausalLM(cfg).eval()
    with torch.no_grad():
        model.lm_head.weight[tok.eos_token_id] *= 1.3  # rows stop at varied lengths, some run to the end
    return model, tok


@pytest.mark.parametrize("rope", list(LLAMA_ROPE))
def test_llama_rope_frequencies_equal_transformers(rope):
    from projected_grpo.engine.forward import rope_inv_freq

    model, _ = tiny_llama(LLAMA_ROPE[rope])
    torch.testing.assert_close(rope_inv_freq(model.config, 16), model.model.rotary_emb.inv_freq, rtol=0, atol=0)
    assert model.model.rotary_emb.attention_scaling == 1.0  # what the engine assumes for these types


@pytest.mark.parametrize("rope", list(LLAMA_ROPE))
def test_llama_greedy_tokens_equal_transformers_generate(rope):
    model, tok = tiny_llama(LLAMA_ROPE[rope])
    adapter = Adapter(model, AdapterConfig(variant="lora2r", rank=4))
    with torch.no_grad():
        for p in adapter.parameters():
            p.add_(torch.randn(p.shape, generator=torch.Generator().manual_seed(5)) * 0.3)
    prompts, deployed = prompts_of(tok, 12), [i % 3 == 0 for i in range(12)]
    hf = HFGenerate(model, tok, adapter).generate(prompts, deployed, GREEDY, seed=0)
    engine = FastGenerate(model, tok, adapter, max_batch=8, bucket=8, check_every=3)
    fast = engine.generate(prompts, deployed, GREEDY, seed=0)
    assert all(layer.q_norm is None for layer in engine.layers)
    assert fast.completion_ids == hf.completion_ids and fast.texts == hf.texts
    lengths = {len(c) for c in fast.completion_ids}
    assert len(lengths) > 5 and max(lengths) == GREEDY.max_new_tokens  # refill, compaction, long positions ran


def test_unsupported_models_fall_back_to_transformers_under_auto(capsys):
    from projected_grpo.errors import UserError
    from projected_grpo.train.rollout import resolve_engine

    llama, tok = tiny_llama(LLAMA_ROPE["default"])
    assert resolve_engine("auto", llama, on_cuda=True) == "fast"
    assert resolve_engine("auto", llama, on_cuda=False) == "hf"
    dynamic, _ = tiny_llama({"rope_type": "dynamic", "rope_theta": 10000.0, "factor": 2.0})
    biased, _ = tiny_llama({**LLAMA_ROPE["default"]})
    biased.config.attention_bias = True
    qwen2, _ = build_tiny_qwen2(len(tok))
    for model, why in ((dynamic, "RoPE type 'dynamic'"), (biased, "biased projections"), (qwen2, "model type 'qwen2'")):
        assert resolve_engine("auto", model, on_cuda=True) == "hf"
        notice = capsys.readouterr().out
        assert why in notice and "transformers generate" in notice and notice.count("\n") == 1
        with pytest.raises(UserError, match=f"fast engine does not support {why}.*--engine hf"):
            make_engine("fast", model, tok)


def build_tiny_qwen2(vocab_size: int):
    from transformers import Qwen2Config, Qwen2ForCausalLM

    cfg = Qwen2Config(hidden_size=64, intermediate_size=128, num_hidden_layers=1, num_attention_heads=4,
                      num_key_value_heads=2, vocab_size=vocab_size)
    return Qwen2ForCausalLM(cfg).eval(), None


def test_rope_settings_are_read_from_older_configs_too():
    """Configs written before transformers 5 keep rope_theta and rope_scaling ({"type": ...}) apart."""
    from types import SimpleNamespace

    from projected_grpo.engine.forward import rope_inv_freq, unsupported_rope

    plain = rope_inv_freq(SimpleNamespace(rope_theta=10000.0, rope_scaling=None), 16)
    torch.testing.assert_close(plain, 1.0 / 10000.0 ** (torch.arange(0, 16, 2).float() / 16))
    linear = rope_inv_freq(SimpleNamespace(rope_theta=10000.0, rope_scaling={"type": "linear", "factor": 4.0}), 16)
    torch.testing.assert_close(linear, plain / 4)
    yarn = SimpleNamespace(rope_theta=10000.0, rope_scaling={"rope_type": "yarn", "factor": 4.0})
    assert "RoPE type 'yarn'" in unsupported_rope(yarn)
    with pytest.raises(NotImplementedError, match="RoPE type 'yarn'.*--engine hf"):
        rope_inv_freq(yarn, 16)


def test_auto_attention_is_the_kernel_only_where_it_runs_natively():
    model, tok, adapter = trained_adapter("lora2r")
    assert FastGenerate(model, tok, adapter, max_batch=8, bucket=16).attention == "sdpa"  # CPU: no Triton kernel
    with pytest.raises(ValueError, match="attention must be"):
        FastGenerate(model, tok, adapter, attention="flash")
