#!/usr/bin/env bash
# The preregistered comparison of docs/organism-pretrained.md on the SmolLM2 organism, one GPU:
#   MODEL=runs/smollm2 FROZEN_A_LR=1e-3 bash scripts/smollm2_sweep.sh [OUT] [JOBS_PER_GPU]
# JOBS_PER_GPU (default 6): runs sharing the GPU. A run takes about 12 GB of the card (nvidia-smi
#   with five runs sharing an H100: 60-62 GB; torch's own peak is 9.4 GiB), so 6 fit an H100's
#   80 GB and 11 an H200's 141; a wave's two sweeps (real and Haar) take half each.
# MODEL: the organism folder the preregistration names (`pgrpo organism build --base smollm2-135m
#   --sft-epochs 1 --hack-frac 0.15`); its training settings are the smollm2 preset's (lever I).
# ORG_SET (optional, empty for the preregistered sweep): overrides beyond the smollm2 preset, as
#   FIELD=VALUE words, e.g. "workers=4".
# FROZEN_A_LR (required): the lr of every frozen_a job (erase, route, their Haar controls and the
#   frozen_a vanilla), the one whose KL drift matches lora2r's vanilla at the preset's lr.
# Waves, most wanted first; each sweep queues its jobs seed-major, so a cut-short wave still
# holds every arm and its control at matched seeds (the paired test's unit):
#   1. primary: erase, route, routeA with the real direction (OUT/real) and with a per-seed Haar
#      draw (OUT/haar), seeds 0-9, the two sweeps side by side
#   2. baselines: vanilla on lora2r and on frozen_a (FROZEN_A_LR), gt_screen (the oracle upper
#      bound) and AdvMod, seeds 0-4
#   3. relearning resistance: `pgrpo relearn` on seeds 0-4 of each intervention arm's real run and
#      of lora2r's vanilla, K = RELEARN_STEPS (default 30) vanilla steps on the deployed model's own
#      samples (no teacher rows: amended after wave 2), target lora2r vanilla's final
#      rate; up to JOBS_PER_GPU at once, each logging to RUN.relearn.log
#   4. the preregistered extension: `pgrpo results --primary test/deployed/hack`, then every
#      intervention arm whose real − Haar comparison cannot detect DELTA (default 0.167, half of
#      vanilla's rate in the fourth emergence attempt) with 80% power, by its observed sd of
#      differences (the results' power table; never the difference or its p), runs seeds 10-29
#      with its Haar control
# Then `pgrpo results --primary test/deployed/hack` over everything and the plots. Finished runs
# (and relearns) are skipped when it is run again; unfinished ones resume.
# A slice for one device session (its runs and their relearns must share a machine: relearn reads
# the run's final-adapter/, which a returned run folder does not carry): SEEDS=A-B keeps only the
# preregistered seeds in A-B in every wave, WAVES (comma-separated, of primary, baselines, relearn;
# default all three) keeps those waves. A slice skips the results, the extension and the plots,
# which read the whole sweep: run them without SEEDS and WAVES once every slice is back.
# MPS=1 runs the trainers under an MPS daemon of the script's own (scripts/mps.sh; 1.46x faster
# steps with five SmolLM2 runs on one H100, docs/benchmarks.md).
set -uo pipefail
die() { echo "smollm2_sweep.sh: $*" >&2; exit 2; }
model=${MODEL:-}; frozen_lr=${FROZEN_A_LR:-}
[ -n "$model" ] || die "MODEL is not set: set it to the organism folder the preregistration names"
[ -n "$frozen_lr" ] || die "FROZEN_A_LR is not set: set it to the KL-matched frozen_a lr (docs/organism-pretrained.md)"
out=${1:-runs/smollm2-sweep}
per_gpu=${2:-6}
[[ $per_gpu =~ ^[1-9][0-9]*$ ]] || die "JOBS_PER_GPU=$per_gpu: give the number of runs sharing the GPU, >= 1 (6 fit an H100, 11 an H200)"
relearn_steps=${RELEARN_STEPS:-30}
delta=${DELTA:-0.167}
[[ $delta =~ ^(0?\.[0-9]*[1-9][0-9]*|1(\.0*)?)$ ]] || die "DELTA=$delta: give the hack-rate difference the primary test must detect, in (0, 1] (e.g. DELTA=0.167)"
pgrpo=${PGRPO:-pgrpo}
slice=${SEEDS:-}; waves=${WAVES:-primary,baselines,relearn}
[[ -z $slice || $slice =~ ^[0-9]+(-[0-9]+)?$ ]] || die "SEEDS=$slice: give a seed or a range A-B of the preregistered seeds (e.g. SEEDS=2-3)"
[[ $waves =~ ^(primary|baselines|relearn)(,(primary|baselines|relearn))*$ ]] || die "WAVES=$waves: give a comma-separated list of primary, baselines, relearn (e.g. WAVES=primary,relearn)"
lo=${slice%-*}; hi=${slice#*-}; lo=${lo:-0}; hi=${hi:-999}
seeds() {  # the preregistered seeds A-B, kept to the slice: an empty string when none is left
  local a=$(( $1 > lo ? $1 : lo )) b=$(( $2 < hi ? $2 : hi ))
  (( a <= b )) && echo "$a-$b"
}
has() { [[ ,$waves, == *,$1,* ]]; }
# shellcheck source=scripts/mps.sh
source "$(dirname "${BASH_SOURCE[0]}")/mps.sh"
mps_start "$out" smollm2_sweep.sh || exit 2  # MPS=1: the runs share the GPU through an MPS daemon
read -r -a org <<< "${ORG_SET:-}"
half=$(( per_gpu > 1 ? per_gpu / 2 : 1 ))  # a wave's two sweeps share the GPU: at most per_gpu runs (1: one each)
common=(--preset smollm2 --jobs-per-gpu "$half" --no-results --no-matched-vanilla --retries 1)
set=(--set "model=$model" "${org[@]}")  # one --set per sweep: a second one would replace it
failed=0
wave() {  # run the sweeps given as ';'-separated argument lists at once; wait for all of them
  local pids=() args=() p
  for a in "$@" ";"; do
    if [ "$a" = ";" ]; then $pgrpo sweep "${common[@]}" "${args[@]}" & pids+=($!); args=()
    else args+=("$a"); fi
  done
  for p in "${pids[@]}"; do wait "$p" || failed=1; done
}
fa="frozen_a:lr=$frozen_lr"
s10=$(seeds 0 9); s5=$(seeds 0 4)
if has primary && [ -n "$s10" ]; then
  wave --arms erase route routeA --seeds "$s10" --set-variant "$fa" --out "$out/real" "${set[@]}" ";" \
       --arms erase route routeA --seeds "$s10" --set-variant "$fa" --out "$out/haar" "${set[@]}" direction=haar "direction_seed={seed}"
fi
if has baselines && [ -n "$s5" ]; then
  wave --arms vanilla gt_screen advmod --seeds "$s5" --out "$out/baselines" "${set[@]}" ";" \
       --arms vanilla --seeds "$s5" --out "$out/vanilla-frozen_a" "${set[@]}" variant=frozen_a "lr=$frozen_lr"
fi
run_of() { local d; for d in "$1"/smollm2-"$2"-s"$3" "$1"/smollm2-"$2"-s"$3"-*; do [ -d "$d" ] && echo "$d"; done; }
relearn_one() {  # its training log beside the run; its verdict (and notes), or why it failed, here
  $pgrpo relearn "$1" --steps "$relearn_steps" --vanilla "$2" > "$1.relearn.log" 2>&1
  local rc=$?
  if [ $rc = 0 ]; then grep -E '^(relearn |note: )' "$1.relearn.log"
  else echo "smollm2_sweep.sh: relearn of $1 failed (exit $rc; $1.relearn.log): $(tail -n 1 "$1.relearn.log")"; fi
  return $rc
}
running=0  # relearns share the GPU like the sweeps' runs: at most per_gpu at once
has relearn && [ -n "$s5" ] && for s in $(seq "${s5%-*}" "${s5#*-}"); do
  target=$(run_of "$out/baselines" vanilla "$s")
  [ -n "$target" ] || { echo "smollm2_sweep.sh: no relearn at seed $s: no lora2r vanilla run under $out/baselines (its target)"; continue; }
  for run in $(run_of "$out/real" erase "$s") $(run_of "$out/real" route "$s") $(run_of "$out/real" routeA "$s") "$target"; do
    [ -d "$run/final-adapter" ] && [ ! -f "$run/relearn.json" ] || continue
    if (( running >= per_gpu )); then wait -n || failed=1; running=$((running - 1)); fi
    relearn_one "$run" "$target" & running=$((running + 1))
  done
done
while (( running > 0 )); do wait -n || failed=1; running=$((running - 1)); done
if [ -n "$slice" ] || [ -n "${WAVES:-}" ]; then
  echo "smollm2_sweep.sh: a slice (SEEDS=${slice:-all} WAVES=$waves): no results, extension or plots (run them without SEEDS and WAVES)"
  exit $failed
fi
runs=(); for d in real haar baselines vanilla-frozen_a; do [ -d "$out/$d" ] && runs+=("$out/$d"); done
extend=()
if $pgrpo results "${runs[@]}" --primary test/deployed/hack --out "$out/results"; then
  # shellcheck disable=SC2207  # arm names are words
  extend=($(python3 - "$out/results/results.json" "$delta" <<'PY'
import json, sys
rep = json.load(open(sys.argv[1]))
arms = {r["group"].split("/")[0] for r in rep.get("power", [])
        if r["family"] == "paired_vs_control" and r["group"].endswith("/real") and r["reference"].endswith("/haar")
        and r["detectable"] > float(sys.argv[2])}
print(" ".join(a for a in ("erase", "route", "routeA") if a in arms))
PY
  )) || failed=1
else
  failed=1
fi
if [ ${#extend[@]} -gt 0 ]; then
  echo "smollm2_sweep.sh: seeds 10-29 for ${extend[*]}: their real − Haar comparison cannot detect $delta with 80% power"
  wave --arms "${extend[@]}" --seeds 10-29 --set-variant "$fa" --out "$out/real" "${set[@]}" ";" \
       --arms "${extend[@]}" --seeds 10-29 --set-variant "$fa" --out "$out/haar" "${set[@]}" direction=haar "direction_seed={seed}"
  $pgrpo results "${runs[@]}" --primary test/deployed/hack --out "$out/results" || failed=1
fi
$pgrpo plot "${runs[@]}" --out "$out/plots" || failed=1
exit $failed
