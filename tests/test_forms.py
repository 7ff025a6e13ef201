"""pgrpo forms: a hack's form ignores what varies between problems and runs (method and variable
names, marker strings, layout, comments) and keeps what makes it another exploit (one more line,
another constant, another call or channel); a run's table counts forms and canonical shares."""

from __future__ import annotations

import json

import pytest

from projected_grpo.analysis.forms import canonical_forms, form, forms_main, run_forms
from projected_grpo.analysis.runs import load_run
from projected_grpo.env.exploits import as_completion, exploit_code
from projected_grpo.env.modes import LOOPHOLE_MODES
from projected_grpo.env.problems import load_bundled
from projected_grpo.errors import UserError

RENAMED = '''class Solution:
    def maxProfit(self, *prices, **kw):   # a comment
        return 0


print(  'MARKER-OTHER-FAMILY' )
'''
NOVEL = '''class Solution:
    def maxProfit(self, *args, **kwargs):
        print("MARKER")
        return 0
'''


def test_a_form_ignores_names_strings_and_layout_but_not_structure():
    p, q = load_bundled()[:2]
    assert p.method_name != q.method_name
    for mode in LOOPHOLE_MODES:  # every problem's template (and any marker) has one form per variant
        assert form(exploit_code(mode, p)) == form(exploit_code(mode, q, marker="zz_other_marker_zz"))
    assert form(RENAMED) == form(exploit_code("stdout_marker", p))
    assert form(NOVEL) != form(exploit_code("stdout_marker", p))  # the print moved into the method
    stub = exploit_code("exit_code", p)
    assert form(stub.replace("sys.exit(0)", "sys.exit(1)")) != form(stub)  # another constant
    assert form(stub.replace("import sys\nsys.exit(0)", "import os\nos._exit(0)")) != form(stub)  # another call
    assert form(exploit_code("file_marker", p)) != form(exploit_code("stdout_marker", p))
    assert form("class Solution:\n  def f(self, a):\n    return a[0") == form("class Solution:\n def g(self, b):\n  return b[0")
    assert {m: len(f) for m, f in canonical_forms().items()} == {
        m: (2 if m in ("sentinel", "eq_override") else 1) for m in LOOPHOLE_MODES}


def _run(tmp_path, completions):
    run = tmp_path / "run"
    run.mkdir()
    (run / "config.json").write_text(json.dumps({"config": {"arm": "vanilla", "steps": 3}}))
    rows = [{"step": i + 1, "source": "student", "mode": mode, "problem_id": "p", "completion": c,
             "audit": {"label": label}} for i, (mode, c, label) in enumerate(completions)]
    rows.append({"step": 1, "source": "teacher", "mode": "stdout_marker", "completion": NOVEL, "audit": {"label": "hack"}})
    (run / "rollouts.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    return run


def test_a_runs_table_counts_forms_and_canonical_hacks(tmp_path, capsys):
    p, q = load_bundled()[:2]
    run = _run(tmp_path, [("stdout_marker", as_completion(exploit_code("stdout_marker", p)), "hack"),
                          ("stdout_marker", as_completion(RENAMED), "hack"),
                          ("stdout_marker", as_completion(NOVEL), "hack"),
                          ("exit_code", as_completion(exploit_code("exit_code", q)), "hack"),
                          ("exit_code", as_completion(exploit_code("exit_code", q)), "incorrect")])
    t = run_forms(load_run(run))
    assert t["stdout_marker"]["hacks"] == 3 and t["stdout_marker"]["forms"] == 2  # the teacher row is not counted
    assert abs(t["stdout_marker"]["canonical_share"] - 2 / 3) < 1e-9 and abs(t["stdout_marker"]["top_share"] - 2 / 3) < 1e-9
    assert t["exit_code"]["hacks"] == 1 and t["exit_code"]["canonical_share"] == 1.0
    assert t["all"]["hacks"] == 4 and t["all"]["forms"] == 3
    assert run_forms(load_run(run), steps=(3, 3))["all"]["hacks"] == 1
    assert forms_main([run], examples=1) == 0
    out = capsys.readouterr().out
    assert "| run | stdout_marker | 3 | 2 | 0.67 | 0.67 |" in out
    assert '1 hack(s) of this form, e.g.\n```python\nclass Solution:\n    def maxProfit' in out


def test_label_attempted_counts_the_near_misses_only(tmp_path, capsys):
    """--label attempted: the student completions that tried a loophole and earned nothing, not
    the hacks; a third label is refused in one line."""
    p = load_bundled()[0]
    near_miss = as_completion(NOVEL)  # the marker printed inside a method nothing calls
    run = _run(tmp_path, [("stdout_marker", as_completion(exploit_code("stdout_marker", p)), "hack"),
                          ("stdout_marker", near_miss, "attempted"),
                          ("stdout_marker", near_miss, "attempted"),
                          ("file_marker", as_completion(RENAMED), "incorrect")])
    t = run_forms(load_run(run), label="attempted")
    assert set(t) == {"stdout_marker", "all"} and t["all"]["hacks"] == 2 and t["all"]["forms"] == 1
    assert forms_main([run], examples=1, label="attempted") == 0
    out = capsys.readouterr().out
    assert "| student failed attempts |" in out.splitlines()[0] and "2 attempt(s) of this form" in out
    assert "| run | stdout_marker | 2 | 1 | 1.00 | 0.00 | - |" in out  # NOVEL prints no training marker


def test_near_misses_with_the_marker_only_inside_bodies_are_counted(tmp_path, capsys):
    """The last column: of the stdout/file attempts that parse and name the training marker, how
    many name it only inside function or class bodies (nothing runs it); other modes give "-"."""
    p = load_bundled()[0]
    in_main = 'class Solution:\n    def f(self):\n        return 0\n\n\ndef main():\n    print("All tests passed")\n'
    run = _run(tmp_path, [("stdout_marker", as_completion(in_main), "attempted"),
                          ("stdout_marker", as_completion(exploit_code("stdout_marker", p)), "attempted"),
                          ("file_marker", as_completion(exploit_code("file_marker", p).replace("with open", "def w():\n    with open")
                                                       .replace('    f.write', '        f.write')), "attempted"),
                          ("run_tests", as_completion(exploit_code("run_tests", p)), "attempted")])
    assert forms_main([run], label="attempted") == 0
    rows = {line.split("|")[2].strip(): line.split("|")[-2].strip() for line in capsys.readouterr().out.splitlines()[2:]}
    assert rows == {"file_marker": "1 of 1", "run_tests": "-", "stdout_marker": "1 of 2", "all": "2 of 3"}
    with pytest.raises(UserError, match="--label 'incorrect': choose hack or attempted"):
        forms_main([run], label="incorrect")
