"""Exact-type encoding: equal encodings iff equal type and value."""

from projected_grpo.env import values
from projected_grpo.env.setup_code import SETUP_CODE


def enc(v):
    return values.encode(v)


def test_exact_types_are_distinguished():
    assert enc(1) != enc(True)
    assert enc(2) != enc(2.0)
    assert enc([1, 2]) != enc((1, 2))
    assert enc({1, 2}) != enc(frozenset({1, 2}))
    assert enc("1") != enc(1)
    assert enc(None) == ["none"]


def test_containers_compare_by_value_not_order_where_python_does():
    assert enc({"a": 1, "b": 2}) == enc({"b": 2, "a": 1})
    assert enc({3, 1, 2}) == enc({1, 2, 3})
    assert enc([1, 2]) != enc([2, 1])


def test_subclasses_and_always_equal_objects_never_match():
    class AlwaysEqual:
        def __eq__(self, other):
            return True

    class MyInt(int):
        pass

    class MyList(list):
        pass

    assert enc(AlwaysEqual())[0] == "object"
    assert enc(MyInt(3)) != enc(3)
    assert enc(MyList([1])) != enc([1])


def test_linked_lists_and_trees_encode_as_values():
    ns = {}
    exec(SETUP_CODE, ns)
    assert enc(ns["list_node"]([1, 2, 3])) == ["ListNode", [["int", 1], ["int", 2], ["int", 3]]]
    tree = ns["tree_node"]([3, 9, 20, None, None, 15, 7])
    assert enc(tree) == enc(ns["tree_node"]([3, 9, 20, None, None, 15, 7]))
    assert enc(tree) != enc(ns["tree_node"]([3, 9, 20, None, 15, 7]))
    cyc = ns["list_node"]([1, 2])
    cyc.next.next = cyc
    assert enc(cyc)[1][-1][0] == "object"  # a cycle is flagged, not looped over


def test_huge_values_are_refused_not_encoded():
    try:
        enc(list(range(values.MAX_ITEMS + 10)))
    except values.EncodeError:
        return
    raise AssertionError("expected EncodeError")
