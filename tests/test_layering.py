"""The package's layering (issue 20): no import circles between modules, analysis/results reads
run folders without torch, and outside the arm modules and the registry no source file names an
arm by a string literal (the registry is the only list of arms)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).parents[1] / "src" / "projected_grpo"
ARMS_DIR = SRC / "train" / "arms"


def _module(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    parts = list(rel.parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _top_level_imports(path: Path) -> set[str]:
    """Modules imported at module level (function-level imports are lazy by design and may close
    a loop that is never walked at import time)."""
    tree = ast.parse(path.read_text())
    out = set()
    for node in tree.body:
        if isinstance(node, ast.If):  # `if TYPE_CHECKING:` blocks are not imports at run time
            continue
        for n in ast.walk(node) if isinstance(node, (ast.Import, ast.ImportFrom, ast.Try)) else ():
            if isinstance(n, ast.Import):
                out |= {a.name for a in n.names}
            elif isinstance(n, ast.ImportFrom) and n.module and n.level == 0:
                out.add(n.module)
                out |= {f"{n.module}.{a.name}" for a in n.names}
    return {m for m in out if m.startswith("projected_grpo")}


def _graph() -> dict[str, set[str]]:
    files = {_module(p): p for p in SRC.rglob("*.py")}
    return {m: {i for i in _top_level_imports(p) if i in files and i != m} for m, p in files.items()}


def test_no_import_cycles():
    graph = _graph()
    state: dict[str, int] = {}  # 1: on the stack, 2: done
    cycles = []

    def visit(m, stack):
        state[m] = 1
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                cycles.append(stack[stack.index(n):] + [n])
            elif n not in state:
                visit(n, stack + [n])
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_engine_and_rollout_do_not_import_each_other():
    graph = _graph()
    assert "projected_grpo.train.rollout" not in graph["projected_grpo.engine.fast"]
    assert not any(m.startswith("projected_grpo.train") for m in graph["projected_grpo.engine.contract"])


def test_analysis_and_the_registry_import_without_torch():
    for mod in ("projected_grpo.analysis.results", "projected_grpo.train.arms", "projected_grpo.analysis.runs",
                "projected_grpo.analysis.plots", "projected_grpo.analysis.forms", "projected_grpo.analysis.curves"):
        code = f"import sys, {mod}; assert 'torch' not in sys.modules, 'torch imported'"
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert r.returncode == 0, f"{mod}: {r.stderr[-400:]}"


def test_no_arm_name_literals_outside_the_arm_modules():
    from projected_grpo.train.arms import ARM_NAMES

    # "route" / "absorb" / "keep" are also the gate's zone names (train/passes.py): a zone is not an arm
    zones = {"route", "absorb"}
    hits = []
    for p in SRC.rglob("*.py"):
        if ARMS_DIR in p.parents:
            continue
        for node in ast.walk(ast.parse(p.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in ARM_NAMES:
                if node.value in zones and p.name == "passes.py":
                    continue
                hits.append(f"{p.relative_to(SRC)}:{node.lineno}: {node.value!r}")
    assert not hits, "arm names as string literals outside train/arms/: " + ", ".join(hits)
