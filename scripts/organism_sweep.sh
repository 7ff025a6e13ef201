#!/usr/bin/env bash
# The organism evidence of docs/organism.md, end to end on one GPU machine:
#   bash scripts/organism_sweep.sh [OUT] [JOBS_PER_GPU]
# 1. build the organism; then three waves of sweeps, the sweeps of a wave sharing the GPU at once
# (the organism leaves a GPU mostly idle: on one H100, 10 runs at a time took 333-473 s each,
# final evaluation included), most wanted first, so that a cut-short session still has whole arms:
#   wave 1: vanilla, routeA, routeA with a Haar direction (lora2r);
#   wave 2: erase, route, and vanilla on frozen_a (the adapter erase and route train: their
#           matched baseline in `results`);
#   wave 3: erase and route with a Haar direction; erase, route and routeA with a direction from
#           pairs of three modes only (the other three loophole modes held out of the pairs).
# Every Haar run draws its own direction (direction_seed={seed}), so the control band spans draws.
# Every frozen_a run at FROZEN_A_LR (default 1e-2; 5e-3 on the mini), because at the preset's lr
# frozen_a moves the policy far less than lora2r by KL (docs/organism.md); check `results`' drift
# notes. Then results with CIs and the plots. Finished runs are skipped when it is run again.
set -uo pipefail
out=${1:-runs/organism-evidence}
per_gpu=${2:-9}
frozen_lr=${FROZEN_A_LR:-1e-2}
pgrpo=${PGRPO:-pgrpo}
mkdir -p "$out"
if [ ! -f "$out/organism/organism.json" ]; then
    $pgrpo organism build --base scratch --out "$out/organism" 2>&1 | tee "$out/build.log" || exit 1
fi
common=(--preset organism --seeds 0 1 2 --jobs-per-gpu "$per_gpu" --no-results --no-matched-vanilla)  # each wave names its vanillas
lo=(--set "model=$out/organism")                      # the lora2r arms, at the preset's lr
fa=(--set "model=$out/organism" "lr=$frozen_lr")      # the frozen_a arms
haar=(direction=haar "direction_seed={seed}")
three="pairs=hack_pairs@run_tests,stdout_marker,sentinel"
failed=0
wave() {  # run the sweeps given as ';'-separated argument lists at once; wait for all of them
    local pids=() args=()
    for a in "$@" ";"; do
        if [ "$a" = ";" ]; then
            $pgrpo sweep "${common[@]}" "${args[@]}" & pids+=($!); args=()
        else args+=("$a"); fi
    done
    for p in "${pids[@]}"; do wait "$p" || failed=1; done
}
wave --arms vanilla routeA "${lo[@]}" --out "$out/real" ";" \
     --arms routeA "${lo[@]}" "${haar[@]}" --out "$out/haar"
wave --arms erase route "${fa[@]}" --out "$out/real" ";" \
     --arms vanilla "${fa[@]}" variant=frozen_a --out "$out/real"
wave --arms erase route "${fa[@]}" "${haar[@]}" --out "$out/haar" ";" \
     --arms routeA "${lo[@]}" "$three" --out "$out/three-modes" ";" \
     --arms erase route "${fa[@]}" "$three" --out "$out/three-modes"
$pgrpo results "$out"/real/organism-* "$out"/haar/organism-* --out "$out/results" || failed=1
$pgrpo results "$out"/real/organism-vanilla-* "$out"/real/organism-routeA-* "$out"/three-modes/organism-* \
    --out "$out/results-three-modes" || failed=1
$pgrpo plot "$out"/real/organism-* "$out"/haar/organism-* --out "$out/plots" || failed=1
$pgrpo plot "$out"/real/organism-vanilla-* "$out"/three-modes/organism-* --out "$out/plots-three-modes" || failed=1
exit $failed
