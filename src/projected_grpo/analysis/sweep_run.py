"""How `pgrpo sweep` runs its jobs: one `pgrpo train` subprocess per job, on a local queue (one
thread per GPU slot, or per CPU slot) or as Ray tasks. Planning the jobs (names, statuses,
overrides) lives in analysis/sweep.py; this module only starts commands and reports their ends.
`run_job` is stdlib only: it is what a Ray worker imports."""

from __future__ import annotations

import contextlib
import os
import queue
import shlex
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from projected_grpo.errors import UserError

if TYPE_CHECKING:
    from projected_grpo.analysis.sweep import Job

_print_lock = threading.Lock()


def say(msg: str) -> None:
    with _print_lock:
        print(msg, flush=True)


# -- running one job (stdlib only: this is what a Ray worker imports) ----------------------
def run_job(cmd: list[str], log: str | Path, env: dict[str, str], cwd: str | None = None) -> tuple[int, float]:
    """Run cmd with stdout and stderr appended to log; (exit code, seconds)."""
    t0 = time.time()
    Path(log).parent.mkdir(parents=True, exist_ok=True)
    with open(log, "a", buffering=1) as f:  # line-buffered: the header lands before the child's output
        f.write(f"\n$ {shlex.join(cmd)}   # {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
        cwd = cwd if cwd and os.path.isdir(cwd) else None  # a Ray node may lack the driver's folder
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **env}  # the log follows the run as it goes
        try:
            rc = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT, cwd=cwd, env=env).returncode
        except OSError as e:
            f.write(f"could not start: {e}\n")
            rc = 127
    return rc, time.time() - t0


def _cpu_env(parallel: int) -> dict[str, str]:
    """No GPU, and the cores shared out between parallel CPU jobs."""
    env = {"CUDA_VISIBLE_DEVICES": ""}
    if parallel > 1 and "OMP_NUM_THREADS" not in os.environ:
        env["OMP_NUM_THREADS"] = str(max(1, (os.cpu_count() or 1) // parallel))
    return env


def _begin(job: Job, where: str) -> None:
    if job.status == "restart":
        shutil.rmtree(job.run_dir)
        say(f"removed {job.run_dir}: {job.note.split(':')[0]}")
    say(f"start {job.name:<32} {job.status:<7} {where}")


def _end_line(job: Job, rc: int, secs: float) -> str:
    state = "ok" if rc == 0 else f"FAILED (exit {rc}; see {job.log})"
    return f"end   {job.name:<32} {state} {secs:7.1f}s"


def run_local(jobs: list[Job], gpus: list[str], max_parallel: int, jobs_per_gpu: int = 1) -> dict[str, int]:
    """A queue drained by one thread per GPU slot (jobs_per_gpu slots per GPU: small models such
    as the organism leave a GPU mostly idle) or per CPU slot; {name: exit code}."""
    gpu_slots = [g for _ in range(jobs_per_gpu) for g in gpus]  # round-robin: spread before stacking
    slots: list[str | None] = gpu_slots[:max_parallel or None] if gpus else [None] * max(1, max_parallel)
    todo: queue.Queue[Job | None] = queue.Queue()
    for job in [*jobs, *[None] * len(slots)]:  # one None per slot: its stop sign
        todo.put(job)
    codes: dict[str, int] = {}

    def drain(slot: str | None) -> None:
        for job in iter(todo.get, None):
            _begin(job, f"on gpu {slot}" if slot is not None else "on cpu")
            env = {"CUDA_VISIBLE_DEVICES": slot} if slot is not None else _cpu_env(len(slots))
            rc, secs = run_job(job.command(), job.log, env)
            codes[job.name] = rc
            say(_end_line(job, rc, secs))

    threads = [threading.Thread(target=drain, args=(s,), daemon=True) for s in slots]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return codes


# -- the Ray backend -----------------------------------------------------------------------
def import_ray():
    try:
        import ray
    except ImportError:
        raise UserError("--backend ray needs Ray: pip install -e '.[sweep]'") from None
    return ray


def _ray_init(ray, gpus: list[str], max_parallel: int) -> bool:
    """Connect to RAY_ADDRESS, or start a local cluster (True: we started it, we stop it)."""
    if ray.is_initialized():
        return False
    if os.environ.get("RAY_ADDRESS"):
        ray.init(log_to_driver=False)
        return True
    n_cpus = max(os.cpu_count() or 1, len(gpus)) if gpus else max(max_parallel, 1)  # CPU: max_parallel tasks
    with _environ({"CUDA_VISIBLE_DEVICES": ",".join(gpus)} if gpus else {}):  # the GPUs the raylet sees
        ray.init(num_cpus=n_cpus, num_gpus=len(gpus), include_dashboard=False, log_to_driver=False)
    return True


@contextlib.contextmanager
def _environ(values: dict[str, str]):
    """Set environment variables for the block, then restore them."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def run_ray(jobs: list[Job], gpus: list[str], max_parallel: int) -> dict[str, int]:
    """The same commands as Ray tasks, one GPU each (Ray sets CUDA_VISIBLE_DEVICES), else one CPU."""
    ray = import_ray()
    started = _ray_init(ray, gpus, max_parallel)
    try:
        n_gpus = int(ray.cluster_resources().get("GPU", 0))
        task = ray.remote(max_retries=0, **({"num_gpus": 1} if n_gpus else {"num_cpus": 1}))(run_job)
        env = {} if n_gpus else _cpu_env(int(ray.cluster_resources().get("CPU", 1)))
        pending = {}
        for job in jobs:
            _begin(job, f"submitted to ray ({f'{n_gpus} GPUs' if n_gpus else 'CPU'})")
            pending[task.remote(job.command(), str(job.log), env, os.getcwd())] = job
        codes: dict[str, int] = {}
        while pending:
            [ref], _ = ray.wait(list(pending), num_returns=1)
            job = pending.pop(ref)
            try:
                rc, secs = ray.get(ref)
            except Exception as e:  # the task itself died (worker killed, node lost)
                rc, secs = 1, 0.0
                say(f"ray task for {job.name} failed: {type(e).__name__}: {e}")
            codes[job.name] = rc
            say(_end_line(job, rc, secs))
        return codes
    finally:
        if started:
            ray.shutdown()
