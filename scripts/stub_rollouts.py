"""Per step of a run: how many student rollouts stop right after a stub class (`... return 0`
and the closing fence, nothing after it: no exploit), in which groups and at what advantage,
how many reached `return 0` at all, and the step's real student tokens. The counts behind the
sixth SmolLM2 attempt's collapse reading (docs/organism-pretrained.md).

    python scripts/stub_rollouts.py RUN_DIR [--steps 15-17]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from projected_grpo.analysis.curves import parse_window
from projected_grpo.analysis.runs import load_run
from projected_grpo.errors import UserError

STUB_END = re.compile(r"return 0\n\s*```\s*$")  # the stub's body, then only the closing fence


def stub_table(run_dir: Path, lo: int, hi: int) -> list[str]:
    if not (run_dir / "rollouts.jsonl").is_file():
        raise UserError(f"{run_dir}: no rollouts.jsonl (give a run folder written with rollout logging)")
    rows = [r for r in load_run(run_dir).rollouts() if r.get("source") == "student" and lo <= r.get("step", 0) <= hi]
    lines = ["step | students | reached `return 0` | end after the stub | their groups | their advantages | real tokens"]
    for step in range(lo, hi + 1):
        st = [r for r in rows if r["step"] == step]
        stub = [r for r in st if STUB_END.search(r["completion"])]
        lines.append(" | ".join(map(str, [
            step, len(st), sum("return 0\n" in r["completion"] for r in st), len(stub),
            sorted({r["group"] for r in stub}), sorted({round(r["advantage"], 3) for r in stub}),
            sum(r["n_tokens"] for r in st)])))
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run_dir", type=Path)
    ap.add_argument("--steps", default="15-17", help="FIRST-LAST")
    a = ap.parse_args(argv)
    try:
        print("\n".join(stub_table(a.run_dir, *parse_window(a.steps, "--steps"))))
    except UserError as e:
        print(f"stub_rollouts.py: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
