#!/usr/bin/env bash
# The organism evidence of docs/organism.md, end to end on one GPU machine:
#   bash scripts/organism_sweep.sh [OUT] [JOBS_PER_GPU]
# 1. build the organism; 2. vanilla, erase, route, routeA x 3 seeds with the real direction, plus
# vanilla on frozen_a (the adapter erase and route train: their matched baseline in `results`);
# every frozen_a run (erase, route, that vanilla) at FROZEN_A_LR (default 1e-2; 5e-3 on the mini),
# because at the preset's lr frozen_a moves the policy far less than lora2r by KL (on the GPU
# organism 10x less at 5e-3, 3x at 1e-2: docs/organism.md); check `results`' drift notes;
# 3. the same direction arms with a Haar-random direction; 4. erase/route/routeA with a direction
# from pairs of three modes only (the other three loophole modes held out of the pairs);
# 5. results with CIs and the plots. Finished runs are skipped when it is run again.
set -euo pipefail
out=${1:-runs/organism-evidence}
per_gpu=${2:-4}
frozen_lr=${FROZEN_A_LR:-1e-2}
pgrpo=${PGRPO:-pgrpo}
mkdir -p "$out"
if [ ! -f "$out/organism/organism.json" ]; then
    $pgrpo organism build --out "$out/organism" 2>&1 | tee "$out/build.log"
fi
common=(--preset organism --seeds 0 1 2 --jobs-per-gpu "$per_gpu" --no-results)
fa=(--set "model=$out/organism" "lr=$frozen_lr")  # the frozen_a arms
three="pairs=hack_pairs@run_tests,stdout_marker,sentinel"
$pgrpo sweep "${common[@]}" --arms vanilla routeA --set "model=$out/organism" --out "$out/real"
$pgrpo sweep "${common[@]}" --arms erase route "${fa[@]}" --out "$out/real"
$pgrpo sweep "${common[@]}" --arms vanilla "${fa[@]}" variant=frozen_a --out "$out/real"
$pgrpo sweep "${common[@]}" --arms routeA --set "model=$out/organism" direction=haar --out "$out/haar"
$pgrpo sweep "${common[@]}" --arms erase route "${fa[@]}" direction=haar --out "$out/haar"
$pgrpo sweep "${common[@]}" --arms routeA --set "model=$out/organism" "$three" --out "$out/three-modes"
$pgrpo sweep "${common[@]}" --arms erase route "${fa[@]}" "$three" --out "$out/three-modes"
$pgrpo results "$out"/real/organism-* "$out"/haar/organism-* --out "$out/results"
$pgrpo results "$out"/real/organism-vanilla-* "$out"/three-modes/organism-* --out "$out/results-three-modes"
$pgrpo plot "$out"/real/organism-* "$out"/haar/organism-* --out "$out/plots"
$pgrpo plot "$out"/real/organism-vanilla-* "$out"/three-modes/organism-* --out "$out/plots-three-modes"
