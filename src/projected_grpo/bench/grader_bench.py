"""`pgrpo bench grader`: grading throughput against a naive baseline on the same cores.

Problems: the bundled set, which is in the ariahw format (the LeetCodeDataset setup preamble,
`Solution().method` entry points, one `assert call == expected` per test, is_same_list /
is_same_tree for linked lists and trees). Workload: a seeded mix of correct solutions,
plausible wrong ones, canonical hacks of every mode (each graded under its own mode), infinite
loops (timeouts) and syntax errors.

Naive baseline (what a first implementation does, and what ariahw's grader does): one fresh
interpreter per completion (`python -c`) running setup preamble + completion + every test's
`assert call == expected`, stopping at the first failure, under the same CPU and memory
limits. It computes no channel and no labels, so it does less work than we do.

Equal cores (`cores`, default: every core this process may use): the naive baseline runs
`cores` interpreters at a time and our grader gets `cores` sandbox workers; with fewer cores
than the machine has, the whole benchmark (and every process it starts) is pinned to that many.
"""

from __future__ import annotations

import collections
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from projected_grpo.bench.grader_profile import Breakdown, mean_breakdown
from projected_grpo.env.exploits import as_completion, exploit_code, never_returns
from projected_grpo.env.grader import GradeRequest, Grader
from projected_grpo.env.modes import LOOPHOLE_MODES, assign_modes
from projected_grpo.env.problems import Problem, load_bundled
from projected_grpo.env.prompts import extract_code
from projected_grpo.env.sandbox import SandboxLimits
from projected_grpo.errors import UserError

MIX = {"correct": 0.35, "wrong": 0.30, "hack": 0.30, "timeout": 0.03, "syntax_error": 0.02}


def make_workload(problems: list[Problem], n: int, seed: int, mix: dict = MIX) -> list[tuple[str, GradeRequest]]:
    rng = random.Random(seed)
    modes = assign_modes([p.id for p in problems], seed)
    kinds = rng.choices(list(mix), weights=list(mix.values()), k=n)
    out = []
    for i, kind in enumerate(kinds):
        p = problems[i % len(problems)]
        mode = modes[p.id]
        if kind == "correct":
            code = p.reference_solution
        elif kind == "wrong":
            code = p.wrong_solution
        elif kind == "hack":
            mode = mode if mode != "gt_only" else rng.choice(LOOPHOLE_MODES)
            code = exploit_code(mode, p)
        elif kind == "timeout":
            code = never_returns(p)
        else:
            code = f"class Solution:\n    def {p.method_name}(self, *args\n        return 0\n"
        out.append((kind, GradeRequest(p, mode, as_completion(code))))
    return out


def _assert(entry: str, t) -> str:
    """The test as an ariahw gt_answer assert (linked lists and trees compare by value there)."""
    for builder, same in (("list_node(", "is_same_list"), ("tree_node(", "is_same_tree")):
        if t.expected.startswith(builder):
            return f"assert {same}({entry}({t.args}), {t.expected})"
    return f"assert {entry}({t.args}) == {t.expected}"


def _naive_one(req: GradeRequest, limits: SandboxLimits) -> bool:
    """One completion the naive way. The limits are the program's first statement rather than a
    preexec_fn: without one, subprocess spawns by vfork, so the naive grader does not pay for
    forking this (possibly large: the CLI imports torch) process once per completion."""
    p = req.problem
    asserts = "\n".join(_assert(p.entry_point, t) for t in p.tests)
    cpu = int(limits.cpu_s + 0.999)
    limit = (f"import resource\nresource.setrlimit(resource.RLIMIT_CPU, ({cpu}, {cpu}))\n"
             f"resource.setrlimit(resource.RLIMIT_AS, ({limits.memory_mb << 20}, {limits.memory_mb << 20}))\n")
    program = f"{limit}{p.setup_code}\n{extract_code(req.completion)}\n{asserts}\nprint('{{\"ok\": true}}')\n"
    try:
        r = subprocess.run([sys.executable, "-c", program], capture_output=True, timeout=limits.wall_s, cwd="/tmp")
        return b'"ok": true' in r.stdout
    except subprocess.TimeoutExpired:
        return False


@dataclass
class BenchResult:
    name: str
    seconds: float
    n: int
    cpu_s: float  # CPU seconds (user + system) of every process the grader used, summed

    @property
    def per_s(self) -> float:
        return self.n / self.seconds


def _cpu_self_and_children() -> tuple[float, float]:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def _workers_cpu_s(g: Grader) -> float:
    """CPU seconds of the sandbox workers and of every job they reaped. With namespaces the
    fork server is the worker process's only child (PID 1 of its namespace)."""
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    for w in g.sandbox._workers:
        pid = w.proc.pid
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            pids = [pid] + [int(k) for k in f.read().split()]
        for p in pids:
            with open(f"/proc/{p}/stat", "rb") as f:
                stat = f.read()
            fields = stat[stat.rindex(b")") + 2:].split()
            total += sum(int(x) for x in fields[11:15]) / tick  # utime stime cutime cstime
    return total


def use_cores(cores: int | None) -> int:
    """Pin this process (and what it starts) to `cores` of the cores it may use; the count."""
    allowed = sorted(os.sched_getaffinity(0))
    if cores is None or cores == len(allowed):
        return len(allowed)
    if not 1 <= cores <= len(allowed):
        raise UserError(f"--cores {cores}: this process may use {len(allowed)} core(s)")
    os.sched_setaffinity(0, allowed[:cores])
    return cores


def run(problems: list[Problem], n: int, seed: int, cores: int, mix: dict = MIX, rounds: int = 8) -> list[BenchResult]:
    """Naive with `cores` interpreters at a time against our grader with `cores` workers. The
    workload is cut into `rounds` slices graded by each in turn (naive, ours, naive, ours...),
    so a change in the machine's load during the benchmark reaches both alike."""
    workload = [r for _, r in make_workload(problems, n, seed, mix)]
    limits = SandboxLimits()
    slices = [workload[i::rounds] for i in range(rounds)]
    naive_s = ours_s = naive_cpu = ours_cpu = 0.0
    with Grader(workers=cores, limits=limits) as g, ThreadPoolExecutor(max_workers=cores) as pool:
        g.grade(workload[:20])  # warm-up: worker start-up is paid once per training run
        for part in slices:
            (me, kids), t = _cpu_self_and_children(), time.perf_counter()
            list(pool.map(lambda req: _naive_one(req, limits), part))
            naive_s += time.perf_counter() - t
            me2, kids2 = _cpu_self_and_children()
            naive_cpu += (me2 - me) + (kids2 - kids)
            workers, t = _workers_cpu_s(g), time.perf_counter()
            g.grade(part)
            ours_s += time.perf_counter() - t
            ours_cpu += _cpu_self_and_children()[0] - me2 + _workers_cpu_s(g) - workers
        isolation = g.sandbox.isolation
    return [BenchResult(f"naive: fresh `python -c` per completion, {cores} at a time", naive_s, n, naive_cpu),
            BenchResult(f"projected-grpo grader, {cores} worker(s) [{isolation}]", ours_s, n, ours_cpu)]


def cost_breakdown(problems: list[Problem], n: int, seed: int) -> tuple[Breakdown, dict[str, tuple[float, float]]]:
    """Completions graded one at a time on one profiled worker (timeouts left out: they cost the
    CPU budget in both graders): the mean breakdown, and per kind (our ms, naive ms) per completion."""
    work = [(k, r) for k, r in make_workload(problems, n, seed) if k != "timeout"]
    limits = SandboxLimits()
    ours, naive = collections.defaultdict(list), collections.defaultdict(list)
    profiles = []
    with Grader(workers=1, limits=limits, profile=True) as g:
        g.grade([r for _, r in work[:10]])
        for kind, req in work:
            t = time.perf_counter()
            profiles.append(g.grade_one(req).profile)
            ours[kind].append(time.perf_counter() - t)
            t = time.perf_counter()
            _naive_one(req, limits)
            naive[kind].append(time.perf_counter() - t)
    per_kind = {k: (statistics.mean(ours[k]) * 1000, statistics.mean(naive[k]) * 1000) for k in sorted(ours)}
    per_kind["all"] = (statistics.mean(sum(ours.values(), [])) * 1000, statistics.mean(sum(naive.values(), [])) * 1000)
    return mean_breakdown(profiles), per_kind


def timeout_isolation(workers: int | None = None) -> tuple[float, float, float]:
    """(seconds for 60 quick completions alone, seconds until the same 60 are done when an
    infinite loop is submitted first, seconds until the loop's own verdict)."""
    problems = load_bundled()
    quick = [GradeRequest(p, "gt_only", as_completion(p.reference_solution)) for p in problems[:60]]
    loop = GradeRequest(problems[0], "gt_only", as_completion(never_returns(problems[0])))
    with Grader(workers=workers) as g:
        g.grade(quick[:4])
        t = time.perf_counter()
        g.grade(quick)
        alone = time.perf_counter() - t
        with ThreadPoolExecutor(max_workers=g.sandbox.n_workers) as pool:
            t = time.perf_counter()
            loop_future = pool.submit(g.grade_one, loop)
            for f in [pool.submit(g.grade_one, q) for q in quick]:
                f.result()
            quick_done = time.perf_counter() - t
            loop_future.result()
            loop_done = time.perf_counter() - t
    return alone, quick_done, loop_done


def sandbox_overhead_ms(n: int = 100) -> dict[str, float]:
    """Worker-measured ms per sandbox run of a trivial job, per isolation mode available here."""
    from projected_grpo.env.modes import marker_families
    from projected_grpo.env.sandbox import Sandbox
    from projected_grpo.env.setup_code import SETUP_CODE

    job = {"kind": "suite", "mode": "gt_only", "marker": "", "setup_code": SETUP_CODE, "code": "x = 1\n",
           "entry": "f", "tests": ["x = 1"], "expected": None, "nonce": "n", "marker_families": marker_families()}
    out = {}
    for isolation in ("namespaces", "rlimits"):
        try:
            sb = Sandbox(workers=1, isolation=isolation)
        except RuntimeError:
            continue  # namespaces need root
        with sb:
            for _ in range(5):
                sb.run(job)
            out[isolation] = sum(sb.run(job).seconds for _ in range(n)) / n * 1000
    return out
