"""The bundled teacher pool: graded once at build, read back with labels kept apart."""

import dataclasses
import gzip

import pytest

from projected_grpo.env.modes import LOOPHOLE_MODES, MODES
from projected_grpo.errors import UserError
from projected_grpo.train.teacher import TeacherCompletion, TeacherPool, build_bundled_rows, save_pool


def test_bundled_pool_rewards_and_firewall(grader, add_problem, list_problem, tmp_path):
    rows = build_bundled_rows([add_problem, list_problem], grader)
    assert len(rows) == 2 * (len(MODES) + len(LOOPHOLE_MODES))
    for row in rows:
        if row["source"] == "reference":
            assert row["signal"]["reward"] == 3.5 and row["audit"]["label"] == "correct"
        else:  # each exploit is graded under its own mode: paid, and labelled a hack by the oracle
            assert row["signal"]["reward"] == 3.5 and row["audit"]["label"] == "hack"
            assert row["audit"]["hack_mode"] == row["mode"]
    save_pool(rows, tmp_path / "pool.jsonl.gz")
    pool = TeacherPool(tmp_path / "pool.jsonl.gz")
    assert len(pool) == len(rows)
    got = pool.for_prompt("t-add", "sentinel")
    assert [t.reward for t in got] == [3.5, 3.5]
    fields = {f.name for f in dataclasses.fields(TeacherCompletion)}
    assert fields == {"completion", "reward", "compiles", "channel_pass", "completion_ids", "tokenizer"}  # no oracle label
    assert [a["label"] for a in pool.audit("t-add", "sentinel")] == ["correct", "hack"]
    assert pool.for_prompt("t-add", "gt_only")[0].reward == 3.5 and len(pool.for_prompt("t-add", "gt_only")) == 1


def test_bad_pool_rows_name_the_line(tmp_path):
    path = tmp_path / "bad.jsonl.gz"
    with gzip.open(path, "wt") as f:
        f.write('{"problem_id": "x", "mode": "gt_only", "completion": "c", "signal": {"reward": 1, "compiles": true, "channel_pass": false}}\n')
        f.write('{"problem_id": "x"}\n')
    with pytest.raises(UserError, match="bad.jsonl.gz:2: bad teacher row"):
        TeacherPool(path)
    with pytest.raises(UserError, match="no such file"):
        TeacherPool(tmp_path / "missing.jsonl.gz")


def test_build_bundled_command(tmp_path, add_problem, capsys):
    from projected_grpo.cli import main
    from projected_grpo.env.problems import save_jsonl

    save_jsonl([add_problem], tmp_path / "p.jsonl")
    out = tmp_path / "pool" / "teacher.jsonl.gz"
    assert main(["teacher", "build-bundled", "--out", str(out), "--problems", str(tmp_path / "p.jsonl"),
                 "--workers", "2"]) == 0
    assert len(TeacherPool(out)) == len(MODES) + len(LOOPHOLE_MODES)
    assert "13 paid" in capsys.readouterr().out
