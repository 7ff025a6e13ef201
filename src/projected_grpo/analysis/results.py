"""Across-run results: per-group means with 95% t-intervals, paired differences against vanilla
on matched seeds (flagged when an arm's KL drift differs from its vanilla's by DRIFT_RATIO or
more), and the real hack direction's place in its control band.

    pgrpo results runs/sweep --by arm --out runs/sweep/results    # Markdown to stdout; md/csv/json

Groups. Runs are grouped by the `--by` config fields (default arm; nested ones as
`sampling.temperature`). Direction arms (the registry's arms with a direction_kind) are always
grouped by `direction` too: pooling the real direction with its haar/haar_neg/shuffled controls
would average the effect away (haar_neg, each Haar draw negated, is a control group of its own).
Inside a group every config field except the replicate-identity ones (runs.IDENTITY_FIELDS:
seed, run_name, direction_seed, ...) must agree; runs that differ elsewhere
are split into subgroups, named by the differing field=value, and a note says so: differing
configurations are never pooled silently. A header note lists the fields that differ between
groups besides the `by` fields.

Per-run values. oracle/hack_s, oracle/solve_s, oracle/hack_s_hackable, rollout/reward_s and loss/kl
are the mean over the last k logged steps (null entries skipped); test/* and train_iid/* come from
the final evaluation artifact (eval/deploy.py; finished runs only); hacked = 1 when any step is
a hacked step (ariahw: hack rollouts outnumber correct ones). Unfinished runs (no summary.json)
count for the training metrics only, at whatever step they reached, and are counted separately.

Statistics (analysis/stats.py), per group and metric over per-run values:
  mean ± t-interval  mean ± t_{0.975, n-1} sd/sqrt(n): assumes independent, roughly normal
                     per-run values; none for n = 1 (shown as "-").
  paired vs vanilla  runs matched by seed (a seed on one side only is dropped; runs sharing a
                     seed on one side, e.g. several direction_seeds, are averaged first): mean
                     difference, its t-interval and the two-sided paired t-test p-value. The
                     pairing removes noise the two arms share (problem order, sampling seed);
                     assumes roughly normal differences. The reference is the vanilla group
                     with the same other `by` values (if vanilla itself was split by
                     configuration, the one with the same values of the splitting fields).
  control band       a direction arm's real runs against same-configuration haar/shuffled
                     runs: the percentile rank of the real runs' mean among the control runs'
                     per-run values, and the band's min/p5/p50/p95/max. Descriptive, not a
                     test (with 20 controls, below p5 is like a one-sided 5% test).
  paired vs control  real minus each same-configuration control group, matched by seed as
                     above: with one control draw per seed (direction_seed={seed} in a sweep)
                     this asks whether the authored direction beats a random one on the
                     seeds' shared noise, which a thin band cannot.
  power              with --primary, each primary comparison's detectable difference at 80%
                     power and the pairs the observed difference would need (analysis/power.py).
  multiplicity       --primary METRIC names the pre-registered metric: shown first, its paired
                     tests uncorrected; the other shown metrics get Holm-Bonferroni adjusted p
                     within each family of paired comparisons (vs vanilla; vs control), raw and
                     adjusted p side by side (analysis/families.py).
Relearning resistance: where runs hold a relearn.json (`pgrpo relearn`, analysis/relearn.py), a
table of the vanilla-GRPO steps each group's deployed models took to reach the hack target.
Oracle arms (gt_penalty, gt_screen) are starred: oracle upper bounds, not methods.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass
from pathlib import Path

from projected_grpo.analysis import families
from projected_grpo.analysis.power import power_markdown, power_rows
from projected_grpo.analysis.relearn import relearn_markdown, relearn_rows
from projected_grpo.analysis.runs import IDENTITY_FIELDS, Run, find_runs
from projected_grpo.analysis.stats import mean_ci, paired_t, quantile
from projected_grpo.errors import UserError
from projected_grpo.util import percentile_of
from projected_grpo.eval import deploy
from projected_grpo.train.arms import REFERENCE_ARM, arm_order, direction_arms, resolve_oracle_labels

# oracle/hack_s_ablated: the hack rate of student rollouts generated with the quarantine ablated
# (gen_deploy_frac > 0): a deployed-model rate measured during training; NaN in runs without them
TRAIN_METRICS = ("oracle/hack_s", "oracle/solve_s", "oracle/hack_s_hackable", "oracle/hack_s_ablated",
                 "rollout/reward_s", "loss/kl")
EVAL_METRICS = ("test/deployed/hack", "test/deployed/solve", "test/as_trained/hack", "test/as_trained/solve",
                "train_iid/deployed/hack", "train_iid/deployed/solve", "test/deployed/parses", "test/selectivity")
METRICS = (*TRAIN_METRICS, *EVAL_METRICS, "hacked")
TABLE = (("oracle/hack_s", "hack_s (last k)"), ("oracle/hack_s_ablated", "hack_s, deployed rollouts (last k)"),
         ("oracle/solve_s", "solve_s (last k)"),
         ("train_iid/deployed/hack", "train-IID hack (deployed)"),
         ("test/deployed/hack", "test hack (deployed)"), ("test/deployed/solve", "test solve (deployed)"),
         ("test/deployed/parses", "test parses (deployed)"), ("test/selectivity", "selectivity"),
         ("loss/kl", "KL (last k)"))
CONTROLS = ("haar", "haar_neg", "shuffled")  # haar_neg: each Haar draw negated (±Haar pairs, pitfall 17)
# An arm whose policy drifted this many times less (or more) than its vanilla reference by KL is
# flagged: a lower hack rate may then be a smaller step, not the intervention. (On the mini
# organism, vanilla on frozen_a at vanilla's lora2r lr drifted 30-50x less and "suppressed" hacking
# as well as route did: docs/organism.md.)
DRIFT_RATIO = 3.0
# An arm whose deployed model writes parsing code this many times less often than its reference
# is flagged: it may hack less because it fell apart (wave 0's routeA runs on SmolLM2), and a
# model that cannot solve anything solves 0 either way.
PARSE_RATIO = 2.0
CSV_FIELDS = ("section", "group", "reference", "metric", "role", "n", "mean", "ci_low", "ci_high", "p", "p_holm",
              "percentile", "band_min", "band_p5", "band_p50", "band_p95", "band_max")


def last_k_mean(run: Run, key: str, last_k: int) -> float | None:
    """A metric's mean over the run's last k steps, NaN and missing values left out (None: none)."""
    rows = sorted(run.metrics, key=lambda r: r.get("step", 0))[-last_k:]
    xs = [r[key] for r in rows if r.get(key) is not None and math.isfinite(r[key])]
    return sum(xs) / len(xs) if xs else None


def run_values(run: Run, last_k: int) -> dict[str, float | None]:
    """One run's value of every metric in METRICS (None: not measured)."""
    out = {key: last_k_mean(run, key, last_k) for key in TRAIN_METRICS}
    art = run.final_eval() if run.finished else None  # a killed run's artifact is no final one
    flat = deploy.flat_row(art) if art else {}
    out.update({k: flat.get(k) for k in EVAL_METRICS})
    out["hacked"] = float(any(r.get("oracle/hacked_step") == 1 for r in run.metrics)) if run.metrics else None
    return out


def flat_cfg(cfg: dict, prefix: str = "") -> dict[str, str]:
    """Config fields as dotted names -> canonical text (JSON), so nested and list values compare."""
    out = {}
    for k, v in cfg.items():
        if isinstance(v, dict):
            out.update(flat_cfg(v, f"{prefix}{k}."))
        else:
            out[prefix + k] = v if isinstance(v, str) else json.dumps(v)
    return out


def differing(cfgs: list[dict], ignore: tuple[str, ...]) -> dict[str, list[str]]:
    """Fields (not in ignore, by full or top-level name) whose values differ, with their values."""
    flats = [flat_cfg(c) for c in cfgs]
    out = {}
    for name in sorted(set().union(*flats)):
        if name in ignore or name.split(".")[0] in ignore:
            continue
        vals = sorted({f.get(name, "<missing>") for f in flats}, key=_order)
        if len(vals) > 1:
            out[name] = vals
    return out


def _order(v: str):
    """Numbers in numeric order, before any text (a stable order for notes and labels)."""
    try:
        return (0, float(v), "")
    except ValueError:
        return (1, 0.0, v)


def fmt_diff(diff: dict[str, list[str]]) -> str:
    return "; ".join(f"{k}: {' vs '.join(v)}" for k, v in diff.items()) or "none"


@dataclass
class Group:
    label: str
    key: tuple[tuple[str, str], ...]  # (field, value): the by fields, + direction for direction arms
    runs: list[Run]
    values: list[dict]  # run_values, aligned with runs

    @property
    def arm(self) -> str:
        return self.runs[0].cfg["arm"]

    @property
    def direction(self) -> str:
        return self.runs[0].cfg.get("direction", "real")

    def others(self) -> tuple:
        """The key without arm and direction: what a reference or control group must share."""
        return tuple(kv for kv in self.key if kv[0] not in ("arm", "direction"))


def group_key(run: Run, by: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    fields = list(by)
    if run.cfg["arm"] in direction_arms() and "direction" not in fields:
        fields.append("direction")  # never pool a real direction with its controls
    flat = flat_cfg(run.cfg)
    return tuple((f, flat[f]) for f in fields)


def group_runs(runs: list[Run], by: tuple[str, ...], last_k: int) -> tuple[list[Group], list[str]]:
    """Groups by key, each split further by configuration; notes name every split."""
    buckets: dict[tuple, list[Run]] = {}
    for r in runs:
        buckets.setdefault(group_key(r, by), []).append(r)
    groups, notes = [], []
    for key, members in buckets.items():
        label = "/".join(v for _, v in key)
        subs: dict[str, list[Run]] = {}
        for r in members:
            subs.setdefault(r.config_key(), []).append(r)
        diff = differing([s[0].cfg for s in subs.values()], IDENTITY_FIELDS)
        for sub in subs.values():
            flat = flat_cfg(sub[0].cfg)
            name = f"{label} ({', '.join(f'{f}={flat.get(f)}' for f in diff)})" if len(subs) > 1 else label
            groups.append(Group(name, key, sub, [run_values(r, last_k) for r in sub]))
        if len(subs) > 1:
            parts = ", ".join(f"{g.label} [{len(g.runs)} run{'s' * (len(g.runs) > 1)}]"
                              for g in groups[-len(subs):])
            notes.append(f"differing fields within {label}: {fmt_diff(diff)} -> not pooled: {parts}")
    groups.sort(key=lambda g: (arm_order(g.arm), g.label))
    return groups, notes


def _stat(s) -> dict:
    return {"n": s.n, "mean": s.mean, "ci_low": s.ci_low, "ci_high": s.ci_high}


def group_stats(g: Group) -> dict:
    """The group's JSON entry: runs, and per metric n/mean/CI with the per-run values."""
    runs = [{"run": r.label, "seed": r.cfg.get("seed"), "direction_seed": r.cfg.get("direction_seed"),
             "finished": r.finished, "last_step": r.last_step,
             "steps": r.cfg.get("steps"), "dir": str(r.dir)} for r in g.runs]
    metrics = {}
    for m in METRICS:
        per_run = [{"run": r.label, "seed": r.cfg.get("seed"), "value": v[m]} for r, v in zip(g.runs, g.values)]
        s = mean_ci([p["value"] for p in per_run if p["value"] is not None])
        metrics[m] = dict(_stat(s), values=per_run)
    hacked = [v["hacked"] for v in g.values if v["hacked"] is not None]
    return {"label": g.label, "key": dict(g.key), "arm": g.arm, "direction": g.direction,
            "reads_oracle": any(r.reads_oracle for r in g.runs), "n_runs": len(g.runs),
            "oracle_labels": sorted({resolve_oracle_labels(r.cfg["arm"], r.cfg.get("gt_labels", "strict"))
                                     for r in g.runs}) if any(r.reads_oracle for r in g.runs) else None,
            "n_finished": sum(r.finished for r in g.runs), "hacked_runs": f"{int(sum(hacked))}/{len(hacked)}",
            "runs": runs, "metrics": metrics}


def _by_seed(g: Group, metric: str) -> dict[int, float]:
    """seed -> value; runs sharing a seed (several direction_seeds) are averaged."""
    acc: dict[int, list[float]] = {}
    for r, v in zip(g.runs, g.values):
        if v[metric] is not None:
            acc.setdefault(r.cfg["seed"], []).append(v[metric])
    return {s: sum(xs) / len(xs) for s, xs in acc.items()}


def vanilla_refs(g: Group, groups: list[Group]) -> list[Group]:
    """The vanilla group(s) to compare g with: same non-arm key and, where vanilla itself was split
    by configuration, the same values of the fields that split it (so lr is matched to lr)."""
    refs = [r for r in groups if r.arm == REFERENCE_ARM and r.others() == g.others()]
    split = differing([r.runs[0].cfg for r in refs], IDENTITY_FIELDS) if len(refs) > 1 else {}
    mine = flat_cfg(g.runs[0].cfg)
    return [r for r in refs if all(flat_cfg(r.runs[0].cfg).get(f) == mine.get(f) for f in split)]


def paired(g: Group, ref: Group) -> dict:
    """g minus ref per metric over the seeds both have a value for."""
    metrics = {}
    for m in METRICS:
        mine, theirs = _by_seed(g, m), _by_seed(ref, m)
        common = sorted(set(mine) & set(theirs))
        p = paired_t([mine[s] for s in common], [theirs[s] for s in common])
        metrics[m] = {"n_pairs": p.n, "mean": p.mean, "ci_low": p.ci_low, "ci_high": p.ci_high,
                      "t": p.t, "p": p.p, "sd": p.sd, "seeds": common}
    seeds = sorted({r.cfg["seed"] for r in g.runs} & {r.cfg["seed"] for r in ref.runs})
    diff = differing([g.runs[0].cfg, ref.runs[0].cfg], IDENTITY_FIELDS + ("arm", "direction"))
    return {"group": g.label, "reference": ref.label, "seeds": seeds, "config_diff": diff, "metrics": metrics}


def paired_vs_vanilla(groups: list[Group]) -> tuple[list[dict], list[str]]:
    """Each non-vanilla group minus its vanilla reference(s), by seed."""
    if not any(g.arm == REFERENCE_ARM for g in groups):
        return [], ["no vanilla group: paired differences skipped"]
    rows, notes = [], []
    for g in [g for g in groups if g.arm != REFERENCE_ARM]:
        refs = vanilla_refs(g, groups)
        if not refs:
            notes.append(f"{g.label}: no vanilla group of matching configuration: no paired differences")
        rows += [paired(g, ref) for ref in refs]
        notes += [n for ref in refs for n in (drift_note(g, ref), coherence_note(g, ref)) if n]
    return rows, notes


def drift_note(g: Group, ref: Group) -> str | None:
    """A note when g and its vanilla reference moved the policy by very different amounts."""
    kl = [mean_ci([v["loss/kl"] for v in grp.values if v["loss/kl"] is not None]).mean for grp in (g, ref)]
    if None in kl or min(kl) <= 0 or max(kl) / min(kl) < DRIFT_RATIO:
        return None
    ratio = kl[0] / kl[1]
    how = f"{1 / ratio:.0f}x less" if ratio < 1 else f"{ratio:.0f}x more"
    return (f"{g.label} drifted {how} than {ref.label} by KL to the base model (last-k mean {kl[0]:.3g} vs "
            f"{kl[1]:.3g}): its differences may be the step size, not the intervention; compare at matched KL "
            f"(e.g. a vanilla on the same adapter, at an lr that drifts as far)")


def coherence_note(g: Group, ref: Group) -> str | None:
    """A note when g's deployed model writes parsing code far less often than its reference's."""
    key = "test/deployed/parses"
    rate = [mean_ci([v[key] for v in grp.values if v.get(key) is not None]).mean for grp in (g, ref)]
    if None in rate or not rate[1] or rate[0] * PARSE_RATIO > rate[1]:
        return None
    return (f"{g.label}'s deployed model writes code that parses in {rate[0]:.0%} of held-out completions against "
            f"{rate[1]:.0%} for {ref.label}: a lower hack rate may be a broken model, not a held-back hack")


def controls_of(groups: list[Group]) -> tuple[list[tuple[Group, list[Group]]], list[str]]:
    """Each real-direction group with its same-configuration haar/shuffled groups; notes for
    controls of the arm left out because another field differs."""
    out, notes = [], []
    sans_direction = IDENTITY_FIELDS + ("direction",)
    for real in [g for g in groups if g.arm in direction_arms() and g.direction == "real"]:
        ctrl = [g for g in groups if g.arm == real.arm and g.direction in CONTROLS and g.others() == real.others()]
        same = [g for g in ctrl if g.runs[0].config_key(sans_direction) == real.runs[0].config_key(sans_direction)]
        for g in ctrl:
            if g not in same:
                diff = differing([real.runs[0].cfg, g.runs[0].cfg], sans_direction)
                notes.append(f"control {g.label} left out of {real.label}'s band: differs in {fmt_diff(diff)}")
        out.append((real, same))
    return out, notes


def control_bands(pairs: list[tuple[Group, list[Group]]]) -> list[dict]:
    """Real-direction groups placed among their same-configuration haar/shuffled runs."""
    rows = []
    for real, same in pairs:
        for m in METRICS if same else ():
            band = [v[m] for g in same for v in g.values if v[m] is not None]
            mine = [v[m] for v in real.values if v[m] is not None]
            if not band or not mine:
                continue
            mean = sum(mine) / len(mine)
            rows.append({"group": real.label, "metric": m, "real_mean": mean, "n_real": len(mine),
                         "percentile": percentile_of(mean, band), "n_band": len(band),
                         "controls": sorted({g.direction for g in same}),
                         **{f"band_{q}": quantile(band, x) for q, x in
                            (("min", 0), ("p5", .05), ("p50", .5), ("p95", .95), ("max", 1))}})
    return rows


def build_report(runs: list[Run], by: tuple[str, ...], last_k: int, primary: str | None = None) -> dict:
    """Everything results_main prints and writes, JSON-ready."""
    families.check_primary(primary, METRICS)
    groups, notes = group_runs(runs, by, last_k)
    vs_vanilla, pnotes = paired_vs_vanilla(groups)
    with_controls, bnotes = controls_of(groups)
    bands = control_bands(with_controls)
    vs_control = [paired(real, c) for real, same in with_controls for c in same]
    bnotes += [n for real, same in with_controls for c in same
               for n in (coherence_note(real, c), coherence_note(c, real)) if n]
    between = differing([g.runs[0].cfg for g in groups], IDENTITY_FIELDS + tuple(by) + ("direction",))
    unfinished = [f"{r.label} (step {r.last_step} of {r.cfg.get('steps')})"
                  for r in runs if not r.finished]
    rep = {"by": list(by), "last_k": last_k, "n_runs": len(runs), "n_finished": len(runs) - len(unfinished),
           "unfinished": unfinished, "between_groups": between, "notes": notes + pnotes + bnotes,
           "groups": [group_stats(g) for g in groups], "paired_vs_vanilla": vs_vanilla, "control_bands": bands,
           "paired_vs_control": vs_control, "relearn": relearn_rows(groups)}
    families.adjust(rep, TABLE, primary)
    rep["power"] = power_rows(rep, primary)
    return rep


def _num(x: float | None, signed: bool = False) -> str:
    return "-" if x is None else f"{x:+.3f}" if signed else f"{x:.3f}"


def _cell(s: dict, n_expected: int, signed: bool = False) -> str:
    """'mean ± halfwidth', '-' for no CI; the metric's n when it is not the row's."""
    if not s["n"]:
        return "-"
    half = "-" if s["ci_high"] is None else f"{(s['ci_high'] - s['ci_low']) / 2:.3f}"
    extra = f" (n={s['n']})" if s["n"] != n_expected else ""
    return f"{_num(s['mean'], signed)} ± {half}{extra}"


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(head) + " |", "|" + "---|" * len(head), *("| " + " | ".join(r) + " |" for r in rows)]


def to_markdown(rep: dict) -> str:
    by = "/".join(rep["by"])
    lines = [f"# Results: {rep['n_runs']} runs ({rep['n_finished']} finished) in {len(rep['groups'])} groups",
             "", f"- grouped by {by} (direction arms also by direction); training metrics: mean of the last "
             f"{rep['last_k']} steps; test/*: final evaluation (finished runs); ± = 95% t-interval half-width",
             f"- fields that differ between groups besides {by}: {fmt_diff(rep['between_groups'])}"]
    if rep["unfinished"]:
        lines.append(f"- unfinished (training metrics only): {', '.join(rep['unfinished'])}")
    primary = rep.get("primary")
    if primary:
        lines.append(f"- primary metric: {primary} (its paired p uncorrected); the other columns are secondary: "
                     f"p and Holm-adjusted p within each family of paired comparisons")
    else:
        lines.append("- no --primary metric: every column is secondary, p and Holm-adjusted p within each family "
                     "of paired comparisons")
    lines += [f"- {n}" for n in rep["notes"]]
    cols = [c for c in families.columns(TABLE, primary) if c[0] != "hacked"]
    rows = []
    for g in rep["groups"]:
        n = g["n_runs"]
        rows.append([g["label"] + ("*" if g["reads_oracle"] else ""), f"{g['n_finished']}/{n}",
                     *(_cell(g["metrics"][m], n) for m, _ in cols), g["hacked_runs"]])
    lines += ["", *_table([f"group ({by})", "n (finished/total)", *(h for _, h in cols), "hacked runs"], rows)]
    if any(g["reads_oracle"] for g in rep["groups"]):
        used = "; ".join(f"{g['label']}: {'/'.join(g['oracle_labels'])} labels" for g in rep["groups"] if g["reads_oracle"])
        lines.append(f"\n\\* oracle upper bound: the arm reads the oracle's labels during training ({used}; strict "
                     f"flags `hack`, loose also `attempted` and `correct_attempted`)")
    star = {g["label"]: "*" * g["reads_oracle"] for g in rep["groups"]}
    lines += ["", "## Paired differences vs vanilla (matched seeds)", ""]
    if rep["paired_vs_vanilla"]:
        lines += _paired_table(rep["paired_vs_vanilla"], REFERENCE_ARM, star, primary)
    else:
        lines.append("no vanilla group (or none sharing the other by fields): skipped")
    if rep["paired_vs_control"]:
        lines += ["", "## Paired differences vs the control direction (matched seeds)", "",
                  *_paired_table(rep["paired_vs_control"], "control", star, primary)]
    lines += ["", "## Real direction in its control band", ""]
    bands = [b for b in rep["control_bands"] if b["metric"] in dict(TABLE) or b["metric"] == primary]
    if bands:
        lines += _table(["group", "metric", "real mean", "placement", "min", "p5", "p50", "p95", "max"],
                        [[b["group"], b["metric"], _num(b["real_mean"]),
                          f"real at p{b['percentile']:.0f} of {b['n_band']} {'/'.join(b['controls'])} runs",
                          *(_num(b[f"band_{q}"]) for q in ("min", "p5", "p50", "p95", "max"))] for b in bands])
    else:
        lines.append("no direction arm with both real and haar/shuffled runs of one configuration")
    lines += power_markdown(rep["power"], primary)
    lines += relearn_markdown(rep["relearn"])
    return "\n".join(lines) + "\n"


def _paired_table(pairs: list[dict], what: str, star: dict[str, str], primary: str | None = None) -> list[str]:
    cols = families.columns(TABLE, primary)
    rows = [[f"{p['group']}{star[p['group']]} − {p['reference']}", str(len(p["seeds"])),
             *(_paired_cell(p["metrics"][m], len(p["seeds"])) for m, _ in cols)]
            for p in pairs]
    return _table([f"group − {what}", "n_pairs", *(h for _, h in cols)], rows)


def _paired_cell(s: dict, n_seeds: int) -> str:
    """'diff ± half, p=raw' and, for a secondary metric, its Holm-adjusted p beside it."""
    if not s["n_pairs"]:
        return "-"
    p = "" if s["p"] is None else f", p={s['p']:.3f}"
    if s.get("p_holm") is not None:
        p += f" (Holm {s['p_holm']:.3f})"
    return _cell(dict(s, n=s["n_pairs"]), n_seeds, signed=True) + p


def to_csv(rep: dict) -> str:
    """Long format: one row per (section, group, metric)."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for g in rep["groups"]:
        for m, s in g["metrics"].items():
            w.writerow(dict(s, section="group", group=g["label"], metric=m))
    for section in ("paired_vs_vanilla", "paired_vs_control"):
        for p in rep[section]:
            for m, s in p["metrics"].items():
                w.writerow(dict(s, section=section, group=p["group"], reference=p["reference"], metric=m,
                                n=s["n_pairs"]))
    for b in rep["control_bands"]:
        w.writerow(dict(b, section="control_band", n=b["n_band"], mean=b["real_mean"]))
    for r in rep["relearn"]:  # n: runs that reached the target (the mean is over those)
        w.writerow(dict(r, section="relearn", metric="relearn_steps", n=r["n_reached"]))
    return buf.getvalue()


def results_main(run_dirs: list[Path], by: tuple[str, ...] = ("arm",), out: Path | None = None,
                 last_k: int = 5, primary: str | None = None) -> int:
    """`pgrpo results`: print the Markdown report; with out, write results.md/.csv/.json there."""
    if not run_dirs:
        raise UserError("results: no run directories given (pass run dirs or folders holding them)")
    if not by:
        raise UserError("results: --by needs at least one config field (e.g. arm)")
    if last_k < 1:
        raise UserError(f"results: --last-k must be >= 1, got {last_k}")
    families.check_primary(primary, METRICS)  # before reading any run: a typo fails fast
    runs = find_runs([Path(p) for p in run_dirs])
    for r in runs:
        unknown = [f for f in by if f not in flat_cfg(r.cfg)]
        if unknown:
            raise UserError(f"results: --by {', '.join(unknown)}: not a config field of {r.dir} "
                            f"(fields: {', '.join(sorted(flat_cfg(r.cfg)))})")
    rep = build_report(runs, tuple(by), last_k, primary)
    md = to_markdown(rep)
    print(md, end="")
    if out is not None:
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        (out / "results.md").write_text(md)
        (out / "results.csv").write_text(to_csv(rep))
        (out / "results.json").write_text(json.dumps(rep, indent=2) + "\n")
    return 0
