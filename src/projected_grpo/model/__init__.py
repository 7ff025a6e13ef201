"""Models and tokenizers: loading real checkpoints, and building random ones for tests and benchmarks."""
