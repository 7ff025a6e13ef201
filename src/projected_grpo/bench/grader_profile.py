"""Per-completion cost breakdown of the sandbox grader, from the stamps a profiled grade leaves.

`Grader(profile=True)` stamps every phase of a completion's life on CLOCK_MONOTONIC, which the
trainer-side parent, the fork-server worker and the sandboxed process share: the parent when it
starts and when the job is sent, the worker when it receives it, forks, has reaped the job's
processes and replies, the sandboxed process when it is forked, when it starts running
(isolated) and after the setup preamble, the completion's module, the channel probe and the
suite (with cumulative seconds spent in calls, value encoding and record writes). Consecutive
stamps cut the completion's wall time into segments that add up to it exactly; a phase whose
stamp is missing (a run stopped or killed early) counts as 0 and its time lands in the next
segment that has one.
"""

from __future__ import annotations

from dataclasses import dataclass

# (segment name, stamp that ends it) in order; each starts where the previous one ended.
SEGMENTS = (
    ("parent: code extraction, expected values, job", "parent_sent"),
    ("IPC: job to the worker", "worker_received"),
    ("worker: job directory, pipes", "worker_fork"),
    ("fork", "fork"),
    ("isolation (session, uid, rlimits, fds, environment)", "start"),
    ("setup preamble", "setup"),
    ("completion module (compile, exec, syntax scan)", "module"),
    ("channel probe", "probe"),
    ("suite", "suite_end"),  # split below into calls, encoding, record writes, other
    ("exit, kill and reap the job's processes", "worker_reaped"),
    ("worker: clean up, result message", "worker_reply"),
    ("IPC: records and result to the parent", "parent_replied"),
    ("parent: comparison, channel, verdict", "parent_scored"),
    ("eq_override's second program run", "parent_end"),
)
SUITE_PARTS = ("suite: calls (argument eval + the completion's method)", "suite: value encoding",
               "suite: record writes", "suite: other (loop, flushes)")


@dataclass
class Breakdown:
    seconds: dict[str, float]  # segment -> seconds (the suite split into SUITE_PARTS)
    total: float  # the completion's wall time as the parent saw it
    callbacks: float  # parent comparison while records streamed (overlaps the run, not in total)


def breakdown(prof: dict) -> Breakdown:
    """One profiled completion's segments. `prof` is Verdict.profile."""
    child = {at: ts for r in prof["child"] for at, ts in r.get("s", ())}
    suite = [r["p"] for r in prof["child"] if "p" in r]
    calls, encoding, writes, last_record = suite[-1] if suite else (0.0, 0.0, 0.0, 0.0)
    stamps = dict(prof, **child)
    stamps["suite_end"] = child.get("done", last_record)
    stamps["parent_scored"] = prof["parent_end"] - prof["parent_second_run"]
    out, prev = {}, prof["parent_start"]
    for name, key in SEGMENTS:
        at = stamps.get(key) or 0.0
        if at < prev:  # missing (or out of order: a stopped run): the next stamp takes its time
            out[name] = 0.0
            continue
        out[name], prev = at - prev, at
    suite_s = out.pop("suite")
    out.update(zip(SUITE_PARTS, (calls, encoding, writes, suite_s - calls - encoding - writes)))
    return Breakdown(out, prof["parent_end"] - prof["parent_start"], prof["parent_callbacks"])


def mean_breakdown(profiles: list[dict]) -> Breakdown:
    """Mean seconds per completion over profiled completions (no_code ones have no run: skipped)."""
    parts = [breakdown(p) for p in profiles if "worker_received" in p]
    if not parts:
        raise ValueError("no profiled sandbox runs to break down")
    names = list(parts[0].seconds)
    n = len(parts)
    return Breakdown({k: sum(b.seconds[k] for b in parts) / n for k in names},
                     sum(b.total for b in parts) / n, sum(b.callbacks for b in parts) / n)
