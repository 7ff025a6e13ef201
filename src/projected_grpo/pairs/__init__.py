"""Hand-authored contrastive (hack, clean) pair sets: format, selection, provenance."""
