"""projected-grpo: gradient-level interventions against reward hacking in GRPO.

Kept import-light on purpose: the sandbox workers import this package, and every command's
start-up time pays for what is imported here.
"""

__version__ = "0.1.0"
