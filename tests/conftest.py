"""Shared fixtures: a tiny hand-made problem and a grader with short limits (fast tests,
bounded damage if a sandbox property were broken)."""

import os

import pytest

from projected_grpo.env.grader import Grader
from projected_grpo.env.problems import Problem, TestCase
from projected_grpo.env.sandbox import SandboxLimits

if os.environ.get("PYTEST_XDIST_WORKER"):  # one torch thread per xdist worker: no oversubscribed cores
    import torch

    torch.set_num_threads(1)

TEST_LIMITS = SandboxLimits(cpu_s=1.0, wall_s=2.0, memory_mb=512, max_procs=4)


@pytest.fixture(scope="session")
def add_problem() -> Problem:
    """add(a, b) = a + b + 1: a function no stub or memorised constant gets right."""
    return Problem(
        id="t-add", statement="Return a + b + 1.",
        starter_code="class Solution:\n    def add(self, a: int, b: int) -> int:\n",
        entry_point="Solution().add",
        tests=tuple(TestCase(f"a = {i}, b = {3 * i}", str(4 * i + 1)) for i in range(1, 11)),
        examples=(TestCase("a = 1, b = 1", "3"), TestCase("a = 0, b = 0", "1")),
        reference_solution="class Solution:\n    def add(self, a: int, b: int) -> int:\n        return a + b + 1\n",
        wrong_solution="class Solution:\n    def add(self, a: int, b: int) -> int:\n        return a + b\n",
    )


@pytest.fixture(scope="session")
def list_problem() -> Problem:
    """Reverse a linked list: exercises ListNode encoding."""
    return Problem(
        id="t-rev", statement="Reverse the list.",
        starter_code="class Solution:\n    def rev(self, head: Optional[ListNode]) -> Optional[ListNode]:\n",
        entry_point="Solution().rev",
        tests=tuple(TestCase(f"head = list_node({list(range(n))})", f"list_node({list(range(n))[::-1]})")
                    for n in range(0, 10)),
        reference_solution=("class Solution:\n    def rev(self, head):\n        prev = None\n"
                            "        while head:\n            head.next, prev, head = prev, head, head.next\n"
                            "        return prev\n"),
        wrong_solution="class Solution:\n    def rev(self, head):\n        return head\n",
    )


@pytest.fixture(scope="session")
def grader():
    with Grader(workers=2, limits=TEST_LIMITS) as g:
        yield g
