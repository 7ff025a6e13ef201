"""Evaluation: the deployed model against the as-trained one, on held-out problems."""
