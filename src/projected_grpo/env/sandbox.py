"""Process sandbox for untrusted code: a pool of warm fork-server workers (this module is the
parent side; sandbox_worker.py is the worker process).

Why a fork server: a fresh interpreter costs ~50-100 ms before the first test runs; forking a
worker that has already imported the setup modules and executed the setup preamble costs a
few ms. Each worker serves one job at a time; the pool runs one worker per core by default, so
a completion that times out holds only its own worker.

What one job gets (`isolation="namespaces"`, used when running as root, e.g. CI and most GPU
containers):
- a fresh process inside its worker's namespaces, made once when the worker starts (making and
  tearing them down per job cost ~10-20 ms a job): an empty network namespace (no network), a
  mount namespace with private tmpfs over /tmp, /var/tmp, /dev/shm and /run/lock, emptied after
  every job (a worker that cannot empty them ends and is replaced), and a PID namespace whose
  PID 1 is the worker itself, which kills every other process in it after every job, so every
  process a job starts dies with it;
- a new IPC namespace of its own (SysV objects die with the job);
- an unprivileged uid of its own (one per worker slot, from a block of uids this Sandbox holds
  an flock on), so it cannot signal or read the trainer, the worker, another job or another
  grader's jobs, and cannot write anywhere but its temporary directory and private tmpfs;
- rlimits: CPU seconds, address space, process count, file size, open files, no core dumps;
- a fresh temporary working directory (in the private /tmp, deleted afterwards), a scrubbed
  environment (PATH, HOME, TMPDIR, LANG only), stdin from /dev/null, stdout captured up to a cap;
- a wall-clock deadline after which the whole process tree is SIGKILLed.

`isolation="rlimits"` (automatic when not root or when namespaces are refused) keeps the
rlimits, the new session, the temporary directory, the scrubbed environment and the deadline,
and reaps escaped descendants (the worker is a child subreaper), but the code runs as the
caller's uid: it could signal the caller's processes, read files the caller can read, write to
world-writable directories, and reach the network. The isolation in force is reported by
`Sandbox.isolation` and printed by `pgrpo env selfcheck` and `pgrpo grade`.

Not covered in either mode: attacks on the kernel, timing side channels, and a completion that
rewrites the sandbox-side Python objects of its own process (it can only forge values it could
have computed, because expected outputs never enter the oracle's process).
"""

from __future__ import annotations

import json
import os
import queue
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Callable, Iterable, Iterator, Literal

from projected_grpo.errors import UserError

Isolation = Literal["auto", "namespaces", "rlimits"]



@dataclass(frozen=True)
class SandboxLimits:
    cpu_s: float = 3.0  # CPU seconds for one run (ariahw: the whole suite shares 3 s)
    wall_s: float = 4.0  # wall-clock seconds before the process tree is killed (ariahw: 4 s)
    memory_mb: int = 1024  # address-space limit (RLIMIT_AS) per process
    max_procs: int = 4  # processes + threads the code may hold (RLIMIT_NPROC)
    file_mb: int = 16  # largest file it may write (RLIMIT_FSIZE)
    stdout_kb: int = 1024  # stdout kept; more kills the run and sets output_exceeded
    report_mb: int = 64  # result records kept; more kills the run and sets output_exceeded
    open_files: int = 64  # RLIMIT_NOFILE

    def __post_init__(self):
        if self.cpu_s <= 0 or self.wall_s < self.cpu_s:
            raise UserError(f"need 0 < cpu_s <= wall_s, got cpu_s={self.cpu_s}, wall_s={self.wall_s}")
        small = [f"{k}={getattr(self, k)}" for k in ("memory_mb", "max_procs", "file_mb", "stdout_kb", "report_mb",
                                                     "open_files") if getattr(self, k) < 1]
        if small:
            raise UserError(f"sandbox limits must be >= 1, got {', '.join(small)}")


@dataclass
class RunResult:
    records: list[dict] = field(default_factory=list)  # JSON lines the runner reported
    stdout: bytes = b""
    exit_status: int | None = None  # exit code, or 128 + signal number
    timed_out: bool = False
    output_exceeded: bool = False
    files: dict[str, bytes] = field(default_factory=dict)  # requested files left in the cwd
    stopped: bool = False  # the caller stopped it early (e.g. at the first wrong value)
    seconds: float = 0.0
    sandbox_error: str = ""  # the worker itself failed (the job counts as failed)
    prof: dict = field(default_factory=dict)  # profiled jobs only: CLOCK_MONOTONIC stamps per phase


class _Lines:
    """Newline-delimited messages on a raw fd, readable both blocking and from a select loop."""

    def __init__(self, fd: int):
        self.fd, self.buf = fd, bytearray()

    def feed(self) -> int:
        data = os.read(self.fd, 1 << 16)
        self.buf += data
        return len(data)

    def pop(self) -> list[bytes]:
        *lines, rest = self.buf.split(b"\n")
        self.buf = bytearray(rest)
        return lines

    def next_line(self, timeout: float | None = None) -> bytes | None:
        """The next line, blocking at most `timeout` seconds (None: forever); None on EOF or
        timeout. Lines already in our buffer come first: select() on the fd cannot see them."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while b"\n" not in self.buf:
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([self.fd], [], [], left)[0]:
                    return None
            if not self.feed():
                return None
        line, _, rest = bytes(self.buf).partition(b"\n")
        self.buf = bytearray(rest)
        return line


def _count_user_processes(uid: int) -> int:
    n = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                n += os.stat(f"/proc/{entry}").st_uid == uid
            except OSError:
                pass
    return n


UID_BLOCK = 64  # uids per sandbox: one per worker slot
_UID_FIRST, _UID_BLOCKS = 200_000, 4096
_UID_LOCK_DIR = "/run/pgrpo-sandbox-uids"


def _claim_uid_block() -> tuple[int, int]:
    """(lock fd, first uid) of a block of unprivileged uids no other live Sandbox on this machine
    holds (an flock per block), so one grader's jobs can never signal another grader's."""
    import fcntl

    os.makedirs(_UID_LOCK_DIR, mode=0o700, exist_ok=True)
    for block in range(_UID_BLOCKS):
        fd = os.open(f"{_UID_LOCK_DIR}/block-{block}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd, _UID_FIRST + block * UID_BLOCK
        except BlockingIOError:
            os.close(fd)
    raise RuntimeError(f"all {_UID_BLOCKS} sandbox uid blocks are in use")


class _Worker:
    def __init__(self, slot: int, cfg: dict):
        self.slot, self.cfg = slot, dict(cfg, uid=cfg["uid_base"] + slot)
        pkg_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": pkg_root,
               "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1", "LANG": "C.UTF-8"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "projected_grpo.env.sandbox_worker", json.dumps(self.cfg)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, cwd="/")
        self._lines = _Lines(self.proc.stdout.fileno())
        hello = self._read_line(timeout=60)
        if hello is None or "error" in hello:
            self.close()
            raise RuntimeError(f"sandbox worker failed to start: {hello}")
        self.isolation, self.why = hello["isolation"], hello["why"]

    def _read_line(self, timeout: float) -> dict | None:
        line = self._lines.next_line(timeout)
        return json.loads(line) if line is not None else None

    def request(self, msg: dict, on_record: Callable[[dict], bool] | None = None) -> RunResult:
        """Send a job; records stream back one by one; `on_record(rec)` returning True stops the
        job early. Returns the RunResult with every record received."""
        sent = time.monotonic()
        self._send(msg)
        records, stopped, deadline = [], False, time.monotonic() + msg["limits"]["wall_s"] + 30
        while True:
            reply = self._read_line(timeout=max(0.0, deadline - time.monotonic()))
            if reply is None:
                raise RuntimeError("sandbox worker died or hung")
            if "rec" in reply:
                records.append(reply["rec"])
                if on_record and not stopped and on_record(reply["rec"]):
                    self._send({"stop": True})
                    stopped = True
                continue
            result = reply["result"]
            result["stdout"] = result["stdout"].encode()
            result["files"] = {k: v.encode() for k, v in result["files"].items()}
            result["records"] = records
            if result["prof"]:
                result["prof"].update(parent_sent=sent, parent_replied=time.monotonic())
            return RunResult(**result)

    def _send(self, msg: dict):
        self.proc.stdin.write(json.dumps(msg).encode() + b"\n")
        self.proc.stdin.flush()

    def close(self):
        try:  # EOF on its stdin also ends the fork server, should it outlive the process we kill
            self.proc.stdin.close()
        except OSError:
            pass
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


class Sandbox:
    """A pool of sandbox workers. Thread-safe; use as a context manager."""

    def __init__(self, workers: int | None = None, limits: SandboxLimits = SandboxLimits(),
                 isolation: Isolation = "auto"):
        if workers is not None and workers < 1:
            raise UserError(f"--workers must be >= 1 (or left out: one per core), got {workers}")
        self.limits, self.n_workers = limits, workers or os.cpu_count() or 1
        if self.n_workers > UID_BLOCK:
            raise UserError(f"at most {UID_BLOCK} sandbox workers per grader, got {self.n_workers}")
        self._base_dir = tempfile.mkdtemp(prefix="pgrpo-sandbox-")
        os.chmod(self._base_dir, 0o711)  # slot uids may enter their own job dir, not list others
        self._uid_lock, uid_base = _claim_uid_block() if os.geteuid() == 0 and isolation != "rlimits" else (None, 0)
        self.uid_range = range(uid_base, uid_base + UID_BLOCK) if self._uid_lock is not None else range(0)
        self._cfg = {"isolation": isolation, "uid_base": uid_base, "base_dir": self._base_dir}
        self._nproc_base = _count_user_processes(os.geteuid()) + 64  # rlimits mode: RLIMIT_NPROC is per uid
        self._lock = threading.Lock()
        self._workers = [_Worker(i, self._cfg) for i in range(self.n_workers)]
        self.isolation, self.isolation_why = self._workers[0].isolation, self._workers[0].why
        self._free: queue.Queue[_Worker] = queue.Queue()
        for w in self._workers:
            self._free.put(w)

    def run(self, job: dict, *, capture_stdout: bool = False, read_files: Iterable[str] = (),
            limits: SandboxLimits | None = None, on_record: Callable[[dict], bool] | None = None) -> RunResult:
        msg = {"job": job, "limits": asdict(limits or self.limits), "capture_stdout": capture_stdout,
               "read_files": list(read_files), "nproc_base": self._nproc_base}
        worker = self._free.get()
        try:
            return worker.request(msg, on_record)
        except (RuntimeError, OSError, ValueError) as e:  # the job killed or broke its worker
            worker.close()
            with self._lock:
                worker = _Worker(worker.slot, self._cfg)
                self._workers[worker.slot] = worker
            return RunResult(sandbox_error=f"worker lost: {e}")
        finally:
            self._free.put(worker)

    def imap(self, fn: Callable, items: Iterable) -> Iterator:
        """fn(item) for every item, n_workers at a time, yielded in input order as they finish."""
        with ThreadPoolExecutor(max_workers=self.n_workers) as pool:
            for future in [pool.submit(fn, item) for item in items]:
                yield future.result()

    def close(self):
        for w in self._workers:
            w.close()
        shutil.rmtree(self._base_dir, ignore_errors=True)
        if self._uid_lock is not None:
            os.close(self._uid_lock)  # releases the uid block
            self._uid_lock = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
