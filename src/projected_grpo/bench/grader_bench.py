"""`pgrpo bench grader`: grading throughput on the bundled set, against a naive baseline.

Workload: a seeded mix over the bundled problems of correct solutions, plausible wrong ones,
canonical hacks of every mode (each graded under its own mode), infinite loops (timeouts) and
syntax errors. The naive baseline is what a first implementation does: one fresh interpreter
per completion (`python -c`), one at a time, running setup + completion + every test's assert,
under the same CPU limit. It computes no channel and no labels, so it does less work than we do.
"""

from __future__ import annotations

import os
import random
import resource
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from projected_grpo.env.exploits import as_completion, exploit_code, never_returns
from projected_grpo.env.grader import GradeRequest, Grader
from projected_grpo.env.modes import LOOPHOLE_MODES, assign_modes
from projected_grpo.env.problems import Problem, load_bundled
from projected_grpo.env.prompts import extract_code
from projected_grpo.env.sandbox import SandboxLimits

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


def _naive_one(req: GradeRequest, limits: SandboxLimits) -> bool:
    p = req.problem
    asserts = "\n".join(f"assert {p.entry_point}({t.args}) == {t.expected}" for t in p.tests)
    program = f"{p.setup_code}\n{extract_code(req.completion)}\n{asserts}\nprint('{{\"ok\": true}}')\n"
    cpu = int(limits.cpu_s + 0.999)

    def limit():
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_mb << 20,) * 2)

    try:
        r = subprocess.run([sys.executable, "-c", program], capture_output=True, timeout=limits.wall_s,
                           preexec_fn=limit, cwd="/tmp")
        return b'"ok": true' in r.stdout
    except subprocess.TimeoutExpired:
        return False


@dataclass
class BenchResult:
    name: str
    seconds: float
    n: int

    @property
    def per_s(self) -> float:
        return self.n / self.seconds


def run(n: int = 400, seed: int = 0, workers: int | None = None, mix: dict = MIX) -> list[BenchResult]:
    problems = load_bundled()
    workload = [r for _, r in make_workload(problems, n, seed, mix)]
    limits = SandboxLimits()
    cores = os.cpu_count() or 1
    results = []
    t = time.perf_counter()
    for req in workload:
        _naive_one(req, limits)
    results.append(BenchResult("naive: fresh interpreter per completion, sequential", time.perf_counter() - t, n))
    for w in sorted({1, workers or cores}):
        with Grader(workers=w, limits=limits) as g:
            g.grade(workload[:20])  # warm-up: worker start-up is paid once per training run
            t = time.perf_counter()
            g.grade(workload)
            results.append(BenchResult(f"projected-grpo grader, {w} worker(s) [{g.sandbox.isolation}]",
                                       time.perf_counter() - t, n))
    return results


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


def per_category_ms(n_each: int = 40, seed: int = 0) -> dict[str, tuple[float, float]]:
    """kind -> (ours on one worker, naive) in ms per completion, timeouts excluded (they cost the
    CPU budget in both)."""
    import collections

    by_kind = collections.defaultdict(list)
    for kind, req in make_workload(load_bundled(), 600, seed):
        if kind != "timeout":
            by_kind[kind].append(req)
    out = {}
    with Grader(workers=1) as g:
        g.grade(by_kind["correct"][:5])
        for kind, reqs in sorted(by_kind.items()):
            reqs = reqs[:n_each]
            t = time.perf_counter()
            g.grade(reqs)
            ours = (time.perf_counter() - t) / len(reqs) * 1000
            t = time.perf_counter()
            for r in reqs:
                _naive_one(r, g.sandbox.limits)
            out[kind] = (ours, (time.perf_counter() - t) / len(reqs) * 1000)
    return out


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
