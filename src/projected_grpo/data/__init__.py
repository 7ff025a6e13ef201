"""Datasets built from external problem sources: filtering and splits."""
