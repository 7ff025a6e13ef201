# Sourced by the SmolLM2 scripts (smollm2_emergence.sh, smollm2_sweep.sh): `mps_start OUT NAME`.
# MPS=1 runs the script's GPU processes under a CUDA MPS control daemon of its own (pipe and log
# folders under OUT/mps; stopped when the script exits), so that many small runs' kernels can share
# the GPU's SMs instead of taking turns. Measured once, five SmolLM2 runs on one H100, back to back:
# 16.3 s a step without, 11.2 s with (1.46x; docs/benchmarks.md). It changes no card setting
# (clocks, compute mode). MPS=0 (the default) starts nothing.
# Under MPS one client's fatal error, or a client killed mid-kernel, ends every run sharing the
# GPU (seen 2026-12-07: two of five runs were killed and within seconds the other three died of
# CUDA launch failures), so the scripts' sweeps pass `--retries 1` (each failed run resumes from its
# last checkpoint) and a run is never stopped alone: stop the whole script.
mps_start() {
  local out=$1 name=$2
  [[ ${MPS:-0} =~ ^[01]$ ]] || { echo "$name: MPS=$MPS: give 1 to share the GPU through an MPS daemon, 0 not to (e.g. MPS=1)" >&2; return 2; }
  [ "${MPS:-0}" = 1 ] || return 0
  export CUDA_MPS_PIPE_DIRECTORY=$out/mps/pipe CUDA_MPS_LOG_DIRECTORY=$out/mps/log
  mkdir -p "$CUDA_MPS_PIPE_DIRECTORY" "$CUDA_MPS_LOG_DIRECTORY"
  nvidia-cuda-mps-control -d || { echo "$name: MPS=1 but nvidia-cuda-mps-control -d failed (run with MPS=0)" >&2; return 2; }
  trap 'echo quit | nvidia-cuda-mps-control' EXIT
}
