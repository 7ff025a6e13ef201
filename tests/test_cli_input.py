"""Bad input at the command line: one line on stderr, exit code 2, never a traceback, nothing lost.

One test per class of mistake, then a walk over every subcommand `pgrpo --help` lists with a
few bad values each (parse-time failures only: nothing loads a model or grades a file)."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from projected_grpo.cli import main
from projected_grpo.cli_parse import condense
from projected_grpo.env.exploits import as_completion
from projected_grpo.env.problems import save_jsonl


def run(args, capsys) -> tuple[int, str]:
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out + out.err


def one_line_error(text: str) -> str:
    lines = [line for line in text.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "Traceback" not in text, text
    return lines[0]


# -- one class of mistake each -------------------------------------------------------------

def test_grade_keeps_every_good_line_around_a_binary_one(tmp_path, add_problem, capsys):
    problems = tmp_path / "problems.jsonl"
    save_jsonl([add_problem], problems)
    good = json.dumps({"problem_id": "t-add", "mode": "gt_only",
                       "completion": as_completion(add_problem.reference_solution)}).encode()
    completions = tmp_path / "in.jsonl"
    completions.write_bytes(good + b"\n\xff\xfe\x00\x01binary\n" + good + b"\n")
    out = tmp_path / "out.jsonl"
    code, text = run(["grade", "--problems", problems, "--completions", completions, "--out", out, "--workers", "1"],
                     capsys)
    assert code == 2 and "Traceback" not in text
    assert "in.jsonl:2: skipped: not UTF-8 text" in text
    assert [json.loads(line)["label"] for line in out.read_text().splitlines()] == ["correct", "correct"]


def test_grade_output_mistakes_and_worker_counts(tmp_path, capsys):
    completions = tmp_path / "in.jsonl"
    original = json.dumps({"problem_id": "x", "mode": "gt_only", "completion": "x"}) + "\n"
    completions.write_text(original)
    base = ["grade", "--problems", "bundled", "--completions", completions]
    for extra, needle in (([ "--out", tmp_path / "no" / "out.jsonl"], "does not exist"),
                          (["--out", tmp_path], "is a folder"),
                          (["--out", completions], "is also an input"),
                          (["--out", tmp_path / "o.jsonl", "--workers", "-1"], "--workers must be >= 1"),
                          (["--out", tmp_path / "o.jsonl", "--workers", "0"], "--workers must be >= 1"),
                          (["--out", tmp_path / "o.jsonl", "--limits.memory-mb", "0"], "memory_mb=0")):
        code, text = run(base + extra, capsys)
        assert code == 2 and needle in one_line_error(text), (extra, text)
    assert completions.read_text() == original  # the input is never overwritten


@pytest.mark.parametrize("flags,needle", [
    (["--rank", "0"], "--rank must be >= 1"),
    (["--targets", "foo_proj"], "is not a Linear of Qwen3"),
    (["--dtype", "float99"], "--dtype 'float99'"),
    (["--device", "gpu"], "--device 'gpu'"),
    (["--steps", "4", "--stop-at", "9"], "--stop-at 9 must be in [0, --steps 4]"),
    (["--lr", "abc"], "Error parsing --lr"),
    (["--lrr", "3"], "did you mean --lr?"),
    (["--preset", "nope"], "presets are"),
    (["--lr", "1e-3", "--lr=2e-3"], "--lr is given twice"),
])
def test_train_flags_are_checked_before_anything_loads(flags, needle, capsys):
    code, text = run(["train", *flags], capsys)
    assert code == 2 and needle in one_line_error(text)


def test_train_device_cuda_without_a_gpu_is_one_line(tmp_path, capsys):
    torch = pytest.importorskip("torch")
    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    code, text = run(["train", "--device", "cuda", "--out", tmp_path, "--cache-dir", tmp_path], capsys)
    assert code == 2 and "this machine has 0 CUDA device(s)" in one_line_error(text)


@pytest.mark.parametrize("flags,needle", [
    (["--difficulties", "mediun"], "--difficulties mediun: choose from easy, medium, hard"),
    (["--holdout-frac", "0.8", "--test-frac", "0.5"], "with a sum below 1"),
    (["--holdout-frac", "-0.1"], "with a sum below 1"),
    (["--max-prompt-tokens", "100"], "needs --tokenizer"),
])
def test_data_build_options(tmp_path, flags, needle, capsys):
    code, text = run(["data", "build", "--source", "bundled", "--out", tmp_path / "d", *flags], capsys)
    assert code == 2 and needle in one_line_error(text)
    assert not (tmp_path / "d").exists()  # nothing written


def test_eval_negative_samples_writes_nothing(tmp_path, capsys):
    (tmp_path / "config.json").write_text("{}")
    code, text = run(["eval", tmp_path, "--samples-per-problem", "-1"], capsys)
    assert code == 2 and "--samples-per-problem must be >= 1" in one_line_error(text)
    assert not (tmp_path / "eval.jsonl").exists()


def test_library_errors_become_one_line(tmp_path, capsys, monkeypatch):
    """An error the CLI did not foresee (here: writing into a file as if it were a folder)."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, text = run(["model", "build-tiny", "--out", blocker / "sub"], capsys)
    line = one_line_error(text)
    assert code == 2 and "PGRPO_DEBUG=1" in line


def test_condense_tyro_boxes():
    """Both the terminal box and rich's ASCII form (no terminal) condense to the same line."""
    sep = "─" * 30
    box = (f"╭─ Unrecognized options ──╮\n│ Unrecognized options: --lrr │\n│ {sep} │\n│ Perhaps you meant: │\n"
           f"│     --lr FLOAT │\n│ {sep} │\n│ For full helptext, run pgrpo train --help │\n╰────╯\n")
    ascii_box = (" Unrecognized options\n " + "-" * 30 + "\n  Unrecognized options: --lrr\n  " + "-" * 30
                 + "\n  Perhaps you meant:\n      --lr FLOAT\n  " + "-" * 30 + "\n  For full helptext, run pgrpo train --help\n")
    want = "Unrecognized options: --lrr; did you mean --lr? (see pgrpo train --help)"
    assert condense(box) == condense(ascii_box) == want


# -- every subcommand ----------------------------------------------------------------------

def _subcommands(args: list[str]) -> list[str]:
    r = subprocess.run([sys.executable, "-m", "projected_grpo.cli", *args, "--help"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return re.findall(r"•\s+([\w-]+)", r.stdout)


BAD = {  # leaf command -> bad invocations (each fails while parsing or checking its options)
    "smoke": [["--arms", "nope"], ["--workers", "x"]],
    "train": [["--rank", "0"], ["--resume", "/nonexistent"], ["--resume", "/nonexistent", "--lr", "1"]],
    "eval": [["/nonexistent"], [".", "--max-problems", "-2"]],
    "results": [["/nonexistent"], []],
    "curves": [["/nonexistent"], [".", "--windows", "5-1"], [".", "--stat", "median"], [".", "--stat", "MAX"]],
    "forms": [["/nonexistent"], [".", "--steps", "5-1"]],
    "plot": [["/nonexistent"]],
    "sweep": [["--arms", "nope", "--dry-run"], ["--seeds", "a-b", "--dry-run"],
              ["--arms", "vanilla", "--controls", "haar", "--dry-run"], ["--set-variant", "lr=1", "--dry-run"],
              ["--arms", "vanilla", "--set", "lr=1e-3", "--set", "kl_coef=0", "--dry-run"],
              ["--arms", "vanilla", "--retries", "-1", "--dry-run"], ["--arms", "vanilla", "--retries", "x"]],
    "relearn": [["/nonexistent", "--steps", "2", "--target-hack", "0.5"], [".", "--steps", "x"],
                [".", "--steps", "2", "--target-hack", "0.5", "--eval-samples", "-1"], [".", "--steps", "2", "--eval-samples", "y"],
                [".", "--steps", "2", "--target-hack", "0.5", "--teachers", "all"],
                [".", "--steps", "2", "--target-hack", "0.5", "--teachers", "RUN"]],
    "klmatch": [["/nonexistent", "."], [".", ".", "--last-k", "x"], [".", ".", "--last-k", "0"]],
    "diagnose": [["/nonexistent"], ["/nonexistent", "--kind", "both"]],
    "demo": [["--workers", "0"]],
    "env selfcheck": [["--n-problems", "0"], ["--workers", "-1"]],
    "env prompt": [["--problem-id", "nope"], ["--problem-id", "x", "--mode", "nope"]],
    "grade": [[], ["--problems", "bundled", "--completions", "/nonexistent", "--out", "o.jsonl"]],
    "data build": [["--source", "bundled", "--out", "d", "--difficulties", "mediun"]],
    "model build-tiny": [["--out", "x", "--seed", "s"]],
    "model build-qwen3-shape": [["--out", "x", "--device", "gpu"]],
    "organism build": [["--out", "x", "--seed", "s"]],
    "pairs show": [["--selector", "nosuch"], ["--selector", "hack_pairs#nosuch"]],
    "extract": [["--model", "tiny", "--out", "x", "--pairs", "nosuch"], ["--model", "x", "--out", "x", "--extract.k", "0"],
                ["--model", "tiny", "--out", "x", "--pairs", "hack_pairs", "--eval-pairs", "hack_pairs@generic"]],
    "teacher build-bundled": [["--out", "x.jsonl.gz", "--problems", "nosuch"]],
    "teacher build": [["--model", "tiny", "--out", "x.jsonl.gz", "--n-per-prompt", "0"]],
    "bench grader": [["--n", "0"]],
    "bench extract": [["--rank", "x"]],
    "bench gen": [["--batches", "x"]],
    "bench attention": [["--block-n", "x"]],
    "bench step": [["--steps", "x"], ["--profile", "maybe"], ["--profile=3"]],
}


def test_a_repeated_flag_is_refused_not_silently_replaced(capsys):
    """argparse keeps the last of a repeated flag: a sweep's second --set would drop the first's
    overrides (the organism's model, for a Haar control) without a word."""
    code, text = run(["sweep", "--arms", "vanilla", "--set", "lr=1e-3", "--set", "kl_coef=0", "--dry-run"], capsys)
    assert code == 2 and "--set is given twice" in one_line_error(text)
    code, text = run(["sweep", "--arms", "vanilla", "--set", "lr=1e-3", "kl_coef=0", "--dry-run"], capsys)
    assert code == 0, text


def test_every_subcommand_rejects_bad_values_in_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    leaves = []
    for top in _subcommands([]):
        subs = _subcommands([top]) if top in ("env", "data", "model", "organism", "pairs", "teacher", "bench") else []
        leaves += [f"{top} {s}" for s in subs] or [top]
    assert set(leaves) == set(BAD), f"commands without bad-input cases: {set(leaves) ^ set(BAD)}"
    for leaf in leaves:
        for bad in BAD[leaf] + [["--no-such-flag"]]:
            code, text = run([*leaf.split(), *bad], capsys)
            assert code == 2, (leaf, bad, text)
            one_line_error(text)


def _help(args, capsys) -> str:
    with pytest.raises(SystemExit) as e:
        main([*args, "--help"])
    assert e.value.code == 0
    return capsys.readouterr().out


def test_help_has_text_for_every_flag_and_no_leaked_comments(capsys, monkeypatch):
    """Every flag of every command has help text; no `# -- section ---` code comment leaks in."""
    from projected_grpo.train.config import PRESETS

    monkeypatch.setenv("COLUMNS", "200")
    for leaf in BAD:
        text = _help(leaf.split(), capsys)
        assert "main job for now" not in text and not re.search(r"-- [a-z ]+ -{5,}", text), leaf
        lines = [line.strip("│ ").rstrip("│ ") for line in text.splitlines()]
        for i, line in enumerate(lines):  # a flag line whose help is only its default
            m = re.match(r"(--[\w.-]+)\S*( [A-Z{\[][^ ]*)*\s{2,}\((default|required)", line)
            assert not m, f"pgrpo {leaf}: {m.group(1)} has no help text"
    train = _help(["train"], capsys)
    assert "--resume RUN_DIR" in train and all(p in train for p in PRESETS)


def test_a_binary_problem_file_or_config_names_the_file(tmp_path, capsys):
    problems = tmp_path / "problems.jsonl"
    problems.write_bytes(b"\xff\xfe\n")
    code, text = run(["train", "--problems", problems, "--out", tmp_path], capsys)
    assert code == 2 and "problems.jsonl:1: not UTF-8 text" in one_line_error(text)
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "config.json").write_text("{not json")
    for args in (["train", "--resume", tmp_path / "run"], ["eval", tmp_path / "run"]):
        code, text = run(args, capsys)
        assert code == 2 and "config.json: not a run's config.json" in one_line_error(text)
