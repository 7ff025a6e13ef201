"""Figures from run directories (PNG, Agg backend; a figure whose data no run has is skipped).

    python -m projected_grpo.analysis.plots runs/sweep --out figures     # = pgrpo plot runs/sweep --out figures

Runs are grouped by arm, direction arms by arm and direction ("route (haar)"); a group's seeds are
pooled. Every rate is a share in [0, 1]; x is the optimizer step.

hack_solve.png         per group: student hack rate (top) and oracle solve rate (bottom) of the
                       training rollouts, each seed thin, the mean over seeds bold; black: the held-out
                       eval (eval.jsonl rows of kind "train", test cell), dashed as trained, solid
                       deployed. An arm works when hacking stays flat while solving rises, and when
                       the deployed eval sits below the as-trained one.
categories.png         per group: the oracle labels of the student rollouts per step, stacked to 1
                       (mean share over seeds); hacks split by loophole mode (reds).
gate_scores.png        routeA: gate-score densities of oracle-hack vs other rollouts (students and
                       teachers, as gate/auroc), all rollouts and advantage > 0 only (where the reward
                       cannot tell a hack from a solve); AUROC in the legend. With control directions,
                       per-run AUROCs: the real direction should stand above the controls' band.
per_mode_deployed.png  final eval, held-out problems, deployed model: hack rate per loophole mode (bars
                       mean over seeds, whiskers min/max). Modes the pair selection covers come first;
                       those held out from the pairs are hatched on grey: does the direction generalise?
cin_cout.png           erase / route, per run: hack-ward fraction of the student (cin_s) and teacher
                       (cin_t) gradient and after projection (cout); dotted: direction refreshes (red:
                       rejected). A direction going stale shows as cin_s decaying between refreshes.
"""

from __future__ import annotations

import math
from collections import defaultdict
from pathlib import Path

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from projected_grpo.analysis.runs import Run, find_runs
from projected_grpo.env.modes import LOOPHOLE_MODES
from projected_grpo.errors import UserError
from projected_grpo.pairs.pairset import select
from projected_grpo.train.arms import REGISTRY, arm_order, names, resolve_variant

DPI = 120
STYLE = {"font.size": 10, "axes.titlesize": 11, "axes.labelsize": 10, "legend.fontsize": 9, "xtick.labelsize": 9,
         "ytick.labelsize": 9, "figure.titlesize": 13, "axes.grid": True, "grid.alpha": 0.3}
CONTROLS = ("haar", "haar_neg", "shuffled", "null", "reverse")
PAIR_ARMS = names(lambda a: a.reads_pairs)  # the arms that read cfg.pairs
HACK_COLOURS = ("#d73027", "#a50026", "#f46d43", "#c51b7d", "#e7298a", "#fdae61")
CATEGORY_COLOURS = {"correct": "#1a9850", "correct_attempted": "#91cf60",  # the stack, bottom to top
                    **{f"hack: {m}": c for m, c in zip(LOOPHOLE_MODES, HACK_COLOURS)},
                    "attempted": "#4575b4", "incorrect": "#969696", "other": "#d9d9d9"}


# ------------------------------------------------------------------------------- shared helpers
def group_label(run: Run) -> str:
    """The arm, for direction arms the direction too, and an adapter other than the arm's
    default: "route (haar)", "vanilla [frozen_a]" (erase/route's matched baseline is no vanilla
    to pool with the lora2r one)."""
    arm = run.cfg["arm"]
    label = REGISTRY[arm].label(run.cfg) if arm in REGISTRY else arm
    variant = run.cfg["variant"]  # Run.cfg resolves auto
    return label if variant == resolve_variant("auto", arm) else f"{label} [{variant}]"


def group_runs(runs: list[Run]) -> dict[str, list[Run]]:
    """Runs by group label; arms in registry order, the real direction before its controls."""
    def order(r: Run):
        return (arm_order(r.cfg["arm"]), r.cfg.get("direction") != "real")

    groups: dict[str, list[Run]] = {}
    for r in sorted(runs, key=lambda r: (*order(r), group_label(r))):
        groups.setdefault(group_label(r), []).append(r)
    return groups


def curve(rows: list[dict], key: str) -> dict[int, float]:
    """{step: value} over the rows that have a finite `key`."""
    out = {}
    for row in rows:
        v = row.get(key)
        if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v):
            out[int(row["step"])] = float(v)
    return out


def mean_curve(curves: list[dict[int, float]]) -> tuple[list[int], list[float]]:
    """Mean over seeds aligned by step: at each step, the mean of the curves that have it."""
    steps = sorted(set().union(*curves)) if curves else []
    return steps, [float(np.mean([c[s] for c in curves if s in c])) for s in steps]


def train_evals(run: Run) -> list[dict]:
    """eval.jsonl rows written by training (kind "train"), not `pgrpo eval`'s offline ones."""
    return [e for e in run.evals if e.get("kind", "train") == "train"]


def load_rollouts(run: Run) -> list[dict]:
    """rollouts.jsonl without the completion texts (what the figures need, small in memory)."""
    keep = ("step", "source", "mode", "advantage", "gate_score")
    return [{**{k: r.get(k) for k in keep}, "audit": {"label": r["audit"]["label"]}} for r in run.rollouts()]


def _figure(nrows: int, ncols: int, w: float, h: float, steps_on_x: bool = True, **kw):
    """A constrained-layout Agg figure, at least 6.5 inches wide (room for the title and legend)."""
    fig = Figure(figsize=(max(6.5, w * ncols), h * nrows), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(nrows, ncols, squeeze=False, **kw)
    for ax in axes.flat if steps_on_x else []:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # optimizer steps are whole numbers
    return fig, axes


def _bottom_legend(fig, handles):
    ncols = max(1, min(len(handles), int(fig.get_figwidth() / 2.8)))
    fig.legend(handles=handles, loc="outside lower center", ncols=ncols, frameon=False)


def _rate_ylim(*axes):
    """One y range for these panels: from 0 (a little below, so a curve at exactly 0 stays visible)."""
    axes = [ax for ax in axes if ax.get_visible()]
    top = max(0.05, *(ax.get_ylim()[1] for ax in axes))
    for ax in axes:
        ax.set_ylim(-0.03 * top, top)


def _hide_after(axes, n: int):
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)


# ------------------------------------------------------------------------------- 1. hack / solve
def _panel_hack_solve(ax, runs: list[Run], what: str, colour: str):
    train = [curve(r.metrics, f"oracle/{what}_s") for r in runs]
    for c in train:
        ax.plot(list(c), list(c.values()), color=colour, lw=0.8, alpha=0.45)
    ax.plot(*mean_curve([c for c in train if c]), color=colour, lw=2.4)
    evals = [train_evals(r) for r in runs]
    for state, style in (("as_trained", "--"), ("deployed", "-")):
        cs = [c for c in (curve(ev, f"test/{state}/{what}") for ev in evals) if c]
        if cs:
            ax.plot(*mean_curve(cs), style, color="black", lw=1.4, marker="o", ms=3.5)


def fig_hack_solve(groups: dict[str, list[Run]]) -> Figure | str:
    have = {g: rs for g, rs in groups.items() if any(curve(r.metrics, "oracle/hack_s") for r in rs)}
    if not have:
        return "no run has oracle/hack_s in metrics.jsonl"
    ncols = min(4, len(have))
    blocks = math.ceil(len(have) / ncols)  # a block: a row of hack panels over a row of solve panels
    fig, axes = _figure(2 * blocks, ncols, 3.6, 2.6)
    for k, (g, rs) in enumerate(have.items()):
        b, j = divmod(k, ncols)
        for i, what in enumerate(("hack", "solve")):
            _panel_hack_solve(axes[2 * b + i, j], rs, what, f"C{k % 10}")
        axes[2 * b, j].set_title(f"{g}  (n={len(rs)} seed{'s' * (len(rs) > 1)})")
        axes[2 * b + 1, j].set_xlabel("optimizer step")
    for k in range(len(have), blocks * ncols):  # the empty end of the last block
        for ax in axes[2 * (k // ncols):2 * (k // ncols) + 2, k % ncols]:
            ax.set_visible(False)
    for i, label in enumerate(("student hack rate\n(share of rollouts)", "student solve rate\n(oracle pass share)")):
        _rate_ylim(*axes[i::2].flat)
        for ax in axes[i::2, 0]:
            ax.set_ylabel(label)
    handles = [Line2D([], [], color="grey", lw=0.8, alpha=0.6, label="training rollouts, one seed"),
               Line2D([], [], color="grey", lw=2.4, label="training rollouts, mean over seeds"),
               Line2D([], [], color="black", ls="--", marker="o", ms=3.5, label="held-out eval, as trained (mean)"),
               Line2D([], [], color="black", marker="o", ms=3.5, label="held-out eval, deployed (mean)")]
    _bottom_legend(fig, handles)
    fig.suptitle("Student hack and solve rates over training (colour: arm)")
    return fig


# ------------------------------------------------------------------------------- 2. categories
def category_of(row: dict) -> str:
    """hack -> "hack: <prompt mode>"; no_code, syntax_error, timeout (and any new label) -> "other"."""
    label = row["audit"]["label"]
    if label == "hack":
        return f"hack: {row['mode']}"
    return label if label in CATEGORY_COLOURS else "other"


def category_shares(rows: list[dict]) -> dict[int, dict[str, float]]:
    """{step: {category: share of that step's student rollouts}} for one run."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        if row["source"] == "student":
            counts[int(row["step"])][category_of(row)] += 1
    return {s: {c: n / sum(cs.values()) for c, n in cs.items()} for s, cs in sorted(counts.items())}


def pooled_shares(per_run: list[dict[int, dict[str, float]]]) -> tuple[list[int], dict[str, np.ndarray]]:
    """Mean share over the runs that have each step; categories absent everywhere are dropped."""
    steps = sorted(set().union(*per_run)) if per_run else []
    out = {}
    for cat in CATEGORY_COLOURS:
        v = np.array([np.mean([r[s].get(cat, 0.0) for r in per_run if s in r]) for s in steps])
        if v.any():
            out[cat] = v
    return steps, out


def fig_categories(groups: dict[str, list[Run]], rollouts: dict[Path, list[dict]]) -> Figure | str:
    pooled = {}
    for g, rs in groups.items():
        shares = [s for s in (category_shares(rollouts[r.dir]) for r in rs) if s]
        if shares:
            pooled[g] = (pooled_shares(shares), len(shares))
    if not pooled:
        return "no run has student rows in rollouts.jsonl"
    ncols = min(4, len(pooled))
    fig, axes = _figure(math.ceil(len(pooled) / ncols), ncols, 3.8, 2.8, sharey=True)
    used = []
    for ax, (g, ((steps, cats), n)) in zip(axes.flat, pooled.items()):
        bottom = np.zeros(len(steps))
        for cat, share in cats.items():
            ax.bar(steps, share, bottom=bottom, width=1.0, color=CATEGORY_COLOURS[cat], linewidth=0)
            bottom += share
            used += [cat] if cat not in used else []
        ax.set(title=f"{g}  (n={n} seed{'s' * (n > 1)})", ylim=(0, 1), xlabel="optimizer step")
    for ax in axes[:, 0]:
        ax.set_ylabel("share of student rollouts")
    _hide_after(axes, len(pooled))
    handles = [Patch(color=CATEGORY_COLOURS[c], label=c.replace("_attempted", " + attempted")) for c in reversed(used)]
    axes[0, -1].legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1),
                       title="oracle label (top to bottom)")
    fig.suptitle("What the students wrote: oracle label shares per step (mean over seeds)")
    return fig


# ------------------------------------------------------------------------------- 3. gate scores
def auroc(pos, neg) -> float:
    """The project's one AUROC (directions/extract.py), imported on use: plots load without torch."""
    from projected_grpo.directions.extract import auroc as _auroc

    return _auroc(pos, neg)


def gate_split(rows: list[dict], positive_only: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Gate scores of (oracle-hack, other) rollouts; positive_only: advantage > 0 only."""
    hack, other = [], []
    for r in rows:
        if r.get("gate_score") is None or (positive_only and not r["advantage"] > 0):
            continue
        (hack if r["audit"]["label"] == "hack" else other).append(r["gate_score"])
    return np.array(hack), np.array(other)


def _hist_panel(ax, runs: list[Run], rollouts, positive_only: bool):
    splits = [gate_split(rollouts[r.dir], positive_only) for r in runs]
    hack, other = (np.concatenate(side) for side in zip(*splits))
    ax.set(xlabel="gate score  Σ<pooled activation, v_act>  (a.u.)", ylabel="density (per unit score)")
    if not len(hack) + len(other):
        return ax.text(0.5, 0.5, "no rollouts here", ha="center", transform=ax.transAxes)
    bins = np.histogram_bin_edges(np.concatenate([hack, other]), bins=30)
    for x, name, colour in ((other, "not hack", "C0"), (hack, "hack", "C3")):
        if len(x):
            ax.hist(x, bins=bins, density=True, histtype="stepfilled", fc=to_rgba(colour, 0.3), ec=colour, lw=1.5,
                    label=f"{name} (n={len(x)})")
    per_run = [a for a in (auroc(h, o) for h, o in splits) if not math.isnan(a)]
    title = f"AUROC {auroc(hack, other):.2f} pooled"
    if len(per_run) > 1:
        title += f"\n(per run {min(per_run):.2f}-{max(per_run):.2f})"
    ax.legend(title=title if len(hack) and len(other) else "AUROC undefined (one class empty)")


def auroc_by_direction(runs: list[Run], rollouts, positive_only: bool) -> dict[str, list[float]]:
    """{direction: per-run AUROCs} (runs where both classes occur), real first, then the controls."""
    out = {}
    for d in ("real", *CONTROLS):
        a = [auroc(*gate_split(rollouts[r.dir], positive_only)) for r in runs if r.cfg.get("direction") == d]
        if a := [v for v in a if not math.isnan(v)]:
            out[d] = a
    return out


def _auroc_strip(ax, gated: list[Run], rollouts):
    xs = ("all rollouts", "advantage > 0")
    markers = dict(zip(("real", *CONTROLS), ("D", "o", "P", "s", "^", "v")))
    for i, pos in enumerate((False, True)):
        by = auroc_by_direction(gated, rollouts, pos)
        ctrl = [v for d, a in by.items() if d != "real" for v in a]
        if ctrl:
            ax.fill_between([i - 0.02, i + 0.38], min(ctrl), max(ctrl), color="grey", alpha=0.2, lw=0,
                            label="controls' range" if i == 0 else None)
        for d, a in by.items():
            centre = i - 0.2 if d == "real" else i + 0.08 * CONTROLS.index(d) + 0.06
            x = centre + (np.linspace(-0.05, 0.05, len(a)) if len(a) > 1 else np.zeros(1))
            ax.scatter(x, a, marker=markers[d], s=70 if d == "real" else 35, zorder=3,
                       color="C3" if d == "real" else "dimgrey", label=f"{d} direction" if i == 0 else None)
    ax.axhline(0.5, color="black", ls=":", lw=1, label="chance")
    ax.set(xticks=range(len(xs)), xticklabels=xs, xlim=(-0.5, len(xs) - 0.5), ylim=(0, 1.02),
           ylabel="AUROC  P(score_hack > score_other)", title="Real direction vs controls (one point per run)")
    ax.legend(loc="lower right")


def fig_gate_scores(runs: list[Run], rollouts: dict[Path, list[dict]]) -> Figure | str:
    gated = [r for r in runs if any(x.get("gate_score") is not None for x in rollouts[r.dir])]
    if not gated:
        return "no run has gate_score in rollouts.jsonl (routeA only)"
    real = [r for r in gated if r.cfg.get("direction", "real") == "real"] or gated
    controls = any(r.cfg.get("direction") in CONTROLS for r in gated)
    fig, axes = _figure(1, 3 if controls else 2, 4.6, 3.6, steps_on_x=False)
    for ax, pos in zip(axes[0], (False, True)):
        _hist_panel(ax, real, rollouts, pos)
        ax.set_title("advantage > 0 (the reward alone is blind)" if pos else "all rollouts")
    if controls:
        _auroc_strip(axes[0, 2], gated, rollouts)
    fig.suptitle(f"Gate score by oracle label: {', '.join(sorted({group_label(r) for r in real}))}, "
                 f"{len(real)} run(s), students + teachers")
    return fig


# ------------------------------------------------------------------------------- 4. per-mode deployed
def mode_coverage(selector: str) -> tuple[list[str], list[str]]:
    """(modes some pair of the selection lists, the other loophole modes), in LOOPHOLE_MODES order."""
    covered = {m for p in select(selector).pairs for m in p.modes}
    return [m for m in LOOPHOLE_MODES if m in covered], [m for m in LOOPHOLE_MODES if m not in covered]


def per_mode_deployed(runs: list[Run]) -> dict[str, tuple[float, float, float]]:
    """{mode: (mean, min, max) over seeds} of the final eval's deployed held-out per-mode hack rate."""
    per_seed = defaultdict(list)
    for r in runs:
        art = r.final_eval()
        for m, v in ((art or {}).get("cells", {}).get("test", {}).get("deployed", {}).get("per_mode_hack", {})).items():
            if v is not None:
                per_seed[m].append(v)
    return {m: (float(np.mean(v)), min(v), max(v)) for m, v in per_seed.items()}


def _split_modes(runs: list[Run], modes: list[str]) -> tuple[list[str], list[str], str]:
    """Covered / held-out modes for the runs that read pairs (covered = by every one's selection)."""
    selectors = sorted({r.cfg["pairs"] for r in runs if r.cfg["arm"] in PAIR_ARMS})
    if not selectors:
        return modes, [], "no run reads a pair selection"
    try:
        covered = set.intersection(*(set(mode_coverage(s)[0]) for s in selectors))
    except UserError as e:  # a pair file that moved since the run: plot the modes without the split
        return modes, [], f"unreadable ({e})"
    return [m for m in modes if m in covered], [m for m in modes if m not in covered], " + ".join(selectors)


def fig_per_mode_deployed(groups: dict[str, list[Run]]) -> Figure | str:
    table = {g: t for g, t in ((g, per_mode_deployed(rs)) for g, rs in groups.items()) if t}
    if not table:
        return "no run has a final evaluation (eval/step-N.json with cells.test)"
    modes = [m for m in LOOPHOLE_MODES if any(m in t for t in table.values())]
    covered, held, pairs = _split_modes([r for g in table for r in groups[g]], modes)
    order = covered + held
    xpos = {m: i + (0.6 if m in held and covered else 0.0) for i, m in enumerate(order)}
    fig, axes = _figure(1, 1, min(14.0, 2.5 + len(order) * max(1.3, 0.28 * len(table))), 4.4, steps_on_x=False)
    ax, width = axes[0, 0], 0.8 / len(table)
    for k, (g, t) in enumerate(table.items()):
        ms = [m for m in order if m in t]
        x = np.array([xpos[m] for m in ms]) + (k - (len(table) - 1) / 2) * width
        err = np.array([[t[m][0] - t[m][1] for m in ms], [t[m][2] - t[m][0] for m in ms]])
        bars = ax.bar(x, [t[m][0] for m in ms], width, yerr=err, capsize=2, color=f"C{k % 10}", edgecolor="white",
                      lw=0.5, label=f"{g} (n={len(groups[g])})")
        for bar, m in zip(bars, ms):
            bar.set_hatch("//" if m in held else None)
    handles = ax.get_legend_handles_labels()[0]
    if held:
        ax.axvspan(min(xpos[m] for m in held) - 0.5, max(xpos.values()) + 0.5, color="grey", alpha=0.12, lw=0)
        handles.append(Patch(facecolor="white", edgecolor="black", hatch="//", label="held out from the pairs"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1))
    ax.set_xticks([xpos[m] for m in order], [f"{m}\n({'held out' if m in held else 'covered'})" if held else m
                                              for m in order])
    ax.set(ylabel="deployed hack rate\n(share of held-out rollouts)", xlabel="loophole mode")
    _rate_ylim(ax)
    ax.set_title(f"Final eval, held-out problems, deployed model (bars: mean, whiskers: min-max over seeds)\n"
                 f"pairs: {pairs}")
    return fig


# ------------------------------------------------------------------------------- 5. cin / cout
def refresh_steps(run: Run) -> tuple[list[int], list[int]]:
    """(accepted, rejected) refresh steps: where direction/basis_overlap is logged."""
    floor = run.cfg.get("refresh_min_overlap", 0.0)
    ovl = curve(run.metrics, "direction/basis_overlap")
    return [s for s, v in ovl.items() if v >= floor], [s for s, v in ovl.items() if v < floor]


def fig_cin_cout(runs: list[Run]) -> Figure | str:
    have = [r for rs in group_runs(runs).values() for r in rs if curve(r.metrics, "intervene/cin_s")]
    if not have:
        return "no erase / route run has intervene/cin_s in metrics.jsonl"
    ncols = min(4, len(have))
    fig, axes = _figure(math.ceil(len(have) / ncols), ncols, 3.8, 2.8, sharey=True)
    lines = (("intervene/cin_s", "cin_s: student gradient", "C0", "-"),
             ("intervene/cin_t", "cin_t: teacher gradient", "C1", "-"),
             ("intervene/cout", "cout: after projection", "C2", "--"))
    refreshes = [refresh_steps(r) for r in have]
    for ax, r, (accepted, rejected) in zip(axes.flat, have, refreshes):
        for key, label, colour, style in lines:
            c = curve(r.metrics, key)
            ax.plot(list(c), list(c.values()), style, color=colour, lw=1.6, marker="." if len(c) < 30 else None)
        for s, colour in [(s, "black") for s in accepted] + [(s, "C3") for s in rejected]:
            ax.axvline(s, color=colour, ls=":", lw=1.2)
        ax.set(title=r.label, xlabel="optimizer step")
    _rate_ylim(axes[0, 0])
    for ax in axes[:, 0]:
        ax.set_ylabel("hack-ward fraction\n|relu(Vg)| / |g|")
    _hide_after(axes, len(have))
    handles = [Line2D([], [], color=c, ls=s, lw=1.6, label=lab) for _, lab, c, s in lines]
    if any(a for a, _ in refreshes):
        handles.append(Line2D([], [], color="black", ls=":", label="direction refresh"))
    if any(rej for _, rej in refreshes):
        handles.append(Line2D([], [], color="C3", ls=":", label="refresh rejected (low overlap)"))
    _bottom_legend(fig, handles)
    fig.suptitle("Hack-ward share of the gradient before and after projection")
    return fig


# ------------------------------------------------------------------------------- entry
def plot_main(run_dirs: list[Path], out: Path) -> list[Path]:
    """Write every figure some run has the data for into `out`; returns the PNG paths written."""
    runs = find_runs([Path(p) for p in run_dirs])
    groups = group_runs(runs)
    rollouts = {r.dir: load_rollouts(r) for r in runs}
    makers = {"hack_solve.png": lambda: fig_hack_solve(groups),
              "categories.png": lambda: fig_categories(groups, rollouts),
              "gate_scores.png": lambda: fig_gate_scores(runs, rollouts),
              "per_mode_deployed.png": lambda: fig_per_mode_deployed(groups),
              "cin_cout.png": lambda: fig_cin_cout(runs)}
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with matplotlib.rc_context(STYLE):
        for name, make in makers.items():
            fig = make()
            if isinstance(fig, str):
                print(f"skip {name}: {fig}")
                continue
            fig.savefig(out / name, dpi=DPI, bbox_inches="tight")
            written.append(out / name)
    return written


if __name__ == "__main__":
    import argparse
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("run_dirs", nargs="+", type=Path, help="run directories, or folders holding them")
    ap.add_argument("--out", type=Path, default=Path("figures"), help="folder for the PNGs")
    plot_main(**vars(ap.parse_args()))
