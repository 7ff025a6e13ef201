"""The self-check matrix (also the first half of `pgrpo demo`, the README's main job)."""

from projected_grpo.cli import main
from projected_grpo.env.problems import load_bundled
from projected_grpo.env.selfcheck import ROWS, run_matrix


def test_exploited_fires_iff_exploit_mode_equals_grader_mode(grader, add_problem, list_problem):
    cells = run_matrix(grader, [add_problem, list_problem])
    assert len(cells) == 2 * len(ROWS) * 7
    bad = [(c.row, c.mode, c.problem_id, c.verdict.row()) for c in cells if not c.ok]
    assert not bad


def test_selfcheck_and_demo_commands_pass(capsys):
    assert main(["env", "selfcheck", "--workers", "2"]) == 0
    out = capsys.readouterr().out
    assert "self-check: PASS" in out and "!" not in out.split("legend")[0]
    assert main(["demo", "--workers", "2"]) == 0
    out = capsys.readouterr().out
    assert "SOLUTION:" in out and "hack (" in out and "timeout" in out and "no_code" in out


def test_bundled_selfcheck_covers_lists_and_trees():
    from projected_grpo.cli import _selfcheck_problems

    chosen = _selfcheck_problems(load_bundled(), 4)
    starters = " ".join(p.starter_code for p in chosen)
    assert "ListNode" in starters and "TreeNode" in starters
