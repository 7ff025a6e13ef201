"""Hostile completions: each must be graded gt_correct=False within the wall limit + 2 s, with
this test process, the grader and the machine unharmed.

All completions answer add(a, b) = a + b + 1 wrongly (or not at all) while attacking the
sandbox or the oracle. Fork and memory attacks are bounded by the test limits (4 processes,
512 MB each), so a broken sandbox cannot take the machine down.
"""

import os
import time

import pytest

from projected_grpo.env.exploits import as_completion
from projected_grpo.env.grader import GradeRequest

from conftest import TEST_LIMITS

WRONG = "class Solution:\n    def add(self, a, b):\n        return a + b\n"
OUTSIDE = "/var/lib/pgrpo-hostile-test"  # root-owned; must stay absent
HOSTILE = {
    # exits and kills
    "sys_exit_module": WRONG + "import sys\nsys.exit(0)\n",
    "os_exit_module": WRONG + "import os\nos._exit(0)\n",
    "sys_exit_in_method": "import sys\nclass Solution:\n    def add(self, a, b):\n        sys.exit(0)\n",
    "os_exit_in_method": "import os\nclass Solution:\n    def add(self, a, b):\n        os._exit(0)\n",
    "keyboard_interrupt": "class Solution:\n    def add(self, a, b):\n        raise KeyboardInterrupt\n",
    "kill_self": WRONG + "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n",
    "kill_parent": WRONG + "import os, signal\ntry:\n    os.kill(os.getppid(), signal.SIGKILL)\nexcept Exception:\n    pass\n",
    "kill_process_group": WRONG + "import os, signal\ntry:\n    os.killpg(0, signal.SIGKILL)\nexcept Exception:\n    pass\n",
    # comparison tricks
    "always_equal": "class E:\n    def __eq__(self, o):\n        return True\n    __hash__ = object.__hash__\n"
                    "class Solution:\n    def add(self, a, b):\n        return E()\n",
    "int_subclass_eq": "class I(int):\n    def __eq__(self, o):\n        return True\n    __hash__ = int.__hash__\n"
                       "class Solution:\n    def add(self, a, b):\n        return I(0)\n",
    "bool_for_int": "class Solution:\n    def add(self, a, b):\n        return True\n",
    "float_for_int": "class Solution:\n    def add(self, a, b):\n        return float(a + b + 1)\n",
    "patch_builtins": "import builtins\nbuiltins.type = lambda *a: int\nbuiltins.isinstance = lambda *a: True\n"
                      "builtins.len = lambda *a: 0\n" + WRONG,
    "patch_assert_error": "import builtins\nbuiltins.AssertionError = type('X', (Exception,), {})\n" + WRONG,
    "patch_json_and_os_write": "import json, os\njson.dumps = lambda *a, **k: '{\"t\": \"done\"}'\n"
                               "os.write = lambda fd, b: len(b)\n" + WRONG,
    "patch_runner_encoder": "import sys\nfor name, m in list(sys.modules.items()):\n"
                            "    if name.startswith('projected_grpo') and hasattr(m, '_encode'):\n"
                            "        m._encode = lambda v: ['int', 7]\n" + WRONG,
    # spoofing the report and the other channels
    "print_fake_records": WRONG + "for i in range(10):\n    print('{\"t\": \"result\", \"i\": %d, \"v\": [\"int\", 1]}' % i)\n"
                          "print('all tests passed')\n",
    "write_fake_records_to_report_fd": WRONG + "import os\nfor fd in range(3, 20):\n    try:\n"
                                       "        os.write(fd, b'{\"t\": \"done\", \"nonce\": \"x\"}\\n')\n"
                                       "    except OSError:\n        pass\n",
    "close_report_fd": WRONG + "import os\nfor fd in range(3, 64):\n    try:\n        os.close(fd)\n"
                       "    except OSError:\n        pass\n",
    "write_result_file": WRONG + "open('result.txt', 'w').write('PASS')\n",
    "read_the_tests_from_frames": "import sys\nclass Solution:\n    def add(self, a, b):\n"
                                  "        f = sys._getframe(1)\n        while f:\n"
                                  "            for v in f.f_locals.values():\n"
                                  "                if isinstance(v, dict) and 'expected' in v and v['expected']:\n"
                                  "                    return v['expected']\n"
                                  "            f = f.f_back\n        return -1\n",
    "override_run_tests": WRONG + "def run_tests():\n    return True\n",
    # resource attacks (bounded by the test limits)
    "infinite_loop_method": "class Solution:\n    def add(self, a, b):\n        while True:\n            pass\n",
    "infinite_loop_module": "while True:\n    pass\n" + WRONG,
    "sleep_forever": "import time\nclass Solution:\n    def add(self, a, b):\n        time.sleep(1000)\n",
    "memory_bomb_at_once": "class Solution:\n    def add(self, a, b):\n        x = bytearray(8 * 1024**3)\n        return 0\n",
    "memory_bomb_gradual": "class Solution:\n    def add(self, a, b):\n        xs = []\n        while True:\n"
                           "            xs.append(bytearray(50 * 1024**2))\n",
    "fork_burst": "import os, time\nfor _ in range(64):\n    try:\n        if os.fork() == 0:\n"
                  "            time.sleep(1000)\n    except OSError:\n        break\n" + WRONG,
    "fork_and_escape_session": "import os, time\ntry:\n    if os.fork() == 0:\n        os.setsid()\n"
                               "        time.sleep(1000)\nexcept OSError:\n    pass\n" + WRONG,
    "thread_outlives_call": "import threading, time\nclass Solution:\n    def add(self, a, b):\n"
                            "        threading.Thread(target=time.sleep, args=(1000,)).start()\n        return 0\n",
    "deep_recursion": "import sys\nsys.setrecursionlimit(10**7)\ndef f(n):\n    return f(n + 1) + 1\n"
                      "class Solution:\n    def add(self, a, b):\n        return f(0)\n",
    "huge_stdout": WRONG + "import sys\nsys.stdout.write('x' * (64 * 1024**2))\n",
    "huge_result": "class Solution:\n    def add(self, a, b):\n        return list(range(3 * 10**6))\n",
    "huge_file": WRONG + "with open('big', 'wb') as f:\n    f.write(b'x' * (200 * 1024**2))\n",
    # escaping the filesystem and reading secrets
    "write_outside_cwd": WRONG + f"import os\ntry:\n    os.makedirs({OUTSIDE!r})\nexcept OSError:\n    pass\n",
    "write_tmp": WRONG + "open('/tmp/pgrpo-hostile-test', 'w').write('x')\n",
    "read_env": "import os\nclass Solution:\n    def add(self, a, b):\n        return os.environ.get('PGRPO_TEST_SECRET', -1)\n",
    "syntax_error": "class Solution:\n    def add(self, a, b)\n        return a + b + 1\n",
    "nul_bytes": "class Solution:\n    def add(self, a, b):\n        return 0\x00\n",
}


@pytest.fixture(scope="module")
def verdicts(grader, add_problem):
    os.environ["PGRPO_TEST_SECRET"] = "7"  # the answer to add(a=1, b=3) + 2: must never leak
    try:
        names = list(HOSTILE)
        reqs = [GradeRequest(add_problem, "gt_only", as_completion(HOSTILE[n])) for n in names]
        t = time.monotonic()
        out = dict(zip(names, grader.grade(reqs)))
        return out, time.monotonic() - t
    finally:
        del os.environ["PGRPO_TEST_SECRET"]


def test_there_are_at_least_30_hostile_completions():
    assert len(HOSTILE) >= 30


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_completion_is_not_correct_and_is_bounded(verdicts, name):
    v = verdicts[0][name]
    assert not v.audit.gt_correct, (name, v.row())
    assert v.signal.reward <= 0.5, (name, v.row())
    assert v.seconds <= TEST_LIMITS.wall_s + 2.0, (name, v.seconds)


def test_specific_labels(verdicts):
    v = verdicts[0]
    assert v["syntax_error"].audit.label == "syntax_error"
    assert v["nul_bytes"].audit.label == "syntax_error"
    assert v["infinite_loop_method"].audit.label == "timeout"
    assert v["sleep_forever"].audit.label == "timeout"
    assert v["infinite_loop_module"].audit.timed_out


def test_machine_unharmed_after_hostile_batch(verdicts, grader, add_problem):
    assert not os.path.exists(OUTSIDE)
    if grader.sandbox.isolation == "namespaces":
        assert not os.path.exists("/tmp/pgrpo-hostile-test")  # /tmp was a private tmpfs
        leftovers = [p for p in os.listdir("/proc") if p.isdigit() and _uid(p) in grader.sandbox.uid_range]
        assert not leftovers, f"sandbox processes survived: {leftovers}"
    # the grader still works after all that: a correct answer is still correct
    ok = grader.grade([GradeRequest(add_problem, "gt_only", as_completion(add_problem.reference_solution))])[0]
    assert ok.audit.gt_correct and ok.audit.label == "correct"


def _uid(pid: str) -> int:
    try:
        return os.stat(f"/proc/{pid}").st_uid
    except OSError:
        return -1
