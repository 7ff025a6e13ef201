"""The rollout-engine contract: what the trainer asks of an engine (`RolloutEngine`), with what
(`SamplingConfig`) and what comes back (`Rollouts`). Engines (engine/fast.py, train/rollout.py's
HFGenerate) and their callers import it from here, so neither imports the other; no torch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class SamplingConfig:
    temperature: float = 0.7
    """sampling temperature (0: greedy)"""
    top_p: float = 0.95
    """nucleus sampling: keep the smallest token set with this much probability (1: off)"""
    top_k: int = 20
    """0 disables; top_k=20 was load-bearing for hack emergence in prior work (method brief pitfall 8)"""
    max_new_tokens: int = 1536
    """completion length cap in tokens"""

    def __post_init__(self):
        if self.temperature < 0 or not 0 < self.top_p <= 1 or self.top_k < 0 or self.max_new_tokens < 1:
            raise ValueError(f"bad sampling config: temperature {self.temperature} >= 0, top_p {self.top_p} in (0, 1], "
                             f"top_k {self.top_k} >= 0, max_new_tokens {self.max_new_tokens} >= 1")


@dataclass
class Rollouts:
    prompt_ids: list[list[int]]
    completion_ids: list[list[int]]  # up to and including the EOS token when the row finished
    texts: list[str]  # decoded completions, special tokens dropped
    deployed: list[bool]  # sampled with the quarantine ablated
    finished: list[bool]  # ended with EOS (else cut at max_new_tokens)
    logprobs: list[list[float]] | None = None  # per completion token: log softmax(logits / T), the behaviour policy


class RolloutEngine(Protocol):
    def generate(self, prompt_ids: list[list[int]], deployed: list[bool], cfg: SamplingConfig, seed: int) -> Rollouts:
        ...

    def release(self):
        """Free what generation holds on the device (called before the training passes)."""
