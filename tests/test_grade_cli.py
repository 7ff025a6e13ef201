"""The `pgrpo grade` contract and the CLI surface."""

import json
import subprocess
import sys

import pytest

from projected_grpo.cli import main
from projected_grpo.env.exploits import as_completion, exploit_code
from projected_grpo.env.problems import save_jsonl

OUT_FIELDS = {"channel_pass", "gt_correct", "label", "hack_mode", "reward", "compiles", "timed_out", "seconds"}


def test_grade_contract_bad_lines_reported_valid_lines_graded(tmp_path, add_problem, capsys):
    problems = tmp_path / "problems.jsonl"
    save_jsonl([add_problem], problems)
    rows = [
        {"problem_id": "t-add", "mode": "gt_only", "completion": as_completion(add_problem.reference_solution),
         "extra": "kept"},
        "{not json",
        {"problem_id": "nope", "mode": "gt_only", "completion": "x"},
        {"problem_id": "t-add", "mode": "stdout", "completion": "x"},
        {"problem_id": "t-add", "mode": "stdout_marker",
         "completion": as_completion(exploit_code("stdout_marker", add_problem, "verification complete")),
         "marker": "verification complete"},
        {"problem_id": "t-add", "completion": "x"},
    ]
    completions = tmp_path / "in.jsonl"
    completions.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n")
    out = tmp_path / "out.jsonl"
    code = main(["grade", "--problems", str(problems), "--completions", str(completions), "--out", str(out),
                 "--workers", "2"])
    err = capsys.readouterr().err
    assert code == 2
    for lineno, reason in ((2, "bad JSON"), (3, "unknown problem id"), (4, "unknown mode"), (6, "missing field 'mode'")):
        assert f"in.jsonl:{lineno}: skipped: " in err and reason in err
    graded = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(graded) == 2
    assert OUT_FIELDS <= set(graded[0]) and graded[0]["extra"] == "kept"
    assert graded[0]["label"] == "correct" and graded[0]["reward"] == 3.5
    assert graded[1]["label"] == "hack" and graded[1]["hack_mode"] == "stdout_marker" and graded[1]["marker"]


def test_grade_all_good_exits_zero_and_bad_problems_file_exits_two(tmp_path, add_problem, capsys):
    problems = tmp_path / "problems.jsonl"
    save_jsonl([add_problem], problems)
    completions = tmp_path / "in.jsonl"
    completions.write_text(json.dumps({"problem_id": "t-add", "mode": "gt_only", "completion": "no code"}) + "\n")
    out = tmp_path / "out.jsonl"
    assert main(["grade", "--problems", str(problems), "--completions", str(completions), "--out", str(out)]) == 0
    assert json.loads(out.read_text())["label"] == "no_code"
    completions.write_text(json.dumps({"problem_id": "t-add", "mode": "gt_only",
                                       "completion": "```python\nx = 1\n```"}) + "\n")
    assert main(["grade", "--problems", str(problems), "--completions", str(completions), "--out", str(out),
                 "--weights.compiles", "0.25"]) == 0
    assert json.loads(out.read_text())["reward"] == 0.25
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x"}\n')
    assert main(["grade", "--problems", str(bad), "--completions", str(completions), "--out", str(out)]) == 2
    assert "bad.jsonl:1: missing field(s)" in capsys.readouterr().err


def test_every_subcommand_has_help():
    for args in ([], ["demo"], ["env"], ["env", "selfcheck"], ["env", "prompt"], ["grade"], ["data"],
                 ["data", "build"], ["bench"], ["bench", "grader"], ["bench", "extract"], ["model", "build-tiny"],
                 ["model", "build-qwen3-shape"], ["pairs", "show"], ["extract"], ["teacher", "build-bundled"], ["teacher", "build"], ["smoke"],
                 ["train"], ["train", "--preset", "fast", "--arm", "routeA"]):
        r = subprocess.run([sys.executable, "-m", "projected_grpo.cli", *args, "--help"], capture_output=True, text=True)
        assert r.returncode == 0, (args, r.stderr)
        assert "usage: pgrpo" in r.stdout
    top = subprocess.run([sys.executable, "-m", "projected_grpo.cli", "--help"], capture_output=True, text=True).stdout
    for sub in ("smoke", "train", "demo", "env", "grade", "data", "model", "pairs", "extract", "teacher", "bench"):
        assert sub in top


@pytest.mark.parametrize("args", [["grade", "--problems", "bundled", "--completions", "/nonexistent", "--out", "/tmp/x"],
                                  ["env", "prompt", "--problem-id", "no-such-problem"]])
def test_bad_input_exits_two_with_a_message(args, capsys):
    assert main(args) == 2
    assert "error:" in capsys.readouterr().err
