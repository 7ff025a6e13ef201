"""The bundled problem set: size, shape, variety, and every reference/wrong solution verified
by the oracle (reference passes every hidden test and visible example; wrong fails)."""

import dataclasses
import re

import pytest

from projected_grpo.env.exploits import as_completion
from projected_grpo.env.grader import GradeRequest, expected_encodings
from projected_grpo.env.problems import load_bundled


@pytest.fixture(scope="module")
def bundled():
    return load_bundled()


def test_size_shape_and_variety(bundled):
    assert len(bundled) >= 60
    assert len({p.id for p in bundled}) == len(bundled)
    for p in bundled:
        assert p.difficulty in ("medium", "hard"), p.id
        assert len(p.tests) >= 10 and len(p.examples) >= 2, p.id
        assert p.entry_point.startswith("Solution().") and f"def {p.method_name}(" in p.starter_code, p.id
        assert p.reference_solution and p.wrong_solution, p.id
        assert "Example 1:" in p.statement and "Constraints:" in p.statement, p.id
        for ex in p.examples:  # the visible examples are the ones shown in the statement
            assert re.sub(r"\s", "", ex.args) in re.sub(r"\s", "", p.statement), (p.id, ex.args)
    assert sum(p.difficulty == "hard" for p in bundled) >= 15
    tags = {t for p in bundled for t in p.tags}
    starters = " ".join(p.starter_code for p in bundled)
    assert "ListNode" in starters and "TreeNode" in starters
    assert len(tags) >= 10


def test_expected_values_evaluate(bundled):
    for p in bundled:
        assert len(expected_encodings(p)) == len(p.tests)


def test_every_reference_passes_and_every_wrong_solution_fails(bundled, grader):
    with_examples = [dataclasses.replace(p, tests=p.examples) for p in bundled]
    reqs = ([GradeRequest(p, "gt_only", as_completion(p.reference_solution)) for p in bundled]
            + [GradeRequest(p, "gt_only", as_completion(p.reference_solution)) for p in with_examples]
            + [GradeRequest(p, "gt_only", as_completion(p.wrong_solution)) for p in bundled])
    verdicts = grader.grade(reqs)
    n = len(bundled)
    for p, v in zip(bundled, verdicts[:n]):
        assert v.audit.label == "correct", (p.id, v.row())
    for p, v in zip(bundled, verdicts[n:2 * n]):
        assert v.audit.gt_correct, (p.id, "examples", v.row())
    for p, v in zip(bundled, verdicts[2 * n:]):
        assert not v.audit.gt_correct and not v.signal.channel_pass and v.signal.compiles, (p.id, v.row())
