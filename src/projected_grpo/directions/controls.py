"""The hack direction and its controls, by name (torch-free: the arms' options and sweeps read it).

    real      the direction extracted from the authored pairs
    haar      random orthonormal rows, shapes matched to the real set (a fresh draw per seed)
    haar_neg  the same seed's Haar draw negated: with haar, a ±Haar pair, so a control that "works"
              by sign luck shows up as its negation failing (method brief pitfall 17)
    shuffled  hack/clean sides swapped at random per pair
    null      extracted from the clean-vs-clean null pair set
    reverse   the real direction negated
"""

from __future__ import annotations

from typing import Literal

Kind = Literal["grad", "act"]
Control = Literal["real", "haar", "haar_neg", "shuffled", "null", "reverse"]
CONTROLS: tuple[str, ...] = Control.__args__
HAAR_CONTROLS = ("haar", "haar_neg")  # random directions: a draw per seed, and its negation
CONTROLS_DRAWN = ("haar", "haar_neg", "shuffled")  # controls that depend on direction_seed
NULL_PAIRS = "null_pairs"  # the pair set `--control null` extracts from
