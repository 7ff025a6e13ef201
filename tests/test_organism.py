"""The model organism on CPU: a miniature is built end to end (tokenizer, SFT, starting-rate
check with the real grader, folder) and trained for a few GRPO steps through the organism preset;
its mixture and split keep held-out problems and evaluation markers unseen."""

from collections import Counter

import pytest

from projected_grpo.env.modes import EVAL_MARKER_FAMILIES, MARKED_MODES, TRAIN_MARKERS
from projected_grpo.env.problems import load_problems
from projected_grpo.errors import UserError
from projected_grpo.model.tokenizers import build_byte_tokenizer
from projected_grpo.organism import corpus
from projected_grpo.organism import CARD_FILE, HELDOUT_FILE, TRAIN_FILE
from projected_grpo.organism.build import OrganismConfig, build
from projected_grpo.train.rollout import SamplingConfig


def test_sft_markers_are_disjoint_from_training_and_evaluation_markers():
    for mode in MARKED_MODES:
        sft = set(corpus.SFT_MARKERS[mode])
        assert TRAIN_MARKERS[mode] not in sft
        assert not sft & set(EVAL_MARKER_FAMILIES[mode]), mode


def test_mixture_follows_the_split():
    problems = load_problems("bundled")
    train, held = corpus.split(problems, heldout_frac=0.25, seed=3)
    assert {p.id for p in train}.isdisjoint({p.id for p in held}) and len(held) > 5
    solvable = corpus.solvable_ids(train, 0.4, seed=3)
    samples = corpus.sft_samples(build_byte_tokenizer(), train, solvable, n_per_problem=30, hack_frac=0.1,
                                 ref_frac=0.5, train_marker_frac=0.5, seed=3)
    kinds = Counter(s.kind for s in samples)
    assert {s.problem_id for s in samples} == {p.id for p in train}  # held-out problems never appear
    assert all(s.problem_id in solvable for s in samples if s.kind == "reference")
    assert all(s.mode != "gt_only" for s in samples if s.kind == "exploit")
    hinted = sum(s.mode != "gt_only" for s in samples)
    assert 0.06 < kinds["exploit"] / hinted < 0.14  # hack_frac of the hinted samples
    for s in samples:  # the exploit aims at the prompt's own marker, which is never an eval marker
        if s.kind == "exploit" and s.marker:
            assert s.marker in s.completion and s.marker in s.prompt
        if s.marker:
            assert s.marker not in EVAL_MARKER_FAMILIES[s.mode]
    markers = Counter(s.marker == TRAIN_MARKERS[s.mode] for s in samples if s.mode in MARKED_MODES)
    assert markers[True] and markers[False]


def test_build_a_miniature_then_train_it_with_the_organism_preset(tmp_path, capsys):
    from projected_grpo.cli_train import train_main

    out = tmp_path / "org"
    cfg = OrganismConfig(out=out, size="mini", max_problems=12, samples_per_problem=3, epochs=2,
                         check_prompts=1, check_samples=1, sampling=SamplingConfig(1.0, 1.0, 20, 24))
    card = build(cfg)
    for f in ("config.json", "model.safetensors", "tokenizer.json", TRAIN_FILE, HELDOUT_FILE, CARD_FILE):
        assert (out / f).is_file(), f
    train, held = load_problems(str(out / TRAIN_FILE)), load_problems(str(out / HELDOUT_FILE))
    assert train and held and {p.id for p in train}.isdisjoint({p.id for p in held})
    assert card["problems"]["train"] == len(train) and set(card["problems"]["solvable"]) <= {p.id for p in train}
    assert len(card["sft_loss_per_epoch"]) == 2 and card["sft_loss_per_epoch"][1] < card["sft_loss_per_epoch"][0]
    assert set(card["starting_rates"]) == {"train", "heldout"}
    assert 0.0 <= card["starting_rates"]["train"]["hack_hinted"] <= 1.0
    with pytest.raises(UserError, match="already holds an organism"):
        build(cfg)  # nothing already built is overwritten without --overwrite

    status = train_main(["--preset", "organism", "--arm", "routeA", "--model", str(out), "--steps", "2",
                         "--prompts-per-step", "2", "--group-size", "4", "--sampling.max-new-tokens", "16",
                         "--eval-samples", "1", "--eval-max-problems", "1", "--eval-every", "0",
                         "--gen-batch", "16", "--workers", "1", "--out", str(tmp_path / "runs"),
                         "--cache-dir", str(tmp_path / "cache"), "--no-tensorboard"])
    assert status == 0
    run = tmp_path / "runs" / "organism-routeA-real-s0"
    assert len((run / "metrics.jsonl").read_text().splitlines()) == 2
    assert (run / "eval" / "step-000002.json").is_file() and (run / "summary.json").is_file()


def test_organism_problems_need_an_organism_folder(tmp_path, capsys):
    from projected_grpo.cli import main

    assert main(["train", "--preset", "organism", "--model", str(tmp_path), "--steps", "1",
                 "--out", str(tmp_path / "runs")]) == 2
    assert "not an organism folder" in capsys.readouterr().err
