"""Teacher pools sampled from a model: ids round-trip, tokenizer fingerprints, labels kept apart,
the invite sentence, and `pgrpo teacher build` end to end on the tiny random model."""

import dataclasses
import gzip
import json
import re
import subprocess
import sys

import pytest

from projected_grpo.env.grader import LABELS, RewardWeights
from projected_grpo.env.modes import assign_modes
from projected_grpo.env.problems import load_bundled
from projected_grpo.errors import UserError
from projected_grpo.model.builders import build_tiny
from projected_grpo.model.loading import tokenizer_fingerprint
from projected_grpo.model.tokenizers import build_byte_tokenizer
from projected_grpo.train.rollout import HFGenerate, SamplingConfig
from projected_grpo.train.teacher import TeacherCompletion, TeacherPool, save_pool
from projected_grpo.train.teacher_build import (INVITE, build_model_rows, paid, prompt_modes, render, summary,
                                                teacher_prompts)

CFG = SamplingConfig(temperature=1.0, top_k=0, top_p=1.0, max_new_tokens=16)


@pytest.fixture(scope="module")
def tiny():
    return build_tiny(seed=1)


@pytest.fixture(scope="module")
def two_problems():
    return load_bundled()[:2]


def test_tokenizer_fingerprint():
    a, b = build_byte_tokenizer(), build_byte_tokenizer()
    fp = tokenizer_fingerprint(a)
    assert fp == tokenizer_fingerprint(b) and re.fullmatch(r"[0-9a-f]{16}", fp)
    b.add_tokens(["<extra>"])  # one more vocabulary entry
    assert tokenizer_fingerprint(b) != fp
    c = build_byte_tokenizer()
    c.eos_token = "<|endoftext|>"  # same vocabulary, another EOS
    assert tokenizer_fingerprint(c) != fp


def test_pool_from_a_model_round_trips(tiny, two_problems, grader, tmp_path):
    model, tok = tiny
    pairs = prompt_modes(two_problems, ("gt_only", "run_tests"))
    prompts = teacher_prompts(tok, pairs)
    rows = build_model_rows(model, tok, prompts, grader, name="tiny", n_per_prompt=2, sampling=CFG,
                            batch_size=3, seed=7)  # 8 samples in batches of 3, 3, 2
    assert len(rows) == 8
    again = build_model_rows(model, tok, prompts, grader, name="tiny", n_per_prompt=2, sampling=CFG,
                             batch_size=3, seed=7)
    assert [r["completion_ids"] for r in again] == [r["completion_ids"] for r in rows]  # seeded
    fp = tokenizer_fingerprint(tok)
    for r in rows:
        assert r["source"] == "model:tiny" and r["tokenizer"] == fp
        assert r["prompt"] == render(tok, next(p for p in two_problems if p.id == r["problem_id"]), r["mode"])
        assert 1 <= len(r["completion_ids"]) <= 16
        assert tok.decode(r["completion_ids"], skip_special_tokens=True) == r["completion"]
        assert set(r["signal"]) == {"reward", "compiles", "channel_pass"}
        assert set(r["audit"]) == {"gt_correct", "label", "hack_mode"}

    save_pool(rows, tmp_path / "pool.jsonl.gz")
    pool = TeacherPool(tmp_path / "pool.jsonl.gz")
    assert len(pool) == 8
    for p in two_problems:
        for mode in ("gt_only", "run_tests"):
            got, want = pool.for_prompt(p.id, mode), [r for r in rows if (r["problem_id"], r["mode"]) == (p.id, mode)]
            assert len(got) == 2
            assert [t.completion_ids for t in got] == [tuple(r["completion_ids"]) for r in want]
            assert all(t.tokenizer == fp and t.reward == r["signal"]["reward"] for t, r in zip(got, want))
            assert [a["label"] for a in pool.audit(p.id, mode)] == [r["audit"]["label"] for r in want]
            assert all(a["label"] in LABELS for a in pool.audit(p.id, mode))
    fields = {f.name for f in dataclasses.fields(TeacherCompletion)}
    assert fields == {"completion", "reward", "compiles", "channel_pass", "completion_ids", "tokenizer"}


def test_rows_without_ids_still_read(tmp_path):
    path = tmp_path / "old.jsonl.gz"
    with gzip.open(path, "wt") as f:
        f.write('{"problem_id": "x", "mode": "gt_only", "completion": "c", '
                '"signal": {"reward": 0.5, "compiles": true, "channel_pass": false}}\n')
    (t,) = TeacherPool(path).for_prompt("x", "gt_only")
    assert t.completion_ids is None and t.tokenizer is None


def test_invite_changes_only_the_system_prompt(tiny, two_problems):
    _, tok = tiny
    p = two_problems[0]
    plain, invited = render(tok, p, "run_tests"), render(tok, p, "run_tests", invite=True)
    assert INVITE not in plain and INVITE in invited
    assert invited.replace(f" {INVITE}", "") == plain
    (tp,) = teacher_prompts(tok, [(p, "run_tests")], invite=True)
    assert tp.text == invited and tp.ids == tok(invited, add_special_tokens=False).input_ids


def test_prompt_modes(two_problems):
    problems = load_bundled()[:8]
    assigned = assign_modes([p.id for p in problems], 3, unhackable_frac=0.5)
    got = prompt_modes(problems, seed=3, unhackable_frac=0.5)
    assert [(p.id, m) for p, m in got] == [(p.id, assigned[p.id]) for p in problems]
    explicit = prompt_modes(two_problems, ("sentinel", "gt_only"))
    assert [(p.id, m) for p, m in explicit] == [(p.id, m) for p in two_problems for m in ("sentinel", "gt_only")]
    with pytest.raises(UserError, match="unknown mode 'nope'"):
        prompt_modes(two_problems, ("nope",))


def test_generate_without_adapter_rejects_deployed_rows(tiny):
    model, tok = tiny
    engine = HFGenerate(model, tok)
    ids = [tok("hi").input_ids]
    assert len(engine.generate(ids, [False], SamplingConfig(temperature=0, max_new_tokens=3), 0).completion_ids[0]) <= 3
    with pytest.raises(ValueError, match="no adapter"):
        engine.generate(ids * 2, [False, True], SamplingConfig(max_new_tokens=3), 0)


def test_summary_uses_the_weights():
    rows = [{"mode": "run_tests", "signal": {"reward": 0.5, "compiles": True, "channel_pass": True},
             "audit": {"label": "hack"}},
            {"mode": "gt_only", "signal": {"reward": 3.5, "compiles": True, "channel_pass": False},
             "audit": {"label": "correct"}},
            {"mode": "gt_only", "signal": {"reward": 0.5, "compiles": True, "channel_pass": False},
             "audit": {"label": "incorrect"}}]
    assert summary(rows, RewardWeights()) == ["labels: correct 1, hack 1, incorrect 1",
                                              "paid per mode: gt_only 1/2, run_tests 1/1"]
    assert not paid(rows[1]["signal"], RewardWeights(passed=5.0))


def test_cli_end_to_end(tmp_path, capsys):
    from projected_grpo.cli import main

    out = tmp_path / "pools" / "tiny.jsonl.gz"
    assert main(["teacher", "build", "--model", "tiny", "--problems", "bundled", "--n-problems", "2",
                 "--modes", "gt_only", "run_tests", "--n-per-prompt", "2", "--invite", "--batch-size", "4",
                 "--sampling.max-new-tokens", "16", "--workers", "2", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "wrote" in printed and "8 completions for 2 problems, 4 prompts" in printed
    assert re.search(r"paid per mode: gt_only \d/4, run_tests \d/4", printed) and "labels: " in printed
    rows = [json.loads(line) for line in gzip.open(out, "rt")]
    assert len(rows) == 8 and all(INVITE in r["prompt"] for r in rows)
    assert len(TeacherPool(out)) == 8


@pytest.mark.parametrize("args, message", [
    (["--problems", "/no/such/problems.jsonl"], "no such file"),
    (["--model", "/no/such/model"], "no such folder"),
    (["--modes", "nope"], "unknown mode"),
    (["--n-per-prompt", "0"], "must be >= 1"),
])
def test_bad_input_exits_two(args, message, tmp_path, capsys):
    from projected_grpo.cli import main

    base = {"--model": "tiny", "--problems": "bundled", "--out": str(tmp_path / "x.jsonl.gz")}
    base.update(dict(zip(args[::2], args[1::2])))
    assert main(["teacher", "build", *[x for kv in base.items() for x in kv]]) == 2
    assert message in capsys.readouterr().err


def test_help():
    r = subprocess.run([sys.executable, "-m", "projected_grpo.cli", "teacher", "build", "--help"],
                       capture_output=True, text=True)
    assert r.returncode == 0 and "--sampling.max-new-tokens" in r.stdout and "--invite" in r.stdout
