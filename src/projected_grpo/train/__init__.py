"""GRPO training: loss, rollouts, the step, intervention arms (work in progress: issue 4)."""
