"""Bundled problems: strings, stacks and monotonic stacks, intervals, heaps/priority queues, and simulation."""

PROBLEMS = [
    dict(
        id='str-almost-seamless-shifts',
        difficulty='medium',
        tags=['strings', 'z-function'],
        statement="""A textile designer describes a border pattern as a string s of lowercase English letters. Let n = s.length. For a shift p with 1 <= p <= n, lay the pattern over a copy of itself moved p positions to the right. The overlapping part consists of the n - p letter pairs (s[i], s[i + p]) for 0 <= i < n - p.

The shift p is called almost seamless if at most one of these pairs contains two different letters. The shift p = n has no overlapping pairs, so it is always almost seamless.

Return the number of almost seamless shifts p in the range [1, n].

Example 1:

Input: s = "abcab"
Output: 3
Explanation: Shift 3 gives the pairs (a,a),(b,b): no mismatch. Shift 4 gives the single pair (a,b): one mismatch. Shift 5 has no pairs. Shifts 1 and 2 have more than one mismatch.

Example 2:

Input: s = "aabaa"
Output: 3
Explanation: Shifts 3, 4 and 5 have no mismatch. Shift 1 gives the pairs (a,a),(a,b),(b,a),(a,a) with two mismatches, and shift 2 also has two mismatches.

Example 3:

Input: s = "abab"
Output: 3
Explanation: Shift 2 has no mismatch, shift 1 has three, and shift 3 gives the pair (a,b), one mismatch. Shift 4 always counts.

Constraints:

1 <= s.length <= 10^5
s consists of lowercase English letters.
""",
        starter_code="""class Solution:
    def countAlmostSeamless(self, s: str) -> int:
""",
        entry_point='Solution().countAlmostSeamless',
        reference_solution="""class Solution:
    def countAlmostSeamless(self, s: str) -> int:
        n = len(s)

        def zfunc(t):
            m = len(t)
            z = [0] * m
            z[0] = m
            l = r = 0
            for i in range(1, m):
                if i < r:
                    z[i] = min(r - i, z[i - l])
                while i + z[i] < m and t[z[i]] == t[i + z[i]]:
                    z[i] += 1
                if i + z[i] > r:
                    l, r = i, i + z[i]
            return z

        z = zfunc(s)
        zr = zfunc(s[::-1])
        count = 1
        for p in range(1, n):
            if z[p] + zr[p] >= n - p - 1:
                count += 1
        return count
""",
        wrong_solution="""class Solution:
    def countAlmostSeamless(self, s: str) -> int:
        n = len(s)

        def zfunc(t):
            m = len(t)
            z = [0] * m
            z[0] = m
            l = r = 0
            for i in range(1, m):
                if i < r:
                    z[i] = min(r - i, z[i - l])
                while i + z[i] < m and t[z[i]] == t[i + z[i]]:
                    z[i] += 1
                if i + z[i] > r:
                    l, r = i, i + z[i]
            return z

        z = zfunc(s)
        zr = zfunc(s[::-1])
        count = 1
        for p in range(1, n):
            if z[p] + zr[p] >= n - p:
                count += 1
        return count
""",
        examples=[
            ('s = "abcab"', '3'),
            ('s = "aabaa"', '3'),
            ('s = "abab"', '3'),
        ],
        tests=[
            ('s = "a"', '1'),
            ('s = "ab"', '2'),
            ('s = "zz"', '2'),
            ('s = "abcd"', '2'),
            ('s = "aaaaaaaaab"', '10'),
            ('s = "abaaba"', '3'),
            ('s = "abcabcabd"', '4'),
            ('s = "xyxyxyxyxzxyxy"', '6'),
            ('s = "aaaa"', '4'),
            ('s = "a"', '1'),
            ('s = "ab"', '2'),
            ('s = "bbbaabababaa"', '3'),
            ('s = "baabaaaaaab"', '3'),
            ('s = "ab" * 4000', '4001'),
            ('s = "abcab" * 1999 + "abcac"', '2002'),
            ('s = "a" * 5000 + "b" + "a" * 4999', '5001'),
            ('s = "".join(chr(97 + (i * i) % 3) for i in range(10000))', '3334'),
            ('s = "".join(chr(97 + bin(i).count("1") % 2) for i in range(8192))', '10'),
        ],
    ),
    dict(
        id='str-overwrite-mode-editor',
        difficulty='medium',
        tags=['stack', 'simulation', 'strings'],
        statement="""An old terminal editor starts with an empty line, the cursor at position 0, and insert mode switched on. You are given the string keys, the sequence of keys pressed, and each key is processed in order:

- A lowercase letter: in insert mode the letter is inserted at the cursor. In overwrite mode, if there is a character immediately to the right of the cursor it is replaced by the letter; if the cursor is at the end of the line the letter is appended. In both modes the cursor then moves one position to the right (just after the typed letter).
- '<' moves the cursor one position left; it does nothing if the cursor is at the start of the line.
- '>' moves the cursor one position right; it does nothing if the cursor is at the end of the line.
- '#' deletes the character immediately to the left of the cursor (the cursor moves left with it); it does nothing at the start of the line.
- '*' deletes the character immediately to the right of the cursor; the cursor does not move. It does nothing at the end of the line.
- '^' toggles between insert mode and overwrite mode.

Return the text of the line after all keys have been processed.

Example 1:

Input: keys = "abc<<^xy"
Output: "axy"
Explanation: After typing abc and moving left twice the cursor is between a and b. In overwrite mode x replaces b and y replaces c.

Example 2:

Input: keys = "ab^cd<<<*>#"
Output: "ad"
Explanation: Overwrite mode at the end of the line appends, giving abcd with the cursor at the end. Three moves left put the cursor after a; '*' deletes b giving acd; '>' moves after c and '#' deletes c.

Example 3:

Input: keys = "<#*^z>>"
Output: "z"

Constraints:

1 <= keys.length <= 10^5
keys consists of lowercase English letters and the characters '<', '>', '#', '*' and '^'.
""",
        starter_code="""class Solution:
    def finalText(self, keys: str) -> str:
""",
        entry_point='Solution().finalText',
        reference_solution="""class Solution:
    def finalText(self, keys: str) -> str:
        left = []
        right = []
        overwrite = False
        for ch in keys:
            if ch == '<':
                if left:
                    right.append(left.pop())
            elif ch == '>':
                if right:
                    left.append(right.pop())
            elif ch == '#':
                if left:
                    left.pop()
            elif ch == '*':
                if right:
                    right.pop()
            elif ch == '^':
                overwrite = not overwrite
            else:
                if overwrite and right:
                    right.pop()
                left.append(ch)
        return "".join(left) + "".join(reversed(right))
""",
        wrong_solution="""class Solution:
    def finalText(self, keys: str) -> str:
        left = []
        right = []
        overwrite = False
        for ch in keys:
            if ch == '<':
                if left:
                    right.append(left.pop())
            elif ch == '>':
                if right:
                    left.append(right.pop())
            elif ch == '#':
                if left:
                    left.pop()
            elif ch == '*':
                if right:
                    right.pop()
            elif ch == '^':
                overwrite = not overwrite
            elif overwrite:
                if right:
                    right.pop()
                    left.append(ch)
            else:
                left.append(ch)
        return "".join(left) + "".join(reversed(right))
""",
        examples=[
            ('keys = "abc<<^xy"', '"axy"'),
            ('keys = "ab^cd<<<*>#"', '"ad"'),
            ('keys = "<#*^z>>"', '"z"'),
        ],
        tests=[
            ('keys = "a"', '"a"'),
            ('keys = "^"', '""'),
            ('keys = "<<>>##**"', '""'),
            ('keys = "abc^def"', '"abcdef"'),
            ('keys = "abc<<<^xyz"', '"xyz"'),
            ('keys = "hello<<<<<^j>>>>*"', '"jello"'),
            ('keys = "ab#c^<d<<e>>f#"', '"ed"'),
            ('keys = "^abc^<<d"', '"adbc"'),
            ('keys = "xy<*<*z"', '"z"'),
            ('keys = "ggdca#cb<bgfdbedb^ddgc^cd*ha#eccbcadef*gbae#"', '"ggdccbgfdbedbddgccdheccbcadefgba"'),
            ('keys = "c>bddecacbbfa*<ghdbgfagagfcecef>hhcbe^bcbgdfdb#cbahc^aea"', '"cbddecacbbfghdbgfagagfcecefahhcbebcbgdfdcbahcaea"'),
            ('keys = "fgd>^ehedefh#efegccfeebdfbdabd"', '"fgdehedefefegccfeebdfbdabd"'),
            ('keys = "^#db^c#agfefbgfhf^#ea*ahdaehfeccb"', '"dbagfefbgfheaahdaehfeccb"'),
            ('keys = ("ab<^c^#*" * 6000) + "<" * 3000 + "*" * 3000 + "#" * 2000', '"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"'),
            ('keys = "q" * 20000 + "<" * 19500 + "^" + "w" * 19000 + "*" * 400 + "#" * 19000', '"qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq"'),
            ('keys = "".join("<^>#*<"[i % 6] if i % 4 != 1 else chr(97 + (i * 11) % 26) for i in range(18000))', '"nprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtvxzbdfhjlnprtld"'),
            ('keys = "".join("<^<>#>"[(i * i) % 6] if i % 3 != 1 else chr(97 + (i * 11) % 26) for i in range(20000)) + "#" * 1200 + "<" * 300 + "*" * 100', '"gikmoqsuwyacegikmoqsuwyacegikmoqsuwyacegikmoqsuwyacegikmoqsuwyacegikmoqsuwyacegikmoqsuwyacegikmoqsuwyacegikmoqsuwyacegikmoqsuwyacegikmoqsuwyacegikmoqsuwyacegikmoqsuwyauwyacegikmoqsuwyacegikmoqsuwyacegikmoqsuwyacegikmoqsuwyacegikmoqsuwyacegikmoqsuwyacegikmoqsuwyacegikmoqsuwyacegikmoqsuwyacegikmoqsuwyacegikmoqsuwyacegikmoqsuwyacegikmoqsuwyacegikmoqsuwyacegikmoqsuwyac"'),
        ],
    ),
    dict(
        id='str-longest-spaced-motif',
        difficulty='hard',
        tags=['strings', 'binary-search', 'rolling-hash'],
        statement="""A musicologist transcribes a melody as a string s of lowercase letters, one letter per note. A motif is any non-empty substring of s. A motif is called k-fold if it can be found at k or more positions of s such that no two of the chosen occurrences share a note, that is, the chosen occurrences are pairwise non-overlapping (they may touch end to start).

Return the length of the longest k-fold motif. If no motif is k-fold, return 0.

Example 1:

Input: s = "abcabcab", k = 2
Output: 3
Explanation: The motif "abc" occurs at positions 0 and 3 without overlapping. Longer motifs such as "abca" and "abcab" occur only at positions 0 and 3, and those two occurrences overlap.

Example 2:

Input: s = "aaaaa", k = 2
Output: 2
Explanation: "aa" occurs at positions 0 and 2 without overlap. "aaa" occurs three times, but every two of its occurrences overlap.

Example 3:

Input: s = "abcd", k = 2
Output: 0

Constraints:

1 <= s.length <= 2 * 10^4
1 <= k <= s.length
s consists of lowercase English letters.
""",
        starter_code="""class Solution:
    def longestSpacedMotif(self, s: str, k: int) -> int:
""",
        entry_point='Solution().longestSpacedMotif',
        reference_solution="""class Solution:
    def longestSpacedMotif(self, s: str, k: int) -> int:
        n = len(s)
        MOD = (1 << 61) - 1
        B = 911382323
        h = [0] * (n + 1)
        pw = [1] * (n + 1)
        for i, ch in enumerate(s):
            h[i + 1] = (h[i] * B + ord(ch)) % MOD
            pw[i + 1] = pw[i] * B % MOD

        def ok(L):
            p = pw[L]
            last = {}
            cnt = {}
            for i in range(n - L + 1):
                v = (h[i + L] - h[i] * p) % MOD
                j = last.get(v)
                if j is None or i >= j + L:
                    last[v] = i
                    c = cnt.get(v, 0) + 1
                    if c >= k:
                        return True
                    cnt[v] = c
            return False

        lo, hi = 0, n // k
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if ok(mid):
                lo = mid
            else:
                hi = mid - 1
        return lo
""",
        wrong_solution="""class Solution:
    def longestSpacedMotif(self, s: str, k: int) -> int:
        n = len(s)
        MOD = (1 << 61) - 1
        B = 911382323
        h = [0] * (n + 1)
        pw = [1] * (n + 1)
        for i, ch in enumerate(s):
            h[i + 1] = (h[i] * B + ord(ch)) % MOD
            pw[i + 1] = pw[i] * B % MOD

        def ok(L):
            p = pw[L]
            cnt = {}
            for i in range(n - L + 1):
                v = (h[i + L] - h[i] * p) % MOD
                c = cnt.get(v, 0) + 1
                if c >= k:
                    return True
                cnt[v] = c
            return False

        lo, hi = 0, n // k
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if ok(mid):
                lo = mid
            else:
                hi = mid - 1
        return lo
""",
        examples=[
            ('s = "abcabcab", k = 2', '3'),
            ('s = "aaaaa", k = 2', '2'),
            ('s = "abcd", k = 2', '0'),
        ],
        tests=[
            ('s = "a", k = 1', '1'),
            ('s = "ab", k = 2', '0'),
            ('s = "zz", k = 2', '1'),
            ('s = "abcde", k = 1', '5'),
            ('s = "aaaaaaa", k = 3', '2'),
            ('s = "abababab", k = 3', '2'),
            ('s = "abaababaab", k = 2', '5'),
            ('s = "xyzxyzxyz", k = 4', '0'),
            ('s = "bbcbbcabcccbcbaacabacaccbbcbaccabc", k = 2', '4'),
            ('s = "aababbabbbabaabaaaaaabbaaaaabababaaaaaabbaaaba", k = 4', '4'),
            ('s = "aabbabbbbbbbaabbbabbbabbbbaababbbbaba", k = 2', '7'),
            ('s = "babaaabbbbaaabaabbbbabbbababaaaaabbabbabababaabbb", k = 3', '5'),
            ('s = "".join(chr(97 + bin(i).count("1") % 2) for i in range(3000)), k = 2', '1024'),
            ('s = "".join(chr(97 + (i * i + 3 * i) % 7 % 3) for i in range(3000)), k = 3', '998'),
            ('s = "a" * 3000, k = 7', '428'),
            ('s = "".join(chr(97 + (i * 7919) % 26) for i in range(2000)) * 2, k = 2', '2000'),
        ],
    ),
    dict(
        id='str-nested-expansion-kth-char',
        difficulty='hard',
        tags=['stack', 'strings', 'recursion'],
        statement="""A compact pattern language describes long strings. A pattern is a sequence of tokens, where each token is one of:

- a lowercase letter, which expands to itself;
- d(P), where d is a single digit from 2 to 9 and P is a pattern: it expands to the expansion of P repeated d times;
- !(P), where P is a pattern: it expands to the expansion of P written backwards.

The expansion of a pattern is the concatenation of the expansions of its tokens, in order. Groups may be nested.

Given a valid pattern and an integer k, return the character at index k (0-indexed) of the expansion of pattern. The expansion can be far too long to build explicitly.

Example 1:

Input: pattern = "ab2(c!(de))f", k = 4
Output: "d"
Explanation: The expansion is "abcedcedf"; the character at index 4 is 'd'.

Example 2:

Input: pattern = "!(x3(yz))w", k = 1
Output: "y"
Explanation: 3(yz) expands to "yzyzyz", so !(x3(yz)) expands to "zyzyzyx" and the whole pattern to "zyzyzyxw".

Example 3:

Input: pattern = "9(9(9(9(ab))))", k = 13121
Output: "b"
Explanation: The expansion has length 13122 and ends with 'b'.

Constraints:

1 <= pattern.length <= 2000
pattern consists of lowercase English letters, digits '2' to '9', '!', '(' and ')', and is a valid pattern.
Every group d(P) or !(P) contains at least one letter inside P.
The nesting depth of groups is at most 100.
The length of the expansion of pattern is at most 10^18.
0 <= k < length of the expansion of pattern
""",
        starter_code="""class Solution:
    def charAtExpansion(self, pattern: str, k: int) -> str:
""",
        entry_point='Solution().charAtExpansion',
        reference_solution="""class Solution:
    def charAtExpansion(self, pattern: str, k: int) -> str:
        stack = [[]]
        ops = []
        i = 0
        n = len(pattern)
        while i < n:
            ch = pattern[i]
            if ch == ')':
                items = stack.pop()
                op = ops.pop()
                inner = 0
                for it in items:
                    inner += len(it) if isinstance(it, str) else it[2]
                total = inner if op == '!' else inner * int(op)
                stack[-1].append((op, items, total, inner))
                i += 1
            elif ch == '!' or ch.isdigit():
                ops.append(ch)
                stack.append([])
                i += 2
            else:
                j = i
                while j < n and pattern[j].isalpha():
                    j += 1
                stack[-1].append(pattern[i:j])
                i = j
        items = stack[0]
        while True:
            for it in items:
                if isinstance(it, str):
                    if k < len(it):
                        return it[k]
                    k -= len(it)
                else:
                    op, sub, total, inner = it
                    if k < total:
                        if op == '!':
                            k = inner - 1 - k
                        else:
                            k %= inner
                        items = sub
                        break
                    k -= total
""",
        wrong_solution="""class Solution:
    def charAtExpansion(self, pattern: str, k: int) -> str:
        stack = [[]]
        ops = []
        i = 0
        n = len(pattern)
        while i < n:
            ch = pattern[i]
            if ch == ')':
                items = stack.pop()
                op = ops.pop()
                inner = 0
                for it in items:
                    inner += len(it) if isinstance(it, str) else it[2]
                total = inner if op == '!' else inner * int(op)
                stack[-1].append((op, items, total, inner))
                i += 1
            elif ch == '!' or ch.isdigit():
                ops.append(ch)
                stack.append([])
                i += 2
            else:
                j = i
                while j < n and pattern[j].isalpha():
                    j += 1
                stack[-1].append(pattern[i:j])
                i = j
        items = stack[0]
        while True:
            for it in items:
                if isinstance(it, str):
                    if k < len(it):
                        return it[k]
                    k -= len(it)
                else:
                    op, sub, total, inner = it
                    if k < total:
                        if op != '!':
                            k %= inner
                        items = sub
                        break
                    k -= total
""",
        examples=[
            ('pattern = "ab2(c!(de))f", k = 4', '"d"'),
            ('pattern = "!(x3(yz))w", k = 1', '"y"'),
            ('pattern = "9(9(9(9(ab))))", k = 13121', '"b"'),
        ],
        tests=[
            ('pattern = "a", k = 0', '"a"'),
            ('pattern = "!(abc)", k = 0', '"c"'),
            ('pattern = "2(a)b", k = 2', '"b"'),
            ('pattern = "!(!(abc))", k = 2', '"c"'),
            ('pattern = "x!(2(ab)c)y", k = 3', '"a"'),
            ('pattern = "3(!(ab)c)", k = 7', '"a"'),
            ('pattern = "!(a2(b!(cd)))e", k = 1', '"d"'),
            ('pattern = "3(yayyxa)az", k = 0', '"y"'),
            ('pattern = "3(c)ya", k = 2', '"c"'),
            ('pattern = "y", k = 0', '"y"'),
            ('pattern = "a", k = 0', '"a"'),
            ('pattern = "ax", k = 0', '"a"'),
            ('pattern = "6(k9(kk7(ilk4(jij3(!(kjh!(k3(lmm8(6(hj3(hjk8(jl!(ml!(7(mj!(2(ljj2(gdf)n))!(w))qqq))osp)rs)pq!(utwt))srs!(tv))nno)spp)ns!(u)))nsr)n)qo!(u))rqn)or", k = 1925046384', '"n"'),
            ('pattern = "mji5(h5(5(kl7(l5(3(j9(jm9(8(!(mh3(h8(kkm8(5(hmi9(ijm9(hk!(ji6(jjj5(hll7(gef)s)o)q))qsp)ooo!(wvt))so!(t)))p)rsq!(uu))qrs!(uw))sn)))o)!(t))n!(u))rrs)so)ppq", k = 137905237844466', '"g"'),
            ('pattern = "jj!(mhl!(khi!(l!(j!(jl!(mk!(m!(i!(ll!(mii!(k!(jil!(!(hhk!(!(!(mjk!(lj!(!(h!(j!(m!(lkm!(jj!(!(ilm!(hh!(l!(j!(jmm!(i!(lml!(!(k!(h6(kmi6(k5(hik3(lh8(jm7(jij4(lj4(!(j7(lhh4(l6(l!(kk3(hjk7(k7(9(imj3(li!(8(i8(mh2(k6(km7(lmm9(fec)!(u))!(u))oo)ss)p!(vwvu)))o!(vtvv)))ns)nqr)!(uvtw))nq)oq))q)pqs)r!(wtu))nr))qsq))!(vwt)))p)rp!(w))qq))!(tuuw))o)r)))pns))qsn))noo!(w))r)pso)rso)o)nos)orn)p)srn)!(uwtt))pps!(v))!(tuvv)))!(uvuw))q)nr!(vwu))o!(vuv))qnn!(utu))rn)!(vw))r)!(w))s!(uuu))rqp", k = 12889769138101610', '"m"'),
            ('pattern = "2(!(a!(b!(a!(b!(a!(b!(a!(b!(a!(b!(a!(b!(a!(b!(a!(b!(a!(b!(a!(b!(a!(b!(a!(b!(a!(b!(a!(b!(a!(b!(a!(b!(a!(b!(a!(b!(a!(b!(a!(b!(a!(b!(a!(b!(a!(b!(a!(b!(a!(b!(a!(b!(a!(b!(a!(b!(a!(b!(a!(b!(a!(b!(a!(b!(a!(b!(a!(b!(a!(b!(a!(b!(a!(b!(a!(b!(a!(b!(a!(b!(a!(b!(a!(b!(a!(b!(a!(b!(a!(bz)))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))", k = 150', '"a"'),
        ],
    ),
    dict(
        id='str-mutual-sightlines',
        difficulty='medium',
        tags=['monotonic-stack', 'arrays'],
        statement="""Lighthouses stand in a straight row, and heights[i] is the height of the i-th lighthouse. The keepers of lighthouses i and j (i < j) can exchange signals if every lighthouse strictly between them is strictly shorter than both of them, that is, heights[m] < min(heights[i], heights[j]) for every i < m < j. In particular, neighbouring lighthouses can always exchange signals.

Note that a lighthouse of equal height blocks the signal: if heights[m] == min(heights[i], heights[j]) for some m between them, lighthouses i and j cannot exchange signals.

Return the number of pairs (i, j) with i < j whose keepers can exchange signals.

Example 1:

Input: heights = [4,2,3,1,5]
Output: 7
Explanation: The pairs are (0,1), (1,2), (2,3), (3,4), (0,2), (2,4) and (0,4).

Example 2:

Input: heights = [3,2,2]
Output: 2
Explanation: Lighthouse 1 blocks the signal between lighthouses 0 and 2, since it is not strictly shorter than min(3, 2) = 2.

Example 3:

Input: heights = [7]
Output: 0

Constraints:

1 <= heights.length <= 10^5
1 <= heights[i] <= 10^9
""",
        starter_code="""class Solution:
    def countVisiblePairs(self, heights: List[int]) -> int:
""",
        entry_point='Solution().countVisiblePairs',
        reference_solution="""class Solution:
    def countVisiblePairs(self, heights: List[int]) -> int:
        stack = []
        total = 0
        for h in heights:
            while stack and stack[-1] < h:
                stack.pop()
                total += 1
            if stack and stack[-1] == h:
                stack.pop()
                total += 1
            elif stack:
                total += 1
            stack.append(h)
        return total
""",
        wrong_solution="""class Solution:
    def countVisiblePairs(self, heights: List[int]) -> int:
        stack = []
        total = 0
        for h in heights:
            while stack and stack[-1] <= h:
                stack.pop()
                total += 1
            if stack:
                total += 1
            stack.append(h)
        return total
""",
        examples=[
            ('heights = [4,2,3,1,5]', '7'),
            ('heights = [3,2,2]', '2'),
            ('heights = [7]', '0'),
        ],
        tests=[
            ('heights = [1]', '0'),
            ('heights = [5,5]', '1'),
            ('heights = [1,2]', '1'),
            ('heights = [2,2,2,2,2]', '4'),
            ('heights = [1,2,3,4,5,6]', '5'),
            ('heights = [6,5,4,3,2,1]', '5'),
            ('heights = [5,1,5,1,5]', '6'),
            ('heights = [3,1,2,1,3]', '7'),
            ('heights = [2,1,1,2]', '4'),
            ('heights = [4,3,5,3,3,5,1,4,6,5,5,4,5,3,1,1,6,1,3,1,6,1]', '32'),
            ('heights = [363200778,308341830,627559756,287103283,115060728,677236313,715180286,935072478,225151798,335278652,538102361,134870648,874473759,871075737,882829444,445611921,630029341,862147347,36620299,373793545,654585871,158709846,619139148,564668254,81977153,586918924,586701739,710639811,295185174,932928722,832061441,740903571,532767186,101210305,588757026]', '60'),
            ('heights = [1,2,2,1,3,3,2,1,2,1,2,3,1,3,2,3,2,2,1,1,1,1,3,3,1,1,2,3,2]', '38'),
            ('heights = [1,2,6,1,6,4,4,1,6,6,4,4,4,4,4,3,5,6,6,6,5,3,6,5,5,5,1,5,1,3,3,5,5,6,4]', '46'),
            ('heights = [(i * 7919) % 1000 + 1 for i in range(30000)]', '59944'),
            ('heights = [100000 - abs(15000 - i) // 3 for i in range(30000)]', '29999'),
            ('heights = [(i * i) % 17 + 1 for i in range(40000)]', '63525'),
        ],
    ),
    dict(
        id='str-absorbing-drifters',
        difficulty='medium',
        tags=['stack', 'simulation'],
        statement="""Blobs of oil drift along a narrow canal, listed from left to right in the array drifters. The absolute value of drifters[i] is the mass of the blob and its sign is its direction: positive blobs drift right, negative blobs drift left. All blobs move at the same speed.

When a right-drifting blob meets a left-drifting blob, they collide:

- if their masses differ, the heavier blob absorbs the lighter one: its mass becomes the sum of both masses and it keeps its direction;
- if their masses are equal, both blobs break apart and disappear.

Blobs drifting in the same direction never meet. It can be shown that the final state does not depend on the order in which simultaneous collisions are resolved.

Return the blobs that remain after all collisions, from left to right, in the same signed format.

Example 1:

Input: drifters = [3,5,-4,-9]
Output: [3]
Explanation: 5 absorbs -4 and becomes 9. Then 9 meets -9 and both disappear, leaving 3.

Example 2:

Input: drifters = [2,-3,4,-1,-6]
Output: [-5,-11]
Explanation: -3 absorbs 2 and becomes -5. 4 absorbs -1 and becomes 5; then 5 meets -6 and -6 absorbs it, becoming -11.

Example 3:

Input: drifters = [-2,-1,1,2]
Output: [-2,-1,1,2]

Constraints:

1 <= drifters.length <= 10^5
1 <= |drifters[i]| <= 10^4
drifters[i] != 0
""",
        starter_code="""class Solution:
    def finalDrifters(self, drifters: List[int]) -> List[int]:
""",
        entry_point='Solution().finalDrifters',
        reference_solution="""class Solution:
    def finalDrifters(self, drifters: List[int]) -> List[int]:
        stack = []
        for x in drifters:
            if x > 0:
                stack.append(x)
                continue
            m = -x
            while m and stack and stack[-1] > 0:
                top = stack[-1]
                if top < m:
                    m += top
                    stack.pop()
                elif top > m:
                    stack[-1] = top + m
                    m = 0
                else:
                    stack.pop()
                    m = 0
            if m:
                stack.append(-m)
        return stack
""",
        wrong_solution="""class Solution:
    def finalDrifters(self, drifters: List[int]) -> List[int]:
        stack = []
        for x in drifters:
            if x > 0:
                stack.append(x)
                continue
            m = -x
            while m and stack and stack[-1] > 0:
                top = stack[-1]
                if top < m:
                    stack.pop()
                elif top > m:
                    stack[-1] = top + m
                    m = 0
                else:
                    stack.pop()
                    m = 0
            if m:
                stack.append(-m)
        return stack
""",
        examples=[
            ('drifters = [3,5,-4,-9]', '[3]'),
            ('drifters = [2,-3,4,-1,-6]', '[-5,-11]'),
            ('drifters = [-2,-1,1,2]', '[-2,-1,1,2]'),
        ],
        tests=[
            ('drifters = [5]', '[5]'),
            ('drifters = [-5]', '[-5]'),
            ('drifters = [1,-1]', '[]'),
            ('drifters = [-1,1]', '[-1,1]'),
            ('drifters = [1,1,1,-3]', '[-6]'),
            ('drifters = [1,1,1,-2]', '[-5]'),
            ('drifters = [4,-1,-1,-1,-1]', '[8]'),
            ('drifters = [2,-1,-1,-4]', '[]'),
            ('drifters = [5,-2,-3,-10,10,-1]', '[11]'),
            ('drifters = [-8,-10,6,-8,-10,2,-2,2,-10,-5,2,5,7,6,10,-9,8,-9,3,-8,-4,-2]', '[-8,-10,-14,-10,-12,-5,2,5,7,6,53]'),
            ('drifters = [-2,-9,5,2,2,-1,-10,5,3,-8,-2,-7,-7,-6,9,10,-6,-10,-3,-8]', '[-2,-9,-20,-16,-2,-7,-7,-6,9,37]'),
            ('drifters = [-8,-9,3,6,-5,-5,-3,10,-2,-2,-2,10,10,-2,-8]', '[-8,-9,3,19,16,10,20]'),
            ('drifters = [1,-4,3,-7,-6,-1,-8,-2,-1,9,3,2,-10,5,-5,-1,-4,-4,4,-5,-5,-7,7,3,1,9,-8,-9,-2,-8,-1,-4]', '[-5,-10,-6,-1,-8,-2,-1,-24,-1,-4,-4,-9,-5,-7,7,3,1,41]'),
            ('drifters = [1] * 50000 + [-10000] * 6', '[-60000,-10000,-10000,-10000,-10000,-10000]'),
            ('drifters = [(i % 9 + 2) if i % 3 else -(i % 4 + 1) for i in range(70000)] + [-9999] * 30', '[-1,-356096,-9999,-9999,-9999,-9999,-9999,-9999,-9999,-9999,-9999,-9999,-9999,-9999,-9999,-9999,-9999,-9999,-9999,-9999,-9999,-9999,-9999,-9999,-9999,-9999,-9999,-9999,-9999,-9999,-9999]'),
            ('drifters = [((i * 37) % 11 + 1) * (1 if (i * i) % 3 else -1) for i in range(1200)]', '[-1,-111,-15,-18,-21,-124,-15,-18,-21,-124,-15,-18,-21,-124,-15,-18,-21,-124,-15,-18,-21,-124,-15,-18,-21,-124,-15,-18,-21,-124,-15,-18,-21,-124,-15,-18,-21,-124,-15,-18,-21,-124,-15,-18,-21,-124,-15,-18,-21,-124,-15,-18,-21,-124,-15,-18,-21,-124,-15,-18,-21,-124,-15,-18,-21,-124,-15,-18,-21,-124,-15,-18,-21,-124,-15,-18,-21,-124,-15,-18,-21,-124,-15,-18,-21,-124,-15,-18,-21,-124,-15,-18,-21,-124,-15,-18,-21,-124,-15,-18,-21,-124,-15,-18,-21,-124,-15,-18,-21,-124,-15,-18,-21,-124,-15,-18,-21,-124,-15,-18,-21,-124,-15,-18,-21,-124,-15,-18,-21,-124,-15,-18,-21,-124,-15,-18,-21,-124,-15,-18,-21,-124,-15,-18,-21,4,9,5,11,6,13,7,15,8,1]'),
            ('drifters = [(i % 7 + 1) if i % 2 == 0 else -(i % 5 + 1) for i in range(50000)] + [-10000] * 30', '[-3,-7,-163549,-10000,-10000,-10000,-10000,-10000,-10000,-10000,-10000,-10000,-10000,-10000,-10000,-10000,-10000,-10000,-10000,-10000,-10000,-10000,-10000,-10000,-10000,-10000,-10000,-10000,-10000,-10000,-10000,-10000]'),
        ],
    ),
    dict(
        id='str-runner-up-sum',
        difficulty='hard',
        tags=['monotonic-stack', 'arrays', 'contribution-technique'],
        statement="""A tournament organiser records the ratings of contestants standing in a row in the array nums; all ratings are distinct. For every contiguous group of at least two contestants, the runner-up of the group is the contestant with the second largest rating in that group.

Return the sum of the runner-up ratings over all contiguous groups of length at least 2. (Ratings may be negative, so the sum may be negative.)

Example 1:

Input: nums = [3,1,2]
Output: 4
Explanation: The groups are [3,1], [1,2] and [3,1,2] with runner-ups 1, 1 and 2. The sum is 4.

Example 2:

Input: nums = [5,-2,4,7]
Output: 13
Explanation: Runner-ups: [5,-2] -> -2, [-2,4] -> -2, [4,7] -> 4, [5,-2,4] -> 4, [-2,4,7] -> 4, [5,-2,4,7] -> 5. The sum is 13.

Example 3:

Input: nums = [10]
Output: 0

Constraints:

1 <= nums.length <= 10^5
-10^9 <= nums[i] <= 10^9
All the values of nums are distinct.
""",
        starter_code="""class Solution:
    def sumOfRunnerUps(self, nums: List[int]) -> int:
""",
        entry_point='Solution().sumOfRunnerUps',
        reference_solution="""class Solution:
    def sumOfRunnerUps(self, nums: List[int]) -> int:
        n = len(nums)

        def first_two_greater(arr):
            m = len(arr)
            r1 = [m] * m
            r2 = [m] * m
            s1 = []
            s2 = []
            for j, x in enumerate(arr):
                while s2 and arr[s2[-1]] < x:
                    r2[s2.pop()] = j
                moved = []
                while s1 and arr[s1[-1]] < x:
                    t = s1.pop()
                    r1[t] = j
                    moved.append(t)
                moved.reverse()
                s2.extend(moved)
                s1.append(j)
            return r1, r2

        r1, r2 = first_two_greater(nums)
        a, b = first_two_greater(nums[::-1])
        total = 0
        for i, x in enumerate(nums):
            L1 = n - 1 - a[n - 1 - i]
            L2 = n - 1 - b[n - 1 - i]
            R1 = r1[i]
            R2 = r2[i]
            cnt = 0
            if L1 >= 0:
                cnt += (L1 - L2) * (R1 - i)
            if R1 < n:
                cnt += (i - L1) * (R2 - R1)
            total += cnt * x
        return total
""",
        wrong_solution="""class Solution:
    def sumOfRunnerUps(self, nums: List[int]) -> int:
        n = len(nums)
        left = [-1] * n
        right = [n] * n
        stack = []
        for i, x in enumerate(nums):
            while stack and nums[stack[-1]] < x:
                right[stack.pop()] = i
            left[i] = stack[-1] if stack else -1
            stack.append(i)
        total = 0
        for i, x in enumerate(nums):
            L1 = left[i]
            R1 = right[i]
            L2 = left[L1] if L1 >= 0 else -1
            R2 = right[R1] if R1 < n else n
            cnt = 0
            if L1 >= 0:
                cnt += (L1 - L2) * (R1 - i)
            if R1 < n:
                cnt += (i - L1) * (R2 - R1)
            total += cnt * x
        return total
""",
        examples=[
            ('nums = [3,1,2]', '4'),
            ('nums = [5,-2,4,7]', '13'),
            ('nums = [10]', '0'),
        ],
        tests=[
            ('nums = [1]', '0'),
            ('nums = [1,2]', '1'),
            ('nums = [2,1]', '1'),
            ('nums = [1,2,3,4,5]', '30'),
            ('nums = [5,4,3,2,1]', '30'),
            ('nums = [2,5,1,4,3]', '28'),
            ('nums = [-3,-1,-2]', '-7'),
            ('nums = [4,1,3,2,6,5]', '49'),
            ('nums = [1000000000,-1000000000,999999999]', '-1000000001'),
            ('nums = [-87,-88,-246,178,-448,702,-312,101,540,-919,889,868,368,274,120,-203,231,-409,795,-753,903,-767,417,-841,818,-318,-788]', '217739'),
            ('nums = [515,911,868,-998,713,317,181,-308,-412,196,-453,-781,291,364,783,-571,-361,26,-743,667,661,683,-151,201,644,-931,-288,248,-698,180,77,-844,119,355,-437,779,587,413,16,-807,122,-78,-656,-978,-101,-475,-554]', '599763'),
            ('nums = [155,-216,-819,-229,-636,661,948,-17,526,-870,98,-194,815,148,906,-345,-373,-616,-807,-647,-747,135,707,192,-931,-988,999,-35,201,807,-458,325,-454,692,-979,-655,430,-755,645,851,315]', '536425'),
            ('nums = [-211,-745,338,357,19,672,-169,-136,-183,-89,-298,207,388,311,286,125,-270,384,108,239,36,-893,250,651,-891,813,682,-235,-414,843,190,709,908,44,427]', '300423'),
            ('nums = [(i * 7919) % 100003 - 50000 for i in range(10000)]', '2488212060545'),
            ('nums = [i if i % 2 else 100000 - i for i in range(12000)]', '6909708219996'),
            ('nums = [(i * 1000003) % 1000000007 - 500000000 for i in range(10000)]', '23268185294313099'),
        ],
    ),
    dict(
        id='str-charging-station-wait',
        difficulty='medium',
        tags=['heap', 'simulation'],
        statement="""A charging station has k identical chargers. You are given cars, where cars[i] = [arrive_i, need_i] means that car i arrives at time arrive_i and needs exactly need_i units of time on a charger. A car that starts charging at time t occupies its charger until time t + need_i, and that charger can be used by another car starting at time t + need_i.

Whenever at some time t there is at least one free charger and at least one car waiting (a car is waiting once it has arrived and until it starts charging, and a car arriving at time t is already waiting at time t), the station immediately starts charging the waiting car with the smallest need. Ties are broken by the earlier arrival time, and then by the smaller index. This is repeated until no charger is free or no car is waiting.

The waiting time of a car is the time it starts charging minus its arrival time. Return the sum of the waiting times of all cars.

Example 1:

Input: cars = [[0,5],[1,3],[2,1],[5,2]], k = 1
Output: 11
Explanation: Car 0 charges during [0,5). At time 5 cars 1, 2 and 3 are waiting; car 2 (need 1) goes first during [5,6), then car 3 (need 2) during [6,8), then car 1 during [8,11). The waiting times are 0, 7, 3 and 1.

Example 2:

Input: cars = [[3,4],[3,2],[3,4]], k = 2
Output: 2
Explanation: Cars 1 and 0 start at time 3 (car 1 has the smaller need, car 0 wins the tie against car 2 by index). Car 1 finishes at 5 and car 2 starts then, waiting 2.

Example 3:

Input: cars = [[0,1],[1,1],[2,1]], k = 1
Output: 0

Constraints:

1 <= cars.length <= 10^5
cars[i].length == 2
0 <= arrive_i <= 10^9
1 <= need_i <= 10^4
1 <= k <= 10^5
""",
        starter_code="""class Solution:
    def totalWaitingTime(self, cars: List[List[int]], k: int) -> int:
""",
        entry_point='Solution().totalWaitingTime',
        reference_solution="""class Solution:
    def totalWaitingTime(self, cars: List[List[int]], k: int) -> int:
        n = len(cars)
        order = sorted(range(n), key=lambda i: (cars[i][0], i))
        busy = []
        waiting = []
        free = k
        total = 0
        p = 0
        t = 0
        while p < n or waiting:
            while busy and busy[0] <= t:
                heappop(busy)
                free += 1
            while p < n and cars[order[p]][0] <= t:
                i = order[p]
                heappush(waiting, (cars[i][1], cars[i][0], i))
                p += 1
            while free > 0 and waiting:
                need, arrive, i = heappop(waiting)
                total += t - arrive
                heappush(busy, t + need)
                free -= 1
            if waiting:
                t = busy[0]
            elif p < n:
                t = cars[order[p]][0]
        return total
""",
        wrong_solution="""class Solution:
    def totalWaitingTime(self, cars: List[List[int]], k: int) -> int:
        n = len(cars)
        order = sorted(range(n), key=lambda i: (cars[i][0], i))
        busy = []
        waiting = []
        free = k
        total = 0
        p = 0
        t = 0
        while p < n or waiting:
            while busy and busy[0] <= t:
                heappop(busy)
                free += 1
            while free > 0 and waiting:
                need, arrive, i = heappop(waiting)
                total += t - arrive
                heappush(busy, t + need)
                free -= 1
            while p < n and cars[order[p]][0] <= t:
                i = order[p]
                heappush(waiting, (cars[i][1], cars[i][0], i))
                p += 1
            while free > 0 and waiting:
                need, arrive, i = heappop(waiting)
                total += t - arrive
                heappush(busy, t + need)
                free -= 1
            if waiting:
                t = busy[0]
            elif p < n:
                t = cars[order[p]][0]
        return total
""",
        examples=[
            ('cars = [[0,5],[1,3],[2,1],[5,2]], k = 1', '11'),
            ('cars = [[3,4],[3,2],[3,4]], k = 2', '2'),
            ('cars = [[0,1],[1,1],[2,1]], k = 1', '0'),
        ],
        tests=[
            ('cars = [[5,3]], k = 1', '0'),
            ('cars = [[0,2],[0,2]], k = 1', '2'),
            ('cars = [[0,2],[0,2]], k = 5', '0'),
            ('cars = [[0,4],[4,1],[4,1]], k = 1', '1'),
            ('cars = [[0,4],[1,9],[4,1]], k = 1', '4'),
            ('cars = [[0,10],[2,3],[2,3],[2,1]], k = 2', '5'),
            ('cars = [[7,1],[3,2],[1,5],[0,6]], k = 1', '12'),
            ('cars = [[1000000000,10000],[1000000000,10000],[0,10000]], k = 1', '10000'),
            ('cars = [[28,8],[23,10],[17,6],[34,1],[28,10],[35,7],[38,5],[7,2],[4,6],[6,1],[36,6],[18,10],[17,2],[40,4],[19,9],[8,7],[37,1]], k = 3', '4'),
            ('cars = [[9,10],[33,2],[34,9],[17,8],[6,9],[28,3],[0,8],[16,4],[36,7],[5,7],[11,8],[4,9],[25,9],[20,5],[12,2],[11,2],[35,10],[2,1],[30,10],[16,5],[0,3],[7,8],[24,2],[31,7],[27,7],[28,6],[37,9],[22,9],[38,9]], k = 1', '1470'),
            ('cars = [[3,6],[18,10],[32,7],[9,5],[31,7],[0,5],[31,6],[33,8],[10,3],[20,2],[18,5],[19,7],[10,9],[37,8],[36,3],[5,8],[4,6],[6,7],[38,4],[39,3],[6,10],[18,8],[36,7],[34,7],[2,1],[12,6],[9,3],[27,8],[23,5]], k = 1', '1394'),
            ('cars = [[26,8],[16,2],[21,1],[40,5],[33,1],[8,10],[4,2],[37,3],[36,8],[19,4],[18,8],[3,9],[20,4],[29,4],[37,7],[40,4],[2,5],[24,5],[30,7],[18,7],[13,3],[1,1],[15,9],[10,8],[25,9],[25,2],[28,8],[22,1],[17,4],[35,7]], k = 4', '36'),
            ('cars = [[(i * 7) % 50000, (i * 13) % 97 + 1] for i in range(8000)], k = 13', '218900'),
            ('cars = [[i // 3, (i * i) % 10 + 1] for i in range(8000)], k = 2', '51129743'),
            ('cars = [[0, 10000 - i % 10000] for i in range(6000)], k = 100000', '0'),
        ],
    ),
    dict(
        id='str-cheapest-leveling-window',
        difficulty='hard',
        tags=['heap', 'sliding-window', 'median'],
        statement="""A road crew must level a stretch of exactly k consecutive fence posts. The heights of all posts along the road are given in the array nums. To level a stretch, the crew chooses any integer target height h and changes every post of the stretch to height h; changing a post from height x to height h costs |x - h|.

The crew may choose which stretch of k consecutive posts to level. Return the minimum total cost needed to level some stretch of k consecutive posts.

Example 1:

Input: nums = [1,8,2,9,3,4], k = 3
Output: 6
Explanation: The stretches [1,8,2], [8,2,9] and [2,9,3] each cost 7 at best (for example [2,9,3] levelled to height 3 costs 1 + 6 + 0 = 7). The stretch [9,3,4] levelled to height 4 costs 5 + 1 + 0 = 6.

Example 2:

Input: nums = [5,5,-5,5], k = 2
Output: 0
Explanation: The stretch [5,5] needs no change.

Example 3:

Input: nums = [4,10,1], k = 3
Output: 9

Constraints:

1 <= k <= nums.length <= 10^5
-10^9 <= nums[i] <= 10^9
""",
        starter_code="""class Solution:
    def minLevelingCost(self, nums: List[int], k: int) -> int:
""",
        entry_point='Solution().minLevelingCost',
        reference_solution="""class Solution:
    def minLevelingCost(self, nums: List[int], k: int) -> int:
        n = len(nums)
        lo = []
        hi = []
        in_lo = [False] * n
        size = [0, 0]
        sums = [0, 0]
        best = None

        def prune(heap, start):
            while heap and heap[0][1] < start:
                heappop(heap)

        for j in range(n):
            start = j - k + 1
            if start > 0:
                r = start - 1
                if in_lo[r]:
                    size[0] -= 1
                    sums[0] -= nums[r]
                else:
                    size[1] -= 1
                    sums[1] -= nums[r]
            x = nums[j]
            heappush(lo, (-x, j))
            prune(lo, start)
            v, idx = heappop(lo)
            heappush(hi, (-v, idx))
            in_lo[idx] = False
            if idx != j:
                in_lo[j] = True
                sums[0] += x + v
            size[1] += 1
            sums[1] -= v
            while size[0] > size[1] + 1:
                prune(lo, start)
                v, idx = heappop(lo)
                heappush(hi, (-v, idx))
                in_lo[idx] = False
                size[0] -= 1
                size[1] += 1
                sums[0] += v
                sums[1] -= v
            while size[0] < size[1]:
                prune(hi, start)
                v, idx = heappop(hi)
                heappush(lo, (-v, idx))
                in_lo[idx] = True
                size[0] += 1
                size[1] -= 1
                sums[0] += v
                sums[1] -= v
            if start >= 0:
                prune(lo, start)
                med = -lo[0][0]
                cost = med * size[0] - sums[0] + sums[1] - med * size[1]
                if best is None or cost < best:
                    best = cost
        return best
""",
        wrong_solution="""class Solution:
    def minLevelingCost(self, nums: List[int], k: int) -> int:
        n = len(nums)
        lo = []
        hi = []
        in_lo = [False] * n
        size = [0, 0]
        sums = [0, 0]
        best = None

        def prune(heap, start):
            while heap and heap[0][1] < start:
                heappop(heap)

        for j in range(n):
            start = j - k + 1
            if start > 0:
                r = start - 1
                if in_lo[r]:
                    size[0] -= 1
                    sums[0] -= nums[r]
                else:
                    size[1] -= 1
                    sums[1] -= nums[r]
            x = nums[j]
            heappush(lo, (-x, j))
            prune(lo, start)
            v, idx = heappop(lo)
            heappush(hi, (-v, idx))
            in_lo[idx] = False
            if idx != j:
                in_lo[j] = True
                sums[0] += x + v
            size[1] += 1
            sums[1] -= v
            while size[0] > size[1] + 1:
                prune(lo, start)
                v, idx = heappop(lo)
                heappush(hi, (-v, idx))
                in_lo[idx] = False
                size[0] -= 1
                size[1] += 1
                sums[0] += v
                sums[1] -= v
            while size[0] < size[1]:
                prune(hi, start)
                v, idx = heappop(hi)
                heappush(lo, (-v, idx))
                in_lo[idx] = True
                size[0] += 1
                size[1] -= 1
                sums[0] += v
                sums[1] -= v
            if start >= 0 and (j < n - 1 or start == 0):
                prune(lo, start)
                med = -lo[0][0]
                cost = med * size[0] - sums[0] + sums[1] - med * size[1]
                if best is None or cost < best:
                    best = cost
        return best
""",
        examples=[
            ('nums = [1,8,2,9,3,4], k = 3', '6'),
            ('nums = [5,5,-5,5], k = 2', '0'),
            ('nums = [4,10,1], k = 3', '9'),
        ],
        tests=[
            ('nums = [7], k = 1', '0'),
            ('nums = [3,-3], k = 2', '6'),
            ('nums = [1,2,3,4,5], k = 5', '6'),
            ('nums = [9,1,9,1,9], k = 4', '16'),
            ('nums = [10,20,30,1,1,2], k = 3', '1'),
            ('nums = [5,5,5,5], k = 3', '0'),
            ('nums = [1000000000,-1000000000,1000000000,-1000000000], k = 3', '2000000000'),
            ('nums = [8,1,6,2,2,3], k = 2', '0'),
            ('nums = [100,90,80,3,4,4], k = 3', '1'),
            ('nums = [14,-6,47,-31,-14,37,92,-90,14,71,59,40,-1,53,-27,-70,-71,77,-81,-15,-74,89,-100,64,47,-14,-27,49,-32,-73,61,70,-47,-21], k = 6', '130'),
            ('nums = [724294692,-926759404,-252412911,309171741,-682580310,238278294,129336507,-836045696,173837847,173403477,421279621,-409629653,865857442,664122880,481807140,65534370,-797579391,177514051,-33004768,-639113723,-976562586,-56915330,-449232824,-531361614,417346833,212133442,-176930896,-810043348,-191154264,-617761536,742590026,31156449,601089317,-862890763,151475011,-154682325,903375806,204370169,999042519,-312758670,-342012478,-596798879,-796919052,-629280339,-733954748,190759387], k = 20', '8141333651'),
            ('nums = [2,4,-1,5,-1,-5,-3,-4,5,2,1,-4,5,5,2,1,1,1,2,0,4,5], k = 10', '16'),
            ('nums = [162867644,299296128,86897919,-887015725,310980727,731340653,-885325752,901327775,764231882,-197132039,-384676124,932580880,248815855,792537250,95253011,497343659,-67955404,-676520451,457037409,-382751947,511096287,419826889,52583843,470738887,951569462,946096437,790468849,975766259,-150171834,-972718448,853043319,-396330416,49996313,-230772787,109103256,372553284,26670827,-659979757,-703681486,-302815019,-826565351,977894818], k = 11', '3657232442'),
            ('nums = [(i * 7919) % 10007 - 5000 for i in range(5000)], k = 500', '1247546'),
            ('nums = [(i * i) % 1009 for i in range(5000)][::-1] + [5] * 40, k = 41', '5'),
            ('nums = [i if i % 2 else -i for i in range(5000)], k = 4000', '7998000'),
        ],
    ),
    dict(
        id='str-mural-visible-colors',
        difficulty='medium',
        tags=['intervals', 'sweep-line', 'heap'],
        statement="""A long mural is painted along a number line with a sequence of brush strokes. strokes[i] = [l_i, r_i, c_i] means that the i-th stroke paints the half-open segment [l_i, r_i) with color c_i. Strokes are applied in the given order, and a later stroke completely covers whatever was painted before it on the segment it paints.

After all strokes are applied, for every color compute its visible length: the total length of the parts of the number line whose final color is that color.

Return a list of pairs [color, visibleLength] for every color whose visible length is positive, sorted by color in ascending order.

Example 1:

Input: strokes = [[0,10,1],[2,5,2],[4,8,3]]
Output: [[1,4],[2,2],[3,4]]
Explanation: Color 1 remains visible on [0,2) and [8,10), color 2 on [2,4) and color 3 on [4,8).

Example 2:

Input: strokes = [[3,6,7],[1,9,4],[0,2,7]]
Output: [[4,7],[7,2]]
Explanation: The second stroke hides the first one completely. Color 7 is visible on [0,2) and color 4 on [2,9).

Example 3:

Input: strokes = [[5,6,2],[5,6,1]]
Output: [[1,1]]

Constraints:

1 <= strokes.length <= 10^5
strokes[i].length == 3
0 <= l_i < r_i <= 10^9
1 <= c_i <= 10^9
""",
        starter_code="""class Solution:
    def visibleColorLengths(self, strokes: List[List[int]]) -> List[List[int]]:
""",
        entry_point='Solution().visibleColorLengths',
        reference_solution="""class Solution:
    def visibleColorLengths(self, strokes: List[List[int]]) -> List[List[int]]:
        starts = defaultdict(list)
        ends = defaultdict(list)
        for i, (l, r, c) in enumerate(strokes):
            starts[l].append(i)
            ends[r].append(i)
        coords = sorted(set(starts) | set(ends))
        alive = [False] * len(strokes)
        heap = []
        total = defaultdict(int)
        for j, x in enumerate(coords):
            for i in ends.get(x, ()):
                alive[i] = False
            for i in starts.get(x, ()):
                alive[i] = True
                heappush(heap, -i)
            while heap and not alive[-heap[0]]:
                heappop(heap)
            if heap and j + 1 < len(coords):
                total[strokes[-heap[0]][2]] += coords[j + 1] - x
        return [[c, total[c]] for c in sorted(total) if total[c] > 0]
""",
        wrong_solution="""class Solution:
    def visibleColorLengths(self, strokes: List[List[int]]) -> List[List[int]]:
        starts = defaultdict(list)
        ends = defaultdict(list)
        for i, (l, r, c) in enumerate(strokes):
            starts[l].append(i)
            ends[r].append(i)
        coords = sorted(set(starts) | set(ends))
        alive = [False] * len(strokes)
        heap = []
        total = defaultdict(int)
        for j, x in enumerate(coords):
            for i in ends.get(x, ()):
                alive[i] = False
            for i in starts.get(x, ()):
                alive[i] = True
                heappush(heap, i)
            while heap and not alive[heap[0]]:
                heappop(heap)
            if heap and j + 1 < len(coords):
                total[strokes[heap[0]][2]] += coords[j + 1] - x
        return [[c, total[c]] for c in sorted(total) if total[c] > 0]
""",
        examples=[
            ('strokes = [[0,10,1],[2,5,2],[4,8,3]]', '[[1,4],[2,2],[3,4]]'),
            ('strokes = [[3,6,7],[1,9,4],[0,2,7]]', '[[4,7],[7,2]]'),
            ('strokes = [[5,6,2],[5,6,1]]', '[[1,1]]'),
        ],
        tests=[
            ('strokes = [[0,1,5]]', '[[5,1]]'),
            ('strokes = [[0,1000000000,1000000000]]', '[[1000000000,1000000000]]'),
            ('strokes = [[0,5,1],[5,10,2]]', '[[1,5],[2,5]]'),
            ('strokes = [[0,5,1],[0,5,1]]', '[[1,5]]'),
            ('strokes = [[2,4,3],[0,10,3],[4,6,1]]', '[[1,2],[3,8]]'),
            ('strokes = [[0,10,1],[1,9,2],[2,8,3],[3,7,4],[4,6,5]]', '[[1,2],[2,2],[3,2],[4,2],[5,2]]'),
            ('strokes = [[4,6,5],[3,7,4],[2,8,3],[1,9,2],[0,10,1]]', '[[1,10]]'),
            ('strokes = [[0,3,2],[6,9,2],[2,7,1]]', '[[1,5],[2,4]]'),
            ('strokes = [[57,86,3],[73,91,3],[68,117,1],[57,116,6],[79,115,4],[76,95,1],[14,103,1],[42,56,6],[0,108,6],[73,95,3],[74,92,1],[80,94,3],[64,73,4],[75,78,3],[78,88,5],[67,72,5],[69,112,3]]', '[[1,1],[3,43],[4,6],[5,2],[6,65]]'),
            ('strokes = [[12,83,4],[21,23,4],[32,60,6],[72,97,1],[48,71,4],[95,98,5],[50,91,3],[24,37,2],[15,86,5],[4,5,4],[75,92,6],[34,36,2],[89,93,6],[63,88,1],[83,115,4],[54,106,4],[43,119,6],[81,117,3],[86,119,1],[78,82,3],[36,111,5],[89,103,2],[86,105,6],[84,116,6],[50,52,3]]', '[[1,3],[2,2],[3,2],[4,4],[5,65],[6,32]]'),
            ('strokes = [[45,112,6],[61,72,2],[41,52,3],[34,73,4],[20,92,5],[56,78,1],[59,109,1],[43,56,4],[85,98,5],[16,99,1],[77,96,4],[84,112,5],[87,112,1],[1,27,3],[18,40,4],[63,111,3],[100,109,6],[7,113,6],[53,114,3],[8,51,1],[81,99,6],[66,68,2],[78,83,1],[74,86,6],[72,104,3]]', '[[1,43],[2,2],[3,65],[6,3]]'),
            ('strokes = [[36,100,1],[89,107,3],[26,85,2],[98,117,4],[93,115,6],[27,32,3],[48,81,4],[49,87,4],[27,46,1],[1,33,6],[67,78,4],[51,116,4],[8,65,4],[44,46,6],[34,60,5],[52,116,4]]', '[[4,91],[5,18],[6,7]]'),
            ('strokes = [[(i * 7919) % 1000000, (i * 7919) % 1000000 + (i * 31) % 5000 + 1, i % 20 + 1] for i in range(4000)]', '[[1,47478],[2,48434],[3,48715],[4,49127],[5,50388],[6,51894],[7,53196],[8,53073],[9,52544],[10,52022],[11,50165],[12,47093],[13,47333],[14,47336],[15,47462],[16,50498],[17,51852],[18,51917],[19,50706],[20,51386]]'),
            ('strokes = [[i, 2 * 6000 - i, (i * i) % 37 + 1] for i in range(6000)]', '[[1,326],[2,650],[4,648],[5,650],[8,648],[10,650],[11,648],[12,648],[13,648],[17,650],[22,648],[26,650],[27,648],[28,648],[29,648],[31,648],[34,648],[35,648],[37,648]]'),
            ('strokes = [[(i * 104729) % 999983, 999983 + (i * 7) % 17, i % 3 + 1] for i in range(6000)]', '[[1,105815],[2,122634],[3,771550]]'),
        ],
    ),
    dict(
        id='str-crowd-limit-cancellations',
        difficulty='hard',
        tags=['intervals', 'greedy', 'heap'],
        statement="""A museum hall has been booked by several tour groups. bookings[i] = [start_i, end_i] means that group i occupies the hall during every integer minute from start_i to end_i, inclusive. Fire regulations allow at most k groups in the hall during any minute.

The museum may cancel some bookings. Return the minimum number of bookings that must be cancelled so that, during every minute, at most k of the remaining groups occupy the hall.

Example 1:

Input: bookings = [[1,10],[2,3],[4,5],[6,7]], k = 1
Output: 1
Explanation: Cancelling only the first booking leaves three groups that never meet.

Example 2:

Input: bookings = [[1,4],[2,5],[3,6],[4,7],[5,8]], k = 2
Output: 2
Explanation: During minute 4 the groups 0, 1, 2 and 3 are all present, and during minute 5 the groups 1 to 4. Cancelling bookings 1 and 2 leaves [1,4], [4,7] and [5,8], which never exceed two groups at once; one cancellation is not enough.

Example 3:

Input: bookings = [[0,0],[1,1]], k = 1
Output: 0

Constraints:

1 <= bookings.length <= 10^5
bookings[i].length == 2
0 <= start_i <= end_i <= 10^9
1 <= k <= 10^5
""",
        starter_code="""class Solution:
    def minCancellations(self, bookings: List[List[int]], k: int) -> int:
""",
        entry_point='Solution().minCancellations',
        reference_solution="""class Solution:
    def minCancellations(self, bookings: List[List[int]], k: int) -> int:
        n = len(bookings)
        order = sorted(range(n), key=lambda i: bookings[i][0])
        by_end = []
        far = []
        dead = [False] * n
        active = 0
        removed = 0
        for i in order:
            l, r = bookings[i]
            while by_end and by_end[0][0] < l:
                _, j = heappop(by_end)
                if not dead[j]:
                    dead[j] = True
                    active -= 1
            heappush(by_end, (r, i))
            heappush(far, (-r, i))
            active += 1
            if active > k:
                while dead[far[0][1]]:
                    heappop(far)
                _, j = heappop(far)
                dead[j] = True
                active -= 1
                removed += 1
        return removed
""",
        wrong_solution="""class Solution:
    def minCancellations(self, bookings: List[List[int]], k: int) -> int:
        n = len(bookings)
        order = sorted(range(n), key=lambda i: bookings[i][0])
        by_end = []
        dead = [False] * n
        active = 0
        removed = 0
        for i in order:
            l, r = bookings[i]
            while by_end and by_end[0][0] < l:
                _, j = heappop(by_end)
                if not dead[j]:
                    dead[j] = True
                    active -= 1
            heappush(by_end, (r, i))
            active += 1
            if active > k:
                dead[i] = True
                active -= 1
                removed += 1
        return removed
""",
        examples=[
            ('bookings = [[1,10],[2,3],[4,5],[6,7]], k = 1', '1'),
            ('bookings = [[1,4],[2,5],[3,6],[4,7],[5,8]], k = 2', '2'),
            ('bookings = [[0,0],[1,1]], k = 1', '0'),
        ],
        tests=[
            ('bookings = [[5,5]], k = 1', '0'),
            ('bookings = [[1,2],[2,3]], k = 1', '1'),
            ('bookings = [[1,2],[3,4]], k = 1', '0'),
            ('bookings = [[0,9],[0,9],[0,9]], k = 2', '1'),
            ('bookings = [[0,100],[1,2],[3,4],[5,6],[7,8]], k = 1', '1'),
            ('bookings = [[1,3],[2,6],[4,8],[7,9]], k = 1', '2'),
            ('bookings = [[0,1000000000],[0,1000000000],[500,600]], k = 1', '2'),
            ('bookings = [[1,5],[1,2],[2,3],[3,4],[4,5]], k = 2', '1'),
            ('bookings = [[57,71],[47,65],[34,60],[43,60],[96,97],[57,86],[85,104],[70,82],[76,85],[15,44],[14,36],[9,37],[42,45],[94,123],[0,26],[82,100],[43,52],[74,82],[13,33],[85,112],[26,35],[64,68],[53,71],[4,15],[78,82],[73,89],[9,26],[69,90],[35,62],[99,121],[63,66],[70,84],[21,21],[56,64]], k = 2', '21'),
            ('bookings = [[49,51],[48,53],[61,84],[8,25],[50,78],[71,100],[40,49],[24,27],[22,25],[70,96],[74,75],[0,15],[75,103],[33,53],[34,60],[1,6],[89,92],[82,97],[49,52],[83,104],[63,89],[51,64],[51,65],[43,61],[86,106],[80,97],[45,66],[69,88],[64,65],[78,103],[6,34],[47,56],[74,100],[65,87],[55,59],[86,95],[90,111],[62,83],[50,50],[35,50],[45,61],[81,96],[20,24],[41,43],[36,44],[38,51],[20,48],[71,89],[56,74],[21,23],[59,83],[9,19],[12,24],[85,104],[95,101],[78,82]], k = 1', '44'),
            ('bookings = [[37,51],[84,102],[55,72],[87,110],[100,112],[5,5],[25,54],[44,48],[21,34],[63,86],[46,71],[34,55],[7,33],[83,96],[60,68],[8,18],[7,27],[35,56],[66,66],[16,35],[8,33],[11,40],[74,79],[84,102],[62,71],[24,33],[63,64],[89,106],[41,70],[26,53],[98,127],[58,65],[98,126],[74,86],[93,114],[81,87],[4,31],[34,46],[80,88],[60,72],[37,50],[27,31],[2,2],[31,51],[67,72],[61,73],[64,76],[8,22],[61,72],[1,24],[34,40],[71,84],[63,89],[57,81],[68,90],[53,67],[97,98],[65,84]], k = 2', '39'),
            ('bookings = [[34,43],[94,116],[50,60],[44,68],[41,46],[22,47],[8,33],[41,59],[44,55],[16,21],[54,68],[47,74],[98,123],[77,103],[36,39],[63,64],[77,105],[66,81],[17,27],[90,114],[85,109],[57,82],[60,80],[45,56],[26,42],[59,59],[87,111],[18,39],[95,110],[18,46],[29,36],[8,31],[73,82],[62,79],[84,94],[98,118],[74,95],[65,67],[35,58],[82,111],[93,96],[94,103],[86,92],[11,23],[84,102],[0,0],[58,72],[53,66],[80,100],[4,30],[39,66],[60,90],[22,25],[80,101],[23,32],[62,74],[22,31],[86,87],[51,79],[76,97]], k = 4', '29'),
            ('bookings = [[(i * 7919) % 100000, (i * 7919) % 100000 + (i * 37) % 500] for i in range(6000)], k = 5', '2965'),
            ('bookings = [[i, i + (i * i) % 1000] for i in range(6000)], k = 40', '4222'),
            ('bookings = [[(i * 13) % 997, 997 + (i * 17) % 1000] for i in range(6000)], k = 1000', '5000'),
        ],
    ),
    dict(
        id='str-common-free-slots',
        difficulty='medium',
        tags=['intervals', 'sorting'],
        statement="""A team wants to find times for a joint meeting. schedules[p] is the list of busy intervals of person p, where each interval [s, e] means that the person is busy during the half-open time range [s, e). The intervals of one person are given in no particular order and may overlap each other, and they may extend outside the working day.

A moment is free if it lies inside the working day [dayStart, dayEnd) and nobody is busy at it. Return all maximal free intervals [a, b] (meaning the half-open range [a, b)) whose length b - a is at least minLen. Maximal means the interval cannot be extended in either direction while staying free. Return them sorted by start time in ascending order.

Example 1:

Input: schedules = [[[9,10],[13,14]],[[8,9],[12,13]],[[11,12]]], dayStart = 8, dayEnd = 17, minLen = 1
Output: [[10,11],[14,17]]
Explanation: Together the team is busy during [8,10) and [11,14).

Example 2:

Input: schedules = [[[10,12],[3,7]],[[6,11]]], dayStart = 0, dayEnd = 20, minLen = 4
Output: [[12,20]]
Explanation: The free intervals are [0,3) and [12,20); only [12,20) is long enough.

Example 3:

Input: schedules = [[[0,5]],[]], dayStart = 1, dayEnd = 4, minLen = 1
Output: []

Constraints:

1 <= schedules.length <= 1000
0 <= schedules[p].length <= 1000
The total number of busy intervals is at most 10^5.
schedules[p][j].length == 2
0 <= s < e <= 10^9
0 <= dayStart < dayEnd <= 10^9
1 <= minLen <= 10^9
""",
        starter_code="""class Solution:
    def commonFreeSlots(self, schedules: List[List[List[int]]], dayStart: int, dayEnd: int, minLen: int) -> List[List[int]]:
""",
        entry_point='Solution().commonFreeSlots',
        reference_solution="""class Solution:
    def commonFreeSlots(self, schedules: List[List[List[int]]], dayStart: int, dayEnd: int, minLen: int) -> List[List[int]]:
        busy = sorted((s, e) for person in schedules for s, e in person)
        res = []
        cur = dayStart
        for s, e in busy:
            if cur >= dayEnd:
                break
            if s > cur:
                b = min(s, dayEnd)
                if b - cur >= minLen:
                    res.append([cur, b])
            if e > cur:
                cur = e
        if dayEnd - cur >= minLen:
            res.append([cur, dayEnd])
        return res
""",
        wrong_solution="""class Solution:
    def commonFreeSlots(self, schedules: List[List[List[int]]], dayStart: int, dayEnd: int, minLen: int) -> List[List[int]]:
        busy = sorted((s, e) for person in schedules for s, e in person)
        res = []
        cur = dayStart
        for s, e in busy:
            if cur >= dayEnd:
                break
            if s > cur:
                b = min(s, dayEnd)
                if b - cur >= minLen:
                    res.append([cur, b])
            if e > cur:
                cur = e
        return res
""",
        examples=[
            ('schedules = [[[9,10],[13,14]],[[8,9],[12,13]],[[11,12]]], dayStart = 8, dayEnd = 17, minLen = 1', '[[10,11],[14,17]]'),
            ('schedules = [[[10,12],[3,7]],[[6,11]]], dayStart = 0, dayEnd = 20, minLen = 4', '[[12,20]]'),
            ('schedules = [[[0,5]],[]], dayStart = 1, dayEnd = 4, minLen = 1', '[]'),
        ],
        tests=[
            ('schedules = [[]], dayStart = 0, dayEnd = 10, minLen = 10', '[[0,10]]'),
            ('schedules = [[]], dayStart = 0, dayEnd = 10, minLen = 11', '[]'),
            ('schedules = [[[0,10]]], dayStart = 0, dayEnd = 10, minLen = 1', '[]'),
            ('schedules = [[[2,4]],[[4,6]]], dayStart = 0, dayEnd = 8, minLen = 1', '[[0,2],[6,8]]'),
            ('schedules = [[[5,6]],[[1,3]],[[2,4]]], dayStart = 0, dayEnd = 9, minLen = 2', '[[6,9]]'),
            ('schedules = [[[0,3],[7,100]]], dayStart = 2, dayEnd = 50, minLen = 1', '[[3,7]]'),
            ('schedules = [[[10,20]],[[30,40]]], dayStart = 0, dayEnd = 1000000000, minLen = 999999960', '[[40,1000000000]]'),
            ('schedules = [[[1,2],[1,2]],[[1,2]]], dayStart = 0, dayEnd = 3, minLen = 1', '[[0,1],[2,3]]'),
            ('schedules = [[[4,6]]], dayStart = 0, dayEnd = 5, minLen = 1', '[[0,4]]'),
            ('schedules = [[[114,126],[147,156],[86,104]],[[10,25],[171,191],[140,153],[153,163],[30,34],[177,180]],[[26,50],[0,21]]], dayStart = 18, dayEnd = 193, minLen = 5', '[[50,86],[104,114],[126,140],[163,171]]'),
            ('schedules = [[[27,48],[170,177]],[[128,133],[106,125]],[[8,20],[156,161],[147,164],[19,37],[139,161],[70,95]],[[127,131],[140,155],[43,44],[112,121],[55,77]],[[98,101],[96,102],[122,146],[16,34]],[[143,154],[78,85],[24,30]]], dayStart = 3, dayEnd = 220, minLen = 1', '[[3,8],[48,55],[95,96],[102,106],[164,170],[177,220]]'),
            ('schedules = [[[150,159],[165,174],[2,8]],[[30,51],[127,140],[31,52],[169,185],[103,117]]], dayStart = 12, dayEnd = 206, minLen = 6', '[[12,30],[52,103],[117,127],[140,150],[159,165],[185,206]]'),
            ('schedules = [[[163,184],[140,152],[173,191],[154,171],[13,33]],[[13,25],[73,92],[130,153],[111,116],[173,183],[180,202]],[[175,188],[3,12],[125,137]],[[163,179],[40,45],[83,86],[72,81]],[[109,115],[142,161]],[[145,151],[22,37],[197,200]]], dayStart = 10, dayEnd = 162, minLen = 7', '[[45,72],[92,109],[116,125]]'),
            ('schedules = [[[(p * p * 7919 + j * j * 104729 + p * j * 31) % 1000000, (p * p * 7919 + j * j * 104729 + p * j * 31) % 1000000 + (p * j) % 60 + 20] for j in range(25)] for p in range(400)], dayStart = 1000, dayEnd = 999000, minLen = 450', '[[18421,19397],[28804,29324],[60244,60741],[73944,74531],[88496,89043],[102069,102613],[108336,108811],[121096,121627],[122709,123163],[125735,126281],[144011,144497],[149000,149461],[165276,165851],[186160,186771],[244535,245017],[246679,247131],[248215,248900],[253140,253777],[261416,261947],[296451,296976],[317631,318199],[339711,340257],[376180,376763],[404164,405031],[419761,420273],[428056,428528],[430896,431513],[481751,482303],[498416,499129],[508531,508987],[514821,515283],[519616,520201],[565144,565617],[579489,579999],[592451,593009],[606496,606999],[625716,626181],[633669,634119],[653484,654041],[712896,713383],[720239,720716],[726420,726893],[751176,751643],[764959,765427],[782716,783283],[790736,791209],[824199,824832],[837400,837991],[883659,884412],[899685,900139],[913665,914116],[921284,921956],[927091,927543],[945336,945925],[969856,970348],[973816,974423],[996756,997233],[998159,998661]]'),
            ('schedules = [[[j * 1000 + p, j * 1000 + p + 1] for j in range(100)] for p in range(150)], dayStart = 0, dayEnd = 100005, minLen = 5', '[[150,1000],[1150,2000],[2150,3000],[3150,4000],[4150,5000],[5150,6000],[6150,7000],[7150,8000],[8150,9000],[9150,10000],[10150,11000],[11150,12000],[12150,13000],[13150,14000],[14150,15000],[15150,16000],[16150,17000],[17150,18000],[18150,19000],[19150,20000],[20150,21000],[21150,22000],[22150,23000],[23150,24000],[24150,25000],[25150,26000],[26150,27000],[27150,28000],[28150,29000],[29150,30000],[30150,31000],[31150,32000],[32150,33000],[33150,34000],[34150,35000],[35150,36000],[36150,37000],[37150,38000],[38150,39000],[39150,40000],[40150,41000],[41150,42000],[42150,43000],[43150,44000],[44150,45000],[45150,46000],[46150,47000],[47150,48000],[48150,49000],[49150,50000],[50150,51000],[51150,52000],[52150,53000],[53150,54000],[54150,55000],[55150,56000],[56150,57000],[57150,58000],[58150,59000],[59150,60000],[60150,61000],[61150,62000],[62150,63000],[63150,64000],[64150,65000],[65150,66000],[66150,67000],[67150,68000],[68150,69000],[69150,70000],[70150,71000],[71150,72000],[72150,73000],[73150,74000],[74150,75000],[75150,76000],[76150,77000],[77150,78000],[78150,79000],[79150,80000],[80150,81000],[81150,82000],[82150,83000],[83150,84000],[84150,85000],[85150,86000],[86150,87000],[87150,88000],[88150,89000],[89150,90000],[90150,91000],[91150,92000],[92150,93000],[93150,94000],[94150,95000],[95150,96000],[96150,97000],[97150,98000],[98150,99000],[99150,100005]]'),
            ('schedules = [[[x, x + 3] for x in range(p, 20000, 21)] for p in range(21)] + [[]] * 500, dayStart = 5, dayEnd = 25000, minLen = 1', '[[20002,25000]]'),
        ],
    ),
    dict(
        id='str-relay-elimination-circle',
        difficulty='medium',
        tags=['simulation', 'circular-list'],
        statement="""n players numbered 0 to n - 1 sit clockwise around a campfire, and player i holds a card with the number jumps[i]. The game starts with the count set to k and the counting starting at player 0.

In each round, players are counted clockwise starting from the current starting player, who counts as 1, until the count reaches the current count value; the player who says that value is eliminated. The new count value becomes the number on the eliminated player's card, and the next round starts with the next remaining player clockwise after the eliminated one. Counting wraps around the circle as many times as needed and only remaining players are counted.

The game ends when exactly one player remains. Return the number of that player.

Example 1:

Input: jumps = [3,1,2,5], k = 2
Output: 3
Explanation: Counting from player 0 with count 2 eliminates player 1, whose card is 1. Counting 1 from player 2 eliminates player 2 (card 2). Counting 2 from player 3 goes 3, 0 and eliminates player 0. Player 3 remains.

Example 2:

Input: jumps = [1,1,1], k = 4
Output: 2
Explanation: Count 4 from player 0 goes 0, 1, 2, 0 and eliminates player 0. Then count 1 eliminates player 1, leaving player 2.

Example 3:

Input: jumps = [9], k = 1
Output: 0

Constraints:

1 <= jumps.length <= 5000
1 <= jumps[i] <= 10^9
1 <= k <= 10^9
""",
        starter_code="""class Solution:
    def lastStanding(self, jumps: List[int], k: int) -> int:
""",
        entry_point='Solution().lastStanding',
        reference_solution="""class Solution:
    def lastStanding(self, jumps: List[int], k: int) -> int:
        circle = list(range(len(jumps)))
        pos = 0
        step = k
        while len(circle) > 1:
            idx = (pos + step - 1) % len(circle)
            out = circle.pop(idx)
            step = jumps[out]
            pos = idx % len(circle)
        return circle[0]
""",
        wrong_solution="""class Solution:
    def lastStanding(self, jumps: List[int], k: int) -> int:
        circle = list(range(len(jumps)))
        pos = 0
        step = k
        while len(circle) > 1:
            idx = (pos + step - 1) % len(circle)
            out = circle.pop(idx)
            step = jumps[out]
            pos = (idx + 1) % len(circle)
        return circle[0]
""",
        examples=[
            ('jumps = [3,1,2,5], k = 2', '3'),
            ('jumps = [1,1,1], k = 4', '2'),
            ('jumps = [9], k = 1', '0'),
        ],
        tests=[
            ('jumps = [4], k = 7', '0'),
            ('jumps = [1,1], k = 1', '1'),
            ('jumps = [1,1], k = 2', '0'),
            ('jumps = [2,2,2,2,2], k = 1', '1'),
            ('jumps = [1,1,1,1,1,1,1], k = 3', '1'),
            ('jumps = [1000000000,1,1000000000], k = 1000000000', '1'),
            ('jumps = [5,4,3,2,1], k = 5', '1'),
            ('jumps = [2,3,1,4,1,2], k = 6', '2'),
            ('jumps = [58,58,48,74,35,44,69,97,6,58,86,80,71,50,77,37,16,15,89,10,43,14,95,1,83,74,44,37,75], k = 35', '15'),
            ('jumps = [81,86,27,40,65,17,54,76,5,45,79,19,74,68,10,70,70,85,36,100,89], k = 64', '19'),
            ('jumps = [71,58,22,2,57,33,28,85,73,50,12,49,23,62,96,9,69,51,72,41,40], k = 25', '17'),
            ('jumps = [23,16,71,75,5,1,61,76,34,83,35,2,22,90,16,83,64,50,16,84,85], k = 64', '2'),
            ('jumps = [(i * 7919) % 1000 + 1 for i in range(5000)], k = 17', '1162'),
            ('jumps = [1000000000 - i for i in range(5000)], k = 999999937', '4427'),
            ('jumps = [3] * 5000, k = 3', '2863'),
        ],
    ),
    dict(
        id='str-xor-beacon-row',
        difficulty='hard',
        tags=['simulation', 'bit-manipulation', 'math'],
        statement="""A row of n beacons is described by a binary string state, where state[i] == '1' means that beacon i is lit. Every second, all beacons update simultaneously: beacon i becomes lit if and only if exactly one of its two neighbours (beacons i - 1 and i + 1) was lit in the previous second. The beacons at the two ends have only one neighbour; a missing neighbour counts as unlit. Note that a beacon's own previous state does not matter.

Return the state of the row after exactly t seconds, in the same format. t can be extremely large.

Example 1:

Input: state = "01101", t = 1
Output: "11100"
Explanation: Beacon 0 copies beacon 1, beacon 4 copies beacon 3, and each inner beacon becomes the XOR of its neighbours.

Example 2:

Input: state = "100", t = 2
Output: "101"
Explanation: After one second the row is "010", and after two seconds it is "101".

Example 3:

Input: state = "1101", t = 1000000000000
Output: "0011"

Constraints:

1 <= state.length <= 2000
state consists only of '0' and '1'.
0 <= t <= 10^18
""",
        starter_code="""class Solution:
    def stateAfter(self, state: str, t: int) -> str:
""",
        entry_point='Solution().stateAfter',
        reference_solution="""class Solution:
    def stateAfter(self, state: str, t: int) -> str:
        n = len(state)
        P = 2 * (n + 1)
        mask = (1 << P) - 1
        ext = state + "0" + state[::-1] + "0"
        c = int(ext[::-1], 2)
        j = 0
        while t and c:
            if t & 1:
                m = (1 << j) % P
                left = ((c << m) | (c >> (P - m))) & mask
                right = ((c >> m) | (c << (P - m))) & mask
                c = left ^ right
            t >>= 1
            j += 1
        bits = format(c, "b").zfill(P)[::-1]
        return bits[:n]
""",
        wrong_solution="""class Solution:
    def stateAfter(self, state: str, t: int) -> str:
        n = len(state)
        mask = (1 << n) - 1
        c = int(state[::-1], 2)
        j = 0
        while t and c:
            if t & 1:
                if j >= 20 or (1 << j) >= n:
                    c = 0
                else:
                    m = 1 << j
                    c = ((c << m) ^ (c >> m)) & mask
            t >>= 1
            j += 1
        bits = format(c, "b").zfill(n)[::-1]
        return bits[:n]
""",
        examples=[
            ('state = "01101", t = 1', '"11100"'),
            ('state = "100", t = 2', '"101"'),
            ('state = "1101", t = 1000000000000', '"0011"'),
        ],
        tests=[
            ('state = "0", t = 5', '"0"'),
            ('state = "1", t = 0', '"1"'),
            ('state = "1", t = 1', '"0"'),
            ('state = "10", t = 3', '"01"'),
            ('state = "111", t = 2', '"000"'),
            ('state = "1000000", t = 4', '"0010100"'),
            ('state = "1000000", t = 8', '"0000000"'),
            ('state = "1011", t = 1000000000000000000', '"1100"'),
            ('state = "0110100", t = 6', '"0000000"'),
            ('state = "111110111000100111001010100", t = 329', '"110100110001110000000100011"'),
            ('state = "1101001101010101110000001110001101111", t = 277', '"1011101111100001001010110000100101000"'),
            ('state = "100111011101111001011110100101", t = 99', '"011011100011000111011110110110"'),
            ('state = "".join("1" if (i * i) % 7 < 3 else "0" for i in range(1500)), t = 10 ** 18', '"100100110101011111111101101111100001111011011000100111000011110110001000100011000100111010010101001010011001010010011111010010111000010100001010100101111100010011101110100100100110100000001110111101000111011101101000110011101111010110000001111001100001111110110100110100110111010101101100011010100000001100111000000000101001111101011100110011000111001001000010111100110100011101010000001110101010000100000000010111100000100010111111100100000010000110101111010111001000110111011010000111010001100011000101010100000111110011010110100100100110011011000001000000010011111011010001001011010111101110010101010001000111100100111001001110010101100000100001001000000100010110000111001110010110000110100100100110000000100001000001111100100000001110111101101110111011100000101010111001110101011110101001101110100111110111001110011011100000100000010110010000111101000010000101010011111000010011001101001101001011010110111100001100011110011100000111001111100100111010010001110101111111111010000100000001001101001101100111010111111010101110101101100000011110001010010100100110000101110100011101100001101110101010101001101100100001101010000100011101010100001011110100000000000001110011101000010000100001100100111000100100110100111011111101100101111100110010011010000001111110110101100100101001010011000101101110100111000000001111010000000000011001101000111010000110110101110100000000010001100111001000000101111110111100000100001111101001110000110111101011010111010001110010111000001001010101100000111100111010100101"'),
            ('state = "1" + "0" * 1022, t = 512', '"000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000101000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"'),
            ('state = "".join("1" if (i * 7919) % 13 < 5 else "0" for i in range(1777)), t = 123456789012345678', '"0001111101010010011000110000011101111010101000100111110000001000100100011111011111111111011011101011101110001111001001110100011110011001101111111001011001111001000001101000010010110110000111001101010011010100010011010110000110110001011010111101001101000100111111000111110000100000001110110110011110001110000011000110010110010100010101001011001001011000000010101101101000000000001110101010001111100101111001010000101110010110011111101110110100000011110010011011111110100100011001000110100000101110011010001110101000000001011110011001001010000111100110010001010101011100111110110001011010011100000110001000010010000011111110110111111010101011100011101001011000000000100111101000010101100010111100100011111101101001100010001001010111000101000010000100110111111110010100100101010011110111001001100001111101010101010001010100110100110110001111100100110010000110011101110001100101100001000000011110010100101111111111000101100111010111001111101001000101001001010011110011101110000010000011101000100111100000001011011001100011111000011101110001000100100001000111010110101010100000011001101000100100101101011011111000111100011101001110001100001001111101110101001011000000100111111111100000101001000101000111010111000010111010011101000111010111111000011011000001100100000110100100000010111011100111001011001111101010111101101100111011100001111111010011001001110001111001010011110011011111100001011101110001010101011001111111000010011010100111000100011000011001111100111101111000001001111000000011100010100111101000000001000100110100001011111100010001100110100001010101000100000110101111000110010100101000010010111110001001100001101000101001110011111101111101101101010100111000011001100101000000010010001110100110000100010010010010010101101111101110100001101110001000110001100010000001101"'),
            ('state = "1" + "0" * 998 + "1", t = 987654321', '"1011101111101111001000001001001100000101110001101101101001001100100010001011100000000110101000010011101100010011110011101011010010101110000001011101001001110000010010001110101110110110001100110011100010100010111101011001001000110101000100101011101000010010101000000110110001001111000111010111001100001011100010000001111000110100001010011100000001000100010110011100010110001110000011011111011110010101011111010110010001010100010100001000001011011101001101101100011111110101101100001111001110001110110110110111000111001111000011011010111111100011011011001011101101000001000010100010101000100110101111101010100111101111101100000111000110100011100110100010001000000011100101000010110001111000000100011101000011001110101110001111001000110110000001010100100001011101010010001010110001001001101011110100010100011100110011000110110111010111000100100000111001001011101000000111010100101101011100111100100011011100100001010110000000011101000100010011001001011011011000111010000011001001000001001111011111011101"'),
        ],
    ),
    dict(
        id='str-fillable-anagram-windows',
        difficulty='medium',
        tags=['strings', 'sliding-window', 'counting'],
        statement="""A damaged manuscript is transcribed as a string s of lowercase letters, where every unreadable character is written as '?'. A scholar looks for places where a keyword p might have been written with its letters shuffled.

A window of s is a substring of s of length p.length. A window is fillable if it is possible to replace each '?' in the window with a lowercase letter (different '?' may get different letters) so that the window becomes an anagram of p, that is, a rearrangement of the letters of p.

Return the number of fillable windows of s (windows starting at different indices are counted separately).

Example 1:

Input: s = "ab?ba?c", p = "abb"
Output: 4
Explanation: The windows are "ab?", "b?b", "?ba", "ba?" and "a?c". The first four are fillable (for example "b?b" becomes "bab"); "a?c" contains 'c', which p does not have.

Example 2:

Input: s = "???", p = "xy"
Output: 2
Explanation: Both windows consist only of '?' and are fillable.

Example 3:

Input: s = "aab", p = "ab"
Output: 1

Constraints:

1 <= p.length <= s.length <= 10^5
s consists of lowercase English letters and '?'.
p consists of lowercase English letters.
""",
        starter_code="""class Solution:
    def countFillableWindows(self, s: str, p: str) -> int:
""",
        entry_point='Solution().countFillableWindows',
        reference_solution="""class Solution:
    def countFillableWindows(self, s: str, p: str) -> int:
        m = len(p)
        need = [0] * 26
        for ch in p:
            need[ord(ch) - 97] += 1
        have = [0] * 26
        over = 0
        res = 0
        for i, ch in enumerate(s):
            if ch != '?':
                c = ord(ch) - 97
                have[c] += 1
                if have[c] == need[c] + 1:
                    over += 1
            if i >= m:
                ch2 = s[i - m]
                if ch2 != '?':
                    c = ord(ch2) - 97
                    if have[c] == need[c] + 1:
                        over -= 1
                    have[c] -= 1
            if i >= m - 1 and over == 0:
                res += 1
        return res
""",
        wrong_solution="""class Solution:
    def countFillableWindows(self, s: str, p: str) -> int:
        m = len(p)
        need = [0] * 26
        for ch in p:
            need[ord(ch) - 97] += 1
        have = [0] * 26
        over = 0
        res = 0
        for i, ch in enumerate(s):
            if ch != '?':
                c = ord(ch) - 97
                if need[c] > 0:
                    have[c] += 1
                    if have[c] == need[c] + 1:
                        over += 1
            if i >= m:
                ch2 = s[i - m]
                if ch2 != '?':
                    c = ord(ch2) - 97
                    if need[c] > 0:
                        if have[c] == need[c] + 1:
                            over -= 1
                        have[c] -= 1
            if i >= m - 1 and over == 0:
                res += 1
        return res
""",
        examples=[
            ('s = "ab?ba?c", p = "abb"', '4'),
            ('s = "???", p = "xy"', '2'),
            ('s = "aab", p = "ab"', '1'),
        ],
        tests=[
            ('s = "a", p = "a"', '1'),
            ('s = "?", p = "z"', '1'),
            ('s = "b", p = "a"', '0'),
            ('s = "abc", p = "cba"', '1'),
            ('s = "aaaa", p = "aa"', '3'),
            ('s = "abcd", p = "dcab"', '1'),
            ('s = "?a?b?c?", p = "abc"', '5'),
            ('s = "zz?zz", p = "zaz"', '3'),
            ('s = "xyzxyz", p = "zyxw"', '0'),
            ('s = "???e?a??ebbb?ba?eebdec?a?cbe?b?ca?ed?b?c?b??", p = "baba"', '4'),
            ('s = "aa?eeacb??b???????aa?e?ce??ae???cc?beee?c?cb?b?b?dcbe???aad?cc???", p = "caddcaca"', '8'),
            ('s = "eacbbc?ede?a?d?d?dae?e??e?dcaadc???b???aed?????acee????ccb???cc???eb?a", p = "dbcddc"', '16'),
            ('s = "d?ac?cddbe??bebedb?aa????ae?cbce??cea??ccccaa??bcc??b", p = "acca"', '13'),
            ('s = "".join("?" if i % 5 == 0 else chr(97 + (i * i) % 7) for i in range(30000)), p = "abbccee" * 2 + "bbcce"', '19698'),
            ('s = "".join(chr(97 + (i * 7) % 26) if i % 3 else "?" for i in range(40000)), p = "".join(chr(97 + i % 26) for i in range(2600))', '37401'),
            ('s = "?" * 25000 + "q" + "?" * 24999, p = "q" * 3 + "r" * 15000', '34998'),
        ],
    ),
    dict(
        id='str-cooldown-greedy-schedule',
        difficulty='medium',
        tags=['heap', 'simulation', 'greedy'],
        statement="""A machine must run a list of jobs; tasks is a string of uppercase English letters where each letter is the type of one job. Each job takes exactly one time slot. After a job of type X runs in slot s, no other job of type X may run before slot s + cooldown[X] + 1, where cooldown[X] is cooldown[ord(X) - ord('A')].

The machine's dispatcher follows a fixed greedy rule. Slots are numbered 0, 1, 2, ... and in every slot, among the job types that still have jobs left and are allowed to run in this slot, it runs a job of the type with the most jobs left; ties are broken by the alphabetically smallest type. If no type is allowed to run but jobs remain, the slot is left idle.

Return the dispatcher's schedule as a string: the i-th character is the type of the job run in slot i, or '.' if slot i is idle. The schedule ends with the slot in which the last job runs.

Example 1:

Input: tasks = "AAABBC", cooldown = [2,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]
Output: "ABCAB.A"
Explanation: Slot 0 runs A, which has the most jobs left (3). In slot 1, A is cooling down; B has 2 left, so B runs. Slot 2 runs C because A and B are cooling down. Slot 3 runs A and slot 4 runs B. Slot 5 is idle because A may only run again in slot 6, where the last job runs.

Example 2:

Input: tasks = "BA", cooldown = [5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5]
Output: "AB"
Explanation: A and B both have one job; A is alphabetically smaller.

Example 3:

Input: tasks = "ZZZ", cooldown = [0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,3]
Output: "Z...Z...Z"

Constraints:

1 <= tasks.length <= 10^4
tasks consists of uppercase English letters.
cooldown.length == 26
0 <= cooldown[i] <= 100
""",
        starter_code="""class Solution:
    def buildSchedule(self, tasks: str, cooldown: List[int]) -> str:
""",
        entry_point='Solution().buildSchedule',
        reference_solution="""class Solution:
    def buildSchedule(self, tasks: str, cooldown: List[int]) -> str:
        cnt = Counter(tasks)
        avail = [(-v, ch) for ch, v in cnt.items()]
        heapify(avail)
        waiting = []
        out = []
        t = 0
        left = len(tasks)
        while left:
            while waiting and waiting[0][0] <= t:
                _, ch, v = heappop(waiting)
                heappush(avail, (-v, ch))
            if avail:
                negv, ch = heappop(avail)
                out.append(ch)
                left -= 1
                v = -negv - 1
                if v:
                    heappush(waiting, (t + cooldown[ord(ch) - 65] + 1, ch, v))
            else:
                out.append('.')
            t += 1
        return "".join(out)
""",
        wrong_solution="""class Solution:
    def buildSchedule(self, tasks: str, cooldown: List[int]) -> str:
        cnt = Counter(tasks)
        avail = [(-v, ch) for ch, v in cnt.items()]
        heapify(avail)
        waiting = []
        out = []
        t = 0
        left = len(tasks)
        while left:
            while waiting and waiting[0][0] <= t:
                _, ch, v = heappop(waiting)
                heappush(avail, (-v, ch))
            if avail:
                negv, ch = heappop(avail)
                out.append(ch)
                left -= 1
                v = -negv - 1
                if v:
                    heappush(waiting, (t + cooldown[ord(ch) - 65], ch, v))
            else:
                out.append('.')
            t += 1
        return "".join(out)
""",
        examples=[
            ('tasks = "AAABBC", cooldown = [2,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]', '"ABCAB.A"'),
            ('tasks = "BA", cooldown = [5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5]', '"AB"'),
            ('tasks = "ZZZ", cooldown = [0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,3]', '"Z...Z...Z"'),
        ],
        tests=[
            ('tasks = "A", cooldown = [100] * 26', '"A"'),
            ('tasks = "AAAA", cooldown = [0] * 26', '"AAAA"'),
            ('tasks = "AAAA", cooldown = [1] * 26', '"A.A.A.A"'),
            ('tasks = "QQQ", cooldown = [100] * 26', '"Q....................................................................................................Q....................................................................................................Q"'),
            ('tasks = "ABAB", cooldown = [1] * 26', '"ABAB"'),
            ('tasks = "AAABBB", cooldown = [2] * 26', '"AB.AB.AB"'),
            ('tasks = "CBAABC", cooldown = [0] * 26', '"ABCABC"'),
            ('tasks = "AAAAABBBCC", cooldown = [3, 0, 1] + [0] * 23', '"ABBCABC.A...A...A"'),
            ('tasks = "ZYXZYXZZ", cooldown = [0] * 23 + [1, 2, 2]', '"ZXYZXYZ..Z"'),
            ('tasks = "LSKLIKOSKLKKOKKSIOKILOISLKI", cooldown = [4,0,3,5,4,4,3,4,2,0,0,5,0,2,0,5,0,5,4,2,2,4,2,0,5,5]', '"KKKKIKLIKOSILKOSIKLOSIKOLS....L"'),
            ('tasks = "XXXXXPCCPCCCFCFPPCCXZP", cooldown = [4,3,4,2,2,1,0,1,0,4,4,0,0,3,4,2,5,2,0,1,5,0,5,3,3,0]', '"CXPFZCXPF.CXP..CXP..CXP..CX...C....C"'),
            ('tasks = "MPMVPAIPIPIVVMAMMIIAAVIIAVAVAPVMPVVPMPIAMA", cooldown = [2,4,5,3,1,1,2,0,2,2,2,3,1,4,4,3,4,1,0,3,0,2,0,3,5,4]', '"AVIAMPVAIMPVAIMPVAIMPVAIMPVAIMPVAIMPVAIMPV"'),
            ('tasks = "WRRRWRRRWRWRRRRRWWRRRRRRWWWRRRWWRRR", cooldown = [2,1,3,1,4,3,5,5,5,1,0,2,3,5,2,3,3,2,3,1,1,0,0,1,5,4]', '"RWWRWWRWWRWWRWWRW.R..R..R..R..R..R..R..R..R..R..R..R..R..R..R..R..R..R"'),
            ('tasks = "".join(chr(65 + (i * i) % 26) for i in range(1500)), cooldown = [(i * 7) % 11 for i in range(26)]', '"DORWBEJKMQWDORXZBEJKMQDORWXZBEJKMDOQRWXZBEJKDMOQRWXZBEJDKMOQRWXZBEDJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZBDEJKMOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZABDEJKMNOQRWXZ"'),
            ('tasks = "".join(chr(65 + (i * 7) % 5) for i in range(1200)), cooldown = [4, 3, 2, 1, 0] + [0] * 21', '"ABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDEABCDE"'),
            ('tasks = "".join(chr(65 + i % 26) for i in range(1800)), cooldown = [25] * 26', '"ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEF"'),
        ],
    ),
]
