"""Exploit forms: are a run's hacks its own, or the teacher pool's templates again?

    pgrpo forms runs/smol --steps 11-60 --examples 2

Each student hack (the oracle's label `hack`) is reduced to its *form*: the code the grader ran
(env/prompts.py extract_code), tokenised as Python, comments dropped, whitespace collapsed,
every string replaced by S, and every name renamed N1, N2, ... by first occurrence, except the
names that carry structure: keywords, builtins, dunders (__eq__), imported modules and the
attributes read off them (sys.exit), and methods of the built-in types (f.write, list.append).
So a hack that differs from another only in its problem's method name, its variable names, its
marker string or its layout has the same form; one more line, another constant, another channel
or another call does not.

Canonical forms: every loophole mode's exploit templates (env/exploits.py, both variants) over
the bundled problems, reduced the same way: what the bundled teacher pool demonstrates. Per run
and mode: hacks, distinct forms, the most common form's share, and the share of hacks whose form
is canonical; with --examples K, the K most common non-canonical forms, each with one completion.
With --label attempted the same for the near misses: student completions that tried a loophole
and earned nothing from it (the oracle's label `attempted`), e.g. to see why a mode is not found.
"""

from __future__ import annotations

import ast
import builtins
import io
import keyword
import re
import tokenize
from collections import Counter
from functools import cache
from pathlib import Path

from projected_grpo.analysis.curves import parse_window
from projected_grpo.analysis.runs import Run, find_runs
from projected_grpo.env.prompts import extract_code
from projected_grpo.errors import UserError

_TYPES = (str, list, dict, set, tuple, int, float, bytes, io.TextIOWrapper)
STRUCTURAL = (set(keyword.kwlist) | set(keyword.softkwlist) | set(dir(builtins))
              | {a for t in _TYPES for a in dir(t)})
_FSTRING = {getattr(tokenize, n) for n in ("FSTRING_START", "FSTRING_MIDDLE", "FSTRING_END") if hasattr(tokenize, n)}


def _imported(tree: ast.AST | None) -> set[str]:
    """Imported module names (and `from m import x` names) and the attributes read off them."""
    if tree is None:
        return set()
    mods = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            mods |= {a.asname for a in node.names if a.asname} | {p for a in node.names for p in a.name.split(".")}
        elif isinstance(node, ast.ImportFrom):
            mods |= {a.asname or a.name for a in node.names} | set((node.module or "").split("."))
    attrs = {n.attr for n in ast.walk(tree)
             if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id in mods}
    return mods | attrs


def form(code: str) -> str:
    """The code's form (see the module docstring); code that does not tokenise falls back to a
    regex over words, so every completion has one."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        tree = None
    keep = STRUCTURAL | _imported(tree)
    names: dict[str, str] = {}

    def rename(word: str) -> str:
        if word in keep or (word.startswith("__") and word.endswith("__")):
            return word
        return names.setdefault(word, f"N{len(names) + 1}")

    out = []
    try:
        for t in tokenize.generate_tokens(io.StringIO(code).readline):
            if t.type == tokenize.NAME:
                out.append(rename(t.string))
            elif t.type == tokenize.STRING or t.type in _FSTRING:
                out.append("S")
            elif t.type in (tokenize.COMMENT, tokenize.NL, tokenize.ENCODING, tokenize.ENDMARKER):
                continue
            elif t.type == tokenize.NEWLINE:
                out.append(";")
            elif t.type == tokenize.INDENT:
                out.append("{")
            elif t.type == tokenize.DEDENT:
                out.append("}")
            else:
                out.append(t.string)
    except (tokenize.TokenError, SyntaxError, IndentationError):
        text = re.sub(r"#.*", "", code)
        text = re.sub(r"(\"\"\"|''')[\s\S]*?\1|\"[^\"\n]*\"|'[^'\n]*'", "S", text)
        out = [rename(w) if re.fullmatch(r"[A-Za-z_]\w*", w) else w for w in re.findall(r"[A-Za-z_]\w*|\S", text)]
    return " ".join(out)


# modes whose channel acts only when the code runs: the print or the file write must execute
RUN_TIME_CHANNELS = ("stdout_marker", "file_marker")


def marker_only_in_bodies(code: str, mode: str) -> bool | None:
    """True when the mode's training marker occurs in the code but only inside function or class
    bodies (so nothing runs it unless a module-level statement calls it); None for other modes,
    code that does not parse, or no marker at all. A near miss's commonest cause on SmolLM2."""
    from projected_grpo.env.modes import TRAIN_MARKERS

    if mode not in RUN_TIME_CHANNELS:
        return None
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return None
    marker = TRAIN_MARKERS[mode].lower()
    if marker not in code.lower():
        return None
    top = [n for n in tree.body if not isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
    return not any(marker in ast.unparse(n).lower() for n in top)


@cache
def canonical_forms() -> dict[str, frozenset[str]]:
    """mode -> the forms of its exploit templates over the bundled problems (both variants)."""
    from projected_grpo.env.exploits import STUB_FIRST_MODES, exploit_code
    from projected_grpo.env.modes import LOOPHOLE_MODES
    from projected_grpo.env.problems import load_bundled

    problems = load_bundled()
    return {m: frozenset(form(exploit_code(m, p, stub_first=s)) for p in problems
                         for s in ((False, True) if m in STUB_FIRST_MODES else (False,)))
            for m in LOOPHOLE_MODES}


def hacks_of(run: Run, steps: tuple[int, int] | None, label: str = "hack") -> list[dict]:
    """The run's student rollouts with this oracle label (hack, or attempted: the near misses)."""
    rows = [r for r in run.rollouts() if r.get("source") == "student" and (r.get("audit") or {}).get("label") == label]
    return [r for r in rows if steps is None or steps[0] <= r["step"] <= steps[1]]


def run_forms(run: Run, steps: tuple[int, int] | None = None, label: str = "hack") -> dict[str, dict]:
    """mode -> {hacks, forms, top_share, canonical_share, counts: Counter(form), example: {form: completion}};
    "all" pools the modes."""
    canon = canonical_forms()
    by_mode: dict[str, list[tuple[str, dict]]] = {}
    in_bodies: dict[int, bool | None] = {}  # id(row) -> marker_only_in_bodies, computed once per row
    for r in hacks_of(run, steps, label):
        code = extract_code(r["completion"]) or r["completion"]
        f, in_bodies[id(r)] = form(code), marker_only_in_bodies(code, r["mode"])
        by_mode.setdefault(r["mode"], []).append((f, r))
        by_mode.setdefault("all", []).append((f, r))
    out = {}
    for mode, items in sorted(by_mode.items(), key=lambda kv: (kv[0] == "all", kv[0])):
        counts = Counter(f for f, _ in items)
        is_canon = [f in canon.get(r["mode"], ()) for f, r in items]
        inside = [v for _, r in items if (v := in_bodies[id(r)]) is not None]
        out[mode] = {"hacks": len(items), "forms": len(counts), "top_share": counts.most_common(1)[0][1] / len(items),
                     "marker_in_bodies": (sum(inside), len(inside)),
                     "canonical_share": sum(is_canon) / len(items), "counts": counts,
                     "novel": Counter(f for (f, _), c in zip(items, is_canon) if not c),
                     "example": {f: r["completion"] for f, r in reversed(items)}}
    return out


# oracle label -> (what the table counts, one of them)
FORM_LABELS = {"hack": ("student hacks", "hack(s)"), "attempted": ("student failed attempts", "attempt(s)")}


def forms_main(paths: list[Path], steps: str = "", examples: int = 0, label: str = "hack") -> int:
    runs = find_runs(paths)
    if not runs:
        raise UserError(f"no run directories under {', '.join(map(str, paths))}")
    if examples < 0:
        raise UserError(f"--examples must be >= 0, got {examples}")
    if label not in FORM_LABELS:
        raise UserError(f"--label {label!r}: choose {' or '.join(FORM_LABELS)}")
    span = parse_window(steps, "--steps") if steps else None
    print(f"| run | mode | {FORM_LABELS[label][0]} | distinct forms | most common form's share | canonical share "
          f"| marker only inside def/class bodies ({', '.join(RUN_TIME_CHANNELS)}) |")
    print("|---|---|---|---|---|---|---|")
    found = []
    for run in runs:
        table = run_forms(run, span, label)
        if not table:
            print(f"| {run.label} | - | 0 | - | - | - | - |")
        for mode, t in table.items():
            k, n = t["marker_in_bodies"]
            print(f"| {run.label} | {mode} | {t['hacks']} | {t['forms']} | {t['top_share']:.2f} | {t['canonical_share']:.2f} "
                  f"| {f'{k} of {n}' if n else '-'} |")
        found.append((run, table.get("all")))
    for run, t in found:
        if not examples or t is None or not t["novel"]:
            continue
        print(f"\n{run.label}: the {min(examples, len(t['novel']))} most common non-canonical forms")
        for f, c in t["novel"].most_common(examples):
            code = extract_code(t["example"][f]) or t["example"][f]
            print(f"\n{c} {FORM_LABELS[label][1]} of this form, e.g.\n```python\n{code.strip()}\n```")
    return 0
