"""The Problem record and its loaders.

Sources, all returning `list[Problem]`:
- `bundled`: the problems written for this project (env/bundled/problems_*.py);
- an ariahw jsonl (rows with `gt_answer` assert strings, e.g. leetcode_test_medhard_all.jsonl);
- `newfacade/LeetCodeDataset` from the hub (`hf:newfacade/LeetCodeDataset[:split]`) or a local
  copy of it (its jsonl/parquet files, or a folder saved with `datasets`);
- a jsonl written by `pgrpo data build` (this module's own `to_row` format).

Hidden tests are (arguments source, expected source) pairs. Arguments are evaluated inside the
sandbox; expected values are evaluated only in the trusted parent (grader.py), never where the
completion runs.
"""

from __future__ import annotations

import ast
import importlib
import json
import os
import pkgutil
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from projected_grpo.env.setup_code import SETUP_CODE
from projected_grpo.errors import UserError


class DataError(UserError):
    """Bad input data; the message names the file, line and field."""


@dataclass(frozen=True)
class TestCase:
    __test__ = False  # not a pytest class
    args: str  # source between the call's parentheses, e.g. "nums = [1, 2], k = 3"
    expected: str  # source of the expected value, e.g. "[2, 2]" or "list_node([1, 2])"


@dataclass(frozen=True)
class Problem:
    id: str
    statement: str  # problem description shown to the model (visible examples included)
    starter_code: str  # "class Solution:\n    def f(self, ...) -> ...:\n"
    entry_point: str  # "Solution().method" or "function"
    tests: tuple[TestCase, ...]  # hidden
    examples: tuple[TestCase, ...] = ()  # visible (also in the statement)
    reference_solution: str = ""
    difficulty: str = "medium"
    source: str = "bundled"
    setup_code: str = SETUP_CODE
    wrong_solution: str = ""  # a plausible wrong answer (bundled set), for tests and demos
    tags: tuple[str, ...] = field(default=())

    @property
    def method_name(self) -> str:
        return self.entry_point.rsplit(".", 1)[-1]

    def to_row(self) -> dict:
        row = asdict(self)
        row["tests"] = [[t.args, t.expected] for t in self.tests]
        row["examples"] = [[t.args, t.expected] for t in self.examples]
        return row


def _cases(pairs, where: str) -> tuple[TestCase, ...]:
    try:
        return tuple(TestCase(str(a), str(e)) for a, e in pairs)
    except (TypeError, ValueError) as e:
        raise DataError(f"{where}: tests must be [arguments, expected] pairs ({e})") from None


def problem_from_row(row: dict, where: str) -> Problem:
    """A row in this module's own format (to_row / pgrpo data build)."""
    required = ("id", "statement", "starter_code", "entry_point", "tests")
    missing = [k for k in required if k not in row]
    if missing:
        raise DataError(f"{where}: missing field(s) {', '.join(missing)}")
    known = set(Problem.__dataclass_fields__)
    unknown = sorted(set(row) - known)
    if unknown:
        raise DataError(f"{where}: unknown field(s) {', '.join(unknown)}")
    kw = dict(row)
    kw["tests"] = _cases(row["tests"], f"{where} field 'tests'")
    kw["examples"] = _cases(row.get("examples", ()), f"{where} field 'examples'")
    kw["tags"] = tuple(row.get("tags", ()))
    kw["id"] = str(row["id"])
    return _validated(Problem(**kw), where)


def _validated(p: Problem, where: str) -> Problem:
    if not p.tests:
        raise DataError(f"{where}: problem {p.id!r} has no hidden tests")
    if not p.entry_point or not p.method_name.isidentifier():
        raise DataError(f"{where}: field 'entry_point' {p.entry_point!r} is not 'Solution().name' or 'name'")
    return p


# --------------------------------------------------------------------------- bundled

def load_bundled() -> list[Problem]:
    from projected_grpo.env import bundled

    problems = []
    for info in sorted(pkgutil.iter_modules(bundled.__path__), key=lambda i: i.name):
        if not info.name.startswith("problems_"):
            continue
        module = importlib.import_module(f"projected_grpo.env.bundled.{info.name}")
        for i, row in enumerate(module.PROBLEMS):
            row = dict(row, source="bundled")
            problems.append(problem_from_row(row, f"bundled/{info.name}.py problem #{i}"))
    _check_unique(problems, "bundled set")
    return problems


def _check_unique(problems: list[Problem], where: str):
    seen = set()
    for p in problems:
        if p.id in seen:
            raise DataError(f"{where}: duplicate problem id {p.id!r}")
        seen.add(p.id)


# --------------------------------------------------------------------------- ariahw jsonl

def parse_assert(src: str, where: str) -> tuple[str, TestCase]:
    """`assert Solution().f(a = 1) == 2` (or is_same_list / is_same_tree) -> (entry, TestCase)."""
    try:
        stmt = ast.parse(src.strip()).body[0]
    except (SyntaxError, IndexError) as e:
        raise DataError(f"{where}: cannot parse assert {src[:80]!r} ({e})") from None
    text = src.strip()
    if not isinstance(stmt, ast.Assert):
        raise DataError(f"{where}: not an assert statement: {src[:80]!r}")
    test = stmt.test
    if isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq):
        left, right = test.left, test.comparators[0]
    elif (isinstance(test, ast.Call) and getattr(test.func, "id", "") in ("is_same_list", "is_same_tree")
          and len(test.args) == 2):
        left, right = test.args
    else:
        raise DataError(f"{where}: unsupported assert form (need `call == expected`): {src[:80]!r}")
    if not isinstance(left, ast.Call) and isinstance(right, ast.Call):
        left, right = right, left
    entry = _entry_of(left)
    if entry is None:
        raise DataError(f"{where}: left side is not a Solution().method(...) call: {src[:80]!r}")
    parts = [ast.get_source_segment(text, a) for a in left.args]
    parts += [f"{k.arg} = {ast.get_source_segment(text, k.value)}" if k.arg else
              f"**{ast.get_source_segment(text, k.value)}" for k in left.keywords]
    return entry, TestCase(", ".join(parts), ast.get_source_segment(text, right))


def _entry_of(call) -> str | None:
    f = call.func if isinstance(call, ast.Call) else None
    if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Call) and getattr(f.value.func, "id", "") == "Solution":
        return f"Solution().{f.attr}"
    if isinstance(f, ast.Name):
        return f.id
    return None


def problem_from_ariahw(row: dict, where: str) -> Problem:
    for key in ("id", "question", "gt_answer", "func_name"):
        if key not in row:
            raise DataError(f"{where}: missing field {key!r} (ariahw format)")
    cases = []
    for j, a in enumerate(row["gt_answer"]):
        entry, case = parse_assert(a, f"{where} field 'gt_answer'[{j}]")
        cases.append(case)
    meta = row.get("prompt_metadata") or {}
    return _validated(Problem(
        id=str(row["id"]), statement=row["question"], starter_code=meta.get("starter_code", ""),
        entry_point=row["func_name"], tests=tuple(cases), examples=(),
        reference_solution=row.get("canonical_solution", ""), difficulty=str(row.get("difficulty", "")).lower(),
        source="ariahw", setup_code=row.get("setup_code") or SETUP_CODE), where)


# --------------------------------------------------------------------------- LeetCodeDataset

LEETCODE_HUB_ID = "newfacade/LeetCodeDataset"


def problem_from_leetcode(row: dict, where: str) -> Problem:
    for key in ("question_id", "problem_description", "starter_code", "entry_point", "input_output"):
        if key not in row:
            raise DataError(f"{where}: missing field {key!r} (LeetCodeDataset format)")
    io = row["input_output"]
    if isinstance(io, str):
        io = json.loads(io)
    try:
        cases = tuple(TestCase(c["input"], c["output"]) for c in io)
    except (KeyError, TypeError) as e:
        raise DataError(f"{where}: field 'input_output' entries need 'input' and 'output' ({e})") from None
    return _validated(Problem(
        id=str(row["question_id"]), statement=row["problem_description"], starter_code=row["starter_code"],
        entry_point=row["entry_point"], tests=cases, examples=(), reference_solution=row.get("completion", ""),
        difficulty=str(row.get("difficulty", "")).lower(), source="leetcodedataset",
        setup_code=row.get("prompt") or SETUP_CODE, tags=tuple(row.get("tags") or ())), where)


def load_leetcode_hub(split: str = "train") -> list[Problem]:
    try:
        import datasets
    except ImportError:
        raise DataError("loading from the hub needs the `datasets` package: pip install 'projected-grpo[hub]'") from None
    try:
        ds = datasets.load_dataset(LEETCODE_HUB_ID, split=split)
    except Exception as e:  # offline, no cache, renamed split: say how to use a local copy
        raise DataError(
            f"could not load {LEETCODE_HUB_ID} (split {split!r}) from the hub: {type(e).__name__}: {e}\n"
            f"Offline? On a machine with network, download the dataset's LeetCodeDataset-{split}.jsonl "
            f"(or run datasets.load_dataset('{LEETCODE_HUB_ID}').save_to_disk(DIR)), copy it here and "
            f"pass that path as --problems.") from None
    return [problem_from_leetcode(row, f"{LEETCODE_HUB_ID}[{split}] row {i}") for i, row in enumerate(ds)]


def _load_saved_dataset(path: Path) -> list[Problem]:
    import datasets

    ds = datasets.load_from_disk(str(path))
    if isinstance(ds, datasets.DatasetDict):
        raise DataError(f"{path}: a DatasetDict; point at one split's folder (one of {list(ds)})")
    return [problem_from_leetcode(row, f"{path} row {i}") for i, row in enumerate(ds)]


# --------------------------------------------------------------------------- dispatch

def _row_loader(row: dict):
    if "gt_answer" in row:
        return problem_from_ariahw
    if "input_output" in row and "problem_description" in row:
        return problem_from_leetcode
    return problem_from_row


def load_jsonl(path: Path) -> list[Problem]:
    problems = []
    with open(path, "rb") as f:
        for lineno, raw in enumerate(f, 1):
            where = f"{path}:{lineno}"
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                raise DataError(f"{where}: not UTF-8 text at column {e.start + 1} (binary data?)") from None
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                raise DataError(f"{where}: bad JSON ({e})") from None
            if not isinstance(row, dict):
                raise DataError(f"{where}: a row must be a JSON object")
            problems.append(_row_loader(row)(row, where))
    _check_unique(problems, str(path))
    return problems


def is_data_build(spec: str) -> bool:
    """Is spec a folder written by `pgrpo data build` (train/holdout/test.jsonl and a manifest)?"""
    path = Path(spec)
    return path.is_dir() and (path / "manifest.json").is_file() and (path / "train.jsonl").is_file()


def build_split(spec: str, split: str, flag: str) -> str:
    """One split's file when spec is a `pgrpo data build` folder (said in one line), else spec."""
    if not is_data_build(spec):
        return spec
    path = Path(spec) / f"{split}.jsonl"
    print(f"{flag} {spec}: a `pgrpo data build` folder: using its {split} split ({path})", file=sys.stderr)
    return str(path)


def load_problems(spec: str) -> list[Problem]:
    """'bundled', 'hf:newfacade/LeetCodeDataset[:split]', a .jsonl / .parquet file, or a folder."""
    if spec == "bundled":
        return load_bundled()
    if spec.startswith("hf:"):
        name, _, split = spec[3:].partition(":")
        if name != LEETCODE_HUB_ID:
            raise DataError(f"hub source {name!r} is not supported; use hf:{LEETCODE_HUB_ID}[:split]")
        return load_leetcode_hub(split or "train")
    path = Path(spec)
    if not path.exists():
        raise DataError(f"{spec}: no such file or folder (expected 'bundled', 'hf:{LEETCODE_HUB_ID}', "
                        f"a .jsonl file or a dataset folder)")
    if path.is_dir():
        if (path / "dataset_info.json").exists() or (path / "state.json").exists():
            return _load_saved_dataset(path)
        files = sorted(path.glob("*.jsonl"))
        if not files:
            raise DataError(f"{spec}: folder holds no .jsonl files and is not a saved dataset")
        problems = [p for f in files for p in load_jsonl(f)]
        _check_unique(problems, spec)
        return problems
    if path.suffix == ".parquet":
        import datasets

        ds = datasets.load_dataset("parquet", data_files=str(path), split="train")
        return [problem_from_leetcode(row, f"{path} row {i}") for i, row in enumerate(ds)]
    return load_jsonl(path)


def save_jsonl(problems: list[Problem], path: str | os.PathLike) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for p in problems:
            f.write(json.dumps(p.to_row(), ensure_ascii=False) + "\n")
