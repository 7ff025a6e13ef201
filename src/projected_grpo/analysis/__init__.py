"""Across runs: loading run directories, results with confidence intervals, plots, sweeps."""
