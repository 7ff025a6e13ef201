"""Bundled problems: dynamic programming (1-D, 2-D, knapsack, interval DP, bitmask DP),
binary search on the answer, and math / bit manipulation."""

PROBLEMS = [
    dict(
        id='dp-stepping-stones-no-double-leap',
        difficulty='medium',
        tags=['dynamic-programming', 'arrays'],
        statement="""A river is crossed by a line of n stepping stones numbered 0 to n - 1. Stone i carries an integer values[i], which may be negative.

You start standing on stone 0 and must finish standing on stone n - 1. From stone i you may jump forward to stone i + 1, i + 2 or i + 3, as long as you do not go past stone n - 1. A jump of length 3 is called a leap. Leaps are exhausting, so you may never make two leaps in a row: every leap must be followed by a jump of length 1 or 2 (or be the final jump of the crossing).

Your score is the sum of values[i] over every stone you stand on, including stone 0 and stone n - 1. Return the maximum score you can achieve.

Example 1:

Input: values = [5,-4,-4,1,-4,-4,5]
Output: 7
Explanation: The crossing 0 -> 3 -> 6 would score 11, but it makes two leaps in a row. One best valid crossing is 0 -> 3 -> 5 -> 6 with score 5 + 1 + (-4) + 5 = 7.

Example 2:

Input: values = [-3]
Output: -3
Explanation: You already stand on the last stone.

Example 3:

Input: values = [1,2,3,4]
Output: 10
Explanation: Stepping on every stone is best.

Constraints:

1 <= values.length <= 10^4
-10^4 <= values[i] <= 10^4""",
        starter_code="""class Solution:
    def maxCrossingScore(self, values: List[int]) -> int:
""",
        entry_point='Solution().maxCrossingScore',
        reference_solution="""class Solution:
    def maxCrossingScore(self, values: List[int]) -> int:
        n = len(values)
        NEG = float('-inf')
        # calm[i]: best score standing on i, last jump was not a leap (or i is the start)
        # tired[i]: best score standing on i, last jump was a leap
        calm = [NEG] * n
        tired = [NEG] * n
        calm[0] = values[0]
        for i in range(1, n):
            best = max(calm[i - 1], tired[i - 1])
            if i >= 2:
                best = max(best, calm[i - 2], tired[i - 2])
            calm[i] = best + values[i]
            if i >= 3:
                tired[i] = calm[i - 3] + values[i]
        return max(calm[n - 1], tired[n - 1])
""",
        wrong_solution="""class Solution:
    def maxCrossingScore(self, values: List[int]) -> int:
        n = len(values)
        NEG = float('-inf')
        calm = [NEG] * n
        tired = [NEG] * n
        calm[0] = values[0]
        for i in range(1, n):
            best = max(calm[i - 1], tired[i - 1])
            if i >= 2:
                best = max(best, calm[i - 2], tired[i - 2])
            calm[i] = best + values[i]
            if i >= 3:
                tired[i] = max(calm[i - 3], tired[i - 3]) + values[i]
        return max(calm[n - 1], tired[n - 1])
""",
        examples=[
            ('values = [5,-4,-4,1,-4,-4,5]', '7'),
            ('values = [-3]', '-3'),
            ('values = [1,2,3,4]', '10'),
        ],
        tests=[
            ('values = [7]', '7'),
            ('values = [-1,-1]', '-2'),
            ('values = [0,0,0]', '0'),
            ('values = [5,-100,-100,5]', '10'),
            ('values = [5,-100,-100,5,-100,-100,5]', '-85'),
            ('values = [-2,-3,-9,-9,-1,-9,-9,-4,-2]', '-17'),
            ('values = [4,-1,-1,-1,-1,-1,-1,-1,-1,-1,4]', '5'),
            ('values = [10,-50,-50,-50,-50,-50,-50,-50,-50,-50,10]', '-130'),
            ('values = [3,-7,2,-8,-8,6,-1,-9,-9,-9,5,-2,4]', '11'),
            ('values = [-10000]*20 + [10000]', '-70000'),
            ('values = [(i * 37) % 201 - 100 for i in range(10000)]', '233654'),
            ('values = [-(i % 7) - 1 for i in range(10000)]', '-12858'),
            ('values = [(i * i) % 97 - 60 for i in range(9000)]', '41227'),
            ('values = [(-1) ** i * (i % 13) for i in range(9999)]', '29995'),
        ],
    ),
    dict(
        id='dp-athlete-training-plans',
        difficulty='medium',
        tags=['dynamic-programming', 'counting'],
        statement="""A coach is drawing up an n-day plan for an athlete. Every day is assigned exactly one activity, written as a character:

- 'W' for a workout day,
- 'R' for a rest day,
- 'T' for a technique drill day.

A plan (a string of length n) is valid when all of the following hold:

- there are never more than maxRun consecutive 'W' days;
- two rest days are never adjacent (no "RR");
- a technique day never comes directly after a rest day (no "RT").

Return the number of valid plans. Since the answer may be very large, return it modulo 10^9 + 7.

Example 1:

Input: n = 2, maxRun = 1
Output: 6
Explanation: The 9 two-character strings minus "WW", "RR" and "RT" leave 6 valid plans: "WR", "WT", "RW", "TW", "TR" and "TT".

Example 2:

Input: n = 1, maxRun = 3
Output: 3
Explanation: "W", "R" and "T" are all valid.

Example 3:

Input: n = 4, maxRun = 2
Output: 36

Constraints:

1 <= n <= 1000
1 <= maxRun <= 20""",
        starter_code="""class Solution:
    def countTrainingPlans(self, n: int, maxRun: int) -> int:
""",
        entry_point='Solution().countTrainingPlans',
        reference_solution="""class Solution:
    def countTrainingPlans(self, n: int, maxRun: int) -> int:
        MOD = 10 ** 9 + 7
        # w[j]: plans ending with exactly j consecutive 'W' (1 <= j <= maxRun)
        w = [0] * (maxRun + 1)
        w[1] = 1
        r = 1
        t = 1
        for _ in range(n - 1):
            total_w = sum(w) % MOD
            nw = [0] * (maxRun + 1)
            nw[1] = (r + t) % MOD
            for j in range(1, maxRun):
                nw[j + 1] = w[j]
            nr = (total_w + t) % MOD
            nt = (total_w + t) % MOD
            w, r, t = nw, nr, nt
        return (sum(w) + r + t) % MOD
""",
        wrong_solution="""class Solution:
    def countTrainingPlans(self, n: int, maxRun: int) -> int:
        MOD = 10 ** 9 + 7
        w = [0] * (maxRun + 1)
        w[1] = 1
        r = 1
        t = 1
        for _ in range(n - 1):
            total_w = sum(w) % MOD
            nw = [0] * (maxRun + 1)
            nw[1] = (r + t) % MOD
            for j in range(1, maxRun - 1):
                nw[j + 1] = w[j]
            nr = (total_w + t) % MOD
            nt = (total_w + t) % MOD
            w, r, t = nw, nr, nt
        return (sum(w) + r + t) % MOD
""",
        examples=[
            ('n = 2, maxRun = 1', '6'),
            ('n = 1, maxRun = 3', '3'),
            ('n = 4, maxRun = 2', '36'),
        ],
        tests=[
            ('n = 1, maxRun = 1', '3'),
            ('n = 2, maxRun = 2', '7'),
            ('n = 3, maxRun = 1', '12'),
            ('n = 3, maxRun = 3', '17'),
            ('n = 5, maxRun = 1', '48'),
            ('n = 6, maxRun = 2', '186'),
            ('n = 7, maxRun = 20', '577'),
            ('n = 10, maxRun = 3', '6880'),
            ('n = 25, maxRun = 4', '693805781'),
            ('n = 60, maxRun = 1', '804594756'),
            ('n = 200, maxRun = 7', '871099112'),
            ('n = 1000, maxRun = 20', '412802699'),
            ('n = 1000, maxRun = 1', '32634808'),
            ('n = 777, maxRun = 13', '695406309'),
        ],
    ),
    dict(
        id='dp-toll-grid-vouchers',
        difficulty='medium',
        tags=['dynamic-programming', 'matrix'],
        statement="""A city is laid out as an m x n grid of districts, and entering district (i, j) costs a toll of grid[i][j]. A delivery van starts in the top-left district (0, 0) and must reach the bottom-right district (m - 1, n - 1), moving only one district right or one district down at a time. The van pays the toll of every district on its route, including the starting and the final district.

The driver holds k toll vouchers. A voucher can be handed in at any district on the route to pay nothing there instead of its toll; at most one voucher can be used per district, and vouchers do not have to be used.

Return the minimum total toll the van has to pay.

Example 1:

Input: grid = [[1,9,1],[1,1,1],[8,1,1]], k = 1
Output: 4

Example 2:

Input: grid = [[1,50,1],[9,9,1]], k = 1
Output: 3
Explanation: The route right, right, down pays 1 + 50 + 1 + 1 = 53 in tolls; handing the voucher in at the district with toll 50 brings it down to 3. The route that is cheapest without vouchers (1 + 9 + 9 + 1 = 20) only drops to 11.

Example 3:

Input: grid = [[5,100],[100,5]], k = 0
Output: 110
Explanation: Both routes pay 5 + 100 + 5 = 110.

Constraints:

m == grid.length
n == grid[i].length
1 <= m, n <= 30
0 <= grid[i][j] <= 10^4
0 <= k <= 10""",
        starter_code="""class Solution:
    def minTollWithVouchers(self, grid: List[List[int]], k: int) -> int:
""",
        entry_point='Solution().minTollWithVouchers',
        reference_solution="""class Solution:
    def minTollWithVouchers(self, grid: List[List[int]], k: int) -> int:
        m, n = len(grid), len(grid[0])
        INF = float('inf')
        # dp[j][c]: min toll to stand on (current row, j) having used c vouchers
        prev = None
        for i in range(m):
            cur = [[INF] * (k + 1) for _ in range(n)]
            for j in range(n):
                g = grid[i][j]
                if i == 0 and j == 0:
                    best = [0] + [INF] * k
                else:
                    best = [INF] * (k + 1)
                    if i > 0:
                        up = prev[j]
                        best = [min(a, b) for a, b in zip(best, up)]
                    if j > 0:
                        left = cur[j - 1]
                        best = [min(a, b) for a, b in zip(best, left)]
                row = cur[j]
                for c in range(k + 1):
                    v = best[c] + g
                    if c > 0 and best[c - 1] < v:
                        v = best[c - 1]
                    row[c] = v
            prev = cur
        return min(prev[n - 1])
""",
        wrong_solution="""class Solution:
    def minTollWithVouchers(self, grid: List[List[int]], k: int) -> int:
        m, n = len(grid), len(grid[0])
        INF = float('inf')
        # cheapest route first, then spend vouchers on its most expensive districts
        dist = [[INF] * n for _ in range(m)]
        par = [[None] * n for _ in range(m)]
        for i in range(m):
            for j in range(n):
                if i == 0 and j == 0:
                    dist[i][j] = grid[0][0]
                    continue
                if i > 0 and dist[i - 1][j] + grid[i][j] < dist[i][j]:
                    dist[i][j] = dist[i - 1][j] + grid[i][j]
                    par[i][j] = (i - 1, j)
                if j > 0 and dist[i][j - 1] + grid[i][j] < dist[i][j]:
                    dist[i][j] = dist[i][j - 1] + grid[i][j]
                    par[i][j] = (i, j - 1)
        tolls = []
        cell = (m - 1, n - 1)
        while cell is not None:
            tolls.append(grid[cell[0]][cell[1]])
            cell = par[cell[0]][cell[1]]
        tolls.sort(reverse=True)
        return sum(tolls[k:])
""",
        examples=[
            ('grid = [[1,9,1],[1,1,1],[8,1,1]], k = 1', '4'),
            ('grid = [[1,50,1],[9,9,1]], k = 1', '3'),
            ('grid = [[5,100],[100,5]], k = 0', '110'),
        ],
        tests=[
            ('grid = [[7]], k = 0', '7'),
            ('grid = [[7]], k = 3', '0'),
            ('grid = [[1,2,3,4]], k = 2', '3'),
            ('grid = [[4],[0],[9],[2]], k = 1', '6'),
            ('grid = [[0,0],[0,0]], k = 2', '0'),
            ('grid = [[1,1,1,1],[1,90,90,1],[1,1,1,1]], k = 2', '4'),
            ('grid = [[1,1,100],[1,100,1],[1,1,1]], k = 1', '4'),
            ('grid = [[1,3,1,1],[2,100,100,1],[2,2,2,2]], k = 2', '4'),
            ('grid = [[3,1,4,1,5],[9,2,6,5,3],[5,8,9,7,9],[3,2,3,8,4]], k = 3', '11'),
            ('grid = [[1,1,1],[1,1,1],[1,1,1]], k = 10', '0'),
            ('grid = [[2,80,80,1],[9,9,9,1],[9,9,9,1]], k = 2', '5'),
            ('grid = [[0,1000,0,0],[7,7,7,0],[7,7,7,0]], k = 1', '0'),
            ('grid = [[(i * 31 + j * 17) % 100 for j in range(30)] for i in range(30)], k = 5', '1789'),
            ('grid = [[(i * j * 7 + 3) % 1000 for j in range(30)] for i in range(30)], k = 10', '5709'),
            ('grid = [[10000 if (i + j) % 3 == 0 else (i ^ j) for j in range(25)] for i in range(28)], k = 4', '140083'),
            ('grid = [[(i * i + 3 * j) % 50 for j in range(30)] for i in range(1)], k = 7', '374'),
        ],
    ),
    dict(
        id='dp-fragile-cargo-knapsack',
        difficulty='medium',
        tags=['dynamic-programming', 'knapsack'],
        statement="""A courier van can carry parcels with a total weight of at most capacity. There are n parcels available; parcel i weighs weights[i], is worth values[i], and is fragile if fragile[i] == 1 (it is sturdy if fragile[i] == 0).

The van's insurance covers at most maxFragile fragile parcels per trip, so the van may load at most maxFragile fragile parcels. Each parcel can be loaded at most once.

Return the maximum total value of a set of parcels the van can carry.

Example 1:

Input: weights = [3,4,2,5], values = [40,50,30,45], fragile = [1,1,0,0], capacity = 9, maxFragile = 1
Output: 95
Explanation: Parcels 0, 1 and 2 (weight 9, value 120) would include two fragile parcels. The best allowed load is parcels 1 and 3 with weight 4 + 5 = 9 and value 50 + 45 = 95.

Example 2:

Input: weights = [2,2,2], values = [10,10,10], fragile = [1,1,1], capacity = 6, maxFragile = 0
Output: 0
Explanation: Every parcel is fragile and none may be loaded.

Constraints:

n == weights.length == values.length == fragile.length
1 <= n <= 50
1 <= weights[i] <= 300
0 <= values[i] <= 10^6
fragile[i] is 0 or 1
0 <= capacity <= 300
0 <= maxFragile <= 10""",
        starter_code="""class Solution:
    def maxCargoValue(self, weights: List[int], values: List[int], fragile: List[int], capacity: int, maxFragile: int) -> int:
""",
        entry_point='Solution().maxCargoValue',
        reference_solution="""class Solution:
    def maxCargoValue(self, weights: List[int], values: List[int], fragile: List[int], capacity: int, maxFragile: int) -> int:
        limit = min(maxFragile, sum(fragile))
        # dp[f][c]: best value with at most f fragile parcels and weight <= c
        dp = [[0] * (capacity + 1) for _ in range(limit + 1)]
        for w, v, fr in zip(weights, values, fragile):
            if w > capacity:
                continue
            if fr:
                for f in range(limit, 0, -1):
                    cur = dp[f]
                    below = dp[f - 1]
                    for c in range(capacity, w - 1, -1):
                        cand = below[c - w] + v
                        if cand > cur[c]:
                            cur[c] = cand
            else:
                for f in range(limit + 1):
                    cur = dp[f]
                    for c in range(capacity, w - 1, -1):
                        cand = cur[c - w] + v
                        if cand > cur[c]:
                            cur[c] = cand
        return dp[limit][capacity]
""",
        wrong_solution="""class Solution:
    def maxCargoValue(self, weights: List[int], values: List[int], fragile: List[int], capacity: int, maxFragile: int) -> int:
        limit = min(maxFragile, sum(fragile))
        dp = [[0] * (capacity + 1) for _ in range(limit + 1)]
        for w, v, fr in zip(weights, values, fragile):
            if w > capacity:
                continue
            if fr:
                for f in range(limit, 0, -1):
                    cur = dp[f]
                    below = dp[f - 1]
                    for c in range(capacity, w - 1, -1):
                        cand = below[c - w] + v
                        if cand > cur[c]:
                            cur[c] = cand
            else:
                for f in range(limit + 1):
                    cur = dp[f]
                    for c in range(w, capacity + 1):
                        cand = cur[c - w] + v
                        if cand > cur[c]:
                            cur[c] = cand
        return dp[limit][capacity]
""",
        examples=[
            ('weights = [3,4,2,5], values = [40,50,30,45], fragile = [1,1,0,0], capacity = 9, maxFragile = 1', '95'),
            ('weights = [2,2,2], values = [10,10,10], fragile = [1,1,1], capacity = 6, maxFragile = 0', '0'),
        ],
        tests=[
            ('weights = [1], values = [5], fragile = [0], capacity = 0, maxFragile = 0', '0'),
            ('weights = [1], values = [5], fragile = [0], capacity = 1, maxFragile = 0', '5'),
            ('weights = [1], values = [5], fragile = [1], capacity = 1, maxFragile = 0', '0'),
            ('weights = [1], values = [5], fragile = [1], capacity = 1, maxFragile = 1', '5'),
            ('weights = [2,3], values = [0,0], fragile = [0,1], capacity = 10, maxFragile = 2', '0'),
            ('weights = [5,5,5,5], values = [7,7,7,7], fragile = [0,0,0,0], capacity = 12, maxFragile = 0', '14'),
            ('weights = [2,3,4,5], values = [3,4,5,6], fragile = [0,0,0,0], capacity = 5, maxFragile = 4', '7'),
            ('weights = [1,1,1,1,5], values = [10,10,10,10,12], fragile = [1,1,1,1,0], capacity = 6, maxFragile = 2', '22'),
            ('weights = [6,3,3,2,2,2], values = [30,14,14,9,9,9], fragile = [1,0,0,1,1,1], capacity = 6, maxFragile = 1', '30'),
            ('weights = [4,8,1,3,7,5,2,6], values = [20,41,3,17,33,26,9,30], fragile = [1,0,1,1,0,1,0,1], capacity = 17, maxFragile = 2', '88'),
            ('weights = [(i * 37) % 50 + 1 for i in range(50)], values = [(i * 53) % 97 * 100 for i in range(50)], fragile = [1 if i % 3 == 0 else 0 for i in range(50)], capacity = 300, maxFragile = 4', '118000'),
            ('weights = [(i * 7) % 23 + 5 for i in range(40)], values = [(i * i) % 61 + 1 for i in range(40)], fragile = [1 - i % 2 for i in range(40)], capacity = 200, maxFragile = 3', '739'),
            ('weights = [i % 9 + 1 for i in range(30)], values = [1000000 - i for i in range(30)], fragile = [1] * 30, capacity = 120, maxFragile = 10', '9999955'),
        ],
    ),
    dict(
        id='dp-arcade-token-combinations',
        difficulty='medium',
        tags=['dynamic-programming', 'knapsack', 'prefix-sum'],
        statement="""An arcade prize costs exactly target points. Your pocket holds n kinds of tokens: tokens of kind i are worth values[i] points each, and you own counts[i] of them.

Tokens of the same kind are indistinguishable, but tokens of different kinds are considered different even if they are worth the same number of points. A combination is therefore described by how many tokens of each kind you hand over, (x_0, x_1, ..., x_{n-1}) with 0 <= x_i <= counts[i], and it pays for the prize when x_0 * values[0] + ... + x_{n-1} * values[n-1] == target.

Return the number of combinations that pay exactly target points. Since the answer may be very large, return it modulo 10^9 + 7.

Example 1:

Input: values = [1,2,5], counts = [3,2,1], target = 5
Output: 3
Explanation: The combinations are (1,2,0), (3,1,0) and (0,0,1): one 1-point token with two 2-point tokens, three 1-point tokens with one 2-point token, or the single 5-point token.

Example 2:

Input: values = [2,2], counts = [1,1], target = 2
Output: 2
Explanation: Either the token of kind 0 or the token of kind 1 can be used.

Example 3:

Input: values = [4], counts = [5], target = 7
Output: 0

Constraints:

n == values.length == counts.length
1 <= n <= 30
1 <= values[i] <= 1000
1 <= counts[i] <= 1000
0 <= target <= 1000""",
        starter_code="""class Solution:
    def countTokenCombinations(self, values: List[int], counts: List[int], target: int) -> int:
""",
        entry_point='Solution().countTokenCombinations',
        reference_solution="""class Solution:
    def countTokenCombinations(self, values: List[int], counts: List[int], target: int) -> int:
        MOD = 10 ** 9 + 7
        dp = [0] * (target + 1)
        dp[0] = 1
        for v, c in zip(values, counts):
            if v > target:
                continue
            new = dp[:]
            span = (c + 1) * v
            for j in range(v, target + 1):
                # new[j] = dp[j] + dp[j - v] + ... + dp[j - c * v]
                val = new[j - v] + dp[j]
                if j >= span:
                    val -= dp[j - span]
                new[j] = val % MOD
            dp = new
        return dp[target] % MOD
""",
        wrong_solution="""class Solution:
    def countTokenCombinations(self, values: List[int], counts: List[int], target: int) -> int:
        MOD = 10 ** 9 + 7
        dp = [0] * (target + 1)
        dp[0] = 1
        for v, c in zip(values, counts):
            if v > target:
                continue
            new = dp[:]
            span = c * v
            for j in range(v, target + 1):
                val = new[j - v] + dp[j]
                if j >= span:
                    val -= dp[j - span]
                new[j] = val % MOD
            dp = new
        return dp[target] % MOD
""",
        examples=[
            ('values = [1,2,5], counts = [3,2,1], target = 5', '3'),
            ('values = [2,2], counts = [1,1], target = 2', '2'),
            ('values = [4], counts = [5], target = 7', '0'),
        ],
        tests=[
            ('values = [3], counts = [2], target = 0', '1'),
            ('values = [3], counts = [2], target = 6', '1'),
            ('values = [3], counts = [2], target = 9', '0'),
            ('values = [1], counts = [1000], target = 1000', '1'),
            ('values = [1,1,1], counts = [2,2,2], target = 3', '7'),
            ('values = [5,10,25], counts = [4,3,2], target = 50', '4'),
            ('values = [2,3,7,7], counts = [10,10,1,1], target = 20', '10'),
            ('values = [1000,999], counts = [1,1], target = 1000', '1'),
            ('values = [6,9,20], counts = [5,5,5], target = 43', '0'),
            ('values = [1,2,3,4,5,6,7,8,9,10], counts = [1,1,1,1,1,1,1,1,1,1], target = 27', '40'),
            ('values = [i % 7 + 1 for i in range(30)], counts = [i % 5 + 1 for i in range(30)], target = 300', '716187620'),
            ('values = [1] * 30, counts = [1000] * 30, target = 1000', '59667690'),
            ('values = [(i * 13) % 50 + 3 for i in range(25)], counts = [(i * 7) % 9 + 1 for i in range(25)], target = 997', '279680406'),
            ('values = [2,4,8,16,32,64,128,256,512], counts = [3,3,3,3,3,3,3,3,3], target = 1000', '251'),
        ],
    ),
    dict(
        id='dp-ore-pile-fusion',
        difficulty='hard',
        tags=['dynamic-programming', 'interval-dp', 'prefix-sum'],
        statement="""A foundry has n piles of ore standing in a row; the i-th pile weighs piles[i]. A crane fuses the row into a single pile by repeatedly performing the following operation:

- pick two piles that are currently adjacent in the row, with weights a and b, and replace them (in the same position) by one pile of weight a + b.

To fuse two piles the crane must lift the heavier one onto the lighter one, so the operation costs max(a, b) units of effort.

Return the minimum total effort needed to fuse all piles into one. If there is only one pile, no effort is needed.

Example 1:

Input: piles = [2,3,4]
Output: 8
Explanation: Fusing 2 and 3 costs 3 and leaves [5,4]; fusing 5 and 4 costs 5, for a total of 8. Fusing 3 and 4 first costs 4 and then 7, for a total of 11.

Example 2:

Input: piles = [10]
Output: 0

Example 3:

Input: piles = [4,1,1,4]
Output: 11

Constraints:

1 <= piles.length <= 60
1 <= piles[i] <= 10^6""",
        starter_code="""class Solution:
    def minFusionEffort(self, piles: List[int]) -> int:
""",
        entry_point='Solution().minFusionEffort',
        reference_solution="""class Solution:
    def minFusionEffort(self, piles: List[int]) -> int:
        n = len(piles)
        pre = [0] * (n + 1)
        for i, x in enumerate(piles):
            pre[i + 1] = pre[i] + x
        # dp[i][j]: min effort to fuse piles[i..j] into one pile
        dp = [[0] * n for _ in range(n)]
        for length in range(2, n + 1):
            for i in range(n - length + 1):
                j = i + length - 1
                best = None
                for k in range(i, j):
                    left = pre[k + 1] - pre[i]
                    right = pre[j + 1] - pre[k + 1]
                    cost = dp[i][k] + dp[k + 1][j] + (left if left > right else right)
                    if best is None or cost < best:
                        best = cost
                dp[i][j] = best
        return dp[0][n - 1]
""",
        wrong_solution="""class Solution:
    def minFusionEffort(self, piles: List[int]) -> int:
        row = list(piles)
        total = 0
        while len(row) > 1:
            best = 0
            for i in range(1, len(row) - 1):
                if max(row[i], row[i + 1]) < max(row[best], row[best + 1]):
                    best = i
            total += max(row[best], row[best + 1])
            row[best:best + 2] = [row[best] + row[best + 1]]
        return total
""",
        examples=[
            ('piles = [2,3,4]', '8'),
            ('piles = [10]', '0'),
            ('piles = [4,1,1,4]', '11'),
        ],
        tests=[
            ('piles = [1]', '0'),
            ('piles = [1,1]', '1'),
            ('piles = [5,9]', '9'),
            ('piles = [1,1,1]', '3'),
            ('piles = [3,1,3]', '7'),
            ('piles = [1,100,1]', '201'),
            ('piles = [2,2,3,3,2,2]', '19'),
            ('piles = [6,1,2,5,2,1,6]', '37'),
            ('piles = [1,2,3,4,5,6,7,8]', '57'),
            ('piles = [9,1,8,2,7,3,6,4,5]', '88'),
            ('piles = [1000000] * 12', '24000000'),
            ('piles = [(i * 37) % 101 + 1 for i in range(45)]', '6786'),
            ('piles = [(i * i * 7919) % 1000000 + 1 for i in range(50)]', '64180946'),
            ('piles = [1 if i % 5 else 500 for i in range(40)]', '10080'),
        ],
    ),
    dict(
        id='dp-bracket-repair-insertions',
        difficulty='hard',
        tags=['dynamic-programming', 'interval-dp', 'string'],
        statement="""A corrupted configuration file contains a string s made only of the bracket characters '(', ')', '[', ']', '{' and '}'. You want to repair it by inserting bracket characters (any of the six) at any positions of the string, including the beginning and the end. Characters already in s can be neither removed nor changed.

A string is well-formed when:

- it is empty, or
- it is A + B where A and B are non-empty well-formed strings, or
- it is '(' + A + ')', '[' + A + ']' or '{' + A + '}' where A is well-formed.

Return the minimum number of characters that must be inserted to make s well-formed.

Example 1:

Input: s = "([)]"
Output: 2
Explanation: One optimal repair is "()[()]": keep "[" and "]" as a pair, and give each of "(" and ")" a new partner.

Example 2:

Input: s = "{[]}()"
Output: 0
Explanation: The string is already well-formed.

Example 3:

Input: s = "]]"
Output: 2

Constraints:

1 <= s.length <= 100
s consists only of the characters '(', ')', '[', ']', '{' and '}'.""",
        starter_code="""class Solution:
    def minRepairInsertions(self, s: str) -> int:
""",
        entry_point='Solution().minRepairInsertions',
        reference_solution="""class Solution:
    def minRepairInsertions(self, s: str) -> int:
        n = len(s)
        pair = {'(': ')', '[': ']', '{': '}'}
        # dp[i][j]: min insertions for s[i:j]
        dp = [[0] * (n + 1) for _ in range(n + 1)]
        for i in range(n - 1, -1, -1):
            row = dp[i]
            nxt = dp[i + 1]
            close = pair.get(s[i])
            for j in range(i + 1, n + 1):
                # s[i] gets an inserted partner
                best = nxt[j] + 1
                if close is not None:
                    # s[i] is matched with an existing s[k]
                    for k in range(i + 1, j):
                        if s[k] == close:
                            cand = nxt[k] + dp[k + 1][j]
                            if cand < best:
                                best = cand
                row[j] = best
        return dp[0][n]
""",
        wrong_solution="""class Solution:
    def minRepairInsertions(self, s: str) -> int:
        total = 0
        for open_c, close_c in ('()', '[]', '{}'):
            balance = 0
            for ch in s:
                if ch == open_c:
                    balance += 1
                elif ch == close_c:
                    if balance > 0:
                        balance -= 1
                    else:
                        total += 1
            total += balance
        return total
""",
        examples=[
            ('s = "([)]"', '2'),
            ('s = "{[]}()"', '0'),
            ('s = "]]"', '2'),
        ],
        tests=[
            ('s = "("', '1'),
            ('s = "}"', '1'),
            ('s = "()"', '0'),
            ('s = ")("', '2'),
            ('s = "(]"', '2'),
            ('s = "[(])"', '2'),
            ('s = "(([]"', '2'),
            ('s = "{(})[]"', '2'),
            ('s = "([{}])[(])"', '2'),
            ('s = "(((((("', '6'),
            ('s = "[({)]}"', '2'),
            ('s = "(){}[](" * 10', '10'),
            ('s = "(" * 50 + ")" * 50', '0'),
            ('s = "([{" * 15 + ")]}" * 15', '32'),
            ('s = "".join("()[]{}"[(i * 7 + i // 3) % 6] for i in range(100))', '34'),
            ('s = "".join("([{)]}"[(i * i + i // 2) % 6] for i in range(90))', '32'),
        ],
    ),
    dict(
        id='dp-survey-route-with-prerequisites',
        difficulty='hard',
        tags=['dynamic-programming', 'bitmask', 'graph'],
        statement="""A geologist must survey n sites numbered 0 to n - 1. Travelling directly from site i to site j takes travel[i][j] hours (the matrix is not necessarily symmetric). The geologist starts at site 0, which counts as already surveyed, and then surveys the remaining sites one after another, each exactly once, travelling directly from each site to the next one. The trip ends at the last surveyed site; there is no need to return.

Some samples can only be interpreted after others were taken: prerequisites[t] = [a, b] means site a must be surveyed before site b.

Return the minimum total travel time of a survey order that visits every site and respects all prerequisites, or -1 if no such order exists.

Example 1:

Input: travel = [[0,1,5,9],[1,0,2,6],[5,2,0,3],[9,6,3,0]], prerequisites = [[3,1]]
Output: 14
Explanation: Site 3 must come before site 1. The order 0 -> 2 -> 3 -> 1 takes 5 + 3 + 6 = 14 hours, and no valid order is faster.

Example 2:

Input: travel = [[0,4],[4,0]], prerequisites = [[1,0]]
Output: -1
Explanation: Site 0 is surveyed first, so site 1 cannot come before it.

Example 3:

Input: travel = [[0,2,9],[7,0,1],[3,8,0]], prerequisites = []
Output: 3

Constraints:

1 <= n == travel.length == travel[i].length <= 10
0 <= travel[i][j] <= 10^4
travel[i][i] == 0
0 <= prerequisites.length <= n * (n - 1)
prerequisites[t].length == 2
0 <= a, b < n
a != b""",
        starter_code="""class Solution:
    def minSurveyTime(self, travel: List[List[int]], prerequisites: List[List[int]]) -> int:
""",
        entry_point='Solution().minSurveyTime',
        reference_solution="""class Solution:
    def minSurveyTime(self, travel: List[List[int]], prerequisites: List[List[int]]) -> int:
        n = len(travel)
        need = [0] * n
        for a, b in prerequisites:
            need[b] |= 1 << a
        if need[0]:
            return -1
        INF = float('inf')
        full = (1 << n) - 1
        dp = [[INF] * n for _ in range(1 << n)]
        dp[1][0] = 0
        for mask in range(1, full + 1, 2):
            row = dp[mask]
            for last in range(n):
                cur = row[last]
                if cur == INF:
                    continue
                tl = travel[last]
                for nxt in range(1, n):
                    bit = 1 << nxt
                    if mask & bit or need[nxt] & mask != need[nxt]:
                        continue
                    cand = cur + tl[nxt]
                    nrow = dp[mask | bit]
                    if cand < nrow[nxt]:
                        nrow[nxt] = cand
        best = min(dp[full])
        return -1 if best == INF else best
""",
        wrong_solution="""class Solution:
    def minSurveyTime(self, travel: List[List[int]], prerequisites: List[List[int]]) -> int:
        n = len(travel)
        need = [0] * n
        for a, b in prerequisites:
            need[b] |= 1 << a
        if need[0]:
            return -1
        mask, last, total = 1, 0, 0
        for _ in range(n - 1):
            choice = -1
            for nxt in range(1, n):
                if mask >> nxt & 1 or need[nxt] & mask != need[nxt]:
                    continue
                if choice == -1 or travel[last][nxt] < travel[last][choice]:
                    choice = nxt
            if choice == -1:
                return -1
            total += travel[last][choice]
            mask |= 1 << choice
            last = choice
        return total
""",
        examples=[
            ('travel = [[0,1,5,9],[1,0,2,6],[5,2,0,3],[9,6,3,0]], prerequisites = [[3,1]]', '14'),
            ('travel = [[0,4],[4,0]], prerequisites = [[1,0]]', '-1'),
            ('travel = [[0,2,9],[7,0,1],[3,8,0]], prerequisites = []', '3'),
        ],
        tests=[
            ('travel = [[0]], prerequisites = []', '0'),
            ('travel = [[0,5],[1,0]], prerequisites = []', '5'),
            ('travel = [[0,5],[1,0]], prerequisites = [[0,1]]', '5'),
            ('travel = [[0,1,1],[1,0,1],[1,1,0]], prerequisites = [[1,2],[2,1]]', '-1'),
            ('travel = [[0,1,10],[1,0,1],[10,1,0]], prerequisites = [[2,1]]', '11'),
            ('travel = [[0,3,3,3],[3,0,3,3],[3,3,0,3],[3,3,3,0]], prerequisites = [[3,2],[2,1]]', '9'),
            ('travel = [[0,1,2,30],[1,0,30,2],[30,2,0,1],[2,30,1,0]], prerequisites = []', '4'),
            ('travel = [[0,1,100,100,100],[100,0,1,100,100],[100,100,0,1,100],[100,100,100,0,1],[1,100,100,100,0]], prerequisites = [[4,1]]', '202'),
            ('travel = [[0,2,4,6,8],[2,0,2,4,6],[4,2,0,2,4],[6,4,2,0,2],[8,6,4,2,0]], prerequisites = [[1,4],[4,2],[3,2]]', '12'),
            ('travel = [[0 if i == j else (i * 7 + j * 13) % 29 + 1 for j in range(9)] for i in range(9)], prerequisites = [[5,2],[7,3],[1,8]]', '34'),
            ('travel = [[0 if i == j else (i * i + 3 * j * j + i * j) % 97 + 1 for j in range(10)] for i in range(10)], prerequisites = []', '80'),
            ('travel = [[0 if i == j else abs(i - j) * 10 + (i * j) % 7 for j in range(10)] for i in range(10)], prerequisites = [[9,1],[8,2],[7,3]]', '184'),
            ('travel = [[0 if i == j else (i * 31 + j * 17) % 50 for j in range(8)] for i in range(8)], prerequisites = [[1,2],[2,3],[3,4],[4,1]]', '-1'),
            ('travel = [[0 if i == j else 10000 - i * j for j in range(9)] for i in range(9)], prerequisites = [[a, a + 1] for a in range(1, 8)]', '79832'),
        ],
    ),
    dict(
        id='dp-patio-domino-tilings',
        difficulty='hard',
        tags=['dynamic-programming', 'bitmask', 'broken-profile'],
        statement="""A patio is an m x n grid described by floor, where floor[i][j] is '.' if cell (i, j) must be paved and '#' if it holds a flower bed and must stay uncovered.

You pave the patio with identical 1 x 2 tiles. A tile covers two cells that share a side (it can be placed horizontally or vertically). A paving is valid when every '.' cell is covered by exactly one tile and no tile covers a '#' cell. Two pavings are different if some pair of cells is covered by one tile in one paving but not in the other.

Return the number of valid pavings modulo 10^9 + 7. If the patio has no '.' cell, the empty paving counts as one valid paving.

Example 1:

Input: floor = ["...","..."]
Output: 3
Explanation: There are 3 ways to pave a 2 x 3 rectangle: three vertical tiles, or one vertical tile at either end with two stacked horizontal tiles next to it.

Example 2:

Input: floor = ["#..","...","..."]
Output: 4

Example 3:

Input: floor = ["##"]
Output: 1

Constraints:

1 <= m == floor.length <= 30
1 <= n == floor[i].length <= 8
floor[i][j] is either '.' or '#'.""",
        starter_code="""class Solution:
    def countPatioTilings(self, floor: List[str]) -> int:
""",
        entry_point='Solution().countPatioTilings',
        reference_solution="""class Solution:
    def countPatioTilings(self, floor: List[str]) -> int:
        MOD = 10 ** 9 + 7
        m, n = len(floor), len(floor[0])
        # profile bit c: for columns before the current one it describes row i + 1,
        # from the current column on it describes row i; a set bit means "already covered"
        states = {0: 1}
        for i in range(m):
            for j in range(n):
                bit = 1 << j
                nxt = {}
                free_here = floor[i][j] == '.'
                can_down = i + 1 < m and floor[i + 1][j] == '.'
                can_right = j + 1 < n and floor[i][j + 1] == '.'
                for mask, ways in states.items():
                    if mask & bit:
                        key = mask & ~bit
                        nxt[key] = (nxt.get(key, 0) + ways) % MOD
                    elif not free_here:
                        nxt[mask] = (nxt.get(mask, 0) + ways) % MOD
                    else:
                        if can_down:
                            key = mask | bit
                            nxt[key] = (nxt.get(key, 0) + ways) % MOD
                        if can_right and not mask & (bit << 1):
                            key = mask | (bit << 1)
                            nxt[key] = (nxt.get(key, 0) + ways) % MOD
                states = nxt
        return states.get(0, 0) % MOD
""",
        wrong_solution="""class Solution:
    def countPatioTilings(self, floor: List[str]) -> int:
        MOD = 10 ** 9 + 7
        m, n = len(floor), len(floor[0])
        states = {0: 1}
        for i in range(m):
            for j in range(n):
                bit = 1 << j
                nxt = {}
                free_here = floor[i][j] == '.'
                can_down = i + 1 < m and floor[i + 1][j] == '.'
                can_right = j + 1 < n and floor[i][j + 1] == '.'
                for mask, ways in states.items():
                    if mask & bit:
                        key = mask & ~bit
                        nxt[key] = (nxt.get(key, 0) + ways) % MOD
                    elif not free_here:
                        nxt[mask] = (nxt.get(mask, 0) + ways) % MOD
                    else:
                        if can_down:
                            key = mask | bit
                            nxt[key] = (nxt.get(key, 0) + ways) % MOD
                        if can_right:
                            key = mask | (bit << 1)
                            nxt[key] = (nxt.get(key, 0) + ways) % MOD
                states = nxt
        return states.get(0, 0) % MOD
""",
        examples=[
            ('floor = ["...","..."]', '3'),
            ('floor = ["#..","...","..."]', '4'),
            ('floor = ["##"]', '1'),
        ],
        tests=[
            ('floor = ["."]', '0'),
            ('floor = ["#"]', '1'),
            ('floor = [".."]', '1'),
            ('floor = ["..."]', '0'),
            ('floor = ["....","...."]', '5'),
            ('floor = ["..","..","..",".."]', '5'),
            ('floor = ["#..","...","...","..#"]', '5'),
            ('floor = ["....","....","....","...."]', '36'),
            ('floor = ["..#..",".....",".....","#...."]', '30'),
            ('floor = ["........"] * 8', '12988816'),
            ('floor = ["........"] * 30', '730529519'),
            ('floor = ["".join("#" if (i * 3 + j * 5) % 11 == 0 else "." for j in range(8)) for i in range(24)]', '457307095'),
            ('floor = ["".join("#" if (i * 2 + j) % 5 == 0 else "." for j in range(8)) for i in range(30)]', '987127285'),
            ('floor = ["......", "......", "......", "......", "......", "......"]', '6728'),
            ('floor = ["#.#.#.#."] * 6', '1'),
        ],
    ),
    dict(
        id='dp-kth-chiming-second',
        difficulty='hard',
        tags=['binary-search', 'math', 'inclusion-exclusion', 'number-theory'],
        statement="""A clock tower has several bells. Bell i chimes at every second that is a positive multiple of periods[i] (at seconds periods[i], 2 * periods[i], 3 * periods[i], ...). Several bells may have the same period, and when several bells chime at the same second you only hear one combined chime.

Return the second at which you hear the k-th chime, counting from second 1.

Example 1:

Input: periods = [4,6], k = 5
Output: 16
Explanation: The chimes are heard at seconds 4, 6, 8, 12, 16, ... (at second 12 both bells chime together), so the 5th chime is at second 16.

Example 2:

Input: periods = [3,3,5], k = 4
Output: 9

Example 3:

Input: periods = [1], k = 1000000000
Output: 1000000000

Constraints:

1 <= periods.length <= 10
1 <= periods[i] <= 10^6
1 <= k <= 10^9""",
        starter_code="""class Solution:
    def kthChimingSecond(self, periods: List[int], k: int) -> int:
""",
        entry_point='Solution().kthChimingSecond',
        reference_solution="""class Solution:
    def kthChimingSecond(self, periods: List[int], k: int) -> int:
        ps = sorted(set(periods))
        hi = k * ps[0]
        terms = []  # (lcm of a non-empty subset, inclusion-exclusion sign)

        def build(start, cur, size):
            for t in range(start, len(ps)):
                l = cur // gcd(cur, ps[t]) * ps[t]
                if l > hi:
                    continue
                terms.append((l, 1 if size % 2 == 0 else -1))
                build(t + 1, l, size + 1)

        build(0, 1, 0)

        def chimes(x):
            return sum(s * (x // l) for l, s in terms)

        lo = 1
        while lo < hi:
            mid = (lo + hi) // 2
            if chimes(mid) >= k:
                hi = mid
            else:
                lo = mid + 1
        return lo
""",
        wrong_solution="""class Solution:
    def kthChimingSecond(self, periods: List[int], k: int) -> int:
        ps = sorted(set(periods))
        hi = k * ps[0]
        terms = []

        def build(start, cur, size):
            for t in range(start, len(ps)):
                l = cur * ps[t]
                if l > hi:
                    continue
                terms.append((l, 1 if size % 2 == 0 else -1))
                build(t + 1, l, size + 1)

        build(0, 1, 0)

        def chimes(x):
            return sum(s * (x // l) for l, s in terms)

        lo = 1
        while lo < hi:
            mid = (lo + hi) // 2
            if chimes(mid) >= k:
                hi = mid
            else:
                lo = mid + 1
        return lo
""",
        examples=[
            ('periods = [4,6], k = 5', '16'),
            ('periods = [3,3,5], k = 4', '9'),
            ('periods = [1], k = 1000000000', '1000000000'),
        ],
        tests=[
            ('periods = [1], k = 1', '1'),
            ('periods = [7], k = 1', '7'),
            ('periods = [7], k = 3', '21'),
            ('periods = [2,3], k = 4', '6'),
            ('periods = [2,4,8], k = 10', '20'),
            ('periods = [6,10,15], k = 7', '24'),
            ('periods = [5,5,5,5], k = 9', '45'),
            ('periods = [2,3,5,7,11,13,17,19,23,29], k = 1000000000', '1187574027'),
            ('periods = [12,18,30,42,60,84,90,105,126,140], k = 987654321', '7151979564'),
            ('periods = [1000000,999999,999998,999997,999996,999995,999994,999993,999992,999991], k = 1000000000', '100000360000000'),
            ('periods = [4,6,9,10,14,15,21,22,25,26], k = 123456789', '243070428'),
            ('periods = [999983,1000000], k = 1000000000', '499996000000000'),
            ('periods = [1,2,3,4,5,6,7,8,9,10], k = 777777777', '777777777'),
            ('periods = [64,96,144,216,324], k = 31', '1080'),
        ],
    ),
    dict(
        id='dp-assembly-line-crews',
        difficulty='medium',
        tags=['binary-search', 'greedy', 'arrays'],
        statement="""An assembly line holds a queue of jobs; the i-th job has size jobs[i]. There are m crews standing along the line in a fixed order, and crew c processes speeds[c] units of work per hour.

The queue is cut into m consecutive blocks, one per crew and in crew order: crew 0 takes a (possibly empty) prefix of the queue, crew 1 takes the next (possibly empty) block, and so on, until crew m - 1 takes the rest. Every job goes to exactly one crew, and the order of jobs cannot be changed.

A crew whose block has total size S finishes after ceil(S / speeds[c]) hours (a crew with an empty block needs 0 hours). All crews work at the same time. Return the minimum number of hours after which all jobs can be finished.

Example 1:

Input: jobs = [4,2,7,3,5], speeds = [2,3]
Output: 5
Explanation: Crew 0 takes [4,2] and needs ceil(6 / 2) = 3 hours; crew 1 takes [7,3,5] and needs ceil(15 / 3) = 5 hours. Any other cut is slower.

Example 2:

Input: jobs = [9,1,1], speeds = [1,5,1]
Output: 2
Explanation: Crew 0 gets an empty block, crew 1 takes [9,1] and needs ceil(10 / 5) = 2 hours, and crew 2 takes [1] and needs 1 hour.

Example 3:

Input: jobs = [0,0], speeds = [4]
Output: 0

Constraints:

1 <= jobs.length <= 3000
0 <= jobs[i] <= 10^4
1 <= m == speeds.length <= 3000
1 <= speeds[c] <= 100""",
        starter_code="""class Solution:
    def minCompletionHours(self, jobs: List[int], speeds: List[int]) -> int:
""",
        entry_point='Solution().minCompletionHours',
        reference_solution="""class Solution:
    def minCompletionHours(self, jobs: List[int], speeds: List[int]) -> int:
        n = len(jobs)

        def feasible(hours):
            i = 0
            for s in speeds:
                cap = hours * s
                load = 0
                while i < n and load + jobs[i] <= cap:
                    load += jobs[i]
                    i += 1
                if i == n:
                    return True
            return i == n

        lo, hi = 0, -(-sum(jobs) // min(speeds))
        while lo < hi:
            mid = (lo + hi) // 2
            if feasible(mid):
                hi = mid
            else:
                lo = mid + 1
        return lo
""",
        wrong_solution="""class Solution:
    def minCompletionHours(self, jobs: List[int], speeds: List[int]) -> int:
        n = len(jobs)

        def feasible(hours):
            i = 0
            for s in speeds:
                load = 0
                while i < n and (load + jobs[i]) // s <= hours:
                    load += jobs[i]
                    i += 1
                if i == n:
                    return True
            return i == n

        lo, hi = 0, -(-sum(jobs) // min(speeds))
        while lo < hi:
            mid = (lo + hi) // 2
            if feasible(mid):
                hi = mid
            else:
                lo = mid + 1
        return lo
""",
        examples=[
            ('jobs = [4,2,7,3,5], speeds = [2,3]', '5'),
            ('jobs = [9,1,1], speeds = [1,5,1]', '2'),
            ('jobs = [0,0], speeds = [4]', '0'),
        ],
        tests=[
            ('jobs = [5], speeds = [5]', '1'),
            ('jobs = [5], speeds = [2]', '3'),
            ('jobs = [5], speeds = [1,100]', '1'),
            ('jobs = [0], speeds = [3,3]', '0'),
            ('jobs = [1,1,1,1], speeds = [1,1,1,1]', '1'),
            ('jobs = [3,3,3], speeds = [1]', '9'),
            ('jobs = [10,1,1,1,10], speeds = [10,1,10]', '2'),
            ('jobs = [7,7,7,7,7,7], speeds = [2,5,3]', '5'),
            ('jobs = [1,2,3,4,5,6,7,8,9,10], speeds = [4,1,4]', '7'),
            ('jobs = [10000] * 8, speeds = [1] * 3', '30000'),
            ('jobs = [(i * 37) % 101 for i in range(3000)], speeds = [(i * 13) % 17 + 1 for i in range(40)]', '428'),
            ('jobs = [(i * i) % 10001 for i in range(3000)], speeds = [100 - (i % 100) for i in range(3000)]', '174'),
            ('jobs = [10000 - (i * 7) % 10000 for i in range(2500)], speeds = [1, 100, 1, 100, 1]', '68251'),
            ('jobs = [i % 5 for i in range(3000)], speeds = [3] * 7', '287'),
        ],
    ),
    dict(
        id='dp-best-median-window',
        difficulty='hard',
        tags=['binary-search', 'prefix-sum', 'arrays'],
        statement="""A sensor produced a sequence of integer readings. An analyst will report one contiguous window of the sequence, and the window must contain at least minLen readings. The quality of a window is its lower median: sort the window's readings in non-decreasing order and take the element at 0-indexed position floor((len - 1) / 2), where len is the window length. For example, the lower median of [5,1,4,2] is 2 and the lower median of [3,9,9] is 9.

Return the largest quality among all windows of length at least minLen.

Example 1:

Input: readings = [1,5,2,8,3], minLen = 3
Output: 5
Explanation: The window [5,2,8] sorts to [2,5,8] with lower median 5. The window [2,8,3] has lower median 3 and [5,2,8,3] has lower median 3; no window reaches a quality above 5.

Example 2:

Input: readings = [7,1], minLen = 2
Output: 1
Explanation: The only window is [7,1]; sorted it is [1,7] and the element at position 0 is 1.

Example 3:

Input: readings = [4,-2,4,-2,4], minLen = 1
Output: 4

Constraints:

1 <= minLen <= readings.length <= 5000
-10^9 <= readings[i] <= 10^9""",
        starter_code="""class Solution:
    def bestWindowMedian(self, readings: List[int], minLen: int) -> int:
""",
        entry_point='Solution().bestWindowMedian',
        reference_solution="""class Solution:
    def bestWindowMedian(self, readings: List[int], minLen: int) -> int:
        n = len(readings)
        vals = sorted(set(readings))

        def reachable(x):
            # is there a window of length >= minLen whose lower median is >= x?
            # map readings >= x to +1 and the rest to -1; we need a window with a positive sum
            pre = [0] * (n + 1)
            for i, r in enumerate(readings):
                pre[i + 1] = pre[i] + (1 if r >= x else -1)
            low = float('inf')
            for j in range(minLen, n + 1):
                if pre[j - minLen] < low:
                    low = pre[j - minLen]
                if pre[j] - low > 0:
                    return True
            return False

        lo, hi = 0, len(vals) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if reachable(vals[mid]):
                lo = mid
            else:
                hi = mid - 1
        return vals[lo]
""",
        wrong_solution="""class Solution:
    def bestWindowMedian(self, readings: List[int], minLen: int) -> int:
        n = len(readings)
        vals = sorted(set(readings))

        def reachable(x):
            pre = [0] * (n + 1)
            for i, r in enumerate(readings):
                pre[i + 1] = pre[i] + (1 if r >= x else -1)
            low = float('inf')
            for j in range(minLen, n + 1):
                if pre[j - minLen] < low:
                    low = pre[j - minLen]
                if pre[j] - low >= 0:
                    return True
            return False

        lo, hi = 0, len(vals) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if reachable(vals[mid]):
                lo = mid
            else:
                hi = mid - 1
        return vals[lo]
""",
        examples=[
            ('readings = [1,5,2,8,3], minLen = 3', '5'),
            ('readings = [7,1], minLen = 2', '1'),
            ('readings = [4,-2,4,-2,4], minLen = 1', '4'),
        ],
        tests=[
            ('readings = [42], minLen = 1', '42'),
            ('readings = [3,3,3], minLen = 2', '3'),
            ('readings = [1,2], minLen = 1', '2'),
            ('readings = [1,2], minLen = 2', '1'),
            ('readings = [2,1,2], minLen = 2', '2'),
            ('readings = [9,1,1,9], minLen = 2', '1'),
            ('readings = [9,1,9,1,9,1], minLen = 4', '9'),
            ('readings = [-5,-1,-7,-3,-9], minLen = 3', '-3'),
            ('readings = [1,2,3,4,5,6,7,8], minLen = 8', '4'),
            ('readings = [10,1,10,1,1,10,10,1,1,1,10], minLen = 5', '10'),
            ('readings = [1000000000,-1000000000] * 7, minLen = 6', '1000000000'),
            ('readings = [(i * 7919) % 10007 - 5000 for i in range(5000)], minLen = 2500', '20'),
            ('readings = [i % 97 for i in range(5000)], minLen = 100', '64'),
            ('readings = [(i * i) % 1000 for i in range(4000)], minLen = 4000', '449'),
            ('readings = [5000 - i for i in range(5000)], minLen = 1777', '4112'),
        ],
    ),
    dict(
        id='dp-total-signal-coverage',
        difficulty='medium',
        tags=['bit-manipulation', 'arrays', 'math'],
        statement="""A row of n radio towers is described by masks: bit b of masks[i] is set if tower i broadcasts on channel b. For a contiguous group of towers i..j (0 <= i <= j < n), the coverage of the group is the bitwise OR masks[i] | masks[i + 1] | ... | masks[j], read as an integer.

Return the sum of the coverages of all n * (n + 1) / 2 contiguous groups, modulo 10^9 + 7.

Example 1:

Input: masks = [1,2,4]
Output: 23
Explanation: The groups are [1], [2], [4], [1,2], [2,4] and [1,2,4] with coverages 1, 2, 4, 3, 6 and 7, which add up to 23.

Example 2:

Input: masks = [5,5]
Output: 15
Explanation: All three groups have coverage 5.

Example 3:

Input: masks = [0]
Output: 0

Constraints:

1 <= masks.length <= 10^4
0 <= masks[i] < 2^30""",
        starter_code="""class Solution:
    def totalCoverage(self, masks: List[int]) -> int:
""",
        entry_point='Solution().totalCoverage',
        reference_solution="""class Solution:
    def totalCoverage(self, masks: List[int]) -> int:
        MOD = 10 ** 9 + 7
        total = 0
        # groups ending at the current tower, merged by equal OR value: [value, count]
        ending = []
        for x in masks:
            merged = []
            for v, c in ending:
                nv = v | x
                if merged and merged[-1][0] == nv:
                    merged[-1][1] += c
                else:
                    merged.append([nv, c])
            if merged and merged[-1][0] == x:
                merged[-1][1] += 1
            else:
                merged.append([x, 1])
            ending = merged
            for v, c in ending:
                total += v * c
        return total % MOD
""",
        wrong_solution="""class Solution:
    def totalCoverage(self, masks: List[int]) -> int:
        MOD = 10 ** 9 + 7
        total = 0
        ending = set()
        for x in masks:
            ending = {v | x for v in ending}
            ending.add(x)
            total += sum(ending)
        return total % MOD
""",
        examples=[
            ('masks = [1,2,4]', '23'),
            ('masks = [5,5]', '15'),
            ('masks = [0]', '0'),
        ],
        tests=[
            ('masks = [7]', '7'),
            ('masks = [0,0,0]', '0'),
            ('masks = [1,1,1,1]', '10'),
            ('masks = [3,0,3]', '15'),
            ('masks = [8,4,2,1]', '72'),
            ('masks = [1,2,1,2,1]', '37'),
            ('masks = [1073741823, 0, 1073741823]', '368709080'),
            ('masks = [6,3,5,0,12,10]', '204'),
            ('masks = [2 ** 29] * 50', '510408012'),
            ('masks = [1 << (i % 30) for i in range(1500)]', '881581422'),
            ('masks = [(i * 2654435761) % (1 << 30) for i in range(5000)]', '748658586'),
            ('masks = [0] * 2999 + [1073741823]', '225446453'),
            ('masks = [i % 3 for i in range(10000)]', '149985000'),
            ('masks = [(i * i * 31) % 1024 for i in range(4000)]', '182274184'),
        ],
    ),
    dict(
        id='dp-lucky-ticket-numbers',
        difficulty='hard',
        tags=['dynamic-programming', 'digit-dp', 'math'],
        statement="""A lottery prints one ticket for every integer in the range [low, high]. The number on a ticket is written in decimal without leading zeros. A ticket is lucky when both of the following hold:

- the sum of the decimal digits of its number is divisible by k;
- no two adjacent digits of its number are equal (for example 1213 qualifies, 1223 does not).

Return how many tickets in [low, high] are lucky.

Example 1:

Input: low = 1, high = 60, k = 10
Output: 4
Explanation: Tickets 19, 28, 37, 46 and 55 have digit sums divisible by 10, but 55 has two equal adjacent digits, so 4 tickets are lucky.

Example 2:

Input: low = 100, high = 200, k = 1
Output: 81

Example 3:

Input: low = 7, high = 7, k = 7
Output: 1

Constraints:

1 <= low <= high <= 10^15
1 <= k <= 50""",
        starter_code="""class Solution:
    def countLuckyTickets(self, low: int, high: int, k: int) -> int:
""",
        entry_point='Solution().countLuckyTickets',
        reference_solution="""class Solution:
    def countLuckyTickets(self, low: int, high: int, k: int) -> int:
        @lru_cache(maxsize=None)
        def anyfirst(length, rem):
            # digit strings (leading zeros allowed) of the given length >= 1 with no two
            # equal adjacent digits and (rem + digit sum) divisible by k
            return sum(free(length - 1, (rem + d) % k, d) for d in range(10))

        @lru_cache(maxsize=None)
        def free(length, rem, last):
            # same, but the first digit must also differ from `last`
            if length == 0:
                return 1 if rem == 0 else 0
            total = anyfirst(length, rem)
            if last >= 0:
                total -= free(length - 1, (rem + last) % k, last)
            return total

        def upto(x):
            # lucky numbers in [1, x]
            if x <= 0:
                return 0
            digits = list(map(int, str(x)))
            L = len(digits)
            count = 0
            # numbers with fewer digits than x
            for length in range(1, L):
                for d in range(1, 10):
                    count += free(length - 1, d % k, d)
            # numbers with exactly L digits that are <= x
            rem, last = 0, -1
            for pos, top in enumerate(digits):
                start = 1 if pos == 0 else 0
                for d in range(start, top):
                    if d != last:
                        count += free(L - pos - 1, (rem + d) % k, d)
                if top == last:
                    break
                rem = (rem + top) % k
                last = top
            else:
                if rem == 0:
                    count += 1
            return count

        return upto(high) - upto(low - 1)
""",
        wrong_solution="""class Solution:
    def countLuckyTickets(self, low: int, high: int, k: int) -> int:
        @lru_cache(maxsize=None)
        def free(length, rem, last):
            if length == 0:
                return 1 if rem == 0 else 0
            total = 0
            for d in range(10):
                if d != last:
                    total += free(length - 1, (rem + d) % k, d)
            return total

        def upto(x):
            # count numbers in [0, x] by padding them with leading zeros to len(str(x)) digits
            digits = list(map(int, str(x)))
            L = len(digits)
            count = 0
            rem, last = 0, -1
            for pos, top in enumerate(digits):
                for d in range(0, top):
                    if d != last:
                        count += free(L - pos - 1, (rem + d) % k, d)
                if top == last:
                    break
                rem = (rem + top) % k
                last = top
            else:
                if rem == 0:
                    count += 1
            return count

        return upto(high) - upto(low - 1)
""",
        examples=[
            ('low = 1, high = 60, k = 10', '4'),
            ('low = 100, high = 200, k = 1', '81'),
            ('low = 7, high = 7, k = 7', '1'),
        ],
        tests=[
            ('low = 1, high = 1, k = 1', '1'),
            ('low = 1, high = 9, k = 3', '3'),
            ('low = 10, high = 11, k = 1', '1'),
            ('low = 11, high = 11, k = 2', '0'),
            ('low = 1, high = 1000, k = 1', '819'),
            ('low = 990, high = 1010, k = 2', '1'),
            ('low = 5, high = 123456, k = 7', '10673'),
            ('low = 1, high = 10 ** 15, k = 1', '231627523606479'),
            ('low = 1, high = 10 ** 15, k = 50', '2146759336428'),
            ('low = 123456789012345, high = 987654321098765, k = 13', '15562821831997'),
            ('low = 3141592653589, high = 3141592953589, k = 9', '19681'),
            ('low = 999999999999999, high = 1000000000000000, k = 1', '0'),
            ('low = 2024, high = 2024, k = 8', '1'),
            ('low = 1, high = 9876543210, k = 45', '186406442'),
            ('low = 12121212121212, high = 21212121212121, k = 50', '62040387327'),
        ],
    ),
    dict(
        id='dp-next-badge-code',
        difficulty='medium',
        tags=['bit-manipulation', 'greedy', 'math'],
        statement="""An access-control system issues numeric badge codes. A code is a non-negative integer y with y < 2^60, and it is accepted only if:

- its binary representation contains exactly k set bits, and
- it shares no set bit with the integer forbidden, i.e. y & forbidden == 0 (those bit positions are wired to broken readers).

Given start, return the smallest accepted code y with y >= start, or -1 if no accepted code is greater than or equal to start.

Example 1:

Input: start = 10, k = 2, forbidden = 4
Output: 10
Explanation: 10 is 1010 in binary and is accepted, since it has two set bits and none of them is bit 2.

Example 2:

Input: start = 11, k = 2, forbidden = 4
Output: 17
Explanation: 11 = 1011 has three set bits, 12 = 1100 uses the forbidden bit 2, 13, 14 and 15 have three or more set bits, and 16 = 10000 has only one. The answer is 17 = 10001.

Example 3:

Input: start = 6, k = 1, forbidden = 1152921504606846968
Output: -1
Explanation: Only bits 0, 1 and 2 are allowed, so the accepted codes with one set bit are 1, 2 and 4, all below 6.

Constraints:

0 <= start < 2^60
1 <= k <= 60
0 <= forbidden < 2^60""",
        starter_code="""class Solution:
    def nextBadgeCode(self, start: int, k: int, forbidden: int) -> int:
""",
        entry_point='Solution().nextBadgeCode',
        reference_solution="""class Solution:
    def nextBadgeCode(self, start: int, k: int, forbidden: int) -> int:
        BITS = 60
        if start & forbidden == 0 and bin(start).count('1') == k:
            return start
        # the answer differs from start first (from the top) at a bit i where start has 0
        # and the answer has 1; smaller i gives a smaller answer
        for i in range(BITS):
            if start >> i & 1 or forbidden >> i & 1:
                continue
            high = (start >> (i + 1)) << (i + 1)
            if high & forbidden:
                continue
            need = k - bin(high).count('1') - 1
            if need < 0:
                continue
            y = high | (1 << i)
            for b in range(i):
                if need == 0:
                    break
                if not forbidden >> b & 1:
                    y |= 1 << b
                    need -= 1
            if need == 0:
                return y
        return -1
""",
        wrong_solution="""class Solution:
    def nextBadgeCode(self, start: int, k: int, forbidden: int) -> int:
        BITS = 60
        if start & forbidden == 0 and bin(start).count('1') == k:
            return start
        for i in range(BITS):
            if start >> i & 1 or forbidden >> i & 1:
                continue
            high = (start >> (i + 1)) << (i + 1)
            need = k - bin(high).count('1') - 1
            if need < 0:
                continue
            y = high | (1 << i)
            for b in range(i):
                if need == 0:
                    break
                if not forbidden >> b & 1:
                    y |= 1 << b
                    need -= 1
            if need == 0:
                return y
        return -1
""",
        examples=[
            ('start = 10, k = 2, forbidden = 4', '10'),
            ('start = 11, k = 2, forbidden = 4', '17'),
            ('start = 6, k = 1, forbidden = 1152921504606846968', '-1'),
        ],
        tests=[
            ('start = 0, k = 1, forbidden = 0', '1'),
            ('start = 0, k = 60, forbidden = 0', '1152921504606846975'),
            ('start = 1, k = 60, forbidden = 1', '-1'),
            ('start = 7, k = 3, forbidden = 0', '7'),
            ('start = 8, k = 3, forbidden = 0', '11'),
            ('start = 5, k = 1, forbidden = 0', '8'),
            ('start = 13, k = 2, forbidden = 8', '17'),
            ('start = 100, k = 3, forbidden = 96', '131'),
            ('start = 1152921504606846975 - 1, k = 59, forbidden = 0', '1152921504606846974'),
            ('start = 1152921504606846975, k = 59, forbidden = 0', '-1'),
            ('start = 1000000000000000000, k = 5, forbidden = 0', '1008806316530991107'),
            ('start = 1000000000000000000, k = 30, forbidden = 768614336404564650', '-1'),
            ('start = 1000000000000000000, k = 10, forbidden = 2 ** 50 + 8', '1000001427415760896'),
            ('start = 123456789, k = 4, forbidden = 123456789', '134217770'),
            ('start = 2 ** 59, k = 2, forbidden = 2 ** 58', '576460752303423489'),
            ('start = 2 ** 59 + 1, k = 1, forbidden = 0', '-1'),
            ('start = 987654321987, k = 20, forbidden = 2 ** 40 - 1', '1152920405095219200'),
            ('start = 3 ** 35, k = 12, forbidden = 5 ** 25', '54043195528469466'),
        ],
    ),
    dict(
        id='dp-orchard-paths-around-hives',
        difficulty='hard',
        tags=['math', 'combinatorics', 'dynamic-programming', 'sorting'],
        statement="""An orchard is a grid with h rows and w columns of trees. A picker starts at the tree in row 0, column 0 and walks to the tree in row h - 1, column w - 1; each step moves to the next tree down (row + 1) or to the right (column + 1). Some trees have beehives in them: hives[t] = [r, c] means the tree at row r, column c has a hive, and the picker's route must not pass through any tree with a hive (including the first and the last tree).

Return the number of different routes modulo 10^9 + 7.

Example 1:

Input: h = 3, w = 3, hives = [[1,1]]
Output: 2
Explanation: Without hives there are 6 routes; 4 of them pass through the centre tree, leaving 2.

Example 2:

Input: h = 2, w = 3, hives = [[0,2],[1,0]]
Output: 1
Explanation: The only route is right, down, right.

Example 3:

Input: h = 4, w = 5, hives = []
Output: 35

Constraints:

1 <= h, w <= 10^4
0 <= hives.length <= 100
hives[t].length == 2
0 <= r < h
0 <= c < w
All the hive positions are distinct.""",
        starter_code="""class Solution:
    def countOrchardPaths(self, h: int, w: int, hives: List[List[int]]) -> int:
""",
        entry_point='Solution().countOrchardPaths',
        reference_solution="""class Solution:
    def countOrchardPaths(self, h: int, w: int, hives: List[List[int]]) -> int:
        MOD = 10 ** 9 + 7
        N = h + w
        fact = [1] * (N + 1)
        for i in range(1, N + 1):
            fact[i] = fact[i - 1] * i % MOD
        inv = [1] * (N + 1)
        # modular inverse via Fermat (math.pow shadows the built-in pow here)
        base, e, r = fact[N], MOD - 2, 1
        while e:
            if e & 1:
                r = r * base % MOD
            base = base * base % MOD
            e >>= 1
        inv[N] = r
        for i in range(N, 0, -1):
            inv[i - 1] = inv[i] * i % MOD

        def ways(dr, dc):
            if dr < 0 or dc < 0:
                return 0
            return fact[dr + dc] * inv[dr] % MOD * inv[dc] % MOD

        pts = sorted((r, c) for r, c in hives)
        pts.append((h - 1, w - 1))
        # bad[i]: routes from the start to pts[i] that avoid every earlier hive
        bad = []
        for i, (r, c) in enumerate(pts):
            val = ways(r, c)
            for j in range(i):
                pr, pc = pts[j]
                if pr <= r and pc <= c:
                    val -= bad[j] * ways(r - pr, c - pc)
            bad.append(val % MOD)
        if (h - 1, w - 1) in pts[:-1]:
            return 0
        return bad[-1]
""",
        wrong_solution="""class Solution:
    def countOrchardPaths(self, h: int, w: int, hives: List[List[int]]) -> int:
        MOD = 10 ** 9 + 7
        N = h + w
        fact = [1] * (N + 1)
        for i in range(1, N + 1):
            fact[i] = fact[i - 1] * i % MOD
        inv = [1] * (N + 1)
        # modular inverse via Fermat (math.pow shadows the built-in pow here)
        base, e, r = fact[N], MOD - 2, 1
        while e:
            if e & 1:
                r = r * base % MOD
            base = base * base % MOD
            e >>= 1
        inv[N] = r
        for i in range(N, 0, -1):
            inv[i - 1] = inv[i] * i % MOD

        def ways(dr, dc):
            if dr < 0 or dc < 0:
                return 0
            return fact[dr + dc] * inv[dr] % MOD * inv[dc] % MOD

        pts = sorted(((r, c) for r, c in hives), key=lambda p: p[0])
        pts.append((h - 1, w - 1))
        bad = []
        for i, (r, c) in enumerate(pts):
            val = ways(r, c)
            for j in range(i):
                pr, pc = pts[j]
                if pr <= r and pc <= c:
                    val -= bad[j] * ways(r - pr, c - pc)
            bad.append(val % MOD)
        if (h - 1, w - 1) in pts[:-1]:
            return 0
        return bad[-1]
""",
        examples=[
            ('h = 3, w = 3, hives = [[1,1]]', '2'),
            ('h = 2, w = 3, hives = [[0,2],[1,0]]', '1'),
            ('h = 4, w = 5, hives = []', '35'),
        ],
        tests=[
            ('h = 1, w = 1, hives = []', '1'),
            ('h = 1, w = 1, hives = [[0,0]]', '0'),
            ('h = 1, w = 7, hives = []', '1'),
            ('h = 1, w = 7, hives = [[0,3]]', '0'),
            ('h = 5, w = 5, hives = [[4,4]]', '0'),
            ('h = 3, w = 4, hives = [[1,2],[1,1]]', '2'),
            ('h = 3, w = 3, hives = [[0,1],[1,0]]', '0'),
            ('h = 6, w = 6, hives = [[2,4],[2,1],[4,3],[1,5],[3,0]]', '33'),
            ('h = 10000, w = 10000, hives = []', '927944720'),
            ('h = 10000, w = 1, hives = [[9999,0]]', '0'),
            ('h = 5000, w = 7000, hives = [[(i * 37) % 5000, (i * i * 13) % 7000] for i in range(1, 100)]', '358277910'),
            ('h = 9000, w = 9000, hives = [[100, 200 - i] for i in range(100)]', '713256825'),
            ('h = 2000, w = 3000, hives = [[i * 19 % 2000, 2999 - i * 29 % 3000] for i in range(1, 90)]', '859239772'),
            ('h = 50, w = 60, hives = [[r, c] for r in range(1, 50, 7) for c in range(59, 0, -9)]', '810887967'),
            ('h = 10000, w = 9999, hives = [[5000, 5000 - i] for i in range(0, 100, 3)]', '937133441'),
        ],
    ),
]
