"""A toy model organism of reward hacking: a small Qwen3 trained from scratch on the bundled
problems so that it writes plausible code and rarely hacks, then hacks under vanilla GRPO.

    corpus.py   which problems it may solve, which it never sees, and its SFT mixture
    build.py    tokenizer, model, supervised training, the starting rates, the folder it writes
    smollm2.py  SmolLM2-135M-Instruct as the base instead (--base smollm2-135m): fetch, convert, provenance
"""

# The files an organism folder holds besides the HF model (read by `--problems organism`).
TRAIN_FILE, HELDOUT_FILE, CARD_FILE = "problems-train.jsonl", "problems-heldout.jsonl", "organism.json"
