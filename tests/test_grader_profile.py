"""The grader benchmark's instrumentation: a profiled grade's breakdown covers its wall time,
and profiling changes no verdict."""

import subprocess
import sys

import pytest

from projected_grpo.bench import grader_bench
from projected_grpo.bench.grader_bench import use_cores
from projected_grpo.bench.grader_profile import SUITE_PARTS, breakdown, mean_breakdown
from projected_grpo.env.exploits import as_completion
from projected_grpo.env.grader import GradeRequest, Grader
from projected_grpo.env.problems import load_bundled
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


def test_use_cores_pins_the_process_and_its_children():
    code = ("import os\nfrom projected_grpo.bench.grader_bench import use_cores\n"
            "print(use_cores(1), len(os.sched_getaffinity(0)))\n"
            "os.system('python3 -c \"import os; print(len(os.sched_getaffinity(0)))\"')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["1", "1", "1"]


def test_equal_cores_run_grades_the_same_workload_both_ways():
    """Plumbing only (no speed asserted): both graders see every completion, and the CPU of each
    is accounted (naive: its interpreters; ours: parent, workers and jobs)."""
    naive, ours = grader_bench.run(load_bundled()[:3], n=6, seed=0, cores=1,
                                   mix={"correct": 0.5, "wrong": 0.5}, rounds=2)
    assert naive.n == ours.n == 6 and "1 at a time" in naive.name and "1 worker" in ours.name
    assert naive.cpu_s > 0 and ours.cpu_s > 0 and naive.seconds > 0 and ours.seconds > 0
