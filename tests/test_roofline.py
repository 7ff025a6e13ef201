"""The rooflines `pgrpo bench step` prints beside each phase (bench/roofline.py): the byte and
FLOP counts they rest on, checked against the engine and model they describe."""

from __future__ import annotations

import pytest
import torch

from projected_grpo.adapter.adapter import Adapter, AdapterConfig
from projected_grpo.bench import roofline
from projected_grpo.bench.step_bench import _table, rooflines
from projected_grpo.engine.fast import FastGenerate
from projected_grpo.errors import UserError
from projected_grpo.model.builders import build_tiny
from projected_grpo.train.rollout import SamplingConfig


def test_spec_sheets_match_the_most_specific_card_name():
    assert roofline.spec_bandwidth("NVIDIA H100 80GB HBM3") == 3.35e12
    assert roofline.spec_bandwidth("NVIDIA H100 NVL") == 3.9e12 and roofline.spec_bandwidth("NVIDIA H200") == 4.8e12
    assert roofline.spec_bf16_flops("NVIDIA H100 PCIe") == 756e12
    with pytest.raises(UserError, match="no spec-sheet"):
        roofline.spec_bandwidth("Some GPU")


def test_decode_bytes_without_an_engine_match_the_built_engines():
    """The step benchmark estimates a decode step's bytes from the model (the engine frees its
    weights between steps); the engine's own count must agree up to the merged deployed block."""
    model, tok = build_tiny(seed=0)
    model = model.to(torch.bfloat16)
    adapter = Adapter(model, AdapterConfig(variant="lora2r", rank=4))
    engine = FastGenerate(model, tok, adapter, max_batch=4, bucket=8)
    engine.generate([tok("hello").input_ids] * 2, [False, False], SamplingConfig(temperature=0, max_new_tokens=4), seed=0)
    engine_w, engine_kv = roofline.decode_bytes_per_step(engine, model)
    estimate = roofline.model_bytes_per_step(model, adapter)
    adapter_bytes = 2 * sum(p.numel() for p in adapter.parameters())
    assert engine_w <= estimate <= engine_w + adapter_bytes
    per_token = engine.kc.element_size() * (engine.kc[:, 0, :, 0].numel() + engine.vc[:, 0, :, 0].numel())
    assert engine_kv == roofline.kv_bytes_per_token(model) == per_token  # [layers, kv heads, d] for one slot and position


def test_forward_equivalents_of_each_phase():
    f = roofline.forwards_in
    assert f("behaviour", kl=True, engine_logp=False, checkpointing=True) == 2  # logπ_old and the reference
    assert f("behaviour", kl=False, engine_logp=True, checkpointing=True) == 0
    assert f("fb", kl=True, engine_logp=False, checkpointing=True) == 3  # + the recomputed forward
    assert f("fb", kl=True, engine_logp=False, checkpointing=False) == 2


def test_the_table_prints_each_phase_beside_its_roofline(capsys):
    limits = {"bandwidth": 1e12, "bf16_flops": 1e15, "decode_weight_bytes": 8e9, "kv_bytes_per_token": 1e5,
              "dense_params": 4e9, "forwards": {"behaviour": 2, "fb": 3}}
    row = {"gen/decode_s": 20.0, "gen/decode_steps": 1000, "gen/context_tokens": 10**8, "time/behaviour": 10.0,
           "time/fb": 40.0, "batch/tokens": 400_000, "mem/gen_gib": 1.0, "mem/behaviour_gib": 1.0, "mem/fb_gib": 1.0}
    bounds = rooflines(row, limits)
    assert bounds["gen/decode_s"] == pytest.approx((1000 * 8e9 + 1e8 * 1e5) / 1e12)  # 18 s
    assert bounds["time/behaviour"] == pytest.approx(2 * 2 * 4e9 * 4e5 / 1e15)  # 6.4 s
    assert bounds["time/fb"] == pytest.approx(5 * 2 * 4e9 * 4e5 / 1e15)  # behaviour + fb: 16 s
    _table([row, row], limits)
    out = capsys.readouterr().out
    decode = next(line for line in out.splitlines() if "of which decode" in line)
    assert "18.0" in decode and "90%" in decode
    assert "40%" in next(line for line in out.splitlines() if "forward/backward (+ behaviour)" in line)


def test_realistic_lengths_come_from_real_completions_scaled_to_the_cap():
    """bench step --lengths realistic: every bundled reference and exploit and both sides of every
    hack pair, in the model's tokens, scaled so the longest is the cap; the draw is seeded."""
    from projected_grpo.bench.step_bench import LengthDraw, realistic_lengths
    from projected_grpo.env.modes import LOOPHOLE_MODES
    from projected_grpo.env.problems import load_bundled
    from projected_grpo.model.builders import build_tiny
    from projected_grpo.pairs.pairset import select

    _, tok = build_tiny(seed=0)
    lengths = realistic_lengths(tok, 1536)
    n_problems = sum(bool(p.reference_solution) for p in load_bundled())
    assert len(lengths) == n_problems * (1 + len(LOOPHOLE_MODES)) + 2 * len(select("hack_pairs").pairs)
    assert max(lengths) == 1536 and min(lengths) >= 1 and len(set(lengths)) > 20  # a spread, not one length
    assert LengthDraw(lengths, 3)(50) == LengthDraw(lengths, 3)(50) != LengthDraw(lengths, 4)(50)
    assert set(LengthDraw(lengths, 0)(200)) <= set(lengths)


def test_bench_step_runs_each_length_mode_on_one_trainer(tmp_path, monkeypatch, capsys):
    """`pgrpo bench step --lengths full realistic`, its loop run on the tiny model on CPU (the
    GPU checks patched): full rows run to the cap, realistic rows stop early, one table each,
    the JSON keyed by mode; the realistic draw is switched off again for a full mode after it."""
    import json
    from types import SimpleNamespace

    from projected_grpo.bench import step_bench

    # only bench step's own GPU checks see a card (patching torch.cuda itself would send a CUDA
    # build's optimizer into CUDA calls)
    card = SimpleNamespace(is_available=lambda: True, get_device_name=lambda *a: "NVIDIA H100 80GB HBM3")
    monkeypatch.setattr(step_bench, "torch", SimpleNamespace(cuda=card))
    small = ["model=tiny", "device=cpu", "engine=fast", "engine_compile=false", "prompts_per_step=2", "group_size=2",
             "sampling.max_new_tokens=64", "gen_batch=4", "gradient_checkpointing=false", "token_budget=4096"]
    out = tmp_path / "step.json"
    res = step_bench.run("vanilla", 1, small, str(out), ("realistic", "full"))
    assert [r["gen/decode_steps"] for r in res["full"]] == [63]  # every row to the 64-token cap (random weights)
    assert res["realistic"][0]["gen/decode_steps"] < 63  # rows stopped at drawn lengths (mean 9 at this cap)
    assert set(json.loads(out.read_text())["steps"]) == {"realistic", "full"}
    text = capsys.readouterr().out
    assert "realistic lengths (1 steps, the first of the run compiles)" in text and "\nfull lengths (1 steps)" in text


def test_bench_step_profile_splits_each_pass_by_kernel_category(monkeypatch, capsys):
    """`pgrpo bench step --profile`: one more step whose behaviour and training passes run under
    torch.profiler (CPU operators here), each reported by category, the GEMMs found, the step
    counted in the trainer's schedule, and the trainer's own passes back in place afterwards."""
    from types import SimpleNamespace

    from projected_grpo.bench import step_bench
    from projected_grpo.train import passes, trainer

    card = SimpleNamespace(is_available=lambda: True, get_device_name=lambda *a: "NVIDIA H100 80GB HBM3")
    monkeypatch.setattr(step_bench, "torch", SimpleNamespace(cuda=card))
    small = ["model=tiny", "device=cpu", "engine=fast", "engine_compile=false", "prompts_per_step=2", "group_size=2",
             "sampling.max_new_tokens=16", "gen_batch=4", "gradient_checkpointing=false", "token_budget=4096"]
    res = step_bench.run("vanilla", 1, small, None, ("full",), profile=True, profile_micro_batches=0)
    assert len(res["full"]) == 1 and [p["pass"] for p in res["profile"]] == ["behaviour pass", "training forward/backward"]
    for p in res["profile"]:
        assert p["ms"] > 0 and p["categories"].get("GEMM", 0) > 0, p["categories"]
        assert sum(p["categories"].values()) == pytest.approx(p["ms"])
        assert 0 < p["lm_head_ms"] and not any(name.startswith("pgrpo::") for name, *_ in p["top"])
        assert p["micro_batches"][0] == p["micro_batches"][1] > 0  # 0: every micro-batch profiled
    assert trainer.behaviour_pass is passes.behaviour_pass and trainer.forward_backward is passes.forward_backward
    text = capsys.readouterr().out
    assert "profile of step 2 (full lengths)" in text and "training forward/backward (micro-batches profiled:" in text


def test_bench_step_profile_stops_after_the_first_micro_batches_and_still_trains_the_step(monkeypatch, capsys):
    """--profile-micro-batches 1 with 1-row micro-batches: each pass profiles one micro-batch
    (fewer kernels than all of them) and every micro-batch still runs (as many as with the
    whole pass profiled), unprofiled."""
    from types import SimpleNamespace

    from projected_grpo.bench import step_bench

    card = SimpleNamespace(is_available=lambda: True, get_device_name=lambda *a: "NVIDIA H100 80GB HBM3")
    monkeypatch.setattr(step_bench, "torch", SimpleNamespace(cuda=card))
    small = ["model=tiny", "device=cpu", "engine=fast", "engine_compile=false", "prompts_per_step=2", "group_size=2",
             "sampling.max_new_tokens=16", "gen_batch=4", "gradient_checkpointing=false", "token_budget=40"]
    res = {n: step_bench.run("vanilla", 1, small, None, ("full",), profile=True, profile_micro_batches=n)
           for n in (0, 1)}
    for whole, first in zip(res[0]["profile"], res[1]["profile"]):
        assert first["micro_batches"][0] == 1 and first["micro_batches"][1] == whole["micro_batches"][1] >= 4
        assert first["kernels"] < whole["kernels"] / 2, (first["pass"], first["kernels"], whole["kernels"])
    assert "(micro-batches profiled: 1 of " in capsys.readouterr().out
    with pytest.raises(UserError, match="--profile-micro-batches must be >= 0"):
        step_bench.run("vanilla", 1, small, None, ("full",), profile=True, profile_micro_batches=-1)


def test_kernel_categories_take_the_first_match():
    from projected_grpo.bench.kernels import DECODE, PASSES, by_category

    rows = [("void at::native::cunn_SoftMaxForward<float>", 3.0, 1), ("flash_fwd_kernel", 2.0, 1),
            ("nvjet_sm90_tst_128x64", 5.0, 2), ("aten::addmm", 1.0, 4), ("reduce_kernel<512>", 0.25, 2),
            ("mystery", 0.5, 1)]
    assert by_category(rows, PASSES) == {"GEMM": 6.0, "attention": 5.0, "other": 0.5, "reductions and norms": 0.25}
    assert by_category(rows, DECODE)["GEMM"] == 5.0  # decode's GEMM names are the kernels', not aten's


def test_lm_head_range_holds_the_head_s_work():
    """The LM head's profiler range (train/logprobs.py) takes its chunks' time: with a large
    vocabulary most of a forward's CPU time is inside it, and none is outside its chunks."""
    import torch
    from torch.profiler import ProfilerActivity, profile

    from projected_grpo.bench.kernels import kernel_rows, range_ms
    from projected_grpo.train.logprobs import LM_HEAD, logprobs_from_hidden

    hidden, weight = torch.randn(2, 9, 16), torch.randn(20000, 16)
    ids, comp = torch.randint(0, 20000, (2, 9)), torch.ones(2, 9, dtype=torch.bool)
    with profile(activities=[ProfilerActivity.CPU]) as prof:
        logprobs_from_hidden(hidden, weight, ids, comp, chunk=4)
    inside = range_ms(prof, LM_HEAD, device=False)
    assert sum(1 for e in prof.events() if e.name == LM_HEAD) == 4  # 16 predicted tokens in chunks of 4
    assert inside > 0.5 * sum(e.self_cpu_time_total for e in prof.key_averages()) / 1e3
    assert not [name for name, *_ in kernel_rows(prof, device=False) if name.startswith("pgrpo::")]  # not a kernel
