"""Loaders for every source, and the deterministic, disjoint data build."""

import json

import pytest

from projected_grpo.data.build import build, split_of
from projected_grpo.env.problems import DataError, load_problems, parse_assert
from projected_grpo.env.setup_code import SETUP_CODE

REF = "class Solution:\n    def addOne(self, a: int, b: int) -> int:\n        return a + b + 1\n"
BROKEN_REF = "class Solution:\n    def addOne(self, a: int, b: int) -> int:\n        return a + b\n"


def ariahw_row(pid, ref=REF):
    return {"id": pid, "dataset": "leetcode", "evaluator": "code", "question": "Add one.",
            "prompt": [{"role": "system", "content": "s"}, {"role": "user", "content": "u"}],
            "gt_answer": [f"assert Solution().addOne(a = {i}, b = {i}) == {2 * i + 1}" for i in range(5)],
            "answer": [], "hint": None, "func_name": "Solution().addOne", "setup_code": SETUP_CODE,
            "difficulty": "medium", "canonical_solution": ref,
            "prompt_metadata": {"starter_code": "class Solution:\n    def addOne(self, a: int, b: int) -> int:\n"},
            "completion_gt_pass": True}


def leetcode_row(qid, difficulty="Medium", ref=REF):
    return {"task_id": f"add-one-{qid}", "question_id": qid, "difficulty": difficulty, "tags": ["Math"],
            "problem_description": "Add one.", "starter_code": "class Solution:\n    def addOne(self, a: int, b: int) -> int:\n",
            "entry_point": "Solution().addOne", "prompt": SETUP_CODE, "completion": ref,
            "input_output": [{"input": f"a = {i}, b = {i}", "output": str(2 * i + 1)} for i in range(5)],
            "test": "def check(candidate): pass"}


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_parse_assert_forms():
    entry, case = parse_assert("assert Solution().f(n = 7, q = [[0,5],[1,6]]) == [2, 2]", "x")
    assert entry == "Solution().f" and case.args == "n = 7, q = [[0,5],[1,6]]" and case.expected == "[2, 2]"
    entry, case = parse_assert("assert is_same_list(Solution().rev(head = list_node([1,2])), list_node([2,1]))", "x")
    assert case.args == "head = list_node([1,2])" and case.expected == "list_node([2,1])"
    with pytest.raises(DataError, match="unsupported assert form"):
        parse_assert("assert Solution().f(1) > 2", "row 3")


def test_ariahw_jsonl(tmp_path):
    ps = load_problems(str(write_jsonl(tmp_path / "a.jsonl", [ariahw_row(1), ariahw_row(2)])))
    assert [p.id for p in ps] == ["1", "2"] and ps[0].source == "ariahw" and len(ps[0].tests) == 5
    assert ps[0].tests[2].args == "a = 2, b = 2" and ps[0].tests[2].expected == "5"


def test_leetcode_local_copy_jsonl_and_saved_dataset(tmp_path):
    rows = [leetcode_row(10), leetcode_row(11, "Hard")]
    ps = load_problems(str(write_jsonl(tmp_path / "LeetCodeDataset-train.jsonl", rows)))
    assert [p.difficulty for p in ps] == ["medium", "hard"] and ps[1].source == "leetcodedataset"
    datasets = pytest.importorskip("datasets")

    saved = tmp_path / "saved"
    datasets.Dataset.from_list(rows).save_to_disk(str(saved))
    assert [p.id for p in load_problems(str(saved))] == ["10", "11"]


def test_hub_offline_says_how_to_use_a_local_copy(monkeypatch):
    datasets = pytest.importorskip("datasets")

    def offline(*a, **k):
        raise ConnectionError("no network")

    monkeypatch.setattr(datasets, "load_dataset", offline)
    with pytest.raises(DataError) as e:
        load_problems("hf:newfacade/LeetCodeDataset:test")
    assert "--problems" in str(e.value) and "LeetCodeDataset-test.jsonl" in str(e.value)


def test_bad_rows_name_file_line_and_field(tmp_path):
    bad = write_jsonl(tmp_path / "bad.jsonl", [ariahw_row(1)])
    with open(bad, "a") as f:
        f.write("{broken\n")
    with pytest.raises(DataError, match=r"bad.jsonl:2: bad JSON"):
        load_problems(str(bad))
    row = leetcode_row(3)
    del row["entry_point"]
    with pytest.raises(DataError, match=r"x.jsonl:1: missing field 'entry_point'"):
        load_problems(str(write_jsonl(tmp_path / "x.jsonl", [row])))
    with pytest.raises(DataError, match="duplicate problem id"):
        load_problems(str(write_jsonl(tmp_path / "d.jsonl", [ariahw_row(1), ariahw_row(1)])))
    with pytest.raises(DataError, match="no such file"):
        load_problems(str(tmp_path / "missing.jsonl"))


def test_data_build_filters_and_splits_deterministically(tmp_path, grader):
    rows = [leetcode_row(i) for i in range(40)] + [leetcode_row(100, "Easy"), leetcode_row(101, ref=BROKEN_REF)]
    src = write_jsonl(tmp_path / "src.jsonl", rows)
    r1 = build(str(src), tmp_path / "a", grader, seed=7, holdout_frac=0.25, test_frac=0.25)
    r2 = build(str(src), tmp_path / "b", grader, seed=7, holdout_frac=0.25, test_frac=0.25)
    assert r1.dropped == r2.dropped == {"difficulty": 1, "reference fails its tests": 1}
    assert sum(r1.kept.values()) == 40 and all(n > 0 for n in r1.kept.values())
    ids = {}
    for split in ("train", "holdout", "test"):
        a = (tmp_path / "a" / f"{split}.jsonl").read_text()
        assert a == (tmp_path / "b" / f"{split}.jsonl").read_text()  # deterministic
        ids[split] = {json.loads(line)["id"] for line in a.splitlines()}
        assert all(split_of(i, 7, 0.25, 0.25) == split for i in ids[split])
        assert load_problems(str(tmp_path / "a" / f"{split}.jsonl"))  # the output loads back
    assert not (ids["train"] & ids["holdout"] or ids["train"] & ids["test"] or ids["holdout"] & ids["test"])
    manifest = json.loads((tmp_path / "a" / "manifest.json").read_text())
    assert manifest["splits"]["train"]["n"] == len(ids["train"])
    r3 = build(str(src), tmp_path / "c", grader, seed=8, holdout_frac=0.25, test_frac=0.25)
    assert r3.kept != r1.kept or (tmp_path / "c" / "test.jsonl").read_text() != (tmp_path / "a" / "test.jsonl").read_text()


def test_data_build_prompt_length_filter_under_a_tokenizer(tmp_path, grader):
    from projected_grpo.model.builders import build_tiny, save

    model, tok = build_tiny()
    save(model, tok, tmp_path / "tok")
    long_row = dict(leetcode_row(7), problem_description="Add one. " + "x" * 3000)
    src = write_jsonl(tmp_path / "src.jsonl", [leetcode_row(6), long_row])
    report = build(str(src), tmp_path / "out", grader, max_prompt_tokens=1000, tokenizer=str(tmp_path / "tok"))
    assert sum(report.kept.values()) == 1 and report.dropped == {"prompt over 1000 tokens": 1}
    with pytest.raises(ValueError, match="needs --tokenizer"):
        build(str(src), tmp_path / "out2", grader, max_prompt_tokens=1000)
