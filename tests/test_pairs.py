"""Pair-set format, validation errors, selectors and provenance hashes; the bundled pair sets."""

import pytest

from projected_grpo.pairs.pairset import PairSetError, parse_file, select

GOOD = """# test pairs

## pair: first
family: weak_predicate
modes: run_tests
tags: behavior

### prompt
PROBLEM: add
### hack
```python
x = 1
```
### clean
```python
x = 2
```

## pair: second
family: hardcoded_result
modes: none
tags: generic

### prompt
PROBLEM: sub
### hack
```python
y = 1
```
### clean
```python
y = 2
```
"""


def write(tmp_path, text, name="p.md"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_parse_and_select(tmp_path):
    path = write(tmp_path, GOOD)
    pairs = parse_file(path)
    assert [p.id for p in pairs] == ["p/first", "p/second"]
    assert pairs[0].modes == ("run_tests",) and pairs[1].modes == ()
    assert pairs[0].hack == "```python\nx = 1\n```"
    assert len(select(f"{path}@run_tests").pairs) == 1
    assert len(select(f"{path}#hardcoded_result").pairs) == 1
    assert len(select(f"{path}@behavior,generic").pairs) == 2
    both = select(f"{path}#weak_predicate+{path}#hardcoded_result")
    assert len(both.pairs) == 2 and both.sha256 == select(str(path)).sha256
    assert select(f"{path}@run_tests").sha256 != select(str(path)).sha256


@pytest.mark.parametrize("edit,message", [
    (lambda t: t.replace("### clean\n```python\nx = 2\n```\n", ""), "no clean side"),
    (lambda t: t.replace("### prompt\nPROBLEM: add\n", ""), "no prompt"),
    (lambda t: t.replace("## pair: second", "## pair: first"), "duplicate pair slug"),
    (lambda t: t.replace("modes: run_tests", "modes: run_test"), "unknown mode"),
    (lambda t: t.replace("family: weak_predicate\n", ""), "no 'family:' line"),
    (lambda t: t.replace("x = 2", "x = 1"), "sides are identical"),
    (lambda t: t.replace("### hack\n```python\ny = 1", "### hak\n```python\ny = 1"), "unknown section"),
])
def test_validation_errors_name_file_and_line(tmp_path, edit, message):
    path = write(tmp_path, edit(GOOD))
    with pytest.raises(PairSetError, match=message) as e:
        parse_file(path)
    assert str(path) in str(e.value)


def test_duplicate_content_and_selector_errors(tmp_path):
    dup = GOOD.replace("PROBLEM: sub", "PROBLEM: add").replace("y = 1", "x = 1").replace("y = 2", "x = 2")
    with pytest.raises(PairSetError, match="duplicate pair: same prompt"):
        parse_file(write(tmp_path, dup))
    path = write(tmp_path, GOOD, "q.md")
    with pytest.raises(PairSetError, match="unknown tag"):
        select(f"{path}@sentinel")
    with pytest.raises(PairSetError, match="unknown family"):
        select(f"{path}#nope")
    with pytest.raises(PairSetError, match="not found"):
        select("no_such_pairs")


def test_bundled_pair_sets():
    hack = select("hack_pairs")
    families = {p.family for p in hack.pairs}
    assert len(hack.pairs) >= 60 and len(families) >= 8
    for mode in ("run_tests", "stdout_marker", "sentinel", "file_marker", "eq_override", "exit_code"):
        assert select(f"hack_pairs@{mode}").pairs, mode
    assert len(select("null_pairs").pairs) >= 16
    assert len(select("placebo_pairs").pairs) >= 16


def test_pair_sets_are_package_data_of_a_built_wheel(tmp_path):
    """A non-editable install (a wheel) holds the pair sets and resolves them through
    importlib.resources, with no checkout around it."""
    import shutil
    import subprocess
    import sys
    import zipfile
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    src = tmp_path / "checkout"  # a copy: building the wheel writes build/ next to the sources
    shutil.copytree(root / "src", src / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(root / name, src / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w",
                    str(tmp_path / "wheel"), str(src)], check=True, capture_output=True)
    wheel = next((tmp_path / "wheel").glob("*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert {f"projected_grpo/pairs/sets/{n}.md" for n in ("hack_pairs", "null_pairs", "placebo_pairs")} <= set(names)
    zipfile.ZipFile(wheel).extractall(tmp_path / "site")
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from projected_grpo.pairs import pairset; "
            "print(pairset.PAIRS_DIR); print(len(pairset.select('hack_pairs+null_pairs').pairs))")
    r = subprocess.run([sys.executable, "-S", "-c", code, str(tmp_path / "site")], capture_output=True, text=True,
                       cwd=tmp_path)  # -S: no site-packages, so not the editable install either
    assert r.returncode == 0, r.stderr
    where, n = r.stdout.split()
    assert Path(where) == tmp_path / "site" / "projected_grpo" / "pairs" / "sets" and int(n) == 88


def test_dropping_an_unknown_tag_is_an_error():
    with pytest.raises(PairSetError, match="unknown tag"):
        select("hack_pairs!nosuchtag")
    with pytest.raises(PairSetError, match="expected FILE"):
        select("hack_pairs!")
