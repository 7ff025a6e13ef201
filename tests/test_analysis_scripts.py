"""scripts/stub_rollouts.py, scripts/saved_bytes.py and scripts/norm_bench.py, one-off measurements the docs cite
(the sixth SmolLM2 attempt's stub counts; the activation estimate behind the no-checkpointing
lever; the fused-norm A/B), run on constructed inputs."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from trainer_helpers import fake_run, small_cfg

ROOT = Path(__file__).resolve().parents[1]


def script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


STUB = "```python\nclass Solution:\n    def f(self, *args, **kwargs):\n        return 0\n```"
STUB_BLANK = "```python\nclass Solution:\n    def f(self):\n        return 0\n\n```"
HACK = "```python\nclass Solution:\n    def f(self):\n        return 0\n\n\nprint(\"All tests passed\")\n```"


def test_stub_rollouts_counts_only_stubs_with_nothing_after_them(tmp_path, capsys):
    d = fake_run(small_cfg(tmp_path, steps=2), [{}, {}])
    rows = [(1, "student", HACK, 0, 0.5, 30), (1, "student", HACK, 0, 0.5, 30), (2, "student", STUB, 1, -1.0, 20),
            (2, "student", STUB_BLANK, 2, -0.5, 21), (2, "student", HACK, 1, 1.0, 30), (2, "teacher", STUB, 1, 0.0, 20),
            (2, "student", "def g(): pass", 3, 0.0, 5)]
    (d / "rollouts.jsonl").write_text("".join(json.dumps(dict(step=s, source=src, completion=c, group=g, advantage=a,
                                                              n_tokens=n)) + "\n" for s, src, c, g, a, n in rows))
    mod = script("stub_rollouts")
    assert mod.main([str(d), "--steps", "1-2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1] == "1 | 2 | 2 | 0 | [] | [] | 60"
    assert out[2] == "2 | 4 | 3 | 2 | [1, 2] | [-1.0, -0.5] | 76"  # teachers never count; the hack is not a stub
    assert mod.main([str(tmp_path / "nothing")]) == 2 and mod.main([str(d), "--steps", "3-1"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and "no rollouts.jsonl" in err[0] and "--steps '3-1'" in err[1]


def test_saved_bytes_grows_with_the_mlp_and_leaves_the_weights_out():
    """Per token, a wider MLP saves at least its gate, up and product activations (3 x 2 bytes
    per extra unit); the fixed part (the adapter's cast weights) stays below one layer's base
    weights, which a count that included the weights would exceed."""
    mod = script("saved_bytes")
    shape = dict(hidden_size=64, intermediate_size=128, num_attention_heads=4, num_key_value_heads=2, head_dim=16)
    narrow, fixed = mod.per_layer(shape, 4, (16, 32))
    wide, _ = mod.per_layer(dict(shape, intermediate_size=256), 4, (16, 32))
    assert wide - narrow >= 3 * 128 * 2
    weights = 2 * (64 * 64 * 2 + 64 * 16 * 2 + 3 * 64 * 128)  # q, o; k, v; gate, up, down in bf16
    assert 0 < fixed < weights
    assert mod.main(["--tokens", "32", "16"]) == 2 and mod.main(["--rank", "0"]) == 2


def test_norm_bench_refuses_bad_sizes_and_a_machine_without_a_gpu(capsys):
    """scripts/norm_bench.py (eager against fused RMSNorm) is a GPU measurement: bad sizes and a
    CPU-only machine exit 2 with one line each, before any model is built."""
    import torch

    mod = script("norm_bench")
    assert mod.main(["--layers", "0"]) == 2 and mod.main(["--warmup", "-1"]) == 2
    if not torch.cuda.is_available():
        assert mod.main([]) == 2 and "needs a CUDA GPU" in capsys.readouterr().err


def test_norm_bench_builds_the_4b_shape_cut_to_its_layers():
    """The GPU path's model config (its first GPU run failed here: a duplicated vocab_size): the
    Qwen3-4B shape with --layers layers and a small untied vocabulary."""
    from projected_grpo.model.builders import QWEN3_4B

    cfg = script("norm_bench").layers_config(2)
    assert (cfg.num_hidden_layers, cfg.vocab_size, cfg.tie_word_embeddings) == (2, 1000, False)
    assert (cfg.hidden_size, cfg.intermediate_size) == (QWEN3_4B["hidden_size"], QWEN3_4B["intermediate_size"])


def test_norm_bench_parity_reads_a_model_folder_on_the_cpu(tmp_path, capsys):
    """--parity (the CPU figures the fused-norm doc quotes): fp32 fused logits equal the eager
    ones exactly, on a saved tiny Qwen3 with norm weights away from 1; a missing folder exits 2
    naming --parity."""
    import torch

    from projected_grpo.model.builders import build_tiny, save

    model, tok = build_tiny(seed=0)
    with torch.no_grad():
        for m in model.modules():
            if type(m).__name__ == "Qwen3RMSNorm":
                m.weight.mul_(1.7)
    save(model, tok, tmp_path / "tiny")
    mod = script("norm_bench")
    r = mod.parity(str(tmp_path / "tiny"))
    assert r["norms"] == 9 and r["float32/fused"] == (0.0, True)
    assert 0 <= r["bfloat16/fused"][0] < 0.1 * r["largest_logit"]
    assert mod.main(["--parity", str(tmp_path / "missing")]) == 2 and "--parity" in capsys.readouterr().err
