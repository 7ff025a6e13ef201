"""The haar_neg control (method brief pitfall 17): the same per-seed Haar draw negated, accepted
wherever haar is (extraction, config, run names, results groups and the control band)."""

from __future__ import annotations

import dataclasses
import pytest
import torch

from projected_grpo.adapter.adapter import Adapter, AdapterConfig
from projected_grpo.analysis import results
from projected_grpo.analysis.runs import find_runs
from projected_grpo.directions.extract import ExtractConfig, extract, haar_like
from projected_grpo.model.builders import build_tiny
from projected_grpo.pairs.pairset import select
from projected_grpo.train.config import ConfigError, preset
from trainer_helpers import fake_run


def test_haar_neg_is_the_same_draw_negated():
    real = {"a": torch.linalg.qr(torch.randn(30, 4))[0].T, "b": torch.nn.functional.normalize(torch.randn(8), dim=0)}
    for seed in (0, 7):
        pos, neg = haar_like(real, seed), haar_like(real, seed, negate=True)
        assert all(torch.equal(neg[n], -pos[n]) for n in real)


def test_extract_haar_neg_negates_haar():
    model, tok = build_tiny(seed=1)
    adapter = Adapter(model, AdapterConfig(variant="lora2r", rank=4))
    pairs = select("hack_pairs#weak_predicate")
    pos, dpos = extract(model, tok, adapter, pairs, ExtractConfig(kind="act", control="haar", seed=3), "tiny")
    neg, dneg = extract(model, tok, adapter, pairs, ExtractConfig(kind="act", control="haar_neg", seed=3), "tiny")
    assert all(torch.equal(neg.vectors[n], -pos.vectors[n]) for n in pos.vectors)
    assert dneg["paired_accuracy"] == pytest.approx(1 - dpos["paired_accuracy"])  # no ties on random floats
    assert neg.meta["control"] == "haar_neg"


def test_config_and_run_names_accept_haar_neg(tmp_path):
    cfg = preset("smoke", "routeA", direction="haar_neg", direction_seed=2, out=tmp_path)
    assert cfg.resolved_run_name() == "smoke-routeA-haar_neg-s0"
    assert cfg.extract_config("act").control == "haar_neg"
    with pytest.raises(ConfigError, match="arm .vanilla. reads no hack direction"):
        preset("smoke", "vanilla", direction="haar_neg")


def test_results_group_haar_neg_apart_and_band_it(tmp_path):
    base = preset("smoke", "erase", out=tmp_path / "runs")
    for seed, (real, pos, neg) in enumerate(((0.1, 0.3, 0.5), (0.2, 0.4, 0.6), (0.1, 0.2, 0.7))):
        fake_run(dataclasses.replace(base, seed=seed), [{"oracle/hack_s": real}])
        fake_run(dataclasses.replace(base, seed=seed, direction="haar", direction_seed=seed), [{"oracle/hack_s": pos}])
        fake_run(dataclasses.replace(base, seed=seed, direction="haar_neg", direction_seed=seed), [{"oracle/hack_s": neg}])
    rep = results.build_report(find_runs([tmp_path / "runs"]), ("arm",), 5)
    assert {g["label"]: g["n_runs"] for g in rep["groups"]} == {"erase/real": 3, "erase/haar": 3, "erase/haar_neg": 3}
    [band] = [b for b in rep["control_bands"] if b["metric"] == "oracle/hack_s"]
    assert band["controls"] == ["haar", "haar_neg"] and band["n_band"] == 6
    assert band["percentile"] == 0.0  # 0.133 is below every ±Haar run
    refs = {p["reference"] for p in rep["paired_vs_control"]}
    assert refs == {"erase/haar", "erase/haar_neg"}
    assert "real at p0 of 6 haar/haar_neg runs" in results.to_markdown(rep)
