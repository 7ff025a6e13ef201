"""The fast rollout engine: merged decode weights (weights.py), the Qwen3 / Llama forward as functions
(forward.py), on-device sampling (sampling.py), and the slot-refilling CUDA-graph loop (fast.py)."""
