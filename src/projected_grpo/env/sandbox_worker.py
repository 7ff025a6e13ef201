"""The sandbox worker: a warm fork server (run as `python -m projected_grpo.env.sandbox_worker`).

It reads one job at a time (a JSON line) from its stdin, forks the sandboxed process for it
(namespaces, uid, rlimits: see sandbox.py for what that covers), streams the job's report
records back as they arrive, stops the job when the caller asks, and replies with the
RunResult. No untrusted code ever runs in this process itself, only in its forked children.
"""

from __future__ import annotations

import ctypes
import functools
import json
import os
import resource
import select
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import asdict

from projected_grpo.env.sandbox import RunResult, _Lines

_CLONE_NEWNS, _CLONE_NEWNET, _CLONE_NEWPID, _CLONE_NEWIPC = 0x00020000, 0x40000000, 0x20000000, 0x08000000
_MS_NOSUID, _MS_NODEV, _MS_REC, _MS_PRIVATE = 2, 4, 16384, 1 << 18
_PR_SET_PDEATHSIG, _PR_SET_CHILD_SUBREAPER = 1, 36
_PRIVATE_TMPFS = ("/tmp", "/var/tmp", "/dev/shm", "/run/lock")
_REPORT_FD = 3

@functools.cache
def _libc():
    return ctypes.CDLL(None, use_errno=True)


def _check(rc: int, what: str):
    if rc != 0:
        raise OSError(ctypes.get_errno(), f"{what} failed: {os.strerror(ctypes.get_errno())}")


def _enter_namespaces(libc):
    """Once per worker: new network, mount and PID namespaces, and a private tmpfs on each of
    _PRIVATE_TMPFS. The PID namespace applies to our children: the caller forks next, and that
    child, PID 1 of the namespace, is the fork server (see _become_pid1). The IPC namespace
    is per job (_child): SysV objects would otherwise outlive a job for the next one to read."""
    _check(libc.unshare(_CLONE_NEWNET | _CLONE_NEWNS | _CLONE_NEWPID), "unshare")
    _check(libc.mount(b"none", b"/", None, _MS_REC | _MS_PRIVATE, None), "make / private")
    for d in _PRIVATE_TMPFS:
        if os.path.isdir(d) and not os.path.islink(d):
            # nr_inodes bounds what a job can leave for _wipe_private_tmpfs to delete
            _check(libc.mount(b"tmpfs", d.encode(), b"tmpfs", _MS_NOSUID | _MS_NODEV,
                              b"size=16m,nr_inodes=4096,mode=1777"), f"mount tmpfs on {d}")


def _become_pid1():
    """Fork the fork server into the new PID namespace. This process stays outside only to
    pass on the server's exit status; the server dies with it (PDEATHSIG), so killing the
    worker process the Sandbox started still ends everything."""
    server = os.fork()
    if server == 0:
        _libc().prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        return
    os.closerange(0, 65536)  # the server owns the protocol pipes: EOF when it dies
    _, status = os.waitpid(server, 0)
    code = os.waitstatus_to_exitcode(status)
    os._exit(code if code >= 0 else 128 - code)


class _WorkerUnusable(Exception):
    """Left state a next job could see (survivors, an unwipeable /tmp): this worker must end."""


def _wipe_private_tmpfs():
    """After each job: empty the worker's private tmpfs mounts (the job's working directory is
    among them), so every job starts with an empty /tmp of its own. A wipe that fails ends the
    worker: the Sandbox replaces it with one whose mounts are new."""
    try:
        for d in _PRIVATE_TMPFS:
            if os.path.isdir(d) and not os.path.islink(d):
                for entry in os.listdir(d):
                    path = os.path.join(d, entry)
                    if os.path.isdir(path) and not os.path.islink(path):
                        shutil.rmtree(path)
                    else:
                        os.unlink(path)
    except (OSError, RecursionError) as e:
        raise _WorkerUnusable(f"could not empty the private tmpfs: {e}") from e


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


def _child(msg, cfg, jobdir, out_w, report_w):
    """The sandboxed process (new session): becomes untrusted, then runs the job."""
    from projected_grpo.env import runner

    forked_at = time.monotonic()
    os.setsid()
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    if cfg["isolation"] == "namespaces":
        _check(_libc().unshare(_CLONE_NEWIPC), "unshare IPC")
    os.chdir(jobdir)
    _become_untrusted(msg, cfg["uid"], out_w, report_w)
    runner.run(msg["job"], _REPORT_FD, _SETUP_NAMESPACES.get(msg["job"]["setup_code"]),
               forked_at if msg["job"].get("profile") else None)


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


def _reap_all(pid1: bool):
    """Kill and reap every remaining child (escaped descendants are reparented to us: we are
    PID 1 of the job's PID namespace, or a child subreaper without namespaces)."""
    deadline = time.monotonic() + 5.0
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            if pid1:  # from PID 1, kill(-1) reaches every other process of the namespace
                try:
                    os.kill(-1, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            else:
                for kid in _children_of(os.getpid()):
                    try:
                        os.kill(kid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
            time.sleep(0.002)
    raise _WorkerUnusable("job processes survived 5 s of SIGKILL")


def _read_file(jobdir: str, name: str, cap: int = 65536) -> bytes | None:
    try:
        fd = os.open(os.path.join(jobdir, name), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        return os.read(fd, cap) if os.path.isfile(f"/proc/self/fd/{fd}") else None
    finally:
        os.close(fd)


def _run_one(msg: dict, cfg: dict, send, control: _Lines, received: float) -> dict:
    """Run one job; stream each report record to the caller as it arrives ({"rec": ...}) and
    stop the job if the caller says so ({"stop": true} on our stdin)."""
    from projected_grpo.env import runner

    lim = msg["limits"]
    setup = msg["job"]["setup_code"]
    if setup not in _SETUP_NAMESPACES and len(_SETUP_NAMESPACES) < 256:
        _SETUP_NAMESPACES[setup] = runner.setup_namespace(setup)
    namespaces = cfg["isolation"] == "namespaces"
    # with namespaces the working directory is in this worker's private /tmp, wiped after the job
    jobdir = tempfile.mkdtemp(prefix="job-", dir="/tmp" if namespaces else cfg["base_dir"])
    if cfg["uid"] is not None:
        os.chown(jobdir, cfg["uid"], cfg["uid"])
    report_r, report_w = os.pipe()
    out_r, out_w = os.pipe() if msg["capture_stdout"] else (None, None)
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:
        try:
            _child(msg, cfg, jobdir, out_w, report_w)
        finally:
            os._exit(70)
    for fd in (report_w, out_w):
        if fd is not None:
            os.close(fd)
    pidfd = os.pidfd_open(pid)
    caps = {report_r: lim["report_mb"] << 20, out_r: lim["stdout_kb"] << 10}
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
                # every complete line read so far in one message write: one wake-up of the caller
                recs = [b'{"rec": ' + line + b"}" for line in report_lines.pop() if _is_json(line)]
                if recs:
                    send(b"\n".join(recs))
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
    exited_by_itself = exited_at is not None
    # we are PID 1 of the job's namespace: kill(-1) ends every process the job started
    for target in (-1,) if namespaces else (-pid, pid):
        try:
            os.kill(target, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    _, status = os.waitpid(pid, 0)
    os.close(pidfd)
    _reap_all(pid1=namespaces)
    reaped = time.monotonic()
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
    if namespaces:
        _wipe_private_tmpfs()
    else:
        shutil.rmtree(jobdir, ignore_errors=True)
    if msg["job"].get("profile"):  # the benchmark's cost breakdown (CLOCK_MONOTONIC stamps)
        res.prof = {"worker_received": received, "worker_fork": t0, "worker_reaped": reaped,
                    "worker_reply": time.monotonic()}
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
            _enter_namespaces(_libc())
            _check(_libc().unshare(_CLONE_NEWIPC), "unshare IPC")
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
    else:  # namespaces once per worker, not per job: their setup and teardown cost ~10-20 ms
        _enter_namespaces(_libc())
        _become_pid1()
    hello = {"isolation": cfg["isolation"], "why": reason}

    def send(line: bytes):
        proto_out.write(line + b"\n")
        proto_out.flush()

    send(json.dumps(hello).encode())
    control = _Lines(0)
    while (line := control.next_line()) is not None:
        received = time.monotonic()
        msg = json.loads(line)
        if "stop" in msg:  # a late stop for a job that already ended
            continue
        try:
            reply = _run_one(msg, cfg, send, control, received)
        except _WorkerUnusable:
            raise  # the Sandbox sees the pipe close and starts a fresh worker
        except Exception as e:  # a sandbox bug, not the completion's: report, keep serving
            reply = asdict(RunResult(sandbox_error=f"{type(e).__name__}: {e}"))
            reply["stdout"], reply["files"] = "", {}
        send(json.dumps({"result": reply}).encode())


if __name__ == "__main__":
    worker_main(json.loads(sys.argv[1]))
