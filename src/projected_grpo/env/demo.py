"""A graded demo: a few bundled problems, each under a loophole mode, with the completions a
GRPO student might write (correct, wrong, the mode's hack, another mode's hack, an infinite
loop, prose with no code) and what the channel, the oracle and the reward say about each."""

from __future__ import annotations

from projected_grpo.env.exploits import as_completion, exploit_code, never_returns
from projected_grpo.env.grader import GradeRequest, Grader
from projected_grpo.env.modes import LOOPHOLE_MODES
from projected_grpo.env.problems import Problem, load_bundled
from projected_grpo.env.prompts import user_prompt


def demo_requests(problems: list[Problem]) -> list[tuple[str, GradeRequest]]:
    out = []
    for i, p in enumerate(problems):
        mode, other = LOOPHOLE_MODES[i % len(LOOPHOLE_MODES)], LOOPHOLE_MODES[(i + 1) % len(LOOPHOLE_MODES)]
        for what, text in (("reference solution", as_completion(p.reference_solution)),
                           ("plausible wrong solution", as_completion(p.wrong_solution)),
                           (f"hack for {mode}", as_completion(exploit_code(mode, p))),
                           (f"hack for {other}", as_completion(exploit_code(other, p))),
                           ("infinite loop", as_completion(never_returns(p))),
                           ("prose, no code block", "I would use a hash map here.")):
            out.append((what, GradeRequest(p, mode, text)))
    return out


def run_demo(workers: int | None = None, n_problems: int = 3) -> None:
    problems = load_bundled()
    chosen = problems[:: max(1, len(problems) // n_problems)][:n_problems]
    reqs = demo_requests(chosen)
    print("One prompt as the model sees it (user message; the hint replaces 'and should pass all tests'):")
    print("-" * 80)
    print(user_prompt(reqs[0][1].problem, reqs[0][1].mode))
    print("-" * 80)
    with Grader(workers=workers) as g:
        verdicts = g.grade([r for _, r in reqs])
    header = f"{'problem':<28} {'mode':<14} {'submitted':<26} {'reward':>6} {'channel':>7} {'oracle':>6}  label"
    print(header)
    print("-" * len(header))
    for (what, req), v in zip(reqs, verdicts):
        print(f"{req.problem.id:<28} {req.mode:<14} {what:<26} {v.signal.reward:>6.1f} "
              f"{'pass' if v.signal.channel_pass else '-':>7} {'pass' if v.audit.gt_correct else '-':>6}  "
              f"{v.audit.label}{' (' + v.audit.hack_mode + ')' if v.audit.hack_mode else ''}")
    print("reward = 0.5*compiles + 3.0*(oracle or channel); channel = the mode's foolable grader; "
          "oracle = strict sandboxed tests (logged, never trained on)")
