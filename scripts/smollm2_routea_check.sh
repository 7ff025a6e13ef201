#!/usr/bin/env bash
# The preregistered check that fixes routeA's configuration on the SmolLM2 organism before its
# sweep runs (docs/organism-pretrained.md, "routeA's baseline for its ablated-sampled rows"):
#   MODEL=ORG bash scripts/smollm2_routea_check.sh OUT FIX
# FIX: sampling_mode (--advantage-baseline sampling_mode, gen_deploy_frac 0.25) or no_ablated
#   (gen_deploy_frac 0: the quarantine in every sample), the rule's first and second candidates.
# Runs routeA seed 0 with the real and with the Haar direction (the sweep's own command, the fix
# as an override), then reads steps 51-60 of both: the FIX passes if in both runs the parse rate
# of the ablated-sampled slice (rollout/compiles_s_ablated; with no_ablated, which samples no such
# slice, the students' rollout/compiles_s) is >= 0.5 and the students' token log-prob
# (policy/lp_s) is >= -1.0. Never a hack rate, never a real − Haar difference. Exit 0: passes,
# 1: fails (or a run did not finish), 2: bad input. MPS=1 shares the GPU through an MPS daemon.
set -uo pipefail
die() { echo "smollm2_routea_check.sh: $*" >&2; exit 2; }
model=${MODEL:-}
[ -n "$model" ] || die "MODEL is not set: set it to the organism folder (e.g. MODEL=runs/smollm2)"
out=${1:-}; fix=${2:-}
[ -n "$out" ] || die "give OUT, the folder for the two runs (e.g. runs/routea-check)"
case $fix in
  sampling_mode) ovr=(advantage_baseline=sampling_mode); parse=rollout/compiles_s_ablated ;;
  # no ablated slice, so one baseline (the smollm2 preset's routeA has defaulted to the per-mode one since the check passed)
  no_ablated) ovr=(gen_deploy_frac=0 advantage_baseline=group); parse=rollout/compiles_s ;;
  *) die "FIX=${fix:-(none)}: give sampling_mode or no_ablated (the preregistered candidates, in that order)" ;;
esac
pgrpo=${PGRPO:-pgrpo}
# shellcheck source=scripts/mps.sh
source "$(dirname "${BASH_SOURCE[0]}")/mps.sh"
mps_start "$out" smollm2_routea_check.sh || exit 2
common=(--preset smollm2 --arms routeA --seeds 0 --jobs-per-gpu 1 --no-results --no-matched-vanilla --retries 1)
$pgrpo sweep "${common[@]}" --out "$out/$fix/real" --set "model=$model" "${ovr[@]}" & real=$!
$pgrpo sweep "${common[@]}" --out "$out/$fix/haar" --set "model=$model" "${ovr[@]}" direction=haar "direction_seed={seed}" & haar=$!
wait $real; wait $haar
$pgrpo curves "$out/$fix/real" "$out/$fix/haar" --metric "$parse" --windows 41-50 51-60 || true
$pgrpo curves "$out/$fix/real" "$out/$fix/haar" --metric policy/lp_s --windows 41-50 51-60 || true
python3 - "$parse" "$out/$fix/real" "$out/$fix/haar" <<'PY'
import json, math, pathlib, sys
parse, folders = sys.argv[1], sys.argv[2:]
verdicts = []
for folder in folders:
    runs = sorted(p.parent for p in pathlib.Path(folder).glob("*/metrics.jsonl"))
    if len(runs) != 1 or not (runs[0] / "summary.json").exists():
        print(f"{folder}: no finished run: the check cannot pass"); sys.exit(1)
    rows = [json.loads(line) for line in (runs[0] / "metrics.jsonl").read_text().splitlines() if line.strip()]
    late = [r for r in rows if 51 <= r["step"] <= 60]
    def mean(key):
        xs = [r[key] for r in late if isinstance(r.get(key), (int, float)) and not math.isnan(r[key])]
        return sum(xs) / len(xs) if xs else float("nan")
    p, lp = mean(parse), mean("policy/lp_s")
    ok = p >= 0.5 and lp >= -1.0  # NaN fails
    verdicts.append(ok)
    print(f"{runs[0].name}: {parse} {p:.3f} (>= 0.5), policy/lp_s {lp:.3f} (>= -1.0), steps 51-60: {'passes' if ok else 'fails'}")
print("the fix passes" if all(verdicts) else "the fix fails")
sys.exit(0 if all(verdicts) else 1)
PY
