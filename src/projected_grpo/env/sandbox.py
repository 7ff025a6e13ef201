"""Process sandbox for untrusted code: a pool of warm fork-server workers.

Why a fork server: a fresh interpreter costs ~50-100 ms before the first test runs; forking a
worker that has already imported the setup modules costs ~1-3 ms. Each worker serves one job
at a time; the pool runs one worker per core by default, so a completion that times out holds
only its own worker.

What one job gets (`isolation="namespaces"`, used when running as root, e.g. CI and most GPU
containers):
- a fresh process in new mount, PID and IPC namespaces, inside the worker's empty network
  namespace: no network, private tmpfs over /tmp, /var/tmp, /dev/shm and /run/lock, and its own
  PID namespace, so every process it starts dies with it (the kernel kills a PID namespace when
  its first process exits);
- an unprivileged uid of its own (one per worker slot, from a block of uids this Sandbox holds
  an flock on), so it cannot signal or read the trainer, the worker, another job or another
  grader's jobs, and cannot write anywhere but its temporary directory;
- rlimits: CPU seconds, address space, process count, file size, open files, no core dumps;
- a fresh temporary working directory (deleted afterwards), a scrubbed environment
  (PATH, HOME, TMPDIR, LANG only), stdin from /dev/null, stdout captured up to a cap;
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

import ctypes
import json
import os
import queue
import resource
import select
import shutil
import signal
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

_CLONE_NEWNS, _CLONE_NEWNET, _CLONE_NEWPID, _CLONE_NEWIPC = 0x00020000, 0x40000000, 0x20000000, 0x08000000
_MS_NOSUID, _MS_NODEV, _MS_REC, _MS_PRIVATE = 2, 4, 16384, 1 << 18
_PR_SET_CHILD_SUBREAPER = 36
_PRIVATE_TMPFS = ("/tmp", "/var/tmp", "/dev/shm", "/run/lock")
_REPORT_FD = 3


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


# ----------------------------------------------------------------------------- worker side

def _libc():
    return ctypes.CDLL(None, use_errno=True)


def _check(rc: int, what: str):
    if rc != 0:
        raise OSError(ctypes.get_errno(), f"{what} failed: {os.strerror(ctypes.get_errno())}")


def _enter_namespaces(libc, jobdir: str):
    """Per job: mount, PID and IPC namespaces (the network namespace is the worker's own)."""
    _check(libc.unshare(_CLONE_NEWNS | _CLONE_NEWPID | _CLONE_NEWIPC), "unshare")
    _check(libc.mount(b"none", b"/", None, _MS_REC | _MS_PRIVATE, None), "make / private")
    os.chdir(jobdir)  # before the tmpfs mounts: the cwd keeps pointing at the real job dir
    for d in _PRIVATE_TMPFS:
        if os.path.isdir(d) and not os.path.islink(d):
            _check(libc.mount(b"tmpfs", d.encode(), b"tmpfs", _MS_NOSUID | _MS_NODEV,
                              b"size=16m,mode=1777"), f"mount tmpfs on {d}")


def _become_untrusted(msg: dict, uid: int | None, out_w: int | None, report_w: int):
    """Last steps before running untrusted code: fds, uid, rlimits, environment."""
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(out_w if out_w is not None else devnull, 1)
    os.dup2(devnull, 2)
    os.dup2(report_w, _REPORT_FD)
    os.closerange(_REPORT_FD + 1, 65536)
    lim = msg["limits"]
    if uid is not None:
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
    cpu = max(1, int(lim["cpu_s"] + 0.999))
    nproc = lim["max_procs"] if uid is not None else msg["nproc_base"] + lim["max_procs"]
    for res, value in ((resource.RLIMIT_CPU, (cpu, cpu)),
                       (resource.RLIMIT_AS, (lim["memory_mb"] << 20,) * 2),
                       (resource.RLIMIT_NPROC, (nproc, nproc)),
                       (resource.RLIMIT_FSIZE, (lim["file_mb"] << 20,) * 2),
                       (resource.RLIMIT_NOFILE, (lim["open_files"],) * 2),
                       (resource.RLIMIT_CORE, (0, 0))):
        resource.setrlimit(res, value)
    signal.signal(signal.SIGXCPU, signal.SIG_DFL)  # the CPU limit ends the process
    os.environ.clear()
    os.environ.update(PATH="/usr/bin:/bin", HOME="/tmp", TMPDIR="/tmp", LANG="C.UTF-8")
    sys.stdin = open(0, "r", closefd=False)
    sys.stdout = sys.__stdout__ = open(1, "w", closefd=False)
    sys.stderr = sys.__stderr__ = open(2, "w", closefd=False)


_SETUP_NAMESPACES: dict[str, dict] = {}  # setup code -> its executed namespace (worker-side cache)


def _child(msg, cfg, jobdir, out_w, report_w, ctl_w):
    """Process A (new session). With namespaces it forks the untrusted process G as PID 1."""
    from projected_grpo.env import runner

    os.setsid()
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    if cfg["isolation"] == "namespaces":
        _enter_namespaces(_libc(), jobdir)
        g = os.fork()
        if g:
            os.write(ctl_w, str(g).encode())
            for fd in (out_w, report_w, ctl_w):
                if fd is not None:
                    os.close(fd)
            _, status = os.waitpid(g, 0)
            code = os.waitstatus_to_exitcode(status)
            os._exit(code if code >= 0 else 128 - code)
    else:
        os.chdir(jobdir)
    _become_untrusted(msg, cfg["uid"], out_w, report_w)
    runner.run(msg["job"], _REPORT_FD, _SETUP_NAMESPACES.get(msg["job"]["setup_code"]))


def _children_of(pid: int) -> list[int]:
    kids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as f:
                    stat = f.read()
                if int(stat[stat.rindex(b")") + 2:].split()[1]) == pid:
                    kids.append(int(entry))
            except (OSError, ValueError):
                pass
    return kids


def _reap_all():
    """Kill and reap every remaining child (escaped descendants are reparented to us)."""
    deadline = time.monotonic() + 5.0
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            for kid in _children_of(os.getpid()):
                try:
                    os.kill(kid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.002)


def _read_file(jobdir: str, name: str, cap: int = 65536) -> bytes | None:
    try:
        fd = os.open(os.path.join(jobdir, name), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        return os.read(fd, cap) if os.path.isfile(f"/proc/self/fd/{fd}") else None
    finally:
        os.close(fd)


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

    def next_line(self) -> bytes | None:
        while b"\n" not in self.buf:
            if not self.feed():
                return None
        line, _, rest = bytes(self.buf).partition(b"\n")
        self.buf = bytearray(rest)
        return line


def _run_one(msg: dict, cfg: dict, send, control: _Lines) -> dict:
    """Run one job; stream each report record to the caller as it arrives ({"rec": ...}) and
    stop the job if the caller says so ({"stop": true} on our stdin)."""
    from projected_grpo.env import runner

    lim = msg["limits"]
    setup = msg["job"]["setup_code"]
    if setup not in _SETUP_NAMESPACES and len(_SETUP_NAMESPACES) < 256:
        _SETUP_NAMESPACES[setup] = runner.setup_namespace(setup)
    jobdir = tempfile.mkdtemp(dir=cfg["base_dir"])
    if cfg["uid"] is not None:
        os.chown(jobdir, cfg["uid"], cfg["uid"])
    report_r, report_w = os.pipe()
    out_r, out_w = os.pipe() if msg["capture_stdout"] else (None, None)
    ctl_r, ctl_w = os.pipe()
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:
        try:
            _child(msg, cfg, jobdir, out_w, report_w, ctl_w)
        finally:
            os._exit(70)
    for fd in (report_w, out_w, ctl_w):
        if fd is not None:
            os.close(fd)
    pidfd = os.pidfd_open(pid)
    caps = {report_r: lim["report_mb"] << 20, out_r: lim["stdout_kb"] << 10, ctl_r: 64}
    bufs = {fd: bytearray() for fd in caps if fd is not None}
    report_lines = _Lines(report_r)
    open_fds, res, exited_at, n_report = set(bufs) | {pidfd, control.fd}, RunResult(), None, 0
    while open_fds - {control.fd}:
        now = time.monotonic()
        left = t0 + lim["wall_s"] - now
        if exited_at is not None:  # a leftover descendant may hold a pipe open: small grace
            left = min(left, exited_at + 0.05 - now)
        if left <= 0:
            res.timed_out = exited_at is None
            break
        ready, _, _ = select.select(list(open_fds), [], [], left)
        for fd in ready:
            if fd == pidfd:
                exited_at = time.monotonic()
                open_fds.discard(fd)
            elif fd == control.fd:
                if not control.feed():
                    raise SystemExit(0)  # the caller went away
                res.stopped = res.stopped or any(b'"stop"' in line for line in control.pop())
            elif fd == report_r:
                more = report_lines.feed()
                n_report += more
                for line in report_lines.pop():
                    if _is_json(line):
                        send(b'{"rec": ' + line + b"}")
                if not more:
                    open_fds.discard(fd)
                elif n_report > caps[fd]:
                    res.output_exceeded = True
                    open_fds.clear()
            else:
                data = os.read(fd, 1 << 16)
                if not data:
                    open_fds.discard(fd)
                elif len(bufs[fd]) + len(data) > caps[fd]:
                    res.output_exceeded = True
                    open_fds.clear()
                else:
                    bufs[fd] += data
        if res.stopped:
            break
    g_pid = int(bufs[ctl_r]) if bufs[ctl_r].isdigit() else None
    exited_by_itself = exited_at is not None
    for target in (g_pid, -pid, pid):  # G is PID 1 of its namespace: killing it kills the tree
        if target is not None:
            try:
                os.kill(target, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
    _, status = os.waitpid(pid, 0)
    os.close(pidfd)
    _reap_all()
    code = os.waitstatus_to_exitcode(status)
    res.exit_status = code if code >= 0 else 128 - code
    # SIGXCPU (soft CPU limit) or SIGKILL we did not send (hard CPU limit): the CPU budget ran out
    if exited_by_itself and res.exit_status in (128 + signal.SIGXCPU, 128 + signal.SIGKILL):
        res.timed_out = True
    res.seconds = time.monotonic() - t0
    if out_r is not None:
        res.stdout = bytes(bufs[out_r])
    for name in msg["read_files"]:
        content = _read_file(jobdir, name)
        if content is not None:
            res.files[name] = content
    for fd in bufs:
        os.close(fd)
    shutil.rmtree(jobdir, ignore_errors=True)
    out = asdict(res)
    out["stdout"] = res.stdout.decode("utf-8", "replace")
    out["files"] = {k: v.decode("utf-8", "replace") for k, v in res.files.items()}
    return out


def _is_json(line: bytes) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


def _probe_namespaces(cfg: dict) -> str:
    """Try the namespace path once in a throwaway child; '' if it works, else the reason."""
    if os.geteuid() != 0:
        return "not running as root"
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(r)
            jobdir = tempfile.mkdtemp(dir=cfg["base_dir"])
            _check(_libc().unshare(_CLONE_NEWNET), "unshare network")
            _enter_namespaces(_libc(), jobdir)
            os.setgid(cfg["uid"])
            os.setuid(cfg["uid"])
            os._exit(0)
        except BaseException as e:
            os.write(w, str(e).encode()[:500])
            os._exit(1)
    os.close(w)
    _, status = os.waitpid(pid, 0)
    reason = os.read(r, 1000).decode()
    os.close(r)
    return "" if os.waitstatus_to_exitcode(status) == 0 else (reason or "probe failed")


# Imported once in every worker: forked children start warm, and a job running as an
# unprivileged uid can still use them where the interpreter's own files are not world-readable.
PRELOADED_MODULES = (
    "array", "bisect", "cmath", "collections", "copy", "dataclasses", "datetime", "decimal",
    "enum", "fractions", "functools", "heapq", "itertools", "json", "math", "numbers",
    "operator", "queue", "random", "re", "statistics", "string", "sys", "os", "time", "typing",
    "unicodedata", "textwrap", "graphlib", "contextlib", "abc", "types", "weakref", "struct",
    "hashlib", "base64", "io", "pathlib", "threading", "traceback", "warnings", "inspect",
)


def worker_main(cfg: dict):
    import importlib

    from projected_grpo.env import runner  # noqa: F401  (warm the import for forked children)
    from projected_grpo.env.setup_code import SETUP_CODE

    for name in PRELOADED_MODULES:
        importlib.import_module(name)
    exec(compile(SETUP_CODE, "<setup>", "exec"), {})  # warm the preamble's imports
    proto_out = os.fdopen(os.dup(1), "wb")
    sys.stdout = sys.stderr  # nothing but protocol lines on the protocol pipe
    _libc().prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    reason = ""
    if cfg["isolation"] in ("auto", "namespaces"):
        reason = _probe_namespaces(cfg)
        if reason and cfg["isolation"] == "namespaces":
            proto_out.write(json.dumps({"error": f"namespaces unavailable: {reason}"}).encode() + b"\n")
            proto_out.flush()
            return
        cfg["isolation"] = "rlimits" if reason else "namespaces"
    if cfg["isolation"] == "rlimits":
        cfg["uid"] = None
    else:  # one empty network namespace for this worker and every job it forks: no network
        _check(_libc().unshare(_CLONE_NEWNET), "unshare network")
    hello = {"isolation": cfg["isolation"], "why": reason}

    def send(line: bytes):
        proto_out.write(line + b"\n")
        proto_out.flush()

    send(json.dumps(hello).encode())
    control = _Lines(0)
    while (line := control.next_line()) is not None:
        msg = json.loads(line)
        if "stop" in msg:  # a late stop for a job that already ended
            continue
        try:
            reply = _run_one(msg, cfg, send, control)
        except Exception as e:  # a sandbox bug, not the completion's: report, keep serving
            reply = asdict(RunResult(sandbox_error=f"{type(e).__name__}: {e}"))
            reply["stdout"], reply["files"] = "", {}
        send(json.dumps({"result": reply}).encode())


# ----------------------------------------------------------------------------- parent side

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
            [sys.executable, "-m", "projected_grpo.env.sandbox", json.dumps(self.cfg)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, cwd="/")
        self._lines = _Lines(self.proc.stdout.fileno())
        hello = self._read_line(timeout=60)
        if hello is None or "error" in hello:
            self.close()
            raise RuntimeError(f"sandbox worker failed to start: {hello}")
        self.isolation, self.why = hello["isolation"], hello["why"]

    def _read_line(self, timeout: float) -> dict | None:
        """The next protocol line. Reads the raw fd through our own buffer: select() on a
        buffered reader misses lines already sitting in its buffer and would wait them out."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self._lines.buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._lines.fd], [], [], left)[0]:
                return None
            if not self._lines.feed():
                return None  # the worker exited
        line, _, rest = bytes(self._lines.buf).partition(b"\n")
        self._lines.buf = bytearray(rest)
        return json.loads(line)

    def request(self, msg: dict, on_record: Callable[[dict], bool] | None = None) -> RunResult:
        """Send a job; records stream back one by one; `on_record(rec)` returning True stops the
        job early. Returns the RunResult with every record received."""
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
            return RunResult(**result)

    def _send(self, msg: dict):
        self.proc.stdin.write(json.dumps(msg).encode() + b"\n")
        self.proc.stdin.flush()

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


class Sandbox:
    """A pool of sandbox workers. Thread-safe; use as a context manager."""

    def __init__(self, workers: int | None = None, limits: SandboxLimits = SandboxLimits(),
                 isolation: Isolation = "auto"):
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


if __name__ == "__main__":
    worker_main(json.loads(sys.argv[1]))
