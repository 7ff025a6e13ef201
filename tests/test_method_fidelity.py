"""Where the arms follow the method brief: held-out modes held out of the pairs, the extraction
settings reachable from a run, screening on loose labels by default, AdvMod's prompt position
and generic concept."""

from __future__ import annotations

import dataclasses

import pytest
import torch

from projected_grpo.cli import main
from projected_grpo.pairs.pairset import pairs_of_modes, select
from projected_grpo.train.arms import oracle_flags
from projected_grpo.train.config import ConfigError, preset
from projected_grpo.train.passes import last_completion_index, last_prompt_index


def test_held_out_modes_are_left_out_of_the_default_pairs():
    cfg = preset("smoke", "erase", pairs="hack_pairs", held_out_modes=("sentinel",))
    assert cfg.pairs == "hack_pairs!sentinel"  # recorded in config.json as what was used
    chosen = select(cfg.pairs)
    assert not pairs_of_modes(chosen, ("sentinel",))
    assert len(chosen.pairs) == len(select("hack_pairs").pairs) - len(pairs_of_modes(select("hack_pairs"), ("sentinel",)))
    assert preset("smoke", "erase", pairs="hack_pairs").pairs == "hack_pairs"  # nothing held out: unchanged
    # a resumed run reads back the resolved selector and accepts it
    assert dataclasses.replace(cfg).pairs == "hack_pairs!sentinel"


def test_an_explicit_selection_with_held_out_pairs_is_an_error(capsys):
    with pytest.raises(ConfigError, match="hack_pairs/") as e:
        preset("smoke", "erase", pairs="hack_pairs@sentinel,run_tests", held_out_modes=("sentinel",))
    assert "held-out mode" in str(e.value) and "!sentinel" in str(e.value)
    preset("smoke", "erase", pairs="hack_pairs@run_tests", held_out_modes=("sentinel",))  # disjoint: fine
    assert main(["train", "--preset", "smoke", "--arm", "erase", "--pairs", "hack_pairs@sentinel",
                 "--held-out-modes", "sentinel"]) == 2
    assert "hack_pairs/" in capsys.readouterr().err


def test_selector_drops_tags():
    every = select("hack_pairs")
    some = select("hack_pairs!run_tests,stdout_marker")
    assert {p.id for p in some.pairs} == {p.id for p in every.pairs
                                          if not p.labels() & {"run_tests", "stdout_marker"}}


def test_extraction_settings_reach_the_direction():
    cfg = preset("smoke", "erase", nll_normalize="sum", direction_method="mean")
    ec = cfg.extract_config("grad")
    assert ec.normalize == "sum" and ec.method == "mean"
    assert preset("smoke", "routeA", act_tstat=True).extract_config("act").tstat is True


def test_screening_defaults_to_loose_labels_and_the_penalty_to_strict():
    oracle = [{"label": "attempted"}, {"label": "hack"}, {"label": "correct"}, {"label": "correct_attempted"}]
    screen = preset("smoke", "gt_screen")
    assert screen.oracle_labels == "loose" and oracle_flags(oracle, screen, 1).tolist() == [1.0, 1.0, 0.0, 1.0]
    penalty = preset("smoke", "gt_penalty")
    assert penalty.oracle_labels == "strict" and oracle_flags(oracle, penalty, 1).tolist() == [0.0, 1.0, 0.0, 0.0]
    assert preset("smoke", "gt_screen", gt_labels="strict").oracle_labels == "strict"


def test_feature_positions():
    comp = torch.tensor([[0, 0, 0, 1, 1, 0], [0, 1, 1, 1, 1, 1]], dtype=torch.bool)
    assert last_prompt_index(comp).tolist() == [2, 0]
    assert last_completion_index(comp).tolist() == [4, 5]


def test_advmod_generic_concept_and_its_group_contradiction():
    from projected_grpo.adapter.adapter import Adapter, AdapterConfig
    from projected_grpo.model.builders import build_tiny
    from projected_grpo.train.setup import advmod_concept

    model, tok = build_tiny(seed=0)
    adapter = Adapter(model, AdapterConfig(variant="lora2r", rank=2))
    d, diag = advmod_concept(preset("smoke", "advmod"), model, tok, adapter)
    assert d.shape == (model.config.hidden_size,) and diag["concept"] == "generic"
    assert 0.0 <= diag["heldout_paired_accuracy"] <= 1.0
    d2, diag2 = advmod_concept(preset("smoke", "advmod", advmod_concept="pairs"), model, tok, adapter)
    assert diag2["concept"] == "pairs" and not torch.allclose(d, d2)
    with pytest.raises(ConfigError, match="same score"):
        preset("smoke", "advmod", advmod_norm="group")
