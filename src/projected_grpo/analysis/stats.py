"""Small-sample statistics for `pgrpo results`, without scipy.

    from projected_grpo.analysis.stats import holm, mean_ci, paired_t, t_ppf
    mean_ci([0.1, 0.3, 0.2])            # Summary(n=3, mean=0.2, ci_low=-0.048, ci_high=0.448)
    paired_t([1, 2, 3], [0, 0, 0])      # Paired(n=3, mean=2.0, ..., t=3.464, p=0.074)
    t_ppf(0.975, 4)                     # 2.776
    holm([0.01, 0.04, 0.03, 0.005])     # [0.03, 0.06, 0.06, 0.02]
    detectable(0.3, 10)                 # 0.298: the difference 10 pairs with sd 0.3 detect 80% of the time
    pairs_needed(0.3, 0.15)             # 34

The Student t CDF is the regularised incomplete beta function (continued fraction, Numerical
Recipes' betacf with the modified Lentz method); the quantile inverts it by bisection. Both are
accurate to ~1e-10, far below what a handful of seeds can resolve.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction of I_x(a, b); converges fast for x < (a + 1) / (a + b + 2)."""
    tiny, qab, qap, qam = 1e-300, a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        for num in (m * (b - m) * x / ((qam + m2) * (a + m2)),
                    -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))):
            d = 1.0 + num * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + num / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < 1e-15:
            break
    return h


def betainc(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b), a, b > 0, 0 <= x <= 1."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b  # the symmetry I_x(a,b) = 1 - I_{1-x}(b,a)


def t_cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t with df degrees of freedom."""
    if math.isinf(t):
        return 1.0 if t > 0 else 0.0
    tail = 0.5 * betainc(df / 2.0, 0.5, df / (df + t * t))  # P(T > |t|)
    return 1.0 - tail if t >= 0 else tail


def t_ppf(p: float, df: float) -> float:
    """The p-quantile of Student's t (bisection on t_cdf; 0 < p < 1)."""
    if not 0.0 < p < 1.0:
        raise ValueError(f"t_ppf needs 0 < p < 1, got {p}")
    if p < 0.5:
        return -t_ppf(1.0 - p, df)
    lo, hi = 0.0, 1.0
    while t_cdf(hi, df) < p:  # df=1 and p=0.9995 need hi ~ 640
        lo, hi = hi, hi * 2.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if t_cdf(mid, df) < p else (lo, mid)
        if hi - lo < 1e-12 * max(1.0, hi):
            break
    return 0.5 * (lo + hi)


@dataclass(frozen=True)
class Summary:
    n: int
    mean: float | None
    ci_low: float | None  # None for n < 2: one value has no spread to estimate
    ci_high: float | None

    @property
    def half(self) -> float | None:
        return None if self.ci_high is None else (self.ci_high - self.ci_low) / 2


def mean_ci(xs: list[float], level: float = 0.95) -> Summary:
    """Mean and its t-interval: mean ± t_{(1+level)/2, n-1} · sd / √n (per-value normality)."""
    n = len(xs)
    if n == 0:
        return Summary(0, None, None, None)
    mean = sum(xs) / n
    if n < 2:
        return Summary(1, mean, None, None)
    half = t_ppf((1 + level) / 2, n - 1) * _sd(xs, mean) / math.sqrt(n)
    return Summary(n, mean, mean - half, mean + half)


@dataclass(frozen=True)
class Paired:
    n: int
    mean: float | None  # mean of x - y
    ci_low: float | None
    ci_high: float | None
    t: float | None  # None when undefined: n < 2 or every difference equal
    p: float | None  # two-sided
    sd: float | None = None  # of the differences (None for n < 2)


def paired_t(xs: list[float], ys: list[float], level: float = 0.95) -> Paired:
    """Paired t-test of mean(x - y) = 0 over matched pairs (x[i], y[i])."""
    if len(xs) != len(ys):
        raise ValueError(f"paired_t needs equal lengths, got {len(xs)} and {len(ys)}")
    d = [x - y for x, y in zip(xs, ys)]
    s = mean_ci(d, level)
    if s.n < 2:
        return Paired(s.n, s.mean, None, None, None, None)
    sd = _sd(d, s.mean)
    if sd == 0.0:
        return Paired(s.n, s.mean, s.mean, s.mean, None, None, 0.0)
    t = s.mean / (sd / math.sqrt(s.n))
    return Paired(s.n, s.mean, s.ci_low, s.ci_high, t, 2.0 * (1.0 - t_cdf(abs(t), s.n - 1)), sd)


def detectable(sd: float, n: int, alpha: float = 0.05, power: float = 0.8) -> float | None:
    """The smallest true mean difference that a two-sided paired t-test at `alpha` on n pairs
    whose differences have standard deviation sd rejects with probability `power`:
    (t_{1-alpha/2, n-1} + t_{power, n-1}) sd / sqrt(n), the usual approximation of the noncentral
    t (tests/test_results.py checks it by simulation). None for n < 2."""
    if n < 2:
        return None
    return (t_ppf(1 - alpha / 2, n - 1) + t_ppf(power, n - 1)) * sd / math.sqrt(n)


def pairs_needed(sd: float, delta: float, alpha: float = 0.05, power: float = 0.8, most: int = 100_000) -> int | None:
    """The fewest pairs whose detectable difference is at most |delta| (None beyond `most`, or
    for delta = 0)."""
    if delta == 0 or detectable(sd, most, alpha, power) > abs(delta):
        return None
    lo, hi = 1, 2  # detectable() falls as n grows: double, then bisect
    while detectable(sd, hi, alpha, power) > abs(delta):
        lo, hi = hi, 2 * hi
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if detectable(sd, mid, alpha, power) > abs(delta) else (lo, mid)
    return hi


def _sd(xs: list[float], mean: float) -> float:
    return math.sqrt(sum((x - mean) ** 2 for x in xs) / (len(xs) - 1))


def quantile(xs: list[float], q: float) -> float:
    """Linear interpolation between order statistics (numpy's default, type 7)."""
    s = sorted(xs)
    pos = q * (len(s) - 1)
    i = math.floor(pos)
    return s[i] if i + 1 >= len(s) else s[i] + (pos - i) * (s[i + 1] - s[i])


def holm(ps: list[float | None]) -> list[float | None]:
    """Holm-Bonferroni adjusted p-values, in the input order. None (no test) is skipped and does
    not count toward m. The i-th smallest of m p-values becomes max over j <= i of
    min(1, (m - j + 1) p_(j)): rejecting where adjusted p < alpha controls the family-wise error
    rate at alpha under any dependence between the tests (the metrics of one run are correlated)."""
    order = sorted((p, i) for i, p in enumerate(ps) if p is not None)
    out: list[float | None] = [None] * len(ps)
    running, m = 0.0, len(order)
    for rank, (p, i) in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p))
        out[i] = running
    return out
