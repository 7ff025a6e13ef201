"""Sandbox properties, one per test: environment, working directory, stdin, network, what the
oracle's process can see, output caps, timeouts that do not block other jobs, worker recovery."""

import os
import secrets
import threading
import time

import pytest

from projected_grpo.env.modes import marker_families
from projected_grpo.env.sandbox import Sandbox
from projected_grpo.env.setup_code import SETUP_CODE

from conftest import TEST_LIMITS


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox(workers=2, limits=TEST_LIMITS) as sb:
        yield sb


def _job(code: str, tests=("x = 1",), mode="stdout_marker"):
    return {"kind": "suite", "mode": mode, "marker": "", "setup_code": SETUP_CODE, "code": code,
            "entry": "f", "tests": list(tests), "expected": None, "nonce": secrets.token_hex(8),
            "marker_families": marker_families()}


def _stdout(sandbox, code: str, **kw) -> str:
    return sandbox.run(_job(code, **kw), capture_stdout=True).stdout.decode()


def test_environment_is_scrubbed(sandbox, monkeypatch):
    monkeypatch.setenv("PGRPO_SECRET_TOKEN", "hunter2")
    out = _stdout(sandbox, "import os\nprint(sorted(os.environ))\nprint(open('/proc/self/environ').read())\n")
    assert "hunter2" not in out and "PGRPO_SECRET_TOKEN" not in out
    assert "['HOME', 'LANG', 'PATH', 'TMPDIR']" in out


def test_fresh_empty_working_directory_deleted_afterwards(sandbox):
    a = _stdout(sandbox, "import os\nprint(os.getcwd(), os.listdir('.'))\nopen('left', 'w').write('x')\n")
    b = _stdout(sandbox, "import os\nprint(os.getcwd(), os.listdir('.'))\n")
    dir_a, dir_b = a.split()[0], b.split()[0]
    assert a.split(" ", 1)[1].strip() == "[]" and b.split(" ", 1)[1].strip() == "[]"
    assert dir_a != dir_b
    assert not os.path.exists(dir_a)


def test_stdin_is_closed(sandbox):
    out = _stdout(sandbox, "try:\n    input()\nexcept EOFError:\n    print('eof')\n")
    assert out.strip() == "eof"


def test_no_network_with_namespaces(sandbox):
    if sandbox.isolation != "namespaces":
        pytest.skip(f"isolation is {sandbox.isolation}: network is not cut")
    code = ("try:\n    import socket\n    socket.create_connection(('127.0.0.1', 22), timeout=1)\n"
            "    print('connected')\nexcept Exception as e:\n    print('blocked', type(e).__name__)\n")
    assert _stdout(sandbox, code).startswith("blocked")


def test_expected_values_never_enter_the_oracle_process(grader):
    """The suite run gets arguments only: a completion that searches its whole heap for a
    string shaped like the expected answer, and returns it, finds nothing."""
    from projected_grpo.env.exploits import as_completion
    from projected_grpo.env.grader import GradeRequest
    from projected_grpo.env.problems import Problem, TestCase

    token = "EXPECTED::" + secrets.token_hex(8)
    problem = Problem(id="t-secret", statement="", starter_code="", entry_point="Solution().f",
                      tests=(TestCase("x = 1", repr(token)),))
    code = ("import gc\nPREFIX = 'EXPECTED::'\nclass Solution:\n    def f(self, x):\n"
            "        for o in gc.get_objects():\n"
            "            for v in (o.values() if isinstance(o, dict) else o if isinstance(o, (list, tuple)) else [o]):\n"
            "                if isinstance(v, str) and v.startswith(PREFIX) and len(v) > len(PREFIX):\n"
            "                    return v\n"
            "        return 'not found'\n")
    v = grader.grade([GradeRequest(problem, "gt_only", as_completion(code))])[0]
    assert v.audit.tests_total == 1 and not v.audit.gt_correct, v.row()
    # control: the same search finds the token when it is planted in the process
    planted = code.replace("import gc\n", f"import gc\nPLANTED = {token!r}\n", 1)
    v = grader.grade([GradeRequest(problem, "gt_only", as_completion(planted))])[0]
    assert v.audit.gt_correct, v.row()


def test_output_cap_kills_and_flags(sandbox):
    r = sandbox.run(_job("import sys\nsys.stdout.write('x' * 10**8)\nsys.stdout.flush()\n"), capture_stdout=True)
    assert r.output_exceeded
    assert len(r.stdout) <= TEST_LIMITS.stdout_kb * 1024


def test_a_timeout_does_not_block_other_jobs(sandbox):
    done = {}

    def run(name, code):
        sandbox.run(_job(code))
        done[name] = time.monotonic()

    t0 = time.monotonic()
    slow = threading.Thread(target=run, args=("loop", "while True:\n    pass\n"))
    slow.start()
    time.sleep(0.05)
    for i in range(10):
        run(f"quick{i}", "x = 1\n")
    slow.join()
    assert max(done[f"quick{i}"] for i in range(10)) - t0 < 1.0 < done["loop"] - t0


def test_worker_killed_from_outside_is_replaced(sandbox):
    victim = sandbox._workers[0].proc
    victim.kill()
    victim.wait()
    results = [sandbox.run(_job("x = 1\n")) for _ in range(4)]
    assert any(r.sandbox_error for r in results)  # the job on the dead worker is reported, not lost silently
    assert not results[-1].sandbox_error and results[-1].records[-1]["t"] == "done"


def test_no_run_is_lost_when_records_stream_quickly(grader, add_problem):
    """Regression: select() on a buffered pipe missed streamed lines already in its buffer, so
    about 1 run in 150 waited out its timeout and came back with no records."""
    from projected_grpo.env.exploits import as_completion
    from projected_grpo.env.grader import GradeRequest

    right = GradeRequest(add_problem, "gt_only", as_completion(add_problem.reference_solution))
    wrong = GradeRequest(add_problem, "gt_only", as_completion(add_problem.wrong_solution))
    t = time.monotonic()
    verdicts = grader.grade([right, wrong] * 150)
    labels = [v.audit.label for v in verdicts]
    assert labels == ["correct", "incorrect"] * 150
    assert time.monotonic() - t < 60


def test_concurrent_sandboxes_get_disjoint_uids(sandbox):
    if sandbox.isolation != "namespaces":
        pytest.skip("uids are per sandbox only with namespaces (root)")
    with Sandbox(workers=1, limits=TEST_LIMITS) as other:
        assert not set(other.uid_range) & set(sandbox.uid_range)
        uid = other.run(_job("import os\nprint(os.getuid())\n"), capture_stdout=True).stdout.decode().strip()
        assert int(uid) in other.uid_range
