"""Bundled problems: arrays, hashing, two pointers, sliding window, prefix sums, sorting/greedy on arrays."""

PROBLEMS = [
    dict(
        id='arr-seesaw-segments',
        difficulty='medium',
        tags=['arrays', 'prefix-sum', 'hash-table'],
        statement="""A toy maker tests weights on a seesaw. You are given an integer array weights. To test a contiguous segment weights[l..r], the weights are placed one at a time in order: the first weight of the segment goes on the left side, the second on the right side, the third on the left side again, and so on, alternating.

A segment is balanced if the total weight on the left side equals the total weight on the right side.

Return the number of non-empty contiguous segments of weights that are balanced.

Example 1:

Input: weights = [1,2,1,3,2]
Output: 2
Explanation: The balanced segments are [1,2,1] (1 + 1 = 2) and [1,3,2] (1 + 2 = 3).

Example 2:

Input: weights = [0,0]
Output: 3
Explanation: All three segments [0], [0] and [0,0] are balanced.

Constraints:

1 <= weights.length <= 10^5
0 <= weights[i] <= 10^4
""",
        starter_code="""class Solution:
    def countBalancedSegments(self, weights: List[int]) -> int:
""",
        entry_point='Solution().countBalancedSegments',
        reference_solution="""class Solution:
    def countBalancedSegments(self, weights: List[int]) -> int:
        seen = {0: 1}
        cur = 0
        ans = 0
        for i, w in enumerate(weights):
            cur += w if i % 2 == 0 else -w
            ans += seen.get(cur, 0)
            seen[cur] = seen.get(cur, 0) + 1
        return ans
""",
        wrong_solution="""class Solution:
    def countBalancedSegments(self, weights: List[int]) -> int:
        seen = {}
        cur = 0
        ans = 0
        for i, w in enumerate(weights):
            cur += w if i % 2 == 0 else -w
            ans += seen.get(cur, 0)
            seen[cur] = seen.get(cur, 0) + 1
        return ans
""",
        examples=[
            ('weights = [1,2,1,3,2]', '2'),
            ('weights = [0,0]', '3'),
        ],
        tests=[
            ('weights = [5]', '0'),
            ('weights = [0]', '1'),
            ('weights = [3,3]', '1'),
            ('weights = [1,2,3,4]', '0'),
            ('weights = [2,1,1,2,2,1,1,2]', '10'),
            ('weights = [0,0,0,0,0,0]', '21'),
            ('weights = [4,4,4,4,4,4,4]', '12'),
            ('weights = [1,0,1,0,1,0]', '3'),
            ('weights = [7,3,4,10,2,8,1,9]', '1'),
            ('weights = [10000,10000,10000,10000,10000]', '6'),
            ('weights = [1,2,1,3,2,1,2,1,3,2]', '9'),
            ('weights = [(i * 37) % 11 for i in range(20000)]', '14041324'),
            ('weights = [1] * 30000', '225000000'),
            ('weights = [(i * i * 7 + 3 * i) % 5 for i in range(25000)]', '81245000'),
        ],
    ),
    dict(
        id='arr-playlist-variety',
        difficulty='medium',
        tags=['arrays', 'sliding-window', 'hash-table'],
        statement="""A radio station has a fixed playlist where genres[i] is the genre ID of the i-th song. The host wants to broadcast one contiguous block of the playlist that is both focused and varied:

- the block contains songs from at most k distinct genres, and
- no single genre appears more than m times in the block.

Return the maximum number of songs in such a block.

Example 1:

Input: genres = [1,2,1,1,3,2,2], k = 2, m = 2
Output: 3
Explanation: The block [2,1,1] uses 2 genres and genre 1 appears twice. Every block of length 4 either contains 3 distinct genres or contains genre 1 three times.

Example 2:

Input: genres = [5,5,5,5], k = 1, m = 4
Output: 4

Constraints:

1 <= genres.length <= 10^5
1 <= genres[i] <= 10^9
1 <= k <= genres.length
1 <= m <= genres.length
""",
        starter_code="""class Solution:
    def longestBlock(self, genres: List[int], k: int, m: int) -> int:
""",
        entry_point='Solution().longestBlock',
        reference_solution="""class Solution:
    def longestBlock(self, genres: List[int], k: int, m: int) -> int:
        cnt = {}
        left = 0
        best = 0
        for right, g in enumerate(genres):
            cnt[g] = cnt.get(g, 0) + 1
            while len(cnt) > k or cnt[g] > m:
                h = genres[left]
                cnt[h] -= 1
                if cnt[h] == 0:
                    del cnt[h]
                left += 1
            best = max(best, right - left + 1)
        return best
""",
        wrong_solution="""class Solution:
    def longestBlock(self, genres: List[int], k: int, m: int) -> int:
        cnt = {}
        left = 0
        best = 0
        for right, g in enumerate(genres):
            cnt[g] = cnt.get(g, 0) + 1
            while len(cnt) > k:
                h = genres[left]
                cnt[h] -= 1
                if cnt[h] == 0:
                    del cnt[h]
                left += 1
            if cnt[g] > m:
                h = genres[left]
                cnt[h] -= 1
                if cnt[h] == 0:
                    del cnt[h]
                left += 1
            best = max(best, right - left + 1)
        return best
""",
        examples=[
            ('genres = [1,2,1,1,3,2,2], k = 2, m = 2', '3'),
            ('genres = [5,5,5,5], k = 1, m = 4', '4'),
        ],
        tests=[
            ('genres = [7], k = 1, m = 1', '1'),
            ('genres = [1,1,1,1,1], k = 1, m = 2', '2'),
            ('genres = [1,2,3,4,5], k = 5, m = 1', '5'),
            ('genres = [1,2,3,4,5], k = 2, m = 5', '2'),
            ('genres = [1,2,1,2,1,2,1], k = 2, m = 3', '6'),
            ('genres = [1,2,1,2,1,2,1], k = 2, m = 4', '7'),
            ('genres = [4,4,1,4,2,2,2,3,3,1], k = 3, m = 2', '5'),
            ('genres = [9,8,9,8,7,7,7,7,8,9], k = 2, m = 3', '4'),
            ('genres = [1000000000,1,1000000000,1,5], k = 3, m = 1', '3'),
            ('genres = [3,1,3,3,2,1,1,2,3,2,1,2], k = 2, m = 2', '4'),
            ('genres = [2,2,2,3,3,3,2,2,2], k = 2, m = 3', '6'),
            ('genres = [(i * 7919) % 13 + 1 for i in range(30000)], k = 6, m = 4', '6'),
            ('genres = [(i // 3) % 50 for i in range(40000)], k = 10, m = 25', '30'),
            ('genres = [(i * i) % 97 for i in range(30000)], k = 40, m = 3', '80'),
        ],
    ),
    dict(
        id='arr-calm-sum-windows',
        difficulty='hard',
        tags=['arrays', 'sliding-window', 'monotonic-queue'],
        statement="""A seismograph records non-negative energy readings, where readings[i] is the energy measured in the i-th second. A contiguous time window readings[l..r] is called calm if both of the following hold:

- the difference between the largest and the smallest reading inside the window is at most k, and
- the total energy of the window (the sum of its readings) is at most s.

Return the number of non-empty contiguous windows that are calm.

Example 1:

Input: readings = [2,4,3,8,1], k = 2, s = 9
Output: 8
Explanation: The calm windows are the five single readings, [2,4], [4,3] and [2,4,3] (range 4 - 2 = 2, sum 9). Any window containing 8 together with another reading has a range greater than 2.

Example 2:

Input: readings = [5,5,5], k = 0, s = 4
Output: 0
Explanation: Every single reading already exceeds the energy limit.

Constraints:

1 <= readings.length <= 10^5
0 <= readings[i] <= 10^9
0 <= k <= 10^9
0 <= s <= 10^15
""",
        starter_code="""class Solution:
    def countCalmWindows(self, readings: List[int], k: int, s: int) -> int:
""",
        entry_point='Solution().countCalmWindows',
        reference_solution="""class Solution:
    def countCalmWindows(self, readings: List[int], k: int, s: int) -> int:
        mx = deque()
        mn = deque()
        left = 0
        total = 0
        ans = 0
        for right, x in enumerate(readings):
            total += x
            while mx and readings[mx[-1]] <= x:
                mx.pop()
            mx.append(right)
            while mn and readings[mn[-1]] >= x:
                mn.pop()
            mn.append(right)
            while left <= right and (total > s or readings[mx[0]] - readings[mn[0]] > k):
                total -= readings[left]
                if mx[0] == left:
                    mx.popleft()
                if mn[0] == left:
                    mn.popleft()
                left += 1
            ans += right - left + 1
        return ans
""",
        wrong_solution="""class Solution:
    def countCalmWindows(self, readings: List[int], k: int, s: int) -> int:
        mx = deque()
        mn = deque()
        left = 0
        total = 0
        ans = 0
        for right, x in enumerate(readings):
            total += x
            while mx and readings[mx[-1]] <= x:
                mx.pop()
            mx.append(right)
            while mn and readings[mn[-1]] >= x:
                mn.pop()
            mn.append(right)
            while left <= right and (total > s or readings[mx[0]] - readings[mn[0]] > k):
                total -= readings[left]
                if mx[0] == left:
                    mx.popleft()
                left += 1
            ans += right - left + 1
        return ans
""",
        examples=[
            ('readings = [2,4,3,8,1], k = 2, s = 9', '8'),
            ('readings = [5,5,5], k = 0, s = 4', '0'),
        ],
        tests=[
            ('readings = [0], k = 0, s = 0', '1'),
            ('readings = [3], k = 0, s = 2', '0'),
            ('readings = [1,1,1,1], k = 0, s = 100', '10'),
            ('readings = [1,1,1,1], k = 0, s = 2', '7'),
            ('readings = [1,5,1,5,1], k = 3, s = 100', '5'),
            ('readings = [0,0,0,10,0,0], k = 10, s = 10', '21'),
            ('readings = [4,2,6,3,5,1,7], k = 3, s = 12', '10'),
            ('readings = [1000000000,1000000000,999999999], k = 1, s = 3000000000', '6'),
            ('readings = [9,1,9,1,9], k = 8, s = 19', '12'),
            ('readings = [2,3,2,3,4,5,4,3,2], k = 2, s = 10', '22'),
            ('readings = [6,0,6,0,6,0], k = 5, s = 100', '6'),
            ('readings = [(i * 37) % 101 for i in range(20000)], k = 60, s = 400', '32673'),
            ('readings = [(i * i) % 1009 + 500 for i in range(20000)], k = 900, s = 100000', '255560'),
            ('readings = [i % 50 for i in range(20000)], k = 30, s = 1000', '432000'),
        ],
    ),
    dict(
        id='arr-grade-streaks',
        difficulty='hard',
        tags=['arrays', 'prefix-sum', 'binary-indexed-tree', 'sorting'],
        statement="""A student receives one quiz score per day, given as an integer array scores. A streak is any non-empty contiguous range of days scores[l..r]. A streak is worth celebrating if the average score over its days is at least t, that is, if (scores[l] + ... + scores[r]) >= t * (r - l + 1).

Return the number of streaks that are worth celebrating.

Example 1:

Input: scores = [3,7,5], t = 5
Output: 5
Explanation: The streaks [7], [5], [3,7], [7,5] and [3,7,5] have averages 7, 5, 5, 6 and 5. Only [3] has an average below 5.

Example 2:

Input: scores = [1,2,1], t = 3
Output: 0

Constraints:

1 <= scores.length <= 10^5
0 <= scores[i] <= 100
0 <= t <= 100
""",
        starter_code="""class Solution:
    def countStreaks(self, scores: List[int], t: int) -> int:
""",
        entry_point='Solution().countStreaks',
        reference_solution="""class Solution:
    def countStreaks(self, scores: List[int], t: int) -> int:
        pre = [0]
        for x in scores:
            pre.append(pre[-1] + x - t)
        vals = sorted(set(pre))
        idx = {v: i + 1 for i, v in enumerate(vals)}
        m = len(vals)
        tree = [0] * (m + 1)
        ans = 0
        for p in pre:
            i = idx[p]
            j = i
            while j > 0:
                ans += tree[j]
                j -= j & -j
            while i <= m:
                tree[i] += 1
                i += i & -i
        return ans
""",
        wrong_solution="""class Solution:
    def countStreaks(self, scores: List[int], t: int) -> int:
        pre = [0]
        for x in scores:
            pre.append(pre[-1] + x - t)
        vals = sorted(set(pre))
        idx = {v: i + 1 for i, v in enumerate(vals)}
        m = len(vals)
        tree = [0] * (m + 1)
        ans = 0
        for p in pre:
            i = idx[p]
            j = i - 1
            while j > 0:
                ans += tree[j]
                j -= j & -j
            while i <= m:
                tree[i] += 1
                i += i & -i
        return ans
""",
        examples=[
            ('scores = [3,7,5], t = 5', '5'),
            ('scores = [1,2,1], t = 3', '0'),
        ],
        tests=[
            ('scores = [0], t = 0', '1'),
            ('scores = [0], t = 1', '0'),
            ('scores = [100], t = 100', '1'),
            ('scores = [4,4,4,4], t = 4', '10'),
            ('scores = [10,0,10,0,10], t = 5', '12'),
            ('scores = [1,9,2,8,3,7], t = 6', '5'),
            ('scores = [5,4,6,3,7,2,8], t = 5', '16'),
            ('scores = [0,0,0,100], t = 25', '4'),
            ('scores = [50,49,51,48,52,47,53], t = 50', '16'),
            ('scores = [100,100,100], t = 0', '6'),
            ('scores = [3,3,2,9,1,1,7,8,0,5], t = 4', '30'),
            ('scores = [(i * 37) % 101 for i in range(10000)], t = 50', '25568433'),
            ('scores = [(i * i + 3 * i) % 100 for i in range(10000)], t = 49', '140896'),
            ('scores = [i % 7 for i in range(10000)], t = 3', '31628059'),
        ],
    ),
    dict(
        id='arr-triple-budget',
        difficulty='medium',
        tags=['arrays', 'two-pointers', 'sorting'],
        statement="""A chef is designing three-ingredient dishes. Each ingredient has an integer flavor score given in flavors (bitter ingredients have negative scores). A dish uses three different ingredients, i.e. three distinct indices i < j < k, and its taste is flavors[i] + flavors[j] + flavors[k].

A dish is acceptable if lo <= taste <= hi. Return the number of index triples (i, j, k) with i < j < k that form an acceptable dish.

Example 1:

Input: flavors = [1,-2,4,0,3], lo = 2, hi = 5
Output: 6
Explanation: The acceptable triples have tastes 1 + (-2) + 4 = 3, 1 + (-2) + 3 = 2, 1 + 4 + 0 = 5, 1 + 0 + 3 = 4, (-2) + 4 + 0 = 2 and (-2) + 4 + 3 = 5.

Example 2:

Input: flavors = [2,2,2,2], lo = 6, hi = 6
Output: 4
Explanation: Every one of the 4 possible triples has taste 6.

Constraints:

3 <= flavors.length <= 1000
-10^4 <= flavors[i] <= 10^4
-3 * 10^4 <= lo <= hi <= 3 * 10^4
""",
        starter_code="""class Solution:
    def countTriples(self, flavors: List[int], lo: int, hi: int) -> int:
""",
        entry_point='Solution().countTriples',
        reference_solution="""class Solution:
    def countTriples(self, flavors: List[int], lo: int, hi: int) -> int:
        a = sorted(flavors)
        n = len(a)

        def at_most(limit):
            total = 0
            for i in range(n - 2):
                j, k = i + 1, n - 1
                while j < k:
                    if a[i] + a[j] + a[k] <= limit:
                        total += k - j
                        j += 1
                    else:
                        k -= 1
            return total

        return at_most(hi) - at_most(lo - 1)
""",
        wrong_solution="""class Solution:
    def countTriples(self, flavors: List[int], lo: int, hi: int) -> int:
        a = sorted(flavors)
        n = len(a)

        def at_most(limit):
            total = 0
            for i in range(n - 2):
                j, k = i + 1, n - 1
                while j < k:
                    if a[i] + a[j] + a[k] <= limit:
                        total += k - j
                        j += 1
                    else:
                        k -= 1
            return total

        return at_most(hi) - at_most(lo)
""",
        examples=[
            ('flavors = [1,-2,4,0,3], lo = 2, hi = 5', '6'),
            ('flavors = [2,2,2,2], lo = 6, hi = 6', '4'),
        ],
        tests=[
            ('flavors = [1,2,3], lo = 6, hi = 6', '1'),
            ('flavors = [1,2,3], lo = 7, hi = 10', '0'),
            ('flavors = [-5,-5,-5], lo = -15, hi = -15', '1'),
            ('flavors = [0,0,0,0,0], lo = 0, hi = 0', '10'),
            ('flavors = [0,0,0,0,0], lo = 1, hi = 5', '0'),
            ('flavors = [-3,-1,0,2,4,5], lo = 0, hi = 3', '7'),
            ('flavors = [10000,10000,10000,-10000], lo = 10000, hi = 30000', '4'),
            ('flavors = [5,-2,7,1,-8,3,3,0], lo = -4, hi = 4', '23'),
            ('flavors = [1,1,2,2,3,3], lo = 5, hi = 7', '16'),
            ('flavors = [-1,-1,-1,1,1,1], lo = -1, hi = 1', '18'),
            ('flavors = [9,-7,4,-3,6,-2,8,-5,1], lo = -30000, hi = 30000', '84'),
            ('flavors = [(i * 37) % 201 - 100 for i in range(300)], lo = -20, hi = 35', '921096'),
            ('flavors = [(i * i * 13 + 7 * i) % 20001 - 10000 for i in range(300)], lo = -5000, hi = 2500', '1203150'),
            ('flavors = [i % 10 for i in range(280)], lo = 12, hi = 12', '265132'),
        ],
    ),
    dict(
        id='arr-robot-rendezvous',
        difficulty='hard',
        tags=['arrays', 'sliding-window', 'binary-indexed-tree', 'median'],
        statement="""Robots are parked along a straight rail. The robots have serial numbers 0, 1, ..., n - 1, and positions[i] is the integer coordinate of robot i (several robots may share a coordinate, and positions are not sorted).

For a maintenance job you must pick exactly k robots with consecutive serial numbers, i.e. robots i, i + 1, ..., i + k - 1 for some i, and move all of them to one common integer coordinate. Moving a robot by one unit costs 1.

Return the minimum total movement cost over all valid choices of the k robots and the meeting coordinate.

Example 1:

Input: positions = [1,10,2,9,3], k = 3
Output: 7
Explanation: Choosing robots 2, 3 and 4 (positions 2, 9, 3) and meeting at coordinate 3 costs 1 + 6 + 0 = 7. Robots 0, 1, 2 meeting at 2 cost 1 + 8 + 0 = 9, and robots 1, 2, 3 meeting at 9 cost 1 + 7 + 0 = 8.

Example 2:

Input: positions = [4,-4], k = 1
Output: 0
Explanation: A single robot does not need to move.

Constraints:

1 <= k <= positions.length <= 10^5
-10^9 <= positions[i] <= 10^9
""",
        starter_code="""class Solution:
    def minGatherCost(self, positions: List[int], k: int) -> int:
""",
        entry_point='Solution().minGatherCost',
        reference_solution="""class Solution:
    def minGatherCost(self, positions: List[int], k: int) -> int:
        vals = sorted(set(positions))
        rank = {v: i + 1 for i, v in enumerate(vals)}
        m = len(vals)
        cnt = [0] * (m + 1)
        sm = [0] * (m + 1)
        log = m.bit_length()

        def update(i, c, s):
            while i <= m:
                cnt[i] += c
                sm[i] += s
                i += i & -i

        def kth(t):
            pos = 0
            c = 0
            s = 0
            for b in range(log, -1, -1):
                nxt = pos + (1 << b)
                if nxt <= m and c + cnt[nxt] < t:
                    pos = nxt
                    c += cnt[nxt]
                    s += sm[nxt]
            return pos + 1, c, s

        best = None
        total = 0
        half = (k + 1) // 2
        for i, x in enumerate(positions):
            update(rank[x], 1, x)
            total += x
            if i >= k:
                y = positions[i - k]
                update(rank[y], -1, -y)
                total -= y
            if i >= k - 1:
                r, c, s = kth(half)
                med = vals[r - 1]
                cost = med * c - s + (total - s) - med * (k - c)
                if best is None or cost < best:
                    best = cost
        return best
""",
        wrong_solution="""class Solution:
    def minGatherCost(self, positions: List[int], k: int) -> int:
        best = None
        for i in range(len(positions) - k + 1):
            window = positions[i:i + k]
            target = round(sum(window) / k)
            cost = sum(abs(x - target) for x in window)
            if best is None or cost < best:
                best = cost
        return best
""",
        examples=[
            ('positions = [1,10,2,9,3], k = 3', '7'),
            ('positions = [4,-4], k = 1', '0'),
        ],
        tests=[
            ('positions = [5], k = 1', '0'),
            ('positions = [0,0,0,0], k = 4', '0'),
            ('positions = [3,-3], k = 2', '6'),
            ('positions = [1,2,3,4,5,6], k = 6', '9'),
            ('positions = [1,2,3,4,5,6], k = 5', '6'),
            ('positions = [0,0,0,0,0,0,100,1,2], k = 3', '0'),
            ('positions = [0,1,0,0,1,1,1,0,0,0], k = 6', '2'),
            ('positions = [-1000000000,1000000000,-1000000000,1000000000], k = 3', '2000000000'),
            ('positions = [7,1,7,1,7,1,7], k = 4', '12'),
            ('positions = [10,20,30,1,2,100,101,102,50], k = 3', '2'),
            ('positions = [0,0,9,0,0,9,9,9], k = 4', '9'),
            ('positions = [(i * 7919) % 10007 - 5000 for i in range(5000)], k = 500', '1247546'),
            ('positions = [(i * i * 31 + 17 * i) % 1000003 for i in range(5000)], k = 37', '387486'),
            ('positions = [(i * 37) % 101 for i in range(6000)], k = 2', '37'),
        ],
    ),
    dict(
        id='arr-unique-shelf',
        difficulty='medium',
        tags=['arrays', 'two-pointers', 'hash-table'],
        statement="""A library shelf holds books in a row, where books[i] is the edition ID of the i-th book. The librarian wants every edition on the shelf to be unique, but she is only allowed to take out one contiguous run of books (she may also take out nothing). The books to the left and to the right of the removed run stay on the shelf.

Return the minimum number of books she has to remove so that no two remaining books share an edition ID.

Example 1:

Input: books = [1,2,3,9,3,4,2,5]
Output: 2
Explanation: Removing the run [2,3] (indices 1 and 2) leaves [1,9,3,4,2,5]. Removing a single book cannot fix both repeated editions 2 and 3.

Example 2:

Input: books = [6,7,8]
Output: 0
Explanation: All editions are already unique.

Constraints:

1 <= books.length <= 10^5
1 <= books[i] <= 10^9
""",
        starter_code="""class Solution:
    def minRemoval(self, books: List[int]) -> int:
""",
        entry_point='Solution().minRemoval',
        reference_solution="""class Solution:
    def minRemoval(self, books: List[int]) -> int:
        n = len(books)
        suf = set()
        j = n
        while j > 0 and books[j - 1] not in suf:
            j -= 1
            suf.add(books[j])
        best = j
        pre = set()
        for i, x in enumerate(books):
            if x in pre:
                break
            pre.add(x)
            while x in suf or j <= i:
                suf.discard(books[j])
                j += 1
            best = min(best, j - i - 1)
        return best
""",
        wrong_solution="""class Solution:
    def minRemoval(self, books: List[int]) -> int:
        n = len(books)
        seen = set()
        p = 0
        while p < n and books[p] not in seen:
            seen.add(books[p])
            p += 1
        seen = set()
        q = n
        while q > 0 and books[q - 1] not in seen:
            q -= 1
            seen.add(books[q])
        return min(n - p, q)
""",
        examples=[
            ('books = [1,2,3,9,3,4,2,5]', '2'),
            ('books = [6,7,8]', '0'),
        ],
        tests=[
            ('books = [1]', '0'),
            ('books = [1,1]', '1'),
            ('books = [1,1,1,1,1]', '4'),
            ('books = [1,2,1]', '1'),
            ('books = [1,2,3,4,1]', '1'),
            ('books = [1,2,3,1,2,3]', '3'),
            ('books = [5,1,2,5,3,4,5]', '4'),
            ('books = [1,2,2,3,4,3]', '2'),
            ('books = [9,8,7,6,5,4,3,2,1,9]', '1'),
            ('books = [1,2,3,4,5,6,7,1,8,9,2,10]', '2'),
            ('books = [1000000000,1,2,1000000000,3,1]', '2'),
            ('books = [3,1,4,1,5,9,2,6,5,3,5]', '7'),
            ('books = [i % 5000 for i in range(20000)]', '15000'),
            ('books = list(range(10000)) + [7] + list(range(20000, 30000))', '1'),
            ('books = [(i * 7919) % 40000 for i in range(30000)] + [123, 456, 123]', '3'),
        ],
    ),
    dict(
        id='arr-longest-budget-run',
        difficulty='hard',
        tags=['arrays', 'prefix-sum', 'binary-search'],
        statement="""A small business logs its daily net cash flow in nums, where nums[i] is the net change on day i (positive values are expenses paid out, negative values are refunds received). For a contiguous period of days nums[l..r], its total cost is nums[l] + nums[l + 1] + ... + nums[r].

Given an integer budget, return the length of the longest contiguous period whose total cost is at most budget. If no non-empty period satisfies this, return 0.

Example 1:

Input: nums = [4,-1,5,-6,2,3], budget = 3
Output: 5
Explanation: The period [-1,5,-6,2,3] (days 1 to 5) costs 3, and the whole log costs 7.

Example 2:

Input: nums = [5,7], budget = 4
Output: 0

Constraints:

1 <= nums.length <= 10^5
-10^4 <= nums[i] <= 10^4
-10^9 <= budget <= 10^9
""",
        starter_code="""class Solution:
    def longestRun(self, nums: List[int], budget: int) -> int:
""",
        entry_point='Solution().longestRun',
        reference_solution="""class Solution:
    def longestRun(self, nums: List[int], budget: int) -> int:
        pre = 0
        prefmax = [0]
        best = 0
        for j, x in enumerate(nums, 1):
            pre += x
            i = bisect_left(prefmax, pre - budget)
            if i < j:
                best = max(best, j - i)
            prefmax.append(max(prefmax[-1], pre))
        return best
""",
        wrong_solution="""class Solution:
    def longestRun(self, nums: List[int], budget: int) -> int:
        left = 0
        total = 0
        best = 0
        for right, x in enumerate(nums):
            total += x
            while left <= right and total > budget:
                total -= nums[left]
                left += 1
            best = max(best, right - left + 1)
        return best
""",
        examples=[
            ('nums = [4,-1,5,-6,2,3], budget = 3', '5'),
            ('nums = [5,7], budget = 4', '0'),
        ],
        tests=[
            ('nums = [0], budget = 0', '1'),
            ('nums = [1], budget = 0', '0'),
            ('nums = [-1], budget = -1', '1'),
            ('nums = [-1], budget = -2', '0'),
            ('nums = [3,-5,3], budget = 1', '3'),
            ('nums = [5,-10,5,1], budget = 0', '3'),
            ('nums = [2,2,2,2], budget = 5', '2'),
            ('nums = [10,-3,-3,-3,10,-3], budget = 0', '5'),
            ('nums = [-2,-2,-2,-2], budget = -3', '4'),
            ('nums = [1,2,3,-10,1,2,3], budget = 2', '7'),
            ('nums = [10000,-10000,10000,-10000,10000], budget = -1', '3'),
            ('nums = [6,-1,-1,-1,-1,-1,9,-20,8], budget = -4', '8'),
            ('nums = [(i * 37) % 201 - 95 for i in range(30000)], budget = -500', '0'),
            ('nums = [(i * i * 13 + 5 * i) % 2001 - 1000 for i in range(30000)], budget = 2000', '30000'),
            ('nums = [5] * 15000 + [-7] * 15000, budget = -100', '30000'),
        ],
    ),
    dict(
        id='arr-near-twin-badges',
        difficulty='medium',
        tags=['arrays', 'hash-table', 'bit-manipulation'],
        statement="""Every employee badge stores an integer code, given in the array codes. Two badges are near twins if the binary representations of their codes differ in at most one bit position (so badges with identical codes are near twins as well).

Return the number of index pairs (i, j) with i < j such that badges i and j are near twins.

Example 1:

Input: codes = [5,4,7,5]
Output: 5
Explanation: The near-twin pairs are (0, 1): 101 and 100, (0, 2): 101 and 111, (0, 3): equal codes, (1, 3): 100 and 101, and (2, 3): 111 and 101.

Example 2:

Input: codes = [0,3]
Output: 0
Explanation: 0 and 3 (binary 11) differ in two bit positions.

Constraints:

1 <= codes.length <= 10^5
0 <= codes[i] <= 10^6
""",
        starter_code="""class Solution:
    def countNearTwins(self, codes: List[int]) -> int:
""",
        entry_point='Solution().countNearTwins',
        reference_solution="""class Solution:
    def countNearTwins(self, codes: List[int]) -> int:
        cnt = Counter(codes)
        ans = 0
        for v, c in cnt.items():
            ans += c * (c - 1) // 2
            for b in range(20):
                w = v ^ (1 << b)
                if w > v and w in cnt:
                    ans += c * cnt[w]
        return ans
""",
        wrong_solution="""class Solution:
    def countNearTwins(self, codes: List[int]) -> int:
        cnt = Counter(codes)
        bits = max(codes).bit_length() - 1
        ans = 0
        for v, c in cnt.items():
            ans += c * (c - 1) // 2
            for b in range(bits):
                w = v ^ (1 << b)
                if w > v and w in cnt:
                    ans += c * cnt[w]
        return ans
""",
        examples=[
            ('codes = [5,4,7,5]', '5'),
            ('codes = [0,3]', '0'),
        ],
        tests=[
            ('codes = [0]', '0'),
            ('codes = [0,0]', '1'),
            ('codes = [0,1]', '1'),
            ('codes = [1,2]', '0'),
            ('codes = [8,0,8,0]', '6'),
            ('codes = [1,2,4,8,16]', '0'),
            ('codes = [0,1,2,4,8,16]', '5'),
            ('codes = [1000000,1000000,475712,999999]', '3'),
            ('codes = [524288,0,524289,1]', '4'),
            ('codes = [6,7,6,2,3,14,15]', '11'),
            ('codes = [1023,511,767,895,1022,1021]', '5'),
            ('codes = [(i * 7919) % 4096 for i in range(20000)]', '625710'),
            ('codes = [(i * i) % 1000001 for i in range(8000)]', '735'),
            ('codes = [1 << (i % 20) for i in range(20000)]', '9990000'),
        ],
    ),
    dict(
        id='arr-overbooked-hall',
        difficulty='medium',
        tags=['arrays', 'sorting', 'prefix-sum', 'sweep-line'],
        statement="""A concert hall accepts group bookings. bookings[i] = [start_i, end_i, people_i] means that a group of people_i people occupies the hall during the half-open time interval [start_i, end_i), i.e. they arrive at time start_i and leave at time end_i (at time end_i they are no longer inside). Bookings may overlap arbitrarily.

The hall is overbooked at a moment if the total number of people inside is strictly greater than capacity. Return the total length of time during which the hall is overbooked.

Example 1:

Input: bookings = [[1,5,30],[3,8,40],[4,6,10]], capacity = 60
Output: 2
Explanation: During [3,4) there are 70 people and during [4,5) there are 80 people. During [5,6) there are only 50 people, so the hall is overbooked for 2 time units.

Example 2:

Input: bookings = [[0,10,5],[10,20,5]], capacity = 5
Output: 0
Explanation: The first group leaves exactly when the second arrives, so there are never more than 5 people inside.

Constraints:

1 <= bookings.length <= 10^5
0 <= start_i < end_i <= 10^9
1 <= people_i <= 10^4
1 <= capacity <= 10^9
""",
        starter_code="""class Solution:
    def overbookedTime(self, bookings: List[List[int]], capacity: int) -> int:
""",
        entry_point='Solution().overbookedTime',
        reference_solution="""class Solution:
    def overbookedTime(self, bookings: List[List[int]], capacity: int) -> int:
        delta = {}
        for s, e, p in bookings:
            delta[s] = delta.get(s, 0) + p
            delta[e] = delta.get(e, 0) - p
        times = sorted(delta)
        cur = 0
        total = 0
        for a, b in zip(times, times[1:]):
            cur += delta[a]
            if cur > capacity:
                total += b - a
        return total
""",
        wrong_solution="""class Solution:
    def overbookedTime(self, bookings: List[List[int]], capacity: int) -> int:
        delta = {}
        for s, e, p in bookings:
            delta[s] = delta.get(s, 0) + p
            delta[e + 1] = delta.get(e + 1, 0) - p
        times = sorted(delta)
        cur = 0
        total = 0
        for a, b in zip(times, times[1:]):
            cur += delta[a]
            if cur > capacity:
                total += b - a
        return total
""",
        examples=[
            ('bookings = [[1,5,30],[3,8,40],[4,6,10]], capacity = 60', '2'),
            ('bookings = [[0,10,5],[10,20,5]], capacity = 5', '0'),
        ],
        tests=[
            ('bookings = [[0,1,2]], capacity = 1', '1'),
            ('bookings = [[0,1,1]], capacity = 1', '0'),
            ('bookings = [[0,1000000000,10000]], capacity = 9999', '1000000000'),
            ('bookings = [[0,5,3],[5,10,3],[10,15,3]], capacity = 2', '15'),
            ('bookings = [[0,10,1],[0,10,1],[0,10,1]], capacity = 2', '10'),
            ('bookings = [[2,4,1],[1,6,1],[3,9,1],[5,7,1]], capacity = 2', '2'),
            ('bookings = [[0,3,4],[3,6,4],[2,4,4]], capacity = 4', '2'),
            ('bookings = [[10,20,5],[15,25,5],[12,18,5],[30,40,100]], capacity = 10', '13'),
            ('bookings = [[0,100,50],[20,30,50],[25,26,1],[60,61,1]], capacity = 99', '10'),
            ('bookings = [[1,2,1],[1,2,1],[1,2,1],[2,3,3]], capacity = 2', '2'),
            ('bookings = [[5,9,2],[0,6,2],[8,12,2],[6,8,3]], capacity = 3', '4'),
            ('bookings = [[(i * 7919) % 100000, (i * 7919) % 100000 + (i * 31) % 500 + 1, (i * 13) % 50 + 1] for i in range(10000)], capacity = 1500', '0'),
            ('bookings = [[i * 3, i * 3 + 10, 1 + i % 3] for i in range(10000)], capacity = 7', '6664'),
            ('bookings = [[0, 1000000000 - i, 1] for i in range(10000)], capacity = 5000', '999995000'),
        ],
    ),
    dict(
        id='arr-drone-deliveries',
        difficulty='medium',
        tags=['arrays', 'greedy', 'sorting', 'union-find'],
        statement="""A delivery company has a fleet of drones, where capacities[i] is the maximum weight the i-th drone can lift. There are also packages waiting, where packages[j] = [weight_j, reward_j].

Each drone can carry at most one package, and a drone can carry package j only if weight_j <= capacities[i]. Each package can be delivered at most once. Delivering package j earns reward_j.

Return the maximum total reward that can be earned by assigning packages to drones.

Example 1:

Input: capacities = [5,10], packages = [[3,4],[8,9],[2,5]]
Output: 14
Explanation: Give the package of weight 2 (reward 5) to the drone with capacity 5 and the package of weight 8 (reward 9) to the drone with capacity 10.

Example 2:

Input: capacities = [1,1], packages = [[2,100]]
Output: 0
Explanation: No drone can lift the package.

Constraints:

1 <= capacities.length <= 10^5
1 <= packages.length <= 10^5
1 <= capacities[i], weight_j <= 10^9
1 <= reward_j <= 10^4
""",
        starter_code="""class Solution:
    def maxReward(self, capacities: List[int], packages: List[List[int]]) -> int:
""",
        entry_point='Solution().maxReward',
        reference_solution="""class Solution:
    def maxReward(self, capacities: List[int], packages: List[List[int]]) -> int:
        drones = sorted(capacities)
        n = len(drones)
        parent = list(range(n + 1))

        def find(x):
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        total = 0
        for w, r in sorted(packages, key=lambda p: -p[1]):
            i = find(bisect_left(drones, w))
            if i < n:
                parent[i] = i + 1
                total += r
        return total
""",
        wrong_solution="""class Solution:
    def maxReward(self, capacities: List[int], packages: List[List[int]]) -> int:
        drones = sorted(capacities)
        total = 0
        for w, r in sorted(packages, key=lambda p: -p[1]):
            if drones and drones[-1] >= w:
                drones.pop()
                total += r
        return total
""",
        examples=[
            ('capacities = [5,10], packages = [[3,4],[8,9],[2,5]]', '14'),
            ('capacities = [1,1], packages = [[2,100]]', '0'),
        ],
        tests=[
            ('capacities = [1], packages = [[1,1]]', '1'),
            ('capacities = [3], packages = [[4,7]]', '0'),
            ('capacities = [10], packages = [[1,3],[2,8],[5,6]]', '8'),
            ('capacities = [2,4,6], packages = [[6,1],[4,1],[2,1]]', '3'),
            ('capacities = [6,6,6], packages = [[1,5],[1,5],[1,5],[1,5]]', '15'),
            ('capacities = [3,7], packages = [[7,10],[1,1],[3,10]]', '20'),
            ('capacities = [5,5,9], packages = [[9,3],[5,4],[4,4],[2,2]]', '11'),
            ('capacities = [1000000000,1], packages = [[1,10000],[1000000000,10000],[2,9999]]', '20000'),
            ('capacities = [4,8,2,6], packages = [[7,9],[3,9],[1,1],[5,8],[8,20],[2,2]]', '39'),
            ('capacities = [2,3,4,5], packages = [[1,1],[2,2],[3,3],[4,4],[5,5]]', '14'),
            ('capacities = [10,1,10], packages = [[1,5],[10,6],[10,7],[1,4]]', '18'),
            ('capacities = [(i * 7919) % 100000 + 1 for i in range(8000)], packages = [[(i * 104729) % 120000 + 1, (i * 31) % 10000 + 1] for i in range(10000)]', '41586340'),
            ('capacities = [1 + i % 1000 for i in range(8000)], packages = [[1 + (i * 37) % 1000, 1 + (i * 53) % 97] for i in range(10000)]', '469519'),
            ('capacities = [500] * 5000, packages = [[i % 1000 + 1, i % 1000 + 1] for i in range(10000)]', '1252500'),
        ],
    ),
    dict(
        id='arr-billboard-campaigns',
        difficulty='hard',
        tags=['arrays', 'prefix-sum', 'dynamic-programming', 'sliding-window'],
        statement="""A billboard owner has a forecast values where values[d] is the profit (possibly negative) of showing an advertisement on day d. An advertiser wants to run exactly k campaigns, and every campaign occupies exactly m consecutive days. Two campaigns cannot share a day, but they may be adjacent.

The value of a plan is the sum of values[d] over all days d covered by some campaign. Return the maximum possible value of a plan with exactly k campaigns.

Example 1:

Input: values = [1,5,5,1], k = 2, m = 2
Output: 12
Explanation: Use days [0,1] and [2,3] for a value of 6 + 6 = 12. The single best window, days [1,2] with value 10, leaves no room for a second campaign.

Example 2:

Input: values = [-3,-1,-2], k = 1, m = 2
Output: -3
Explanation: A campaign must be run even if it loses money. Days [1,2] lose 3, days [0,1] lose 4.

Constraints:

1 <= m <= values.length <= 2000
1 <= k <= 100
k * m <= values.length
-10^4 <= values[i] <= 10^4
""",
        starter_code="""class Solution:
    def maxCampaignValue(self, values: List[int], k: int, m: int) -> int:
""",
        entry_point='Solution().maxCampaignValue',
        reference_solution="""class Solution:
    def maxCampaignValue(self, values: List[int], k: int, m: int) -> int:
        n = len(values)
        win = [0] * (n - m + 1)
        s = sum(values[:m])
        win[0] = s
        for i in range(1, n - m + 1):
            s += values[i + m - 1] - values[i - 1]
            win[i] = s
        neg = float('-inf')
        prev = [0] * (n + 1)
        for j in range(1, k + 1):
            cur = [neg] * (n + 1)
            for i in range(j * m, n + 1):
                a = cur[i - 1]
                b = prev[i - m] + win[i - m]
                cur[i] = a if a > b else b
            prev = cur
        return prev[n]
""",
        wrong_solution="""class Solution:
    def maxCampaignValue(self, values: List[int], k: int, m: int) -> int:
        n = len(values)
        win = [(sum(values[i:i + m]), i) for i in range(n - m + 1)]
        win.sort(key=lambda t: -t[0])
        used = [False] * n
        total = 0
        chosen = 0
        for s, i in win:
            if chosen == k:
                break
            if not any(used[i:i + m]):
                for d in range(i, i + m):
                    used[d] = True
                total += s
                chosen += 1
        return total
""",
        examples=[
            ('values = [1,5,5,1], k = 2, m = 2', '12'),
            ('values = [-3,-1,-2], k = 1, m = 2', '-3'),
        ],
        tests=[
            ('values = [7], k = 1, m = 1', '7'),
            ('values = [-7], k = 1, m = 1', '-7'),
            ('values = [1,2,3,4], k = 4, m = 1', '10'),
            ('values = [1,2,3,4], k = 2, m = 2', '10'),
            ('values = [1,2,3,4], k = 1, m = 4', '10'),
            ('values = [5,-1,5,-1,5], k = 2, m = 2', '8'),
            ('values = [3,10,3,0,0,3,10,3], k = 2, m = 3', '32'),
            ('values = [0,10,10,0,10,10,0], k = 3, m = 2', '40'),
            ('values = [-5,-5,4,-5,-5,4,-5], k = 2, m = 1', '8'),
            ('values = [2,9,2,2,9,2,2,9,2], k = 3, m = 3', '39'),
            ('values = [1,1,8,1,1,8,1,1], k = 2, m = 4', '22'),
            ('values = [10000,-10000,10000,-10000,10000,-10000], k = 3, m = 2', '0'),
            ('values = [2,6,6,2,0,4,9,4], k = 3, m = 2', '29'),
            ('values = [1,4,4,1,3,8,8,3], k = 4, m = 2', '32'),
            ('values = [3,1,1,3,9,9,9,1,1,3], k = 2, m = 3', '32'),
            ('values = [(i * 37) % 201 - 100 for i in range(2000)], k = 20, m = 7', '4190'),
            ('values = [(i * i * 13 + 5 * i) % 2001 - 1000 for i in range(2000)], k = 8, m = 50', '60997'),
            ('values = [(i * 7919) % 20001 - 10000 for i in range(1500)], k = 30, m = 3', '394734'),
        ],
    ),
    dict(
        id='arr-three-sensor-sync',
        difficulty='medium',
        tags=['arrays', 'two-pointers', 'sorting'],
        statement="""Three independent sensors each logged the timestamps of the events they detected, given as integer arrays nums1, nums2 and nums3 (each array is unsorted and may contain repeated timestamps). To calibrate the sensors you must pick exactly one timestamp from each of the three arrays, say x from nums1, y from nums2 and z from nums3.

The span of such a choice is max(x, y, z) - min(x, y, z). Return the minimum possible span.

Example 1:

Input: nums1 = [1,20,9], nums2 = [14,4], nums3 = [30,11,2]
Output: 3
Explanation: Choosing 1, 4 and 2 gives a span of 4 - 1 = 3. Choosing 9, 14 and 11 gives 14 - 9 = 5.

Example 2:

Input: nums1 = [5], nums2 = [5,6], nums3 = [5]
Output: 0

Constraints:

1 <= nums1.length, nums2.length, nums3.length <= 10^5
-10^9 <= nums1[i], nums2[i], nums3[i] <= 10^9
""",
        starter_code="""class Solution:
    def minSpan(self, nums1: List[int], nums2: List[int], nums3: List[int]) -> int:
""",
        entry_point='Solution().minSpan',
        reference_solution="""class Solution:
    def minSpan(self, nums1: List[int], nums2: List[int], nums3: List[int]) -> int:
        xs = [sorted(nums1), sorted(nums2), sorted(nums3)]
        p = [0, 0, 0]
        best = None
        while True:
            vals = [xs[t][p[t]] for t in range(3)]
            lo = min(vals)
            span = max(vals) - lo
            if best is None or span < best:
                best = span
            t = vals.index(lo)
            p[t] += 1
            if p[t] == len(xs[t]):
                break
        return best
""",
        wrong_solution="""class Solution:
    def minSpan(self, nums1: List[int], nums2: List[int], nums3: List[int]) -> int:
        a = sorted(nums1)
        c = sorted(nums3)

        def closest(arr, x):
            i = bisect_left(arr, x)
            cands = []
            if i < len(arr):
                cands.append(arr[i])
            if i > 0:
                cands.append(arr[i - 1])
            return min(cands, key=lambda v: abs(v - x))

        best = None
        for y in nums2:
            x = closest(a, y)
            z = closest(c, y)
            span = max(x, y, z) - min(x, y, z)
            if best is None or span < best:
                best = span
        return best
""",
        examples=[
            ('nums1 = [1,20,9], nums2 = [14,4], nums3 = [30,11,2]', '3'),
            ('nums1 = [5], nums2 = [5,6], nums3 = [5]', '0'),
        ],
        tests=[
            ('nums1 = [0], nums2 = [0], nums3 = [0]', '0'),
            ('nums1 = [1], nums2 = [2], nums3 = [3]', '2'),
            ('nums1 = [-1000000000], nums2 = [1000000000], nums3 = [0]', '2000000000'),
            ('nums1 = [-2,3], nums2 = [0], nums3 = [10]', '10'),
            ('nums1 = [1,2,3], nums2 = [1,2,3], nums3 = [4,5,6]', '1'),
            ('nums1 = [10,20,30], nums2 = [15,25,35], nums3 = [12,22,33]', '5'),
            ('nums1 = [7,7,7], nums2 = [1,100], nums3 = [50,8]', '7'),
            ('nums1 = [-5,-1,8], nums2 = [-3,6], nums3 = [2,-2]', '2'),
            ('nums1 = [4,-4,9,-9], nums2 = [0,13], nums3 = [-6,11]', '4'),
            ('nums1 = [100], nums2 = [1,2,3,4,5,99], nums3 = [101,200]', '2'),
            ('nums1 = [3,1,4,1,5], nums2 = [9,2,6,5,3], nums3 = [5,8,9,7,9]', '0'),
            ('nums1 = [44,-5,38,44], nums2 = [9], nums3 = [33,-44,-30]', '29'),
            ('nums1 = [-43,31,-46], nums2 = [-8,-24,-34,43], nums3 = [30,50,2]', '13'),
            ('nums1 = [-29,5], nums2 = [-31,-43,3], nums3 = [-32,8,29,-29]', '2'),
            ('nums1 = [42,-47,-25,-30], nums2 = [29,33,-27,-22], nums3 = [30,41,-45]', '9'),
            ('nums1 = [(i * 7919) % 1000003 * 1000 for i in range(5000)], nums2 = [(i * 104729) % 999983 * 1000 + 777 for i in range(5000)], nums3 = [(i * 31337) % 999979 * 1000 + 333 for i in range(5000)]', '777'),
            ('nums1 = [i * 3 for i in range(5000)], nums2 = [i * 5 + 1 for i in range(5000)], nums3 = [i * 7 + 2 for i in range(5000)]', '0'),
            ('nums1 = [-i * 10 for i in range(5000)], nums2 = [i * 10 + 4 for i in range(5000)], nums3 = [5000000]', '5000000'),
        ],
    ),
    dict(
        id='arr-sock-drawer-run',
        difficulty='medium',
        tags=['arrays', 'prefix-sum', 'hash-table', 'bit-manipulation'],
        statement="""Socks come off a production line one at a time, and colors[i] is the color code of the i-th sock. A contiguous batch of socks colors[l..r] can be packed nearly perfectly if, after grouping its socks by color, at most one color has an odd number of socks (all other colors can be packed in pairs).

Return the length of the longest contiguous batch that can be packed nearly perfectly.

Example 1:

Input: colors = [2,3,2,5,3,3]
Output: 5
Explanation: The batch [2,3,2,5,3] has two socks of color 2, two of color 3 and one of color 5. The whole line has an odd number of socks of both color 3 and color 5.

Example 2:

Input: colors = [4,4]
Output: 2
Explanation: Both socks form one pair.

Constraints:

1 <= colors.length <= 10^5
0 <= colors[i] <= 19
""",
        starter_code="""class Solution:
    def longestNearlyPaired(self, colors: List[int]) -> int:
""",
        entry_point='Solution().longestNearlyPaired',
        reference_solution="""class Solution:
    def longestNearlyPaired(self, colors: List[int]) -> int:
        first = {0: -1}
        mask = 0
        best = 0
        for i, c in enumerate(colors):
            mask ^= 1 << c
            if mask in first:
                best = max(best, i - first[mask])
            else:
                first[mask] = i
            for b in range(20):
                other = mask ^ (1 << b)
                if other in first:
                    best = max(best, i - first[other])
        return best
""",
        wrong_solution="""class Solution:
    def longestNearlyPaired(self, colors: List[int]) -> int:
        first = {}
        mask = 0
        best = 0
        for i, c in enumerate(colors):
            mask ^= 1 << c
            if mask in first:
                best = max(best, i - first[mask])
            else:
                first[mask] = i
            for b in range(20):
                other = mask ^ (1 << b)
                if other in first:
                    best = max(best, i - first[other])
        return best
""",
        examples=[
            ('colors = [2,3,2,5,3,3]', '5'),
            ('colors = [4,4]', '2'),
        ],
        tests=[
            ('colors = [0]', '1'),
            ('colors = [0,1]', '1'),
            ('colors = [0,1,2]', '1'),
            ('colors = [7,7,7]', '3'),
            ('colors = [1,2,1,2]', '4'),
            ('colors = [0,1,2,3,4,5]', '1'),
            ('colors = [19,0,19,0,5]', '5'),
            ('colors = [1,2,3,1,2,3,4]', '7'),
            ('colors = [5,6,7,8,5,6,7,8,9,10]', '9'),
            ('colors = [3,3,3,1,1,2,2,2,4,4]', '9'),
            ('colors = [0,1,0,2,0,3,0,4,0,5]', '3'),
            ('colors = [(i * 7) % 20 for i in range(8000)]', '8000'),
            ('colors = [(i * i + 3 * i) % 17 for i in range(8000)]', '7995'),
            ('colors = [i % 20 for i in range(19)] + [(i * 13) % 20 for i in range(8000)]', '8001'),
        ],
    ),
    dict(
        id='arr-thermostat-calibration',
        difficulty='medium',
        tags=['arrays', 'sorting', 'prefix-sum', 'greedy'],
        statement="""A building has n thermostats, and readings[i] is the current set point of the i-th one. The facility manager wants every thermostat to share one common integer set point T of her choosing. Raising a thermostat's set point by one degree costs up, and lowering it by one degree costs down. So the cost for thermostat i is up * (T - readings[i]) if T > readings[i], and down * (readings[i] - T) otherwise.

Return the minimum total cost to make all set points equal.

Example 1:

Input: readings = [1,5,6], up = 3, down = 1
Output: 9
Explanation: Choosing T = 1 costs 1 * 4 + 1 * 5 = 9. Choosing T = 5 costs 3 * 4 + 1 * 1 = 13.

Example 2:

Input: readings = [2,2,2], up = 7, down = 4
Output: 0

Constraints:

1 <= readings.length <= 10^5
-10^9 <= readings[i] <= 10^9
1 <= up, down <= 10^4
""",
        starter_code="""class Solution:
    def minCalibrationCost(self, readings: List[int], up: int, down: int) -> int:
""",
        entry_point='Solution().minCalibrationCost',
        reference_solution="""class Solution:
    def minCalibrationCost(self, readings: List[int], up: int, down: int) -> int:
        a = sorted(readings)
        n = len(a)
        total = sum(a)
        pre = 0
        best = None
        for i, x in enumerate(a):
            cost = up * (x * i - pre) + down * ((total - pre - x) - x * (n - i - 1))
            if best is None or cost < best:
                best = cost
            pre += x
        return best
""",
        wrong_solution="""class Solution:
    def minCalibrationCost(self, readings: List[int], up: int, down: int) -> int:
        a = sorted(readings)
        t = a[len(a) // 2]
        cost = 0
        for x in a:
            if t > x:
                cost += up * (t - x)
            else:
                cost += down * (x - t)
        return cost
""",
        examples=[
            ('readings = [1,5,6], up = 3, down = 1', '9'),
            ('readings = [2,2,2], up = 7, down = 4', '0'),
        ],
        tests=[
            ('readings = [0], up = 1, down = 1', '0'),
            ('readings = [-5,5], up = 1, down = 1', '10'),
            ('readings = [-5,5], up = 2, down = 1', '10'),
            ('readings = [-5,5], up = 1, down = 2', '10'),
            ('readings = [1,2,3,4], up = 1, down = 1', '4'),
            ('readings = [1,2,3,4,100], up = 1, down = 10', '390'),
            ('readings = [1,2,3,4,100], up = 10, down = 1', '105'),
            ('readings = [-1000000000,1000000000,0], up = 10000, down = 10000', '20000000000000'),
            ('readings = [3,3,3,9,9], up = 2, down = 3', '36'),
            ('readings = [10,-4,7,7,0,-4,2], up = 5, down = 2', '92'),
            ('readings = [8,1,6,3,5,7,4,2], up = 3, down = 3', '48'),
            ('readings = [(i * 7919) % 100003 - 50000 for i in range(15000)], up = 7, down = 3', '1574898794'),
            ('readings = [(i * i * 31) % 1000000007 - 500000000 for i in range(15000)], up = 1, down = 9999', '8602906026825'),
            ('readings = [i % 100 for i in range(15000)], up = 17, down = 17', '6375000'),
        ],
    ),
    dict(
        id='arr-skyline-weight',
        difficulty='hard',
        tags=['arrays', 'monotonic-stack', 'math'],
        statement="""A city skyline is described by heights, where heights[i] is the height of the i-th building from the left. For a contiguous group of buildings heights[l..r], its shadow weight is the height of the tallest building in the group multiplied by the number of buildings in the group, i.e. max(heights[l..r]) * (r - l + 1).

Return the sum of the shadow weights of all non-empty contiguous groups of buildings. Since the answer may be very large, return it modulo 10^9 + 7.

Example 1:

Input: heights = [2,1,3]
Output: 25
Explanation: Groups [2], [1], [3] weigh 2, 1 and 3. Groups [2,1] and [1,3] weigh 2 * 2 = 4 and 3 * 2 = 6. The whole skyline weighs 3 * 3 = 9. The total is 25.

Example 2:

Input: heights = [4,4]
Output: 16
Explanation: The groups weigh 4, 4 and 4 * 2 = 8.

Constraints:

1 <= heights.length <= 10^5
1 <= heights[i] <= 10^9
""",
        starter_code="""class Solution:
    def weightedMaxSum(self, heights: List[int]) -> int:
""",
        entry_point='Solution().weightedMaxSum',
        reference_solution="""class Solution:
    def weightedMaxSum(self, heights: List[int]) -> int:
        mod = 10 ** 9 + 7
        n = len(heights)
        left = [0] * n
        stack = []
        for i, h in enumerate(heights):
            while stack and heights[stack[-1]] < h:
                stack.pop()
            left[i] = i - (stack[-1] if stack else -1)
            stack.append(i)
        right = [0] * n
        stack = []
        for i in range(n - 1, -1, -1):
            h = heights[i]
            while stack and heights[stack[-1]] <= h:
                stack.pop()
            right[i] = (stack[-1] if stack else n) - i
            stack.append(i)
        ans = 0
        for i in range(n):
            a, b = left[i], right[i]
            lengths = b * a * (a - 1) // 2 + a * b * (b - 1) // 2 + a * b
            ans = (ans + heights[i] % mod * (lengths % mod)) % mod
        return ans
""",
        wrong_solution="""class Solution:
    def weightedMaxSum(self, heights: List[int]) -> int:
        mod = 10 ** 9 + 7
        n = len(heights)
        left = [0] * n
        stack = []
        for i, h in enumerate(heights):
            while stack and heights[stack[-1]] < h:
                stack.pop()
            left[i] = i - (stack[-1] if stack else -1)
            stack.append(i)
        right = [0] * n
        stack = []
        for i in range(n - 1, -1, -1):
            h = heights[i]
            while stack and heights[stack[-1]] < h:
                stack.pop()
            right[i] = (stack[-1] if stack else n) - i
            stack.append(i)
        ans = 0
        for i in range(n):
            a, b = left[i], right[i]
            lengths = b * a * (a - 1) // 2 + a * b * (b - 1) // 2 + a * b
            ans = (ans + heights[i] % mod * (lengths % mod)) % mod
        return ans
""",
        examples=[
            ('heights = [2,1,3]', '25'),
            ('heights = [4,4]', '16'),
        ],
        tests=[
            ('heights = [1]', '1'),
            ('heights = [1000000000]', '1000000000'),
            ('heights = [5,5,5]', '50'),
            ('heights = [1,2,3,4]', '65'),
            ('heights = [4,3,2,1]', '65'),
            ('heights = [3,1,3]', '28'),
            ('heights = [2,7,2,7,2]', '230'),
            ('heights = [1,3,2,3,1,3]', '163'),
            ('heights = [1000000000,1000000000,1000000000,1000000000]', '999999867'),
            ('heights = [6,2,9,4,9,1,6,8]', '1036'),
            ('heights = [10,1,1,1,1,1,10]', '525'),
            ('heights = [(i * 7919) % 1000000 + 1 for i in range(12000)]', '584489035'),
            ('heights = [(i * 37) % 5 + 1 for i in range(12000)]', '359942732'),
            ('heights = [1000000000 - i for i in range(12000)]', '508036127'),
        ],
    ),
]
