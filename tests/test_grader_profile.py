"""The grader benchmark's instrumentation: a profiled grade's breakdown covers its wall time,
and profiling changes no verdict."""

import pytest

from projected_grpo.bench.grader_bench import use_cores
from projected_grpo.bench.grader_profile import SUITE_PARTS, breakdown, mean_breakdown
from projected_grpo.env.exploits import as_completion
from projected_grpo.env.grader import GradeRequest, Grader
from projected_grpo.errors import UserError

from conftest import TEST_LIMITS


@pytest.fixture(scope="module")
def profiled():
    with Grader(workers=1, limits=TEST_LIMITS, profile=True) as g:
        yield g


def test_breakdown_parts_sum_to_the_total(profiled, add_problem):
    for code in (add_problem.reference_solution, add_problem.wrong_solution, "class Solution:\n    def add(self\n"):
        v = profiled.grade_one(GradeRequest(add_problem, "gt_only", as_completion(code)))
        b = breakdown(v.profile)
        assert all(s >= 0 for s in b.seconds.values()), b.seconds
        assert sum(b.seconds.values()) == pytest.approx(b.total, rel=1e-6)
        assert b.seconds["fork"] > 0
    right = profiled.grade_one(GradeRequest(add_problem, "gt_only", as_completion(add_problem.reference_solution)))
    parts = breakdown(right.profile).seconds
    assert parts[SUITE_PARTS[0]] > 0 and parts[SUITE_PARTS[1]] > 0  # every test's call and encoding timed
    assert mean_breakdown([right.profile, right.profile]).total == pytest.approx(breakdown(right.profile).total)


def test_profiling_changes_no_verdict(profiled, grader, add_problem):
    reqs = [GradeRequest(add_problem, mode, as_completion(code))
            for mode in ("gt_only", "eq_override", "exit_code", "run_tests")
            for code in (add_problem.reference_solution, add_problem.wrong_solution)]
    plain, timed = grader.grade(reqs), profiled.grade(reqs)
    assert [v.row() | {"seconds": 0} for v in plain] == [v.row() | {"seconds": 0} for v in timed]
    assert all(v.profile is None for v in plain) and all(v.profile for v in timed)


def test_use_cores_rejects_more_cores_than_allowed():
    with pytest.raises(UserError, match="may use"):
        use_cores(10_000)
