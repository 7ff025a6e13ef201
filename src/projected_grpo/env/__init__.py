"""The reward-hackable coding environment: problems, loophole modes, prompts, sandbox, grader."""
