"""Exact-type canonical encoding of test values.

The sandboxed runner encodes every value a completion returns; the trusted parent encodes
every expected value the same way and compares the two encodings. Equality of encodings is
equality of exact type and value: `True` is not `1`, `2` is not `2.0`, a list subclass or an
object whose `__eq__` always returns True encodes as ["object", name] and never matches.

Linked lists and trees (the setup preamble's ListNode / TreeNode) encode as their value
sequences (LeetCode level order for trees), so `is_same_list` / `is_same_tree` asserts become
plain equality. This module must stay importable without third-party packages: it runs
inside the sandbox.
"""

import json

# Captured at import, before any untrusted code runs in the sandbox process, so a completion
# that rebinds builtins (type, len, isinstance, ...) cannot change how its results are encoded.
_type, _len, _repr, _sorted, _id = type, len, repr, sorted, id
_int, _bool, _float, _str, _list, _tuple, _dict, _set, _frozenset = (
    int, bool, float, str, list, tuple, dict, set, frozenset)
_NoneType = type(None)
_getattr_raw = object.__getattribute__
_dumps = json.dumps

MAX_ITEMS = 2_000_000  # a result bigger than this is refused, not encoded (memory safety)


class EncodeError(Exception):
    """A value too large or too deep to encode; the test counts as failed."""


def encode(value):
    """Tagged, JSON-serialisable form of `value` that preserves exact types."""
    budget = [MAX_ITEMS]
    return _enc(value, budget, 0)


def _enc(v, budget, depth):
    budget[0] -= 1
    if budget[0] < 0 or depth > 200:
        raise EncodeError("value too large or too deeply nested to compare")
    t = _type(v)
    if t is _NoneType:
        return ["none"]
    if t is _bool:
        return ["bool", v]
    if t is _int:
        return ["int", v]
    if t is _float:
        return ["float", _repr(v)]  # repr round-trips every float, including nan and inf
    if t is _str:
        return ["str", v]
    if t is _list or t is _tuple:
        return ["list" if t is _list else "tuple", [_enc(x, budget, depth + 1) for x in v]]
    if t is _dict:
        items = [[_enc(k, budget, depth + 1), _enc(x, budget, depth + 1)] for k, x in v.items()]
        return ["dict", _sorted(items, key=_dumps)]  # dict equality ignores insertion order
    if t is _set or t is _frozenset:
        items = [_enc(x, budget, depth + 1) for x in v]
        return ["set" if t is _set else "frozenset", _sorted(items, key=_dumps)]
    name = _getattr_raw(t, "__name__") if isinstance(t, type) else "?"
    if name == "ListNode":
        return ["ListNode", _enc_list_node(v, budget, depth)]
    if name == "TreeNode":
        return ["TreeNode", _enc_tree_node(v, budget, depth)]
    return ["object", _str(name)]


def _field(node, name):
    return _getattr_raw(node, "__dict__").get(name)


def _enc_list_node(node, budget, depth):
    out, seen = [], set()
    while node is not None:
        if _type(node).__name__ != "ListNode" or _id(node) in seen:
            return out + [["object", "malformed-or-cyclic-list"]]
        seen.add(_id(node))
        out.append(_enc(_field(node, "val"), budget, depth + 1))
        node = _field(node, "next")
    return out


def _enc_tree_node(root, budget, depth):
    """LeetCode level order with None for missing children, trailing Nones trimmed."""
    out, queue, seen, i = [], [root], set(), 0
    while i < _len(queue):
        node = queue[i]
        i += 1
        if node is None:
            out.append(["none"])
            continue
        if _type(node).__name__ != "TreeNode" or _id(node) in seen:
            out.append(["object", "malformed-or-cyclic-tree"])
            continue
        seen.add(_id(node))
        out.append(_enc(_field(node, "val"), budget, depth + 1))
        queue.append(_field(node, "left"))
        queue.append(_field(node, "right"))
        if _len(queue) > MAX_ITEMS:
            raise EncodeError("tree too large to compare")
    while out and out[-1] == ["none"]:
        out.pop()
    return out


class _Opaque:
    """An object the encoding could not look into: equal to nothing."""

    def __eq__(self, other):
        return False

    __hash__ = object.__hash__


def decode(enc):
    """Back to plain Python values, for `==` comparisons in the trusted parent: ListNode and
    TreeNode become ("ListNode"/"TreeNode", values) tuples, other objects are never equal."""
    tag = enc[0]
    if tag == "none":
        return None
    if tag in ("bool", "int", "str"):
        return enc[1]
    if tag == "float":
        return float(enc[1])
    if tag == "list":
        return [decode(x) for x in enc[1]]
    if tag == "tuple":
        return tuple(decode(x) for x in enc[1])
    if tag == "dict":
        return {decode(k): decode(v) for k, v in enc[1]}
    if tag in ("set", "frozenset"):
        return frozenset(decode(x) for x in enc[1])
    if tag in ("ListNode", "TreeNode"):
        return (tag, tuple(decode(x) for x in enc[1]))
    return _Opaque()


def contains_object(enc) -> bool:
    """Whether an encoding holds an object the parent cannot compare by value."""
    if enc[0] == "object":
        return True
    if enc[0] in ("list", "tuple", "set", "frozenset", "ListNode", "TreeNode"):
        return any(contains_object(x) for x in enc[1])
    if enc[0] == "dict":
        return any(contains_object(k) or contains_object(v) for k, v in enc[1])
    return False
