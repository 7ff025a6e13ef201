"""Direction extraction: orientation and the noise floor on constructed cases, controls with
matched shapes and norms, v_grad per-completion gradients vs a loop, extract on the tiny model
(both kinds, every control), caching, save/load, refresh overlap."""

import pytest
import torch

from projected_grpo.adapter.adapter import Adapter, AdapterConfig
from projected_grpo.directions.extract import (DirectionSet, ExtractConfig, act_directions, basis_overlap,
                                               extract, grad_directions, haar_like, orient,
                                               per_completion_grads, refresh)
from projected_grpo.directions.sequences import collate, completion_nll, encode
from projected_grpo.model.builders import build_tiny
from projected_grpo.pairs.pairset import select


def test_orientation_majority_vote_and_tie_rule():
    u = torch.tensor([[1.0, 0.0, 0.0]])
    d = torch.tensor([[2.0, 0.1, 0.0], [1.0, -0.2, 0.0], [-0.5, 0.0, 0.3]])  # 2 of 3 pairs positive
    assert torch.equal(orient(d, -u), u)
    tie = torch.tensor([[1.0, 0.0, 0.0], [-3.0, 0.0, 0.0]])  # 1 vs 1: the summed projection decides
    assert torch.equal(orient(tie, u), -u)


def test_svd_recovers_planted_axis_and_global_floor_drops_weak_modules():
    g = torch.Generator().manual_seed(0)
    axis = torch.randn(40, generator=g)
    axis /= axis.norm()
    strong = 3.0 * torch.rand(12, 1, generator=g).add(0.5) * axis + 0.05 * torch.randn(12, 40, generator=g)
    strong[:2] *= -1  # a minority of pairs point the other way
    weak = 1e-3 * torch.randn(12, 40, generator=g)
    vecs, svals, kept = grad_directions({"strong": strong.double(), "weak": weak.double()}, k=3, drop_bottom_frac=0.5)
    assert "weak" not in vecs and "strong" in vecs  # the floor is global: the noisy module goes
    assert float(vecs["strong"][0] @ axis) > 0.99  # recovered, with the majority's sign
    assert kept == pytest.approx(0.5)
    rows = vecs["strong"]
    assert torch.allclose(rows @ rows.T, torch.eye(len(rows)), atol=1e-5)


def test_controls_have_matched_shapes_and_norms():
    real = {"a": torch.linalg.qr(torch.randn(30, 4))[0].T, "b": torch.nn.functional.normalize(torch.randn(8), dim=0)}
    h1, h2, h3 = haar_like(real, 1), haar_like(real, 1), haar_like(real, 2)
    for n, v in real.items():
        assert h1[n].shape == v.shape and torch.equal(h1[n], h2[n]) and not torch.equal(h1[n], h3[n])
    assert torch.allclose(h1["a"] @ h1["a"].T, torch.eye(4), atol=1e-5)
    assert torch.allclose(h1["b"].norm(), torch.tensor(1.0))
    acts = act_directions({"m": torch.randn(10, 8) + 1}, {"m": torch.randn(10, 8)}, tstat=True)
    assert torch.allclose(acts["m"].norm(), torch.tensor(1.0))


@pytest.fixture(scope="module")
def tiny():
    model, tok = build_tiny(seed=1)
    adapter = Adapter(model, AdapterConfig(variant="frozen_a", rank=4))
    return model, tok, adapter


@pytest.fixture(scope="module")
def pairs():
    return select("hack_pairs#weak_predicate+hack_pairs#run_tests_override")


def test_per_completion_gradients_equal_zero_grad_loop(tiny, pairs):
    model, tok, adapter = tiny
    seqs = [encode(tok, p.prompt, p.hack) for p in pairs.pairs[:3]]
    batched = per_completion_grads(model, tok, adapter, seqs, ExtractConfig(micro_batch=3))
    for i, seq in enumerate(seqs):
        for p in adapter.parameters():
            p.grad = None
        ids, attn, comp = collate([seq], tok.pad_token_id, "cpu")
        completion_nll(model, ids, attn, comp).sum().backward()
        for name, module in adapter.modules.items():
            assert torch.allclose(batched[name][i], module.direction_param.grad.flatten(), atol=1e-6), name


@pytest.mark.parametrize("kind", ["grad", "act"])
def test_extract_real_and_controls(tiny, pairs, kind, tmp_path):
    model, tok, adapter = tiny
    real, diag = extract(model, tok, adapter, pairs, ExtractConfig(kind=kind, k=3), "tiny", tmp_path)
    assert diag["paired_accuracy"] >= 0.5 and 0 <= diag["auroc"] <= 1
    assert real.meta["pairs_sha256"] == pairs.sha256 and real.meta["kind"] == kind
    again, diag2 = extract(model, tok, adapter, pairs, ExtractConfig(kind=kind, k=3), "tiny", tmp_path)
    assert "cached" in diag2 and all(torch.equal(again.vectors[n], real.vectors[n]) for n in real.vectors)
    rev, _ = extract(model, tok, adapter, pairs, ExtractConfig(kind=kind, k=3, control="reverse"), "tiny")
    haar, _ = extract(model, tok, adapter, pairs, ExtractConfig(kind=kind, k=3, control="haar"), "tiny")
    shuf, _ = extract(model, tok, adapter, pairs, ExtractConfig(kind=kind, k=3, control="shuffled", seed=3), "tiny")
    for n, v in real.vectors.items():
        assert torch.allclose(rev.vectors[n], -v)
        assert haar.vectors[n].shape == v.shape
        assert torch.allclose(haar.vectors[n].norm(dim=-1), v.norm(dim=-1), atol=1e-5)
    assert any(not torch.allclose(shuf.vectors[n], real.vectors[n]) for n in shuf.vectors if n in real.vectors)
    assert basis_overlap(real, real) == pytest.approx(1.0)
    assert basis_overlap(rev, real) == pytest.approx(1.0)  # the overlap ignores sign
    new, overlap = refresh(model, tok, adapter, pairs, real, ExtractConfig(kind=kind, k=3), "tiny")
    assert overlap == pytest.approx(1.0, abs=1e-4)  # nothing trained since: the same direction


def test_direction_file_round_trip(tmp_path):
    ds = DirectionSet("grad", {"m.q": torch.randn(2, 6)}, {"m.q": torch.tensor([2.0, 1.0])}, {"k": 2})
    ds.save(tmp_path / "d.safetensors")
    back = DirectionSet.load(tmp_path / "d.safetensors")
    assert torch.equal(back.vectors["m.q"], ds.vectors["m.q"]) and back.meta == {"k": 2}
    assert torch.equal(back.singular_values["m.q"], ds.singular_values["m.q"])


@pytest.mark.parametrize("shape", [(12, 500), (70, 3000), (40, 8)])
def test_top_singular_matches_a_full_svd(shape):
    from projected_grpo.directions.extract import top_singular

    g = torch.Generator().manual_seed(shape[0])
    d = torch.randn(*shape, generator=g, dtype=torch.float64) * torch.logspace(0, -2, shape[1], dtype=torch.float64)
    s, vh = top_singular(d, 5)
    _, s_ref, vh_ref = torch.linalg.svd(d, full_matrices=False)
    assert torch.allclose(s, s_ref[:5], rtol=1e-8)
    assert torch.allclose((vh * vh_ref[:5]).sum(1).abs(), torch.ones(5, dtype=torch.float64), atol=1e-8)
    low_rank = torch.randn(30, 2, generator=g, dtype=torch.float64) @ torch.randn(2, 400, generator=g, dtype=torch.float64)
    s, vh = top_singular(low_rank, 5)
    assert len(s) == 2  # directions with zero singular value are not invented


@pytest.mark.parametrize("kind", ["grad", "act"])
def test_held_out_scores_the_direction_as_extraction_does_beside_a_signed_haar_band(tiny, pairs, kind):
    """On the extraction's own pairs, held_out must reproduce extract's in-sample diagnostics (the
    same features, quarantine ablated); each Haar draw enters with its negation, so the band's
    paired accuracies mirror around 0.5 and AUROCs around 0.5."""
    from projected_grpo.directions.extract import held_out

    model, tok, adapter = tiny
    cfg = ExtractConfig(kind=kind, k=3)
    real, diag = extract(model, tok, adapter, pairs, cfg, "tiny")
    h = held_out(model, tok, adapter, real, pairs, cfg, n_haar=5)
    assert h["real"]["paired_accuracy"] == pytest.approx(diag["paired_accuracy"])
    assert h["real"]["auroc"] == pytest.approx(diag["auroc"])
    band = h["haar_band"]["auroc"]
    assert band["n"] == 10 and band["p5"] <= band["p50"] <= band["p95"]
    assert band["p5"] + band["p95"] == pytest.approx(1.0)  # ±Haar: AUROC(-v) = 1 - AUROC(v)
    other = select("hack_pairs#stdout_marker_print")
    h2 = held_out(model, tok, adapter, real, other, cfg, n_haar=2)
    assert h2["n_pairs"] == len(other.pairs)
    shorter = [len(tok(p.hack).input_ids) < len(tok(p.clean).input_ids) for p in other.pairs]
    assert h2["shorter_is_hack"] == pytest.approx(sum(shorter) / len(shorter))  # no ties among these pairs
    assert h2["n_hack_not_shorter"] == len(shorter) - sum(shorter)
    assert h["real"]["paired_accuracy_hack_not_shorter"] is None or 0 <= h["real"]["paired_accuracy_hack_not_shorter"] <= 1
