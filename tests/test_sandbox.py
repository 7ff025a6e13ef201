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


LEAVE_STATE = """import builtins, ctypes, json, math, os, time
open('/tmp/left-in-tmp', 'w').write('x')
if os.path.isdir('/dev/shm'):
    open('/dev/shm/left-in-shm', 'w').write('x')
libc = ctypes.CDLL(None, use_errno=True)
print('shmid', libc.shmget(0x5eed, 4096, 0o1666))  # IPC_CREAT | 0666: a SysV segment
json.dumps = lambda *a, **k: 'patched'
math.pi = 3
builtins.LEAKED = True
if os.fork() == 0:  # a background process in its own session, meant to outlive the job
    os.setsid()
    time.sleep(1000)
"""
READ_STATE = """import builtins, json, math, os
print('tmp', sorted(e for e in os.listdir('/tmp') if e != os.path.basename(os.getcwd())))
print('shm', sorted(os.listdir('/dev/shm')) if os.path.isdir('/dev/shm') else [])
print('sysv', [l.split()[0] for l in open('/proc/sysvipc/shm').read().splitlines()[1:]])
print('json', json.dumps(1), 'pi', math.pi, 'leaked', hasattr(builtins, 'LEAKED'))
def _uid_of(pid):  # a process may exit between listdir and stat: it is gone, not ours
    try:
        return os.stat('/proc/' + pid).st_uid
    except FileNotFoundError:
        return None
print('others', sorted(p for p in os.listdir('/proc') if p.isdigit() and _uid_of(p) == os.getuid()
                       and p != os.readlink('/proc/self')))  # /proc is the host's: host pids
"""


def test_a_job_leaves_nothing_for_the_next_job_on_its_worker():
    """Jobs on one worker share its namespaces, preloaded modules and uid: files in /tmp and
    /dev/shm, SysV IPC objects, patched preloaded modules and background processes of one job
    must all be gone before the next runs."""
    with Sandbox(workers=1, limits=TEST_LIMITS) as one:
        first = one.run(_job(LEAVE_STATE), capture_stdout=True).stdout.decode()
        assert "shmid -1" not in first  # the segment was created: the test below means something
        out = dict(line.split(" ", 1) for line in
                   one.run(_job(READ_STATE), capture_stdout=True).stdout.decode().splitlines())
    assert out["json"] == "1 pi 3.141592653589793 leaked False"
    assert out["others"] == "[]"
    if one.isolation == "namespaces":  # without namespaces /tmp and IPC are the machine's own
        assert out["tmp"] == "[]" and out["shm"] == "[]" and out["sysv"] == "[]"


def test_a_job_cannot_leave_its_tmp_to_the_next_job_by_making_it_hard_to_delete():
    """A directory chain deeper than a recursive delete can follow: either the worker empties
    /tmp anyway, or it ends and a fresh worker (new mounts) takes the next job."""
    deep = ("import os\nos.chdir('/tmp')\nfor _ in range(1500):\n    os.mkdir('d')\n    os.chdir('d')\n"
            "open('left', 'w').write('x')\n")
    with Sandbox(workers=1, limits=TEST_LIMITS) as one:
        if one.isolation != "namespaces":
            pytest.skip("without namespaces /tmp is the machine's own")
        one.run(_job(deep))
        listing = "import os\nprint(sorted(e for e in os.listdir('/tmp') if e != os.path.basename(os.getcwd())))\n"
        out = one.run(_job(listing), capture_stdout=True)
    assert not out.sandbox_error and out.stdout.decode().strip() == "[]"
