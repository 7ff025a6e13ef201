"""Bundled problems: graphs (BFS, DFS, Dijkstra, union-find, topological sort, grids),
linked lists and binary trees."""

PROBLEMS = [
    dict(
        id='gr-toll-coupons',
        difficulty='hard',
        tags=['graphs', 'dijkstra', 'shortest-path'],
        statement="""A courier must drive from city 0 to city n - 1 across a network of n cities connected by one-way toll roads. You are given roads, where roads[i] = [u, v, toll] means there is a one-way road from city u to city v that charges toll coins. The network may contain self-loops and several roads between the same pair of cities.

The courier owns k discount coupons. Each time a road is driven, at most one coupon may be used on it, which reduces the toll of that single drive to floor(toll / 2). Each coupon can be used only once.

Return the minimum total number of coins the courier must pay to reach city n - 1 from city 0, or -1 if city n - 1 cannot be reached. If n == 1 the courier is already at the destination and pays 0.

Example 1:

Input: n = 4, roads = [[0,1,6],[1,3,6],[0,2,1],[2,3,14]], k = 1
Output: 8
Explanation: Without coupons the cheapest route is 0 -> 1 -> 3 costing 12, or 6 + 3 = 9 with the coupon. It is better to take 0 -> 2 -> 3 and use the coupon on the road 2 -> 3: 1 + 7 = 8.

Example 2:

Input: n = 3, roads = [[1,2,5]], k = 2
Output: -1
Explanation: City 2 cannot be reached from city 0.

Constraints:

1 <= n <= 10^4
0 <= roads.length <= 2 * 10^4
roads[i].length == 3
0 <= u, v < n
0 <= toll <= 10^5
0 <= k <= 10""",
        starter_code="""class Solution:
    def minTollCost(self, n: int, roads: List[List[int]], k: int) -> int:
""",
        entry_point='Solution().minTollCost',
        reference_solution="""class Solution:
    def minTollCost(self, n: int, roads: List[List[int]], k: int) -> int:
        adj = [[] for _ in range(n)]
        for u, v, w in roads:
            adj[u].append((v, w))
        INF = float('inf')
        dist = [[INF] * (k + 1) for _ in range(n)]
        dist[0][0] = 0
        pq = [(0, 0, 0)]
        while pq:
            d, u, c = heappop(pq)
            if d > dist[u][c]:
                continue
            if u == n - 1:
                return d
            for v, w in adj[u]:
                nd = d + w
                if nd < dist[v][c]:
                    dist[v][c] = nd
                    heappush(pq, (nd, v, c))
                if c < k:
                    nd = d + w // 2
                    if nd < dist[v][c + 1]:
                        dist[v][c + 1] = nd
                        heappush(pq, (nd, v, c + 1))
        return -1
""",
        wrong_solution="""class Solution:
    def minTollCost(self, n: int, roads: List[List[int]], k: int) -> int:
        # find the cheapest path without coupons, then spend coupons on its largest tolls
        adj = [[] for _ in range(n)]
        for u, v, w in roads:
            adj[u].append((v, w))
        INF = float('inf')
        dist = [INF] * n
        prev = [None] * n
        dist[0] = 0
        pq = [(0, 0)]
        while pq:
            d, u = heappop(pq)
            if d > dist[u]:
                continue
            for v, w in adj[u]:
                if d + w < dist[v]:
                    dist[v] = d + w
                    prev[v] = (u, w)
                    heappush(pq, (d + w, v))
        if dist[n - 1] == INF:
            return -1
        tolls = []
        cur = n - 1
        while cur != 0:
            u, w = prev[cur]
            tolls.append(w)
            cur = u
        tolls.sort(reverse=True)
        saving = sum(w - w // 2 for w in tolls[:k])
        return dist[n - 1] - saving
""",
        examples=[
            ('n = 4, roads = [[0,1,6],[1,3,6],[0,2,1],[2,3,14]], k = 1', '8'),
            ('n = 3, roads = [[1,2,5]], k = 2', '-1'),
        ],
        tests=[
            ('n = 1, roads = [], k = 0', '0'),
            ('n = 1, roads = [[0,0,7]], k = 3', '0'),
            ('n = 2, roads = [[0,1,7]], k = 0', '7'),
            ('n = 2, roads = [[0,1,7]], k = 5', '3'),
            ('n = 2, roads = [[1,0,4]], k = 1', '-1'),
            ('n = 3, roads = [[0,1,0],[1,2,0]], k = 0', '0'),
            ('n = 4, roads = [[0,1,3],[1,3,3],[0,2,1],[2,3,7]], k = 1', '4'),
            ('n = 4, roads = [[0,1,3],[1,3,3],[0,2,1],[2,3,7]], k = 0', '6'),
            ('n = 3, roads = [[0,1,9],[0,1,1],[1,2,100],[0,2,60]], k = 1', '30'),
            ('n = 5, roads = [[0,1,1],[1,2,1],[2,3,1],[3,4,100],[0,4,120],[1,4,101]], k = 2', '50'),
            ('n = 6, roads = [[0,1,5],[1,2,5],[2,5,5],[0,3,1],[3,4,1],[4,5,40],[2,2,1]], k = 3', '6'),
            ('n = 3, roads = [[0,1,5],[1,2,5],[0,2,12]], k = 1', '6'),
            ('n = 7, roads = [[2,1,10],[4,1,12],[0,1,26],[1,6,16],[6,6,14],[0,2,15],[1,5,18],[1,6,26],[1,6,1],[6,4,3],[1,5,23],[5,5,19]], k = 1', '14'),
            ('n = 7, roads = [[0,4,10],[3,1,15],[4,6,29],[3,0,5],[1,0,22],[0,0,15],[1,3,6],[4,1,17],[3,6,1],[4,1,20],[5,1,24],[5,2,29]], k = 2', '19'),
            ('n = 600, roads = [[i, i + 1, 10] for i in range(599)] + [[0, 599, 6000]], k = 1', '3000'),
            ('n = 1000, roads = [[i % 1000, (i * 7919 + 13) % 1000, (i * 31 + 7) % 1000] for i in range(4000)], k = 3', '-1'),
            ('n = 800, roads = [[i, i + 1, (i * 37) % 50 + 50] for i in range(799)] + [[i, (i + 97) % 800, 4000 + (i % 13) * 100] for i in range(0, 800, 3)], k = 4', '27167'),
            ('n = 600, roads = [[i, i + 1, 1000] for i in range(599)] + [[i, i + 2, 1999] for i in range(598)], k = 10', '588701'),
            ('n = 1, roads = [[0, 0, 8]], k = 2', '0'),
            ('n = 6, roads = [[2, 4, 20], [5, 2, 1], [5, 4, 17]], k = 2', '-1'),
            ('n = 2, roads = [[0, 1, 17], [0, 1, 0], [1, 0, 19], [0, 1, 6], [1, 1, 6], [1, 1, 5], [0, 1, 7]], k = 2', '0'),
            ('n = 2, roads = [[0, 0, 13], [1, 0, 13], [1, 0, 13], [0, 0, 2], [0, 1, 4], [1, 1, 8], [0, 0, 16], [1, 1, 20], [1, 0, 4], [1, 1, 13], [1, 0, 6]], k = 1', '2'),
        ],
    ),
    dict(
        id='gr-demolition-route',
        difficulty='medium',
        tags=['graphs', 'bfs', '0-1-bfs', 'grid'],
        statement="""A demolition robot stands in a warehouse described by a grid of strings. Each cell is one of:

'.' an empty floor cell,
'#' a wall block,
'S' the robot's starting cell (appears exactly once),
'E' the exit cell (appears exactly once).

In one move the robot goes to one of the four orthogonally adjacent cells that lies inside the grid. Moving onto an empty cell, 'S' or 'E' is free. Moving onto a wall block is allowed, but the robot must demolish that block first, which costs 1 energy unit; a demolished block becomes an empty floor cell.

Return the minimum total energy needed for the robot to reach the exit.

Example 1:

Input: grid = ["S.#.", "##.#", "E#.."]
Output: 1
Explanation: Every route from S to E crosses at least one wall. Demolish the block directly below S and step onto E: 1 energy unit.

Example 2:

Input: grid = ["S..", ".#.", "..E"]
Output: 0
Explanation: The robot walks around the wall for free.

Constraints:

1 <= grid.length, grid[i].length <= 100
All rows have the same length.
grid[i][j] is one of '.', '#', 'S', 'E'.
'S' and 'E' each appear exactly once.""",
        starter_code="""class Solution:
    def minEnergy(self, grid: List[str]) -> int:
""",
        entry_point='Solution().minEnergy',
        reference_solution="""class Solution:
    def minEnergy(self, grid: List[str]) -> int:
        R, C = len(grid), len(grid[0])
        for r in range(R):
            for c in range(C):
                if grid[r][c] == 'S':
                    sr, sc = r, c
                elif grid[r][c] == 'E':
                    er, ec = r, c
        INF = float('inf')
        dist = [[INF] * C for _ in range(R)]
        dist[sr][sc] = 0
        dq = deque([(0, sr, sc)])
        while dq:
            d, r, c = dq.popleft()
            if d > dist[r][c]:
                continue
            if (r, c) == (er, ec):
                return d
            for nr, nc in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
                if 0 <= nr < R and 0 <= nc < C:
                    w = 1 if grid[nr][nc] == '#' else 0
                    if d + w < dist[nr][nc]:
                        dist[nr][nc] = d + w
                        if w:
                            dq.append((d + 1, nr, nc))
                        else:
                            dq.appendleft((d, nr, nc))
        return dist[er][ec]
""",
        wrong_solution="""class Solution:
    def minEnergy(self, grid: List[str]) -> int:
        # BFS by number of moves, counting walls along the first path found
        R, C = len(grid), len(grid[0])
        for r in range(R):
            for c in range(C):
                if grid[r][c] == 'S':
                    sr, sc = r, c
        walls = {(sr, sc): 0}
        q = deque([(sr, sc)])
        while q:
            r, c = q.popleft()
            if grid[r][c] == 'E':
                return walls[(r, c)]
            for nr, nc in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
                if 0 <= nr < R and 0 <= nc < C and (nr, nc) not in walls:
                    walls[(nr, nc)] = walls[(r, c)] + (1 if grid[nr][nc] == '#' else 0)
                    q.append((nr, nc))
        return -1
""",
        examples=[
            ('grid = ["S.#.", "##.#", "E#.."]', '1'),
            ('grid = ["S..", ".#.", "..E"]', '0'),
        ],
        tests=[
            ('grid = ["SE"]', '0'),
            ('grid = ["S#E"]', '1'),
            ('grid = ["S##E"]', '2'),
            ('grid = ["S", "#", "#", "E"]', '2'),
            ('grid = ["S#", "#E"]', '1'),
            ('grid = ["S###", "...#", "##.#", "E..#"]', '0'),
            ('grid = ["S.#.", ".#.#", "#.#.", ".#.E"]', '2'),
            ('grid = ["E###S"]', '3'),
            ('grid = ["S#.#.#.#E", ".#.#.#.#.", "...#...#."]', '2'),
            ('grid = ["#####", "#S#E#", "#####"]', '1'),
            ('grid = ["".join("S" if r == 0 and c == 0 else "E" if r == 79 and c == 79 else "#" if (r * 7 + c * 13) % 5 < 2 else "." for c in range(80)) for r in range(80)]', '0'),
            ('grid = ["".join("S" if r == 0 and c == 0 else "E" if r == 69 and c == 69 else "#" if (r * r + 3 * c) % 7 < 4 else "." for c in range(70)) for r in range(70)]', '50'),
            ('grid = ["".join("S" if r == 35 and c == 0 else "E" if r == 35 and c == 69 else "#" if c % 10 == 5 and r != (c * 7) % 70 else "." for c in range(70)) for r in range(70)]', '0'),
            ('grid = ["#.S#", "E.#.", ".##.", ".#.#"]', '0'),
            ('grid = ["..S.E.", "#....."]', '0'),
            ('grid = ["S###..", "#..#..", "#.#.#.", "###E.#", "...#..", "....#."]', '2'),
            ('grid = ["S.E#"]', '0'),
        ],
    ),
    dict(
        id='gr-smallest-build-order',
        difficulty='medium',
        tags=['graphs', 'topological-sort', 'heap'],
        statement="""A build system must compile a set of software modules, each identified by a distinct lowercase name. You are given the list modules and a list deps, where deps[i] = [a, b] means module a must be compiled before module b. The same dependency may be listed more than once, and a module may (erroneously) depend on itself.

A build order is a list containing every module exactly once such that every dependency is respected. Among all valid build orders, return the lexicographically smallest one, where two orders are compared element by element using ordinary string comparison (the first position where they differ decides). If no valid build order exists, return an empty list.

Example 1:

Input: modules = ["db", "api", "ui", "core"], deps = [["core", "api"], ["db", "api"], ["api", "ui"]]
Output: ['core', 'db', 'api', 'ui']
Explanation: "core" and "db" have no prerequisites; "core" is smaller, so it goes first. Then "db", "api" and finally "ui".

Example 2:

Input: modules = ["a", "b"], deps = [["a", "b"], ["b", "a"]]
Output: []
Explanation: The two modules depend on each other, so no valid order exists.

Example 3:

Input: modules = ["x2", "x10", "x1"], deps = [["x2", "x1"]]
Output: ['x10', 'x2', 'x1']

Constraints:

1 <= modules.length <= 3000
1 <= modules[i].length <= 10
modules[i] consists of lowercase English letters and digits; all names are distinct.
0 <= deps.length <= 10^4
deps[i] = [a, b] where a and b are names from modules.""",
        starter_code="""class Solution:
    def buildOrder(self, modules: List[str], deps: List[List[str]]) -> List[str]:
""",
        entry_point='Solution().buildOrder',
        reference_solution="""class Solution:
    def buildOrder(self, modules: List[str], deps: List[List[str]]) -> List[str]:
        indeg = {m: 0 for m in modules}
        out = {m: [] for m in modules}
        for a, b in deps:
            out[a].append(b)
            indeg[b] += 1
        heap = [m for m in modules if indeg[m] == 0]
        heapify(heap)
        order = []
        while heap:
            m = heappop(heap)
            order.append(m)
            for nb in out[m]:
                indeg[nb] -= 1
                if indeg[nb] == 0:
                    heappush(heap, nb)
        return order if len(order) == len(modules) else []
""",
        wrong_solution="""class Solution:
    def buildOrder(self, modules: List[str], deps: List[List[str]]) -> List[str]:
        # Kahn's algorithm with a FIFO queue, processing each newly freed batch in sorted order
        indeg = {m: 0 for m in modules}
        out = {m: [] for m in modules}
        for a, b in deps:
            out[a].append(b)
            indeg[b] += 1
        q = deque(sorted(m for m in modules if indeg[m] == 0))
        order = []
        while q:
            m = q.popleft()
            order.append(m)
            freed = []
            for nb in out[m]:
                indeg[nb] -= 1
                if indeg[nb] == 0:
                    freed.append(nb)
            q.extend(sorted(freed))
        return order if len(order) == len(modules) else []
""",
        examples=[
            ('modules = ["db", "api", "ui", "core"], deps = [["core", "api"], ["db", "api"], ["api", "ui"]]', "['core', 'db', 'api', 'ui']"),
            ('modules = ["a", "b"], deps = [["a", "b"], ["b", "a"]]', '[]'),
            ('modules = ["x2", "x10", "x1"], deps = [["x2", "x1"]]', "['x10', 'x2', 'x1']"),
        ],
        tests=[
            ('modules = ["solo"], deps = []', "['solo']"),
            ('modules = ["solo"], deps = [["solo", "solo"]]', '[]'),
            ('modules = ["b", "a", "c"], deps = []', "['a', 'b', 'c']"),
            ('modules = ["b", "a", "c"], deps = [["c", "a"], ["c", "a"]]', "['b', 'c', 'a']"),
            ('modules = ["a", "b", "c", "d"], deps = [["d", "a"], ["c", "b"]]', "['c', 'b', 'd', 'a']"),
            ('modules = ["z", "y", "x"], deps = [["z", "y"], ["y", "x"]]', "['z', 'y', 'x']"),
            ('modules = ["a", "b", "c"], deps = [["a", "b"], ["b", "c"], ["c", "a"]]', '[]'),
            ('modules = ["a", "b", "c", "d", "e"], deps = [["b", "c"], ["e", "a"], ["d", "a"], ["c", "d"]]', "['b', 'c', 'd', 'e', 'a']"),
            ('modules = ["m", "a", "k", "e"], deps = [["m", "a"], ["k", "e"], ["m", "e"]]', "['k', 'm', 'a', 'e']"),
            ('modules = ["a" + str(i) for i in range(150)], deps = [["a" + str(i), "a" + str((i * 7) % 150)] for i in range(150) if i < (i * 7) % 150]', "['a0', 'a1', 'a10', 'a100', 'a101', 'a104', 'a107', 'a108', 'a11', 'a111', 'a115', 'a118', 'a12', 'a122', 'a125', 'a128', 'a129', 'a13', 'a136', 'a143', 'a146', 'a149', 'a15', 'a105', 'a135', 'a16', 'a112', 'a17', 'a119', 'a18', 'a126', 'a132', 'a19', 'a133', 'a2', 'a14', 'a20', 'a140', 'a22', 'a23', 'a24', 'a25', 'a26', 'a27', 'a29', 'a3', 'a21', 'a147', 'a30', 'a31', 'a32', 'a33', 'a34', 'a36', 'a102', 'a114', 'a37', 'a109', 'a38', 'a116', 'a39', 'a123', 'a4', 'a28', 'a40', 'a130', 'a41', 'a137', 'a43', 'a44', 'a45', 'a46', 'a47', 'a48', 'a5', 'a35', 'a50', 'a51', 'a52', 'a53', 'a54', 'a55', 'a57', 'a58', 'a106', 'a142', 'a59', 'a113', 'a6', 'a42', 'a144', 'a60', 'a120', 'a61', 'a127', 'a139', 'a62', 'a134', 'a64', 'a148', 'a65', 'a66', 'a67', 'a68', 'a69', 'a7', 'a49', 'a70', 'a71', 'a72', 'a73', 'a74', 'a75', 'a76', 'a77', 'a78', 'a79', 'a103', 'a121', 'a8', 'a56', 'a80', 'a110', 'a81', 'a117', 'a82', 'a124', 'a83', 'a131', 'a84', 'a138', 'a85', 'a145', 'a86', 'a87', 'a88', 'a89', 'a9', 'a63', 'a141', 'a90', 'a91', 'a92', 'a93', 'a94', 'a95', 'a96', 'a97', 'a98', 'a99']"),
            ('modules = ["n" + str(i) for i in range(3000)], deps = [["n" + str(i), "n" + str(i + 1)] for i in range(2999)] + [["n2999", "n0"]]', '[]'),
            ('modules = ["p" + str(i) for i in range(140)], deps = [["p" + str(j), "p" + str(i)] for i in range(140) for j in range(max(0, i - 3), i) if (i + j) % 2 == 1]', "['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9', 'p10', 'p11', 'p12', 'p13', 'p14', 'p15', 'p16', 'p17', 'p18', 'p19', 'p20', 'p21', 'p22', 'p23', 'p24', 'p25', 'p26', 'p27', 'p28', 'p29', 'p30', 'p31', 'p32', 'p33', 'p34', 'p35', 'p36', 'p37', 'p38', 'p39', 'p40', 'p41', 'p42', 'p43', 'p44', 'p45', 'p46', 'p47', 'p48', 'p49', 'p50', 'p51', 'p52', 'p53', 'p54', 'p55', 'p56', 'p57', 'p58', 'p59', 'p60', 'p61', 'p62', 'p63', 'p64', 'p65', 'p66', 'p67', 'p68', 'p69', 'p70', 'p71', 'p72', 'p73', 'p74', 'p75', 'p76', 'p77', 'p78', 'p79', 'p80', 'p81', 'p82', 'p83', 'p84', 'p85', 'p86', 'p87', 'p88', 'p89', 'p90', 'p91', 'p92', 'p93', 'p94', 'p95', 'p96', 'p97', 'p98', 'p99', 'p100', 'p101', 'p102', 'p103', 'p104', 'p105', 'p106', 'p107', 'p108', 'p109', 'p110', 'p111', 'p112', 'p113', 'p114', 'p115', 'p116', 'p117', 'p118', 'p119', 'p120', 'p121', 'p122', 'p123', 'p124', 'p125', 'p126', 'p127', 'p128', 'p129', 'p130', 'p131', 'p132', 'p133', 'p134', 'p135', 'p136', 'p137', 'p138', 'p139']"),
            ('modules = ["db", "api", "a"], deps = [["a", "api"], ["db", "api"], ["db", "api"]]', "['a', 'db', 'api']"),
            ('modules = ["ba", "x10", "db", "api", "ab"], deps = [["api", "api"], ["ba", "ba"], ["x10", "ab"], ["ab", "ab"]]', '[]'),
            ('modules = ["c"], deps = []', "['c']"),
            ('modules = ["x2", "ui"], deps = []', "['ui', 'x2']"),
            ('modules = ["x2", "ba", "b", "api"], deps = [["api", "x2"], ["ba", "api"], ["ba", "b"], ["api", "x2"]]', "['ba', 'api', 'b', 'x2']"),
        ],
    ),
    dict(
        id='gr-network-size-at-time',
        difficulty='medium',
        tags=['graphs', 'union-find', 'offline-queries', 'sorting'],
        statement="""A city is rolling out fiber cables between n buildings labelled 0 to n - 1. You are given links, where links[i] = [t, u, v] means that at time t a permanent two-way cable is installed between building u and building v (u may equal v, and the same pair may be linked several times).

You are also given queries, where queries[j] = [x, t]. For each query, consider only the cables installed at time t or earlier, and report how many buildings (including x itself) can exchange data with building x, either directly or through other buildings.

Return an array answer where answer[j] is the result of the j-th query.

Example 1:

Input: n = 5, links = [[3,0,1],[5,1,2],[9,3,4]], queries = [[0,4],[2,5],[4,8],[3,9]]
Output: [2, 3, 1, 2]
Explanation: At time 4 only cable 0-1 exists, so building 0 reaches 2 buildings. At time 5 the cable 1-2 is also present, so building 2 reaches {0,1,2}. Building 4 is isolated until time 9.

Example 2:

Input: n = 2, links = [], queries = [[1,0]]
Output: [1]

Constraints:

1 <= n <= 10^4
0 <= links.length <= 2 * 10^4
1 <= queries.length <= 2 * 10^4
0 <= t <= 10^9
0 <= u, v, x < n""",
        starter_code="""class Solution:
    def componentSizes(self, n: int, links: List[List[int]], queries: List[List[int]]) -> List[int]:
""",
        entry_point='Solution().componentSizes',
        reference_solution="""class Solution:
    def componentSizes(self, n: int, links: List[List[int]], queries: List[List[int]]) -> List[int]:
        parent = list(range(n))
        size = [1] * n

        def find(x):
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        links = sorted(links)
        order = sorted(range(len(queries)), key=lambda i: queries[i][1])
        ans = [0] * len(queries)
        j = 0
        for qi in order:
            x, t = queries[qi]
            while j < len(links) and links[j][0] <= t:
                _, u, v = links[j]
                j += 1
                ru, rv = find(u), find(v)
                if ru != rv:
                    if size[ru] < size[rv]:
                        ru, rv = rv, ru
                    parent[rv] = ru
                    size[ru] += size[rv]
            ans[qi] = size[find(x)]
        return ans
""",
        wrong_solution="""class Solution:
    def componentSizes(self, n: int, links: List[List[int]], queries: List[List[int]]) -> List[int]:
        parent = list(range(n))
        size = [1] * n

        def find(x):
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        links = sorted(links)
        order = sorted(range(len(queries)), key=lambda i: queries[i][1])
        ans = [0] * len(queries)
        j = 0
        for qi in order:
            x, t = queries[qi]
            while j < len(links) and links[j][0] < t:
                _, u, v = links[j]
                j += 1
                ru, rv = find(u), find(v)
                if ru != rv:
                    if size[ru] < size[rv]:
                        ru, rv = rv, ru
                    parent[rv] = ru
                    size[ru] += size[rv]
            ans[qi] = size[find(x)]
        return ans
""",
        examples=[
            ('n = 5, links = [[3,0,1],[5,1,2],[9,3,4]], queries = [[0,4],[2,5],[4,8],[3,9]]', '[2, 3, 1, 2]'),
            ('n = 2, links = [], queries = [[1,0]]', '[1]'),
        ],
        tests=[
            ('n = 1, links = [], queries = [[0,0]]', '[1]'),
            ('n = 1, links = [[0,0,0]], queries = [[0,100]]', '[1]'),
            ('n = 3, links = [[5,0,1],[5,1,2]], queries = [[0,4],[0,5],[2,6]]', '[1, 3, 3]'),
            ('n = 4, links = [[2,0,1],[2,0,1],[7,2,3],[1,1,1]], queries = [[3,7],[1,1],[0,2],[2,6]]', '[2, 1, 2, 1]'),
            ('n = 6, links = [[1,0,1],[2,2,3],[3,4,5],[4,1,2],[5,3,4]], queries = [[5,0],[5,3],[0,4],[0,5],[2,1000000000]]', '[1, 2, 4, 6, 6]'),
            ('n = 3, links = [[1000000000,0,2]], queries = [[0,999999999],[2,1000000000],[1,1000000000]]', '[1, 2, 1]'),
            ('n = 5, links = [[0,0,1],[0,2,3]], queries = [[0,0],[3,0],[4,0]]', '[2, 2, 1]'),
            ('n = 4, links = [[3,0,1],[1,2,3],[2,1,2]], queries = [[0,3],[0,2],[3,1],[3,0]]', '[4, 1, 2, 1]'),
            ('n = 3000, links = [[(i * 7919) % 1000, (i * 31) % 3000, (i * 17 + 5) % 3000] for i in range(3000)], queries = [[(j * 13) % 3000, j * 4] for j in range(250)]', '[2, 1, 1, 1, 1, 1, 2, 2, 1, 1, 1, 1, 2, 1, 2, 1, 1, 1, 2, 1, 1, 2, 1, 1, 2, 1, 1, 1, 1, 1, 3, 1, 1, 1, 1, 1, 2, 1, 2, 1, 1, 1, 2, 1, 1, 2, 1, 1, 2, 2, 1, 1, 2, 1, 3, 2, 1, 1, 1, 2, 2, 4, 2, 1, 1, 1, 4, 2, 1, 2, 1, 1, 2, 4, 1, 1, 2, 1, 4, 2, 3, 1, 1, 3, 2, 4, 1, 2, 1, 1, 4, 3, 2, 3, 2, 1, 3, 4, 3, 1, 4, 2, 4, 2, 3, 1, 1, 4, 3, 3, 2, 2, 1, 1, 4, 4, 2, 3, 2, 1, 3, 3, 4, 1, 4, 2, 3, 2, 3, 4, 1, 4, 4, 3, 2, 2, 3, 1, 3, 4, 3, 2, 2, 1, 4, 3, 4, 2, 4, 3, 3, 4, 4, 4, 1, 2, 4, 3, 2, 4, 3, 1, 4, 4, 3, 2, 4, 2, 4, 3, 4, 2, 2, 4, 4, 4, 4, 4, 1, 2, 4, 4, 2, 4, 4, 1, 4, 4, 4, 2, 4, 2, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 3, 4, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4]'),
            ('n = 4000, links = [[i, i, i + 1] for i in range(3999)], queries = [[(j * 997) % 4000, (j * 37) % 4200] for j in range(250)]', '[2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 927, 1, 1, 1, 1075, 1, 1, 1, 1223, 1, 1, 1, 1371, 1, 1, 1, 1519, 1, 1, 1, 1667, 1, 1, 1, 1815, 1852, 1, 1, 1963, 2000, 1, 1, 2111, 2148, 1, 1, 2259, 2296, 1, 1, 2407, 2444, 1, 1, 2555, 2592, 1, 1, 2703, 2740, 2777, 1, 2851, 2888, 2925, 1, 2999, 3036, 3073, 1, 3147, 3184, 3221, 1, 3295, 3332, 3369, 1, 3443, 3480, 3517, 1, 3591, 3628, 3665, 3702, 3739, 3776, 3813, 3850, 3887, 3924, 3961, 3998, 4000, 4000, 4000, 4000, 4000, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 723, 1, 1, 1, 871, 1, 1, 1, 1019, 1, 1, 1, 1167, 1, 1, 1, 1315, 1, 1, 1, 1463, 1, 1, 1, 1611, 1648, 1, 1, 1759, 1796, 1, 1, 1907, 1944, 1, 1, 2055, 2092, 1, 1, 2203, 2240, 1, 1, 2351, 2388, 1, 1, 2499, 2536, 2573, 1, 2647, 2684, 2721, 1, 2795, 2832, 2869, 1, 2943, 2980, 3017, 1, 3091, 3128, 3165, 1, 3239, 3276, 3313, 1, 3387, 3424, 3461, 3498, 3535, 3572, 3609, 3646, 3683, 3720, 3757, 3794, 3831, 3868, 3905, 3942, 3979, 4000, 4000, 4000, 4000, 4000, 4000, 1, 1, 1, 1, 1, 1, 1, 1, 1, 371, 1, 1, 1, 519, 1, 1, 1, 667, 1, 1, 1, 815]'),
            ('n = 1, links = [[3, 0, 0]], queries = [[0, 5], [0, 11], [0, 7], [0, 8], [0, 3], [0, 9], [0, 11], [0, 8]]', '[1, 1, 1, 1, 1, 1, 1, 1]'),
            ('n = 8, links = [[5, 7, 7], [8, 3, 2], [3, 7, 3], [8, 6, 6], [1, 3, 7], [9, 3, 5], [9, 4, 6], [5, 6, 2]], queries = [[0, 7]]', '[1]'),
            ('n = 4, links = [[10, 1, 3], [3, 2, 0], [3, 3, 2], [8, 1, 2], [4, 1, 2], [4, 2, 1], [2, 2, 2], [1, 2, 3], [7, 1, 2]], queries = [[1, 8], [1, 1]]', '[4, 1]'),
            ('n = 5, links = [[8, 4, 0], [10, 2, 1], [2, 1, 2], [9, 4, 3], [5, 4, 3], [7, 4, 3]], queries = [[0, 5], [3, 8]]', '[1, 3]'),
            ('n = 2, links = [[4, 0, 0], [6, 1, 0], [5, 0, 1], [6, 1, 1], [6, 0, 1]], queries = [[1, 11], [1, 2], [0, 3], [1, 1]]', '[2, 1, 1, 1]'),
        ],
    ),
    dict(
        id='gr-ferry-timetable',
        difficulty='hard',
        tags=['graphs', 'dijkstra', 'shortest-path'],
        statement="""An archipelago has n islands labelled 0 to n - 1. Ferries run on a fixed timetable: ferries[i] = [u, v, period, duration] means that a one-way ferry leaves island u for island v at every time that is a non-negative multiple of period (that is, at times 0, period, 2 * period, ...), and each trip takes exactly duration minutes.

You are on island 0 at time 0. You may wait on any island for as long as you like, and you can board a ferry that departs at exactly the moment you arrive on its island.

Return the earliest time at which you can be on island n - 1, or -1 if it is impossible. If n == 1 the answer is 0.

Example 1:

Input: n = 3, ferries = [[0,2,10,25],[0,1,3,4],[1,2,5,6]]
Output: 11
Explanation: The direct ferry arrives at time 25. Instead take 0 -> 1 at time 0 (arrive at 4), wait until time 5, and take 1 -> 2, arriving at 11.

Example 2:

Input: n = 3, ferries = [[0,1,2,3],[2,1,1,1]]
Output: -1
Explanation: Island 2 is never reachable.

Constraints:

1 <= n <= 10^4
0 <= ferries.length <= 2 * 10^4
0 <= u, v < n
1 <= period <= 1000
1 <= duration <= 10^4""",
        starter_code="""class Solution:
    def earliestArrival(self, n: int, ferries: List[List[int]]) -> int:
""",
        entry_point='Solution().earliestArrival',
        reference_solution="""class Solution:
    def earliestArrival(self, n: int, ferries: List[List[int]]) -> int:
        adj = [[] for _ in range(n)]
        for u, v, p, d in ferries:
            adj[u].append((v, p, d))
        INF = float('inf')
        best = [INF] * n
        best[0] = 0
        pq = [(0, 0)]
        while pq:
            t, u = heappop(pq)
            if t > best[u]:
                continue
            if u == n - 1:
                return t
            for v, p, d in adj[u]:
                depart = (t + p - 1) // p * p
                arrive = depart + d
                if arrive < best[v]:
                    best[v] = arrive
                    heappush(pq, (arrive, v))
        return -1
""",
        wrong_solution="""class Solution:
    def earliestArrival(self, n: int, ferries: List[List[int]]) -> int:
        adj = [[] for _ in range(n)]
        for u, v, p, d in ferries:
            adj[u].append((v, p, d))
        seen = {0}
        pq = [(0, 0)]
        while pq:
            t, u = heappop(pq)
            if u == n - 1:
                return t
            for v, p, d in adj[u]:
                if v in seen:
                    continue
                seen.add(v)
                depart = (t + p - 1) // p * p
                heappush(pq, (depart + d, v))
        return -1
""",
        examples=[
            ('n = 3, ferries = [[0,2,10,25],[0,1,3,4],[1,2,5,6]]', '11'),
            ('n = 3, ferries = [[0,1,2,3],[2,1,1,1]]', '-1'),
        ],
        tests=[
            ('n = 1, ferries = []', '0'),
            ('n = 2, ferries = []', '-1'),
            ('n = 2, ferries = [[0,1,7,3]]', '3'),
            ('n = 2, ferries = [[1,0,1,1]]', '-1'),
            ('n = 3, ferries = [[0,1,1,2],[1,2,4,1]]', '5'),
            ('n = 3, ferries = [[0,1,1,4],[1,2,4,1]]', '5'),
            ('n = 3, ferries = [[0,1,1,5],[1,2,4,1]]', '9'),
            ('n = 4, ferries = [[0,1,1,1],[1,3,100,1],[0,2,1,50],[2,3,1,1]]', '51'),
            ('n = 4, ferries = [[0,1,1,2],[0,2,1,1],[2,1,1,2],[1,3,3,1]]', '4'),
            ('n = 5, ferries = [[0,1,3,2],[1,2,3,2],[2,3,3,2],[3,4,3,2],[0,4,1,20],[2,2,1,1]]', '11'),
            ('n = 4, ferries = [[0,1,5,1],[0,1,2,3],[1,2,6,1],[2,3,1000,1]]', '1001'),
            ('n = 2000, ferries = [[i % 2000, (i * 7919 + 11) % 2000, (i * 13) % 97 + 1, (i * 31) % 500 + 1] for i in range(6000)]', '-1'),
            ('n = 1500, ferries = [[i, i + 1, (i * 7) % 23 + 1, (i * 11) % 17 + 1] for i in range(1499)] + [[i, (i * 3 + 1) % 1500, 997, 9999] for i in range(1500)]', '17474'),
            ('n = 2, ferries = [[1, 1, 1, 3], [1, 0, 2, 6], [1, 0, 2, 2], [1, 0, 1, 4], [1, 0, 5, 7], [0, 1, 3, 2]]', '2'),
            ('n = 3, ferries = [[2, 0, 1, 7], [0, 0, 1, 1], [2, 2, 2, 5], [1, 1, 2, 2]]', '-1'),
            ('n = 3, ferries = [[1, 2, 3, 6], [1, 1, 6, 3]]', '-1'),
            ('n = 6, ferries = [[2, 5, 2, 1], [4, 3, 2, 2], [0, 3, 6, 7], [3, 0, 6, 7]]', '-1'),
            ('n = 2, ferries = [[1, 1, 3, 1], [1, 1, 4, 7], [0, 0, 2, 7], [1, 0, 2, 5], [1, 1, 4, 6], [1, 0, 4, 6], [1, 1, 2, 7], [1, 0, 6, 5]]', '-1'),
        ],
    ),
    dict(
        id='gr-rival-teams',
        difficulty='hard',
        tags=['graphs', 'bipartite', 'bfs', 'dynamic-programming'],
        statement="""A coach must split n players, labelled 0 to n - 1, into two teams, Red and Blue. Every player joins exactly one team, and a team may end up empty. Some players are rivals: rivalries[i] = [a, b] means players a and b refuse to be on the same team.

Return the minimum possible absolute difference between the sizes of the two teams over all splits that keep every pair of rivals apart, or -1 if no such split exists.

Example 1:

Input: n = 6, rivalries = [[0,1],[0,2],[0,3],[4,5]]
Output: 2
Explanation: Player 0 must be apart from 1, 2 and 3. Put {0, 4} on Red and {1, 2, 3, 5} on Blue: difference 2. No split does better.

Example 2:

Input: n = 3, rivalries = [[0,1],[1,2],[2,0]]
Output: -1
Explanation: Three mutual rivals cannot be split into two teams.

Example 3:

Input: n = 4, rivalries = []
Output: 0

Constraints:

1 <= n <= 2000
0 <= rivalries.length <= 5000
rivalries[i] = [a, b] with 0 <= a, b < n and a != b
A pair of rivals may be listed more than once.""",
        starter_code="""class Solution:
    def minTeamDifference(self, n: int, rivalries: List[List[int]]) -> int:
""",
        entry_point='Solution().minTeamDifference',
        reference_solution="""class Solution:
    def minTeamDifference(self, n: int, rivalries: List[List[int]]) -> int:
        adj = [[] for _ in range(n)]
        for a, b in rivalries:
            adj[a].append(b)
            adj[b].append(a)
        color = [-1] * n
        reach = 1  # bit s set <=> Red can have exactly s players
        for s in range(n):
            if color[s] != -1:
                continue
            color[s] = 0
            cnt = [1, 0]
            q = deque([s])
            while q:
                u = q.popleft()
                for v in adj[u]:
                    if color[v] == -1:
                        color[v] = color[u] ^ 1
                        cnt[color[v]] += 1
                        q.append(v)
                    elif color[v] == color[u]:
                        return -1
            reach = (reach << cnt[0]) | (reach << cnt[1])
        best = n
        for s in range(n + 1):
            if reach >> s & 1:
                best = min(best, abs(n - 2 * s))
        return best
""",
        wrong_solution="""class Solution:
    def minTeamDifference(self, n: int, rivalries: List[List[int]]) -> int:
        # greedy: put the larger side of each group on the currently smaller team
        adj = [[] for _ in range(n)]
        for a, b in rivalries:
            adj[a].append(b)
            adj[b].append(a)
        color = [-1] * n
        red = blue = 0
        for s in range(n):
            if color[s] != -1:
                continue
            color[s] = 0
            cnt = [1, 0]
            q = deque([s])
            while q:
                u = q.popleft()
                for v in adj[u]:
                    if color[v] == -1:
                        color[v] = color[u] ^ 1
                        cnt[color[v]] += 1
                        q.append(v)
                    elif color[v] == color[u]:
                        return -1
            big, small = max(cnt), min(cnt)
            if red <= blue:
                red += big
                blue += small
            else:
                blue += big
                red += small
        return abs(red - blue)
""",
        examples=[
            ('n = 6, rivalries = [[0,1],[0,2],[0,3],[4,5]]', '2'),
            ('n = 3, rivalries = [[0,1],[1,2],[2,0]]', '-1'),
            ('n = 4, rivalries = []', '0'),
        ],
        tests=[
            ('n = 1, rivalries = []', '1'),
            ('n = 2, rivalries = [[0,1]]', '0'),
            ('n = 2, rivalries = [[0,1],[1,0]]', '0'),
            ('n = 5, rivalries = []', '1'),
            ('n = 4, rivalries = [[0,1],[1,2],[2,3],[3,0]]', '0'),
            ('n = 5, rivalries = [[0,1],[1,2],[2,3],[3,4],[4,0]]', '-1'),
            ('n = 7, rivalries = [[0,1],[0,2],[0,3],[4,5]]', '1'),
            ('n = 8, rivalries = [[0,1],[0,2],[3,4],[5,6],[5,7]]', '0'),
            ('n = 9, rivalries = [[0,1],[0,2],[0,3],[0,4],[0,5],[0,6],[7,8]]', '5'),
            ('n = 6, rivalries = [[2,3],[2,4],[2,5]]', '0'),
            ('n = 10, rivalries = [[3,4],[8,0],[3,5],[6,3],[7,3]]', '0'),
            ('n = 10, rivalries = [[0,4],[9,7],[7,8],[6,7]]', '0'),
            ('n = 2000, rivalries = [[1994, j] for j in range(1995, 2000)]', '0'),
            ('n = 2000, rivalries = [[i, i + 1] for i in range(0, 1998, 2)] + [[0, j] for j in range(3, 1500, 2)]', '0'),
            ('n = 2000, rivalries = [[i, (i * 7 + 3) % 2000] for i in range(0, 2000, 2) if (i * 7 + 3) % 2000 % 2 == 1] + [[i, i + 2] for i in range(0, 100, 4)]', '0'),
            ('n = 1800, rivalries = [[i, i + 1 + (i % 5)] for i in range(0, 1700, 6)]', '0'),
            ('n = 1200, rivalries = [[i, j] for i in range(0, 40, 2) for j in range(1, 40, 2)] + [[100, 101], [101, 102], [102, 100]]', '-1'),
            ('n = 4, rivalries = [[1, 2], [1, 3], [1, 3], [1, 2], [0, 3], [1, 3]]', '0'),
            ('n = 4, rivalries = [[1, 0], [0, 3], [3, 0], [2, 3], [0, 2], [2, 0], [0, 1], [3, 2], [2, 1]]', '-1'),
            ('n = 10, rivalries = [[1, 4], [2, 8], [7, 1], [8, 2], [4, 7], [7, 1]]', '-1'),
            ('n = 9, rivalries = [[5, 0], [6, 2], [0, 3], [3, 4], [8, 3], [1, 0], [3, 0]]', '1'),
            ('n = 6, rivalries = [[3, 5], [4, 0], [0, 1]]', '0'),
        ],
    ),
    dict(
        id='gr-portal-maze',
        difficulty='medium',
        tags=['graphs', 'bfs', 'grid'],
        statement="""You are given a maze as a grid of strings. Each cell is one of:

'.' an open cell,
'#' a wall,
'S' the start (exactly once),
'E' the exit (exactly once),
a lowercase letter: an open cell holding one end of a portal. Every letter that appears in the grid appears exactly twice, and its two cells are the two ends of the same portal.

In one move you may either step to one of the four orthogonally adjacent cells that is inside the grid and is not a wall, or, while standing on a portal cell, teleport to the other end of that portal. Each move, including a teleport, takes exactly one second. Stepping onto a portal cell does not force you to teleport.

Return the minimum number of seconds needed to travel from 'S' to 'E', or -1 if the exit cannot be reached.

Example 1:

Input: grid = ["Sa#..", "..#.a", "..#.E"]
Output: 3
Explanation: Step right onto the portal 'a' (1 second), teleport to the other 'a' (1 second), then step down to 'E' (1 second).

Example 2:

Input: grid = ["S#E"]
Output: -1
Explanation: The wall blocks the only way.

Example 3:

Input: grid = ["aS.bE", "#####", "b...a"]
Output: 3

Constraints:

1 <= grid.length, grid[i].length <= 100
All rows have the same length.
grid[i][j] is '.', '#', 'S', 'E' or a lowercase English letter.
'S' and 'E' each appear exactly once; every letter appears either 0 or 2 times.""",
        starter_code="""class Solution:
    def shortestEscape(self, grid: List[str]) -> int:
""",
        entry_point='Solution().shortestEscape',
        reference_solution="""class Solution:
    def shortestEscape(self, grid: List[str]) -> int:
        R, C = len(grid), len(grid[0])
        ends = defaultdict(list)
        for r in range(R):
            for c in range(C):
                ch = grid[r][c]
                if ch == 'S':
                    start = (r, c)
                elif ch.islower():
                    ends[ch].append((r, c))
        twin = {}
        for a, b in ends.values():
            twin[a] = b
            twin[b] = a
        dist = {start: 0}
        q = deque([start])
        while q:
            r, c = q.popleft()
            d = dist[(r, c)]
            if grid[r][c] == 'E':
                return d
            nbrs = [(r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)]
            if (r, c) in twin:
                nbrs.append(twin[(r, c)])
            for nr, nc in nbrs:
                if 0 <= nr < R and 0 <= nc < C and grid[nr][nc] != '#' and (nr, nc) not in dist:
                    dist[(nr, nc)] = d + 1
                    q.append((nr, nc))
        return -1
""",
        wrong_solution="""class Solution:
    def shortestEscape(self, grid: List[str]) -> int:
        # treats both ends of a portal as the same place (teleport taken for free)
        R, C = len(grid), len(grid[0])
        ends = defaultdict(list)
        for r in range(R):
            for c in range(C):
                ch = grid[r][c]
                if ch == 'S':
                    start = (r, c)
                elif ch.islower():
                    ends[ch].append((r, c))
        twin = {}
        for a, b in ends.values():
            twin[a] = b
            twin[b] = a
        dist = {start: 0}
        q = deque([start])
        while q:
            r, c = q.popleft()
            d = dist[(r, c)]
            if grid[r][c] == 'E':
                return d
            for nr, nc in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
                if 0 <= nr < R and 0 <= nc < C and grid[nr][nc] != '#' and (nr, nc) not in dist:
                    dist[(nr, nc)] = d + 1
                    q.append((nr, nc))
                    if (nr, nc) in twin and twin[(nr, nc)] not in dist:
                        dist[twin[(nr, nc)]] = d + 1
                        q.append(twin[(nr, nc)])
        return -1
""",
        examples=[
            ('grid = ["Sa#..", "..#.a", "..#.E"]', '3'),
            ('grid = ["S#E"]', '-1'),
            ('grid = ["aS.bE", "#####", "b...a"]', '3'),
        ],
        tests=[
            ('grid = ["SE"]', '1'),
            ('grid = ["S", "E"]', '1'),
            ('grid = ["S.E"]', '2'),
            ('grid = ["SaaE"]', '3'),
            ('grid = ["S#E", "###"]', '-1'),
            ('grid = ["Sa#aE"]', '3'),
            ('grid = ["a#S#a", "#####", "E...."]', '-1'),
            ('grid = ["Sa#b.", "##b##", "E.a.."]', '4'),
            ('grid = ["S.a.....a.E"]', '5'),
            ('grid = ["S#a", "###", "a#E"]', '-1'),
            ('grid = ["Sa..........", "###########.", "E.........a."]', '12'),
            ('grid = ["S" + "." * 99 if r == 0 else "." * 100 if r % 2 == 0 else "#" * 99 + "." if r % 4 == 1 else "." + "#" * 99 for r in range(99)] + ["E" + "." * 99]', '5049'),
            ('grid = ["S" + "." * 98 + "z" if r == 0 else "." * 100 if r % 2 == 0 else "#" * 99 + "." if r % 4 == 1 else "." + "#" * 99 for r in range(97)] + ["#" * 50 + "." + "#" * 49, "z" + "." * 99, "E" + "." * 99]', '101'),
            ('grid = ["".join("S" if (r, c) == (0, 0) else "E" if (r, c) == (69, 69) else "#" if (r * 3 + c * 5) % 7 == 0 else "." for c in range(70)) for r in range(70)]', '138'),
            ('grid = ["b.b", "...", "#.S", "a.E", ".#a"]', '1'),
            ('grid = ["a...", "E#Sa"]', '3'),
            ('grid = [".aaS#E"]', '-1'),
            ('grid = ["abSEab"]', '1'),
        ],
    ),
    dict(
        id='gr-critical-cable',
        difficulty='hard',
        tags=['graphs', 'dfs', 'bridges', 'tarjan'],
        statement="""A data center has n servers labelled 0 to n - 1 and a list of two-way cables edges, where edges[i] = [u, v] connects server u and server v. There may be several cables between the same pair of servers, and a cable may connect a server to itself. The network is not necessarily connected.

Two servers can communicate if there is a path of cables between them. An attacker is going to cut exactly one cable. The damage of cutting a cable is the number of unordered pairs of distinct servers that can communicate before the cut but cannot communicate after it.

Return the maximum damage the attacker can cause. If there are no cables, or no cut causes any damage, return 0.

Example 1:

Input: n = 6, edges = [[0,1],[1,2],[2,0],[2,3],[3,4],[4,5]]
Output: 9
Explanation: Cutting cable [2,3] separates {0,1,2} from {3,4,5}, breaking 3 * 3 = 9 pairs. Cutting [3,4] would break only 4 * 2 = 8 pairs.

Example 2:

Input: n = 3, edges = [[0,1],[1,0],[1,2],[2,0]]
Output: 0
Explanation: Every cable lies on a cycle (the two cables between 0 and 1 back each other up).

Example 3:

Input: n = 4, edges = [[0,1],[2,3]]
Output: 1

Constraints:

1 <= n <= 10^4
0 <= edges.length <= 2 * 10^4
edges[i].length == 2
0 <= u, v < n""",
        starter_code="""class Solution:
    def maxDamage(self, n: int, edges: List[List[int]]) -> int:
""",
        entry_point='Solution().maxDamage',
        reference_solution="""class Solution:
    def maxDamage(self, n: int, edges: List[List[int]]) -> int:
        adj = [[] for _ in range(n)]
        for i, (u, v) in enumerate(edges):
            adj[u].append((v, i))
            adj[v].append((u, i))
        tin = [-1] * n
        low = [0] * n
        sz = [1] * n
        timer = 0
        best = 0
        for s in range(n):
            if tin[s] != -1:
                continue
            tin[s] = low[s] = timer
            timer += 1
            comp = 1
            bridge_sides = []
            stack = [(s, -1, 0)]
            while stack:
                u, pe, i = stack[-1]
                if i < len(adj[u]):
                    stack[-1] = (u, pe, i + 1)
                    v, eid = adj[u][i]
                    if eid == pe:
                        continue
                    if tin[v] == -1:
                        tin[v] = low[v] = timer
                        timer += 1
                        comp += 1
                        stack.append((v, eid, 0))
                    else:
                        low[u] = min(low[u], tin[v])
                else:
                    stack.pop()
                    if stack:
                        p = stack[-1][0]
                        low[p] = min(low[p], low[u])
                        sz[p] += sz[u]
                        if low[u] > tin[p]:
                            bridge_sides.append(sz[u])
            for c in bridge_sides:
                best = max(best, c * (comp - c))
        return best
""",
        wrong_solution="""class Solution:
    def maxDamage(self, n: int, edges: List[List[int]]) -> int:
        adj = [[] for _ in range(n)]
        for u, v in edges:
            adj[u].append(v)
            adj[v].append(u)
        tin = [-1] * n
        low = [0] * n
        sz = [1] * n
        timer = 0
        best = 0
        for s in range(n):
            if tin[s] != -1:
                continue
            tin[s] = low[s] = timer
            timer += 1
            comp = 1
            bridge_sides = []
            stack = [(s, -1, 0)]
            while stack:
                u, par, i = stack[-1]
                if i < len(adj[u]):
                    stack[-1] = (u, par, i + 1)
                    v = adj[u][i]
                    if v == par:
                        continue
                    if tin[v] == -1:
                        tin[v] = low[v] = timer
                        timer += 1
                        comp += 1
                        stack.append((v, u, 0))
                    else:
                        low[u] = min(low[u], tin[v])
                else:
                    stack.pop()
                    if stack:
                        p = stack[-1][0]
                        low[p] = min(low[p], low[u])
                        sz[p] += sz[u]
                        if low[u] > tin[p]:
                            bridge_sides.append(sz[u])
            for c in bridge_sides:
                best = max(best, c * (comp - c))
        return best
""",
        examples=[
            ('n = 6, edges = [[0,1],[1,2],[2,0],[2,3],[3,4],[4,5]]', '9'),
            ('n = 3, edges = [[0,1],[1,0],[1,2],[2,0]]', '0'),
            ('n = 4, edges = [[0,1],[2,3]]', '1'),
        ],
        tests=[
            ('n = 1, edges = []', '0'),
            ('n = 1, edges = [[0,0]]', '0'),
            ('n = 2, edges = [[0,1]]', '1'),
            ('n = 2, edges = [[0,1],[0,1]]', '0'),
            ('n = 3, edges = []', '0'),
            ('n = 3, edges = [[0,1],[1,2],[1,1]]', '2'),
            ('n = 5, edges = [[0,1],[1,2],[2,3],[3,4]]', '6'),
            ('n = 5, edges = [[0,1],[0,1],[1,2],[2,3],[2,3],[3,4]]', '6'),
            ('n = 7, edges = [[0,1],[1,2],[2,0],[3,4],[4,5],[5,3],[2,3],[6,6]]', '9'),
            ('n = 8, edges = [[0,1],[1,2],[2,3],[3,0],[0,4],[4,5],[5,6],[6,4],[4,4],[7,7]]', '12'),
            ('n = 6, edges = [[0,1],[1,2],[2,3],[3,4],[4,5],[2,3]]', '8'),
            ('n = 4, edges = [[0,1],[1,0],[2,3],[3,2],[1,2]]', '4'),
            ('n = 3000, edges = [[i, i + 1] for i in range(2999)] + [[i, i + 1] for i in range(0, 2999, 2)]', '2250000'),
            ('n = 3000, edges = [[i, (i - 1) // 2] for i in range(1, 3000)] + [[i, i + 1] for i in range(1000, 1500)]', '1271879'),
            ('n = 2500, edges = [[i, (i * 37 + 11) % 2500] for i in range(2500)] + [[i, i + 1] for i in range(0, 2499, 5)]', '0'),
            ('n = 5, edges = [[3, 4], [0, 2]]', '1'),
            ('n = 1, edges = [[0, 0], [0, 0], [0, 0], [0, 0], [0, 0], [0, 0], [0, 0]]', '0'),
            ('n = 5, edges = [[2, 4], [3, 4], [0, 2], [3, 3], [4, 4], [0, 1], [1, 1], [3, 3]]', '6'),
            ('n = 5, edges = [[3, 1], [1, 3], [4, 4], [0, 2], [4, 2], [4, 2]]', '2'),
            ('n = 8, edges = [[7, 5], [1, 4], [3, 5]]', '2'),
        ],
    ),
    dict(
        id='gr-list-reverse-alternate-groups',
        difficulty='medium',
        tags=['linked-list', 'two-pointers'],
        statement="""You are given the head of a singly linked list and an integer k. Cut the list, from the front, into consecutive groups of k nodes; the final group may contain fewer than k nodes.

Number the groups 1, 2, 3, ... from the front. Reverse the order of the nodes inside every odd-numbered group (group 1, group 3, ...), including the final group if it is odd-numbered, even when it is shorter than k. Even-numbered groups keep their order.

Return the head of the modified list. You should relink the existing nodes rather than only changing values.

Example 1:

Input: head = list_node([1,2,3,4,5,6,7,8]), k = 3
Output: list_node([3, 2, 1, 4, 5, 6, 8, 7])
Explanation: The groups are [1,2,3], [4,5,6] and [7,8]. Groups 1 and 3 are reversed, giving [3,2,1], [4,5,6], [8,7].

Example 2:

Input: head = list_node([1,2,3]), k = 5
Output: list_node([3, 2, 1])
Explanation: There is a single (short) group, and it is odd-numbered, so it is reversed.

Constraints:

The number of nodes in the list is in the range [0, 5000].
0 <= Node.val <= 1000
1 <= k <= 5000""",
        starter_code="""class Solution:
    def reverseAlternateGroups(self, head: Optional[ListNode], k: int) -> Optional[ListNode]:
""",
        entry_point='Solution().reverseAlternateGroups',
        reference_solution="""class Solution:
    def reverseAlternateGroups(self, head: Optional[ListNode], k: int) -> Optional[ListNode]:
        dummy = ListNode(0, head)
        prev = dummy
        idx = 1
        while prev.next:
            start = prev.next
            end = start
            cnt = 1
            while cnt < k and end.next:
                end = end.next
                cnt += 1
            after = end.next
            if idx % 2 == 1:
                p, cur = after, start
                while cur is not after:
                    nxt = cur.next
                    cur.next = p
                    p = cur
                    cur = nxt
                prev.next = end
                prev = start
            else:
                prev = end
            idx += 1
        return dummy.next
""",
        wrong_solution="""class Solution:
    def reverseAlternateGroups(self, head: Optional[ListNode], k: int) -> Optional[ListNode]:
        dummy = ListNode(0, head)
        prev = dummy
        idx = 1
        while prev.next:
            start = prev.next
            end = start
            cnt = 1
            while cnt < k and end.next:
                end = end.next
                cnt += 1
            after = end.next
            if idx % 2 == 1 and cnt == k:
                p, cur = after, start
                while cur is not after:
                    nxt = cur.next
                    cur.next = p
                    p = cur
                    cur = nxt
                prev.next = end
                prev = start
            else:
                prev = end
            idx += 1
        return dummy.next
""",
        examples=[
            ('head = list_node([1,2,3,4,5,6,7,8]), k = 3', 'list_node([3, 2, 1, 4, 5, 6, 8, 7])'),
            ('head = list_node([1,2,3]), k = 5', 'list_node([3, 2, 1])'),
        ],
        tests=[
            ('head = list_node([]), k = 1', 'list_node([])'),
            ('head = list_node([4]), k = 1', 'list_node([4])'),
            ('head = list_node([4]), k = 3', 'list_node([4])'),
            ('head = list_node([1,2,3,4,5]), k = 1', 'list_node([1, 2, 3, 4, 5])'),
            ('head = list_node([1,2,3,4,5,6]), k = 2', 'list_node([2, 1, 3, 4, 6, 5])'),
            ('head = list_node([1,2,3,4,5,6,7]), k = 2', 'list_node([2, 1, 3, 4, 6, 5, 7])'),
            ('head = list_node([1,2,3,4,5,6,7,8,9]), k = 3', 'list_node([3, 2, 1, 4, 5, 6, 9, 8, 7])'),
            ('head = list_node([1,2,3,4,5,6,7,8,9,10]), k = 4', 'list_node([4, 3, 2, 1, 5, 6, 7, 8, 10, 9])'),
            ('head = list_node([9,9,1,1,9,9]), k = 6', 'list_node([9, 9, 1, 1, 9, 9])'),
            ('head = list_node([5,6,7,8]), k = 3', 'list_node([7, 6, 5, 8])'),
            ('head = list_node([1,2,3,4,5,6,7,8,9,10,11,12]), k = 5', 'list_node([5, 4, 3, 2, 1, 6, 7, 8, 9, 10, 12, 11])'),
            ('head = list_node([3,1,2,5,4,6,7,9]), k = 3', 'list_node([2, 1, 3, 5, 4, 6, 9, 7])'),
            ('head = list_node([(i * 7) % 10 for i in range(500)]), k = 7', 'list_node([2, 5, 8, 1, 4, 7, 0, 9, 6, 3, 0, 7, 4, 1, 0, 3, 6, 9, 2, 5, 8, 7, 4, 1, 8, 5, 2, 9, 8, 1, 4, 7, 0, 3, 6, 5, 2, 9, 6, 3, 0, 7, 6, 9, 2, 5, 8, 1, 4, 3, 0, 7, 4, 1, 8, 5, 4, 7, 0, 3, 6, 9, 2, 1, 8, 5, 2, 9, 6, 3, 2, 5, 8, 1, 4, 7, 0, 9, 6, 3, 0, 7, 4, 1, 0, 3, 6, 9, 2, 5, 8, 7, 4, 1, 8, 5, 2, 9, 8, 1, 4, 7, 0, 3, 6, 5, 2, 9, 6, 3, 0, 7, 6, 9, 2, 5, 8, 1, 4, 3, 0, 7, 4, 1, 8, 5, 4, 7, 0, 3, 6, 9, 2, 1, 8, 5, 2, 9, 6, 3, 2, 5, 8, 1, 4, 7, 0, 9, 6, 3, 0, 7, 4, 1, 0, 3, 6, 9, 2, 5, 8, 7, 4, 1, 8, 5, 2, 9, 8, 1, 4, 7, 0, 3, 6, 5, 2, 9, 6, 3, 0, 7, 6, 9, 2, 5, 8, 1, 4, 3, 0, 7, 4, 1, 8, 5, 4, 7, 0, 3, 6, 9, 2, 1, 8, 5, 2, 9, 6, 3, 2, 5, 8, 1, 4, 7, 0, 9, 6, 3, 0, 7, 4, 1, 0, 3, 6, 9, 2, 5, 8, 7, 4, 1, 8, 5, 2, 9, 8, 1, 4, 7, 0, 3, 6, 5, 2, 9, 6, 3, 0, 7, 6, 9, 2, 5, 8, 1, 4, 3, 0, 7, 4, 1, 8, 5, 4, 7, 0, 3, 6, 9, 2, 1, 8, 5, 2, 9, 6, 3, 2, 5, 8, 1, 4, 7, 0, 9, 6, 3, 0, 7, 4, 1, 0, 3, 6, 9, 2, 5, 8, 7, 4, 1, 8, 5, 2, 9, 8, 1, 4, 7, 0, 3, 6, 5, 2, 9, 6, 3, 0, 7, 6, 9, 2, 5, 8, 1, 4, 3, 0, 7, 4, 1, 8, 5, 4, 7, 0, 3, 6, 9, 2, 1, 8, 5, 2, 9, 6, 3, 2, 5, 8, 1, 4, 7, 0, 9, 6, 3, 0, 7, 4, 1, 0, 3, 6, 9, 2, 5, 8, 7, 4, 1, 8, 5, 2, 9, 8, 1, 4, 7, 0, 3, 6, 5, 2, 9, 6, 3, 0, 7, 6, 9, 2, 5, 8, 1, 4, 3, 0, 7, 4, 1, 8, 5, 4, 7, 0, 3, 6, 9, 2, 1, 8, 5, 2, 9, 6, 3, 2, 5, 8, 1, 4, 7, 0, 9, 6, 3, 0, 7, 4, 1, 0, 3, 6, 9, 2, 5, 8, 7, 4, 1, 8, 5, 2, 9, 8, 1, 4, 7, 0, 3, 6, 5, 2, 9, 6, 3, 0, 7, 6, 9, 2, 5, 8, 1, 4, 3, 0, 7, 4, 1, 8, 5, 4, 7, 0, 3, 6, 9, 2, 1, 8, 5, 2, 9, 6, 3, 2, 5, 8, 1, 4, 7, 0, 9, 6, 3])'),
            ('head = list_node([(i * 3) % 10 for i in range(450)]), k = 64', 'list_node([9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 2, 5, 8, 1, 4, 7, 0, 3, 6, 9, 2, 5, 8, 1, 4, 7, 0, 3, 6, 9, 2, 5, 8, 1, 4, 7, 0, 3, 6, 9, 2, 5, 8, 1, 4, 7, 0, 3, 6, 9, 2, 5, 8, 1, 4, 7, 0, 3, 6, 9, 2, 5, 8, 1, 4, 7, 0, 3, 6, 9, 2, 5, 8, 1, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 6, 9, 2, 5, 8, 1, 4, 7, 0, 3, 6, 9, 2, 5, 8, 1, 4, 7, 0, 3, 6, 9, 2, 5, 8, 1, 4, 7, 0, 3, 6, 9, 2, 5, 8, 1, 4, 7, 0, 3, 6, 9, 2, 5, 8, 1, 4, 7, 0, 3, 6, 9, 2, 5, 8, 1, 4, 7, 0, 3, 6, 9, 2, 5, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 0, 3, 6, 9, 2, 5, 8, 1, 4, 7, 0, 3, 6, 9, 2, 5, 8, 1, 4, 7, 0, 3, 6, 9, 2, 5, 8, 1, 4, 7, 0, 3, 6, 9, 2, 5, 8, 1, 4, 7, 0, 3, 6, 9, 2, 5, 8, 1, 4, 7, 0, 3, 6, 9, 2, 5, 8, 1, 4, 7, 0, 3, 6, 9, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 4, 7])'),
            ('head = list_node([i % 10 for i in range(550)]), k = 549', 'list_node([8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 9])'),
            ('head = list_node([7, 2, 8, 0]), k = 3', 'list_node([8, 2, 7, 0])'),
            ('head = list_node([0, 7, 9, 8, 6, 4, 3, 5, 8, 0, 0, 7]), k = 4', 'list_node([8, 9, 7, 0, 6, 4, 3, 5, 7, 0, 0, 8])'),
            ('head = list_node([5, 0, 1, 6, 7, 9, 3, 2, 7, 6]), k = 6', 'list_node([9, 7, 6, 1, 0, 5, 3, 2, 7, 6])'),
            ('head = list_node([4, 4, 9, 8, 7, 8]), k = 2', 'list_node([4, 4, 9, 8, 8, 7])'),
        ],
    ),
    dict(
        id='gr-list-merge-singletons',
        difficulty='hard',
        tags=['linked-list', 'heap', 'merge'],
        statement="""You are given an array lists of k singly linked lists; each list is sorted in non-decreasing order and may be empty.

Merge all of the lists into one sorted list, but keep only the values that occur exactly once in total across all the input lists; every value that occurs two or more times (inside one list or across different lists) must be dropped entirely.

Return the head of the resulting list, sorted in strictly increasing order. Return an empty list if nothing remains.

Example 1:

Input: lists = [list_node([1,3,5]), list_node([3,4]), list_node([5,6,6])]
Output: list_node([1, 4])
Explanation: 3 and 5 appear in two lists and 6 appears twice in the last list, so only 1 and 4 remain.

Example 2:

Input: lists = [list_node([]), list_node([-2,7])]
Output: list_node([-2, 7])

Example 3:

Input: lists = []
Output: list_node([])

Constraints:

0 <= k <= 10^4
The total number of nodes across all lists is at most 2 * 10^4.
-10^5 <= Node.val <= 10^5
Each lists[i] is sorted in non-decreasing order.""",
        starter_code="""class Solution:
    def mergeSingletons(self, lists: List[Optional[ListNode]]) -> Optional[ListNode]:
""",
        entry_point='Solution().mergeSingletons',
        reference_solution="""class Solution:
    def mergeSingletons(self, lists: List[Optional[ListNode]]) -> Optional[ListNode]:
        heap = [(node.val, i, node) for i, node in enumerate(lists) if node]
        heapify(heap)
        dummy = ListNode()
        tail = dummy
        cur_val, cur_cnt = None, 0
        while heap:
            val, i, node = heappop(heap)
            if node.next:
                heappush(heap, (node.next.val, i, node.next))
            if cur_cnt and val == cur_val:
                cur_cnt += 1
                continue
            if cur_cnt == 1:
                tail.next = ListNode(cur_val)
                tail = tail.next
            cur_val, cur_cnt = val, 1
        if cur_cnt == 1:
            tail.next = ListNode(cur_val)
        return dummy.next
""",
        wrong_solution="""class Solution:
    def mergeSingletons(self, lists: List[Optional[ListNode]]) -> Optional[ListNode]:
        heap = [(node.val, i, node) for i, node in enumerate(lists) if node]
        heapify(heap)
        dummy = ListNode()
        tail = dummy
        cur_val, cur_cnt = None, 0
        while heap:
            val, i, node = heappop(heap)
            if node.next:
                heappush(heap, (node.next.val, i, node.next))
            if cur_cnt and val == cur_val:
                cur_cnt += 1
                continue
            if cur_cnt == 1:
                tail.next = ListNode(cur_val)
                tail = tail.next
            cur_val, cur_cnt = val, 1
        return dummy.next
""",
        examples=[
            ('lists = [list_node([1,3,5]), list_node([3,4]), list_node([5,6,6])]', 'list_node([1, 4])'),
            ('lists = [list_node([]), list_node([-2,7])]', 'list_node([-2, 7])'),
            ('lists = []', 'list_node([])'),
        ],
        tests=[
            ('lists = [list_node([])]', 'list_node([])'),
            ('lists = [list_node([1])]', 'list_node([1])'),
            ('lists = [list_node([1,1])]', 'list_node([])'),
            ('lists = [list_node([1]), list_node([1])]', 'list_node([])'),
            ('lists = [list_node([1,2,2,3]), list_node([]), list_node([0,3])]', 'list_node([0, 1])'),
            ('lists = [list_node([-5,-5,-4]), list_node([-4,-3]), list_node([-3,10])]', 'list_node([10])'),
            ('lists = [list_node([1,2,3]), list_node([4,5,6]), list_node([7,8,9])]', 'list_node([1, 2, 3, 4, 5, 6, 7, 8, 9])'),
            ('lists = [list_node([2,2,2,2]), list_node([2])]', 'list_node([])'),
            ('lists = [list_node([0,100000]), list_node([-100000,0])]', 'list_node([-100000, 100000])'),
            ('lists = [list_node([1,4,9]), list_node([1,4,8]), list_node([9])]', 'list_node([8])'),
            ('lists = [list_node(sorted((i * j * 7) % 1000 for j in range(60))) for i in range(1, 80)]', 'list_node([19, 23, 37, 39, 41, 43, 61, 68, 74, 99, 102, 103, 109, 115, 122, 124, 149, 159, 163, 183, 198, 207, 215, 221, 229, 241, 242, 249, 258, 262, 283, 291, 317, 333, 334, 335, 345, 361, 373, 382, 397, 412, 419, 427, 431, 442, 443, 467, 473, 477, 479, 482, 486, 506, 516, 521, 527, 529, 531, 572, 577, 578, 594, 613, 621, 623, 627, 643, 647, 653, 659, 667, 668, 687, 690, 697, 703, 716, 723, 743, 745, 754, 767, 769, 789, 795, 797, 799, 801, 807, 810, 837, 838, 841, 843, 858, 863, 866, 874, 884, 886, 887, 892, 905, 908, 919, 939, 942, 951, 958, 963, 967, 972, 978, 981, 984, 988, 989])'),
            ('lists = [list_node(list(range(i, 3000, 7))) for i in range(7)] + [list_node(list(range(1, 3000, 2)))] + [list_node(list(range(0, 3000, 2))[:-5])]', 'list_node([2990, 2992, 2994, 2996, 2998])'),
            ('lists = [list_node([i] * 3) for i in range(1200)] + [list_node([-1, 1200, 5000])]', 'list_node([-1, 1200, 5000])'),
            ('lists = [list_node([]) for _ in range(5000)]', 'list_node([])'),
            ('lists = [list_node([-3, -2, 1, 7]), list_node([])]', 'list_node([-3, -2, 1, 7])'),
            ('lists = [list_node([-4, -2, -1, 2, 3, 6]), list_node([-2])]', 'list_node([-4, -1, 2, 3, 6])'),
            ('lists = [list_node([-5, -1, 0, 2, 6, 8]), list_node([1, 1, 7, 7, 8])]', 'list_node([-5, -1, 0, 2, 6])'),
            ('lists = [list_node([-3, 7]), list_node([1]), list_node([-5, -3, -2, 2, 8])]', 'list_node([-5, -2, 1, 2, 7, 8])'),
        ],
    ),
    dict(
        id='gr-list-next-taller-distance',
        difficulty='medium',
        tags=['linked-list', 'monotonic-stack'],
        statement="""You are given the head of a singly linked list of n nodes. For each node, find the nearest node after it (closer to the tail) whose value is strictly greater than its own value, and record how many steps forward that node is (the next node is 1 step away). If no later node has a strictly greater value, record 0.

Return an array answer of length n where answer[i] is the value recorded for the i-th node (0-indexed from the head).

Example 1:

Input: head = list_node([2,7,4,3,5])
Output: [1, 0, 2, 1, 0]
Explanation: 2 is followed immediately by 7. Nothing after 7 is larger. For 4 the nearest larger value is 5, two steps ahead. For 3 it is 5, one step ahead.

Example 2:

Input: head = list_node([5,5,6])
Output: [2, 1, 0]
Explanation: A node with an equal value does not count, so the first 5 must look 2 steps ahead.

Constraints:

The number of nodes in the list is in the range [1, 10^4].
-10^9 <= Node.val <= 10^9""",
        starter_code="""class Solution:
    def nextTallerDistance(self, head: Optional[ListNode]) -> List[int]:
""",
        entry_point='Solution().nextTallerDistance',
        reference_solution="""class Solution:
    def nextTallerDistance(self, head: Optional[ListNode]) -> List[int]:
        vals = []
        while head:
            vals.append(head.val)
            head = head.next
        ans = [0] * len(vals)
        stack = []
        for i, v in enumerate(vals):
            while stack and vals[stack[-1]] < v:
                j = stack.pop()
                ans[j] = i - j
            stack.append(i)
        return ans
""",
        wrong_solution="""class Solution:
    def nextTallerDistance(self, head: Optional[ListNode]) -> List[int]:
        vals = []
        while head:
            vals.append(head.val)
            head = head.next
        ans = [0] * len(vals)
        stack = []
        for i, v in enumerate(vals):
            while stack and vals[stack[-1]] <= v:
                j = stack.pop()
                ans[j] = i - j
            stack.append(i)
        return ans
""",
        examples=[
            ('head = list_node([2,7,4,3,5])', '[1, 0, 2, 1, 0]'),
            ('head = list_node([5,5,6])', '[2, 1, 0]'),
        ],
        tests=[
            ('head = list_node([1])', '[0]'),
            ('head = list_node([1,2])', '[1, 0]'),
            ('head = list_node([2,1])', '[0, 0]'),
            ('head = list_node([3,3,3,3])', '[0, 0, 0, 0]'),
            ('head = list_node([1,2,3,4,5])', '[1, 1, 1, 1, 0]'),
            ('head = list_node([5,4,3,2,1])', '[0, 0, 0, 0, 0]'),
            ('head = list_node([-1,-5,-1,0,-2])', '[3, 1, 1, 0, 0]'),
            ('head = list_node([4,1,1,1,1,5,4,4,6])', '[5, 4, 3, 2, 1, 3, 2, 1, 0]'),
            ('head = list_node([1000000000,-1000000000,999999999,1000000000])', '[0, 1, 1, 0]'),
            ('head = list_node([2,2,1,3,3,1,4])', '[3, 2, 1, 3, 2, 1, 0]'),
            ('head = list_node([(i * 37) % 11 for i in range(450)])', '[1, 1, 3, 1, 1, 3, 1, 1, 0, 1, 3, 1, 1, 3, 1, 1, 3, 1, 1, 0, 1, 3, 1, 1, 3, 1, 1, 3, 1, 1, 0, 1, 3, 1, 1, 3, 1, 1, 3, 1, 1, 0, 1, 3, 1, 1, 3, 1, 1, 3, 1, 1, 0, 1, 3, 1, 1, 3, 1, 1, 3, 1, 1, 0, 1, 3, 1, 1, 3, 1, 1, 3, 1, 1, 0, 1, 3, 1, 1, 3, 1, 1, 3, 1, 1, 0, 1, 3, 1, 1, 3, 1, 1, 3, 1, 1, 0, 1, 3, 1, 1, 3, 1, 1, 3, 1, 1, 0, 1, 3, 1, 1, 3, 1, 1, 3, 1, 1, 0, 1, 3, 1, 1, 3, 1, 1, 3, 1, 1, 0, 1, 3, 1, 1, 3, 1, 1, 3, 1, 1, 0, 1, 3, 1, 1, 3, 1, 1, 3, 1, 1, 0, 1, 3, 1, 1, 3, 1, 1, 3, 1, 1, 0, 1, 3, 1, 1, 3, 1, 1, 3, 1, 1, 0, 1, 3, 1, 1, 3, 1, 1, 3, 1, 1, 0, 1, 3, 1, 1, 3, 1, 1, 3, 1, 1, 0, 1, 3, 1, 1, 3, 1, 1, 3, 1, 1, 0, 1, 3, 1, 1, 3, 1, 1, 3, 1, 1, 0, 1, 3, 1, 1, 3, 1, 1, 3, 1, 1, 0, 1, 3, 1, 1, 3, 1, 1, 3, 1, 1, 0, 1, 3, 1, 1, 3, 1, 1, 3, 1, 1, 0, 1, 3, 1, 1, 3, 1, 1, 3, 1, 1, 0, 1, 3, 1, 1, 3, 1, 1, 3, 1, 1, 0, 1, 3, 1, 1, 3, 1, 1, 3, 1, 1, 0, 1, 3, 1, 1, 3, 1, 1, 3, 1, 1, 0, 1, 3, 1, 1, 3, 1, 1, 3, 1, 1, 0, 1, 3, 1, 1, 3, 1, 1, 3, 1, 1, 0, 1, 3, 1, 1, 3, 1, 1, 3, 1, 1, 0, 1, 3, 1, 1, 3, 1, 1, 3, 1, 1, 0, 1, 3, 1, 1, 3, 1, 1, 3, 1, 1, 0, 1, 3, 1, 1, 3, 1, 1, 3, 1, 1, 0, 1, 3, 1, 1, 3, 1, 1, 3, 1, 1, 0, 1, 3, 1, 1, 3, 1, 1, 3, 1, 1, 0, 1, 3, 1, 1, 3, 1, 1, 3, 1, 1, 0, 1, 3, 1, 1, 3, 1, 1, 3, 1, 1, 0, 1, 3, 1, 1, 3, 1, 1, 3, 1, 1, 0, 1, 3, 1, 1, 3, 1, 1, 3, 1, 1, 0, 1, 3, 1, 1, 3, 1, 1, 3, 1, 1, 0, 1, 3, 1, 1, 3, 1, 1, 3, 1, 1, 0, 0]'),
            ('head = list_node([((i * 7919) % 13) - 6 for i in range(500)])', '[1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 7, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 7, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 7, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 7, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 7, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 7, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 7, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 7, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 7, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 7, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 7, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 7, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 7, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 7, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 7, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 7, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 7, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 7, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 7, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 7, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 7, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 7, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 7, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 7, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 7, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 7, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 7, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 7, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 7, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 7, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 7, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 7, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 7, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 7, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 7, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 7, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 7, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 0]'),
            ('head = list_node([400 - i if i % 50 else 1000 for i in range(1, 401)])', '[49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]'),
            ('head = list_node([2, 2, 5, 0, 3, 5, 2, 5, 1, 5, 2])', '[2, 1, 0, 1, 1, 0, 1, 0, 1, 0, 0]'),
            ('head = list_node([2, -2, -2, 0, -2, 3, 5, 2, 0, -3, -2])', '[5, 2, 1, 2, 1, 1, 0, 0, 0, 1, 0]'),
            ('head = list_node([-2])', '[0]'),
            ('head = list_node([0, 4, 0])', '[1, 0, 0]'),
        ],
    ),
    dict(
        id='gr-list-rotate-segment',
        difficulty='medium',
        tags=['linked-list'],
        statement="""You are given the head of a singly linked list and three integers left, right and k, where positions are 1-indexed from the head and left <= right.

Rotate only the segment of nodes from position left to position right (inclusive) to the right by k places: in one rotation step, the last node of the segment moves to the front of the segment. Nodes outside the segment stay where they are.

Return the head of the modified list.

Example 1:

Input: head = list_node([1,2,3,4,5,6]), left = 2, right = 5, k = 1
Output: list_node([1, 5, 2, 3, 4, 6])
Explanation: The segment [2,3,4,5] rotated right by 1 becomes [5,2,3,4].

Example 2:

Input: head = list_node([7,8,9]), left = 1, right = 3, k = 4
Output: list_node([9, 7, 8])
Explanation: Rotating 3 nodes by 4 places is the same as rotating by 1.

Constraints:

The number of nodes in the list is n, where 1 <= n <= 5000.
-1000 <= Node.val <= 1000
1 <= left <= right <= n
0 <= k <= 2 * 10^9""",
        starter_code="""class Solution:
    def rotateSegment(self, head: Optional[ListNode], left: int, right: int, k: int) -> Optional[ListNode]:
""",
        entry_point='Solution().rotateSegment',
        reference_solution="""class Solution:
    def rotateSegment(self, head: Optional[ListNode], left: int, right: int, k: int) -> Optional[ListNode]:
        dummy = ListNode(0, head)
        prev = dummy
        for _ in range(left - 1):
            prev = prev.next
        start = prev.next
        tail = start
        m = 1
        while m < right - left + 1:
            tail = tail.next
            m += 1
        after = tail.next
        k %= m
        if k == 0:
            return dummy.next
        p = start
        for _ in range(m - k - 1):
            p = p.next
        new_start = p.next
        p.next = after
        tail.next = start
        prev.next = new_start
        return dummy.next
""",
        wrong_solution="""class Solution:
    def rotateSegment(self, head: Optional[ListNode], left: int, right: int, k: int) -> Optional[ListNode]:
        n = 0
        cur = head
        while cur:
            n += 1
            cur = cur.next
        dummy = ListNode(0, head)
        prev = dummy
        for _ in range(left - 1):
            prev = prev.next
        start = prev.next
        tail = start
        m = 1
        while m < right - left + 1:
            tail = tail.next
            m += 1
        after = tail.next
        k %= n
        if k == 0 or k >= m:
            return dummy.next
        p = start
        for _ in range(m - k - 1):
            p = p.next
        new_start = p.next
        p.next = after
        tail.next = start
        prev.next = new_start
        return dummy.next
""",
        examples=[
            ('head = list_node([1,2,3,4,5,6]), left = 2, right = 5, k = 1', 'list_node([1, 5, 2, 3, 4, 6])'),
            ('head = list_node([7,8,9]), left = 1, right = 3, k = 4', 'list_node([9, 7, 8])'),
        ],
        tests=[
            ('head = list_node([1]), left = 1, right = 1, k = 0', 'list_node([1])'),
            ('head = list_node([1]), left = 1, right = 1, k = 1000000000', 'list_node([1])'),
            ('head = list_node([1,2]), left = 1, right = 2, k = 1', 'list_node([2, 1])'),
            ('head = list_node([1,2,3,4,5]), left = 3, right = 3, k = 7', 'list_node([1, 2, 3, 4, 5])'),
            ('head = list_node([1,2,3,4,5]), left = 1, right = 4, k = 4', 'list_node([1, 2, 3, 4, 5])'),
            ('head = list_node([1,2,3,4,5]), left = 1, right = 4, k = 5', 'list_node([4, 1, 2, 3, 5])'),
            ('head = list_node([1,2,3,4,5]), left = 2, right = 5, k = 3', 'list_node([1, 3, 4, 5, 2])'),
            ('head = list_node([1,2,3,4,5,6,7]), left = 4, right = 6, k = 2', 'list_node([1, 2, 3, 5, 6, 4, 7])'),
            ('head = list_node([-1,-2,-3,-4,-5,-6,-7,-8]), left = 2, right = 7, k = 8', 'list_node([-1, -6, -7, -2, -3, -4, -5, -8])'),
            ('head = list_node([5,5,1,5,5]), left = 1, right = 5, k = 2', 'list_node([5, 5, 5, 5, 1])'),
            ('head = list_node([(i * 13) % 21 - 10 for i in range(400)]), left = 17, right = 333, k = 2000000000', 'list_node([-10, 3, -5, 8, 0, -8, 5, -3, 10, 2, -6, 7, -1, -9, 4, -4, -7, 6, -2, -10, 3, -5, 8, 0, -8, 5, -3, 10, 2, -6, 7, -1, -9, 4, -4, 9, 1, -7, 6, -2, -10, 3, -5, 8, 0, -8, 5, -3, 10, 2, -6, 7, -1, -9, 4, -4, 9, 1, -7, 6, -2, -10, 3, -5, 8, 0, -8, 5, -3, 10, 2, -6, 7, -1, -9, 4, -4, 9, 1, -7, 6, -2, -10, 3, -5, 8, 0, -8, 5, -3, 10, 2, -6, 7, -1, -9, 4, -4, 9, 1, 9, 1, -7, 6, -2, -10, 3, -5, 8, 0, -8, 5, -3, 10, 2, -6, 7, -1, -9, 4, -4, 9, 1, -7, 6, -2, -10, 3, -5, 8, 0, -8, 5, -3, 10, 2, -6, 7, -1, -9, 4, -4, 9, 1, -7, 6, -2, -10, 3, -5, 8, 0, -8, 5, -3, 10, 2, -6, 7, -1, -9, 4, -4, 9, 1, -7, 6, -2, -10, 3, -5, 8, 0, -8, 5, -3, 10, 2, -6, 7, -1, -9, 4, -4, 9, 1, -7, 6, -2, -10, 3, -5, 8, 0, -8, 5, -3, 10, 2, -6, 7, -1, -9, 4, -4, 9, 1, -7, 6, -2, -10, 3, -5, 8, 0, -8, 5, -3, 10, 2, -6, 7, -1, -9, 4, -4, 9, 1, -7, 6, -2, -10, 3, -5, 8, 0, -8, 5, -3, 10, 2, -6, 7, -1, -9, 4, -4, 9, 1, -7, 6, -2, -10, 3, -5, 8, 0, -8, 5, -3, 10, 2, -6, 7, -1, -9, 4, -4, 9, 1, -7, 6, -2, -10, 3, -5, 8, 0, -8, 5, -3, 10, 2, -6, 7, -1, -9, 4, -4, 9, 1, -7, 6, -2, -10, 3, -5, 8, 0, -8, 5, -3, 10, 2, -6, 7, -1, -9, 4, -4, 9, 1, -7, 6, -2, -10, 3, -5, 8, 0, -8, 5, -3, 10, 2, -6, 7, -1, -9, 4, -4, 9, 1, -7, 6, -2, -10, 3, -5, 8, 0, -8, 5, -3, 10, 2, -6, 7, -1, -9, 4, -4, 9, 1, -7, 6, -2, -10, 3, -5, 8, 0, -8, 5, -3, 10, 2, -6, 7, -1, -9, 4, -4, 9, 1, -7, 6, -2, -10, 3, -5, 8, 0, -8, 5, -3, 10, 2, -6, 7, -1, -9, 4, -4, 9, 1, -7, 6, -2, -10])'),
            ('head = list_node([i % 10 for i in range(550)]), left = 250, right = 550, k = 1999999999', 'list_node([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8])'),
            ('head = list_node([(i * 7) % 10 for i in range(450)]), left = 1, right = 449, k = 1234567891', 'list_node([8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 0, 7, 4, 1, 3])'),
            ('head = list_node([3]), left = 1, right = 1, k = 18', 'list_node([3])'),
            ('head = list_node([1, 6]), left = 2, right = 2, k = 1', 'list_node([1, 6])'),
            ('head = list_node([0, 1, 9, 3, 6, 9, 3]), left = 1, right = 2, k = 12', 'list_node([0, 1, 9, 3, 6, 9, 3])'),
            ('head = list_node([2, 2, 5, 0, 4, 4, 0, 9]), left = 5, right = 5, k = 1', 'list_node([2, 2, 5, 0, 4, 4, 0, 9])'),
        ],
    ),
    dict(
        id='gr-tree-alternating-parity-path',
        difficulty='hard',
        tags=['binary-tree', 'dfs', 'dynamic-programming'],
        statement="""You are given the root of a binary tree whose nodes hold integer values (possibly negative). A path is a sequence of distinct nodes in which every two consecutive nodes are joined by a tree edge (parent and child); a path contains at least one node and does not need to pass through the root.

A path is alternating if every two consecutive nodes on it have values of different parity (one even and one odd). Parity is the usual mathematical one, so -3 is odd and -4 and 0 are even. A single node is always an alternating path.

Return the maximum possible sum of the values on an alternating path.

Example 1:

Input: root = tree_node([1,2,3,4,5])
Output: 8
Explanation: The edge 1-3 joins two odd values and the edge 2-4 joins two even values, so they cannot be used. The best alternating path is 5 -> 2 -> 1 with sum 8.

Example 2:

Input: root = tree_node([-3,-6,-5])
Output: -3
Explanation: All values are negative; the best choice is the single node -3.

Constraints:

The number of nodes in the tree is in the range [1, 10^4].
-10^4 <= Node.val <= 10^4
The depth of the tree does not exceed 500.""",
        starter_code="""class Solution:
    def maxAlternatingPathSum(self, root: Optional[TreeNode]) -> int:
""",
        entry_point='Solution().maxAlternatingPathSum',
        reference_solution="""class Solution:
    def maxAlternatingPathSum(self, root: Optional[TreeNode]) -> int:
        order = []
        stack = [root]
        while stack:
            node = stack.pop()
            order.append(node)
            if node.left:
                stack.append(node.left)
            if node.right:
                stack.append(node.right)
        down = {}
        best = -inf
        for node in reversed(order):
            v = node.val
            c1 = c2 = 0
            for ch in (node.left, node.right):
                if ch is not None and (ch.val - v) % 2 != 0:
                    g = down[ch]
                    if g > c1:
                        c1, c2 = g, c1
                    elif g > c2:
                        c2 = g
            down[node] = v + c1
            best = max(best, v + c1 + c2)
        return best
""",
        wrong_solution="""class Solution:
    def maxAlternatingPathSum(self, root: Optional[TreeNode]) -> int:
        self.best = 0

        def dfs(node):
            if node is None:
                return 0
            l = dfs(node.left)
            r = dfs(node.right)
            if node.left is None or (node.left.val - node.val) % 2 == 0:
                l = 0
            if node.right is None or (node.right.val - node.val) % 2 == 0:
                r = 0
            l, r = max(l, 0), max(r, 0)
            self.best = max(self.best, node.val + l + r)
            return node.val + max(l, r)

        dfs(root)
        return self.best
""",
        examples=[
            ('root = tree_node([1,2,3,4,5])', '8'),
            ('root = tree_node([-3,-6,-5])', '-3'),
        ],
        tests=[
            ('root = tree_node([7])', '7'),
            ('root = tree_node([-7])', '-7'),
            ('root = tree_node([0])', '0'),
            ('root = tree_node([2,4,6])', '6'),
            ('root = tree_node([2,3,5])', '10'),
            ('root = tree_node([-2,-1,-3,-4,-6])', '-1'),
            ('root = tree_node([1,2,None,3,None,4,None,5])', '15'),
            ('root = tree_node([1,2,None,3,None,3,None,4])', '7'),
            ('root = tree_node([10,-3,7,2,-8,None,4,1,None,None,-100,6])', '21'),
            ('root = tree_node([5,6,8,-1,7,9,-2,100,-4,None,None,1,None,None,3])', '127'),
            ('root = tree_node([(i * 37) % 201 - 100 for i in range(3000)])', '357'),
            ('root = tree_node([(i * 7919) % 2001 - 1000 if i % 5 != 1 else None for i in range(4000)])', '3433'),
            ('root = tree_node([0] + [x for i in range(1, 450) for x in (None, (i * 13) % 30 - 9)])', '2484'),
            ('root = tree_node([-7, -3, None, -5, -5, None, None, None, -4])', '-3'),
            ('root = tree_node([7, 9])', '9'),
            ('root = tree_node([3, 8, None, None, -5, None, 3])', '11'),
            ('root = tree_node([4, -6, 4, -6, 9])', '9'),
            ('root = tree_node([5, -5, -2, 8, None, None, 6])', '8'),
        ],
    ),
    dict(
        id='gr-tree-prune-light-branches',
        difficulty='medium',
        tags=['binary-tree', 'dfs'],
        statement="""You are given the root of a binary tree and an integer limit. The weight of a node is the sum of the values of all nodes in its subtree (the node itself and all of its descendants), measured in the original tree before any changes.

Remove every node whose weight is strictly less than limit, together with its entire subtree. All weights are decided on the original tree, so removing one subtree does not change the weight of any other node.

Return the root of the remaining tree, or an empty tree if the root itself is removed.

Example 1:

Input: root = tree_node([5,-8,3,2,-1,None,4]), limit = 0
Output: tree_node([5, None, 3, None, 4])
Explanation: The weights are: 2 -> 2, -1 -> -1, -8 -> -7, 4 -> 4, 3 -> 7, 5 -> 5. The node -8 has weight -7 < 0, so it is removed with its subtree (which also contains the light node -1).

Example 2:

Input: root = tree_node([1,2,3]), limit = 10
Output: tree_node([])
Explanation: The root's weight is 6 < 10, so the whole tree is removed.

Constraints:

The number of nodes in the tree is in the range [1, 10^4].
-10^5 <= Node.val <= 10^5
-10^9 <= limit <= 10^9
The depth of the tree does not exceed 500.""",
        starter_code="""class Solution:
    def pruneLight(self, root: Optional[TreeNode], limit: int) -> Optional[TreeNode]:
""",
        entry_point='Solution().pruneLight',
        reference_solution="""class Solution:
    def pruneLight(self, root: Optional[TreeNode], limit: int) -> Optional[TreeNode]:
        order = []
        stack = [root]
        while stack:
            node = stack.pop()
            order.append(node)
            if node.left:
                stack.append(node.left)
            if node.right:
                stack.append(node.right)
        weight = {}
        for node in reversed(order):
            w = node.val
            if node.left:
                w += weight[node.left]
            if node.right:
                w += weight[node.right]
            weight[node] = w
        if weight[root] < limit:
            return None
        stack = [root]
        while stack:
            node = stack.pop()
            if node.left and weight[node.left] < limit:
                node.left = None
            if node.right and weight[node.right] < limit:
                node.right = None
            if node.left:
                stack.append(node.left)
            if node.right:
                stack.append(node.right)
        return root
""",
        wrong_solution="""class Solution:
    def pruneLight(self, root: Optional[TreeNode], limit: int) -> Optional[TreeNode]:
        def go(node):
            if node is None:
                return None, 0
            node.left, ls = go(node.left)
            node.right, rs = go(node.right)
            s = node.val + ls + rs
            if s < limit:
                return None, 0
            return node, s

        return go(root)[0]
""",
        examples=[
            ('root = tree_node([5,-8,3,2,-1,None,4]), limit = 0', 'tree_node([5, None, 3, None, 4])'),
            ('root = tree_node([1,2,3]), limit = 10', 'tree_node([])'),
        ],
        tests=[
            ('root = tree_node([4]), limit = 4', 'tree_node([4])'),
            ('root = tree_node([4]), limit = 5', 'tree_node([])'),
            ('root = tree_node([0,-1,1]), limit = 0', 'tree_node([0, None, 1])'),
            ('root = tree_node([1,-5,3,8]), limit = 3', 'tree_node([1, -5, 3, 8])'),
            ('root = tree_node([10,-2,-3,1,None,None,-4]), limit = -1', 'tree_node([10, -2, None, 1])'),
            ('root = tree_node([3,-7,2,6,-1,-3,4]), limit = 0', 'tree_node([3, None, 2, None, 4])'),
            ('root = tree_node([2,-3,None,5,-20,None,None,9]), limit = 1', 'tree_node([])'),
            ('root = tree_node([-5,10,3,None,-1]), limit = -10', 'tree_node([-5, 10, 3, None, -1])'),
            ('root = tree_node([1,1,1,1,1,1,1]), limit = 1', 'tree_node([1, 1, 1, 1, 1, 1, 1])'),
            ('root = tree_node([1,1,1,1,1,1,1]), limit = 2', 'tree_node([1, 1, 1])'),
            ('root = tree_node([(i * 37) % 201 - 100 for i in range(4000)]), limit = 150', 'tree_node([])'),
            ('root = tree_node([(i * 7919) % 2001 - 1000 if i % 7 != 3 else None for i in range(5000)]), limit = 2500', 'tree_node([-1000, None, 831, 576, None, 236, None, None, -529, None, 282, None, 243, 760, None, 813, 728, None, 533, 448, None, 947, 862, None, 692, 872, None, 702, None, None, None, -783, None, None, 963, 692])'),
            ('root = tree_node([5] + [x for i in range(1, 450) for x in ((i * 11) % 7 - 3, (i * 13) % 30 - 9)]), limit = 80', 'tree_node([5, 1, 4, -2, 17, 2, 0, -1, 13, 3, -4, 0, 9, -3, -8, 1, 5, -2, 18, 2, 1, -1, 14, 3, -3, 0, 10, None, None, None, 6, -2, None, 2, None, -1, None, 3, -2, 0, 11, None, -6, None, None, -2, 20, None, 3, -1, 16, None, -1, 0, 12, None, None, None, None, None, None, None, None, None, None, None, None, None, None, None, 14])'),
            ('root = tree_node([-1, None, -1, -6, -6, None, -3, None, None, 0, None, 5, 3]), limit = 0', 'tree_node([])'),
            ('root = tree_node([2, 2, -5, None, 5, -6, None, None, None, None, 3, -2, -6, None, -6, 2]), limit = 3', 'tree_node([])'),
            ('root = tree_node([-6, -6, None, 5, -4, -3, None, None, None, None, 1]), limit = 3', 'tree_node([])'),
            ('root = tree_node([1, 6, -5, -6, None, None, None, None, -1]), limit = 2', 'tree_node([])'),
            ('root = tree_node([-5, -2, 0, None, None, 3, 1, None, None, -3, None, -1]), limit = 1', 'tree_node([])'),
        ],
    ),
    dict(
        id='gr-tree-distinct-root-paths',
        difficulty='medium',
        tags=['binary-tree', 'dfs', 'hash-set'],
        statement="""You are given the root of a binary tree. A node is called fresh if the values on the path from the root down to that node (including both the root and the node) are pairwise distinct.

Return the number of fresh nodes in the tree.

Example 1:

Input: root = tree_node([3,1,3,1,2,None,4])
Output: 3
Explanation: The fresh nodes are the root 3, its left child 1 (path 3,1) and the node 2 (path 3,1,2). The right child 3 repeats the root's value, so neither it nor its child 4 is fresh, and the lower 1 repeats the value of its parent.

Example 2:

Input: root = tree_node([7])
Output: 1

Constraints:

The number of nodes in the tree is in the range [1, 10^4].
-10^9 <= Node.val <= 10^9
The depth of the tree does not exceed 500.""",
        starter_code="""class Solution:
    def countFreshNodes(self, root: Optional[TreeNode]) -> int:
""",
        entry_point='Solution().countFreshNodes',
        reference_solution="""class Solution:
    def countFreshNodes(self, root: Optional[TreeNode]) -> int:
        seen = set()
        count = 0
        stack = [(root, True)]
        while stack:
            node, entering = stack.pop()
            if not entering:
                seen.discard(node.val)
                continue
            if node.val in seen:
                continue
            count += 1
            seen.add(node.val)
            stack.append((node, False))
            if node.left:
                stack.append((node.left, True))
            if node.right:
                stack.append((node.right, True))
        return count
""",
        wrong_solution="""class Solution:
    def countFreshNodes(self, root: Optional[TreeNode]) -> int:
        # only compares each node with its parent
        count = 0
        stack = [(root, None)]
        while stack:
            node, parent_val = stack.pop()
            if node.val == parent_val:
                continue
            count += 1
            if node.left:
                stack.append((node.left, node.val))
            if node.right:
                stack.append((node.right, node.val))
        return count
""",
        examples=[
            ('root = tree_node([3,1,3,1,2,None,4])', '3'),
            ('root = tree_node([7])', '1'),
        ],
        tests=[
            ('root = tree_node([1])', '1'),
            ('root = tree_node([1,1,1])', '1'),
            ('root = tree_node([1,2,3])', '3'),
            ('root = tree_node([1,2,None,1,None,3])', '2'),
            ('root = tree_node([1,2,None,3,None,1,None,4])', '3'),
            ('root = tree_node([5,4,6,4,5,6,5])', '3'),
            ('root = tree_node([-1,1,-1,-1,1,1,-1])', '2'),
            ('root = tree_node([1000000000,-1000000000,1000000000,None,-1000000000])', '2'),
            ('root = tree_node([2,1,3,3,4,1,4,4,5,5,None,2])', '10'),
            ('root = tree_node([1,2,3,4,5,6,7,8,9,10,11,12,13,14,15])', '15'),
            ('root = tree_node([(i * 37) % 23 for i in range(5000)])', '955'),
            ('root = tree_node([(i * 7919) % 5003 for i in range(6000)])', '5990'),
            ('root = tree_node([0] + [x for i in range(1, 480) for x in ((i * 3) % 17 + 1000, (i * 5) % 700 + 1)])', '712'),
            ('root = tree_node([2, 3, 2, None, 4])', '3'),
            ('root = tree_node([1, 3, 2, None, None, 2, 2, 4, None, 1, 1, None, None, None, 4, None, 2])', '3'),
            ('root = tree_node([1, None, 2, 3])', '3'),
            ('root = tree_node([4, 2, 4, 4, None, 4, 3, None, None, None, 4])', '2'),
            ('root = tree_node([2, None, 2, 1, 3, None, None, 2, 2, None, 2, None, None, 4])', '1'),
        ],
    ),
    dict(
        id='gr-tree-collapse-chains',
        difficulty='medium',
        tags=['binary-tree', 'recursion'],
        statement="""You are given the root of a binary tree. Repeatedly apply the following operation while it is possible: pick any node that has exactly one child and remove it, putting its only child (with that child's whole subtree) in the removed node's place. If the removed node was the root, its child becomes the new root; otherwise the child is attached to the removed node's parent on the same side (left or right) that the removed node occupied.

When no node has exactly one child, every node has either zero or two children. It can be shown that the final tree does not depend on the order in which the operations are performed. Return its root.

Example 1:

Input: root = tree_node([1,2,3,None,4,None,None,5,6])
Output: tree_node([1, 4, 3, 5, 6])
Explanation: Node 2 has only the right child 4, so 4 takes its place as the left child of 1.

Example 2:

Input: root = tree_node([1,None,2,None,3])
Output: tree_node([3])
Explanation: The whole tree is a chain; only the leaf 3 survives.

Constraints:

The number of nodes in the tree is in the range [1, 10^4].
-1000 <= Node.val <= 1000
The depth of the tree does not exceed 500.""",
        starter_code="""class Solution:
    def collapseChains(self, root: Optional[TreeNode]) -> Optional[TreeNode]:
""",
        entry_point='Solution().collapseChains',
        reference_solution="""class Solution:
    def collapseChains(self, root: Optional[TreeNode]) -> Optional[TreeNode]:
        def skip(node):
            while node is not None and (node.left is None) != (node.right is None):
                node = node.left if node.left is not None else node.right
            return node

        root = skip(root)
        stack = [root]
        while stack:
            node = stack.pop()
            if node.left is not None:
                node.left = skip(node.left)
                node.right = skip(node.right)
                stack.append(node.left)
                stack.append(node.right)
        return root
""",
        wrong_solution="""class Solution:
    def collapseChains(self, root: Optional[TreeNode]) -> Optional[TreeNode]:
        def fix(node):
            if node is None:
                return None
            if (node.left is None) != (node.right is None):
                node = node.left if node.left is not None else node.right
            node.left = fix(node.left)
            node.right = fix(node.right)
            return node

        return fix(root)
""",
        examples=[
            ('root = tree_node([1,2,3,None,4,None,None,5,6])', 'tree_node([1, 4, 3, 5, 6])'),
            ('root = tree_node([1,None,2,None,3])', 'tree_node([3])'),
        ],
        tests=[
            ('root = tree_node([1])', 'tree_node([1])'),
            ('root = tree_node([1,2])', 'tree_node([2])'),
            ('root = tree_node([1,2,3])', 'tree_node([1, 2, 3])'),
            ('root = tree_node([1,2,None,3,4])', 'tree_node([2, 3, 4])'),
            ('root = tree_node([1,2,3,4,None,None,5,6,7,8])', 'tree_node([1, 4, 8, 6, 7])'),
            ('root = tree_node([1,2,None,3,None,4,None,5,6])', 'tree_node([4, 5, 6])'),
            ('root = tree_node([0,1,2,None,3,4,None,5,None,None,6,7,8])', 'tree_node([0, 5, 6, 7, 8])'),
            ('root = tree_node([1,2,3,4,5,6,7])', 'tree_node([1, 2, 3, 4, 5, 6, 7])'),
            ('root = tree_node([-1,-2,None,None,-3,-4,-5,None,-6,None,-7])', 'tree_node([-3, -6, -7])'),
            ('root = tree_node([9,8,7,6,None,None,5,None,4,3,None,2,1])', 'tree_node([9, 4, 3, 2, 1])'),
            ('root = tree_node([i % 1000 for i in range(1, 40)] + [None] * 40 + [x for i in range(1, 2000) for x in ((i * 7) % 100, None)])', 'tree_node([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39])'),
            ('root = tree_node([0] + [x for i in range(1, 480) for x in ((i * 3) % 50, None if i % 20 else -i)])', 'tree_node([7, 42, 14, 49, 34, 21, 13, 41, 12, None, None, 37, 28, 27, 20, 22, 25, 28, 31, None, None, 19, 35, 7, 10, 5, 19, None, None, None, None, None, None, None, None, 21, 24, 6, 4, None, None, None, None, 13, 16, None, None, None, None, None, None, 34, 1, None, None, None, None, None, None, 27, 48, None, None, None, None, 26, 33, 14, 33, 7, -380, 30, -460, None, None, 36, 39, 0, 48, None, None, None, None, None, None, None, None, 42, 45])'),
            ('root = tree_node([1] + [x for i in range(1, 3000) for x in (((i * 37) % 1000, None) if i % 40 else ((i * 37) % 1000, -(i % 1000)))])', 'tree_node([443, 329, 886, 101, 772, 759, 88, 483, 544, 658, 215, 113, 150, 632, 446, None, None, 404, 518, 604, 873, 645, 987, None, None, None, None, 174, 505, None, None, 718, 948, 733, 391, 1, 38, 834, 531, 667, 176, 852, 430, 503, 298, 415, 409, 819, 557, 972, 402, 779, 816, 529, 389, None, None, None, None, 86, 187, 189, 275, None, None, 744, 815, None, None, 974, 316, 187, 933, None, None, 335, 372, None, None, 520, -960, None, None, 594, 630, 705, 742, None, None, None, None, 853, 890, 927, 964, 731, 60, 223, 260, 277, 556, 593, 630, 704, 376, None, None, 746, 75, 961, 202, None, None, 224, 261, None, None, None, None, None, None, None, None, None, None, 631, 668, None, None, None, None, None, None, None, None, None, None, None, None, 75, 112, 149, 186, None, None, None, None, 643, -560, None, None, None, None, None, None, None, None, 741, 778, 847, 299, 617, 516, 619, 632, 417, 290, None, None, None, None, None, None, None, None, None, None, None, None, None, None, None, None, 297, 334, 200, 519, None, None, None, None, 288, 946, None, None, 336, 373, 161, 484, 301, 595, None, None, 303, 860, 62, 73, None, None, None, None, 371, 959, None, None, 889, 926, 963, 262, None, None, None, None, 410, 447, None, None, 521, 558, None, None, 669, 706, 743, 780, 858, 845, 39, 76, None, None, 490, 482, None, None, None, None, None, None, None, None, None, None, None, None, None, None, None, None, None, None, None, None, None, None, None, None, 817, 47, 832, 2, None, None, None, None, 408, 445, None, None, None, None, 854, 891, 928, 965])'),
            ('root = tree_node([9, 3, None, None, 8])', 'tree_node([8])'),
            ('root = tree_node([0, None, 3])', 'tree_node([3])'),
            ('root = tree_node([0, None, 7, None, 8, 3, None, None, 3])', 'tree_node([3])'),
            ('root = tree_node([7, 6, 8, 0, 3, 8, None, None, None, None, None, 7])', 'tree_node([7, 6, 7, 0, 3])'),
        ],
    ),
]
