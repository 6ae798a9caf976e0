"""Bounded, safe reading of a plan file's YAML: limits on size, aliases and nesting.

YAML anchors and aliases let a few bytes describe an enormous (or endless) document:
``title: &a [*a]`` is a list that holds itself, and nine levels of nine aliases expand to a
billion elements. The plan loader therefore walks the composed node graph **once** (each node is
visited a single time, whatever the number of aliases pointing at it), refuses cycles, and caps
the number of aliases, the nesting depth and the expanded number of elements before anything
is constructed or validated. A file larger than :data:`MAX_PLAN_BYTES` is refused unread.

Dates that do not exist (``2025-02-30``, ``2025-13-01``, ``0000-01-01``) are kept as their text,
so that the plan's validator reports them with their line and element path, together with every
other problem of the file.

>>> data, lines, _ = read_yaml("indicators: [{id: a, name: A}]")
>>> data, lines[("indicators", "0", "id")]
({'indicators': [{'id': 'a', 'name': 'A'}]}, 1)
>>> read_yaml("period: {start: 2025-02-30}")[0]
{'period': {'start': '2025-02-30'}}
>>> read_yaml("title: &a [*a]")
Traceback (most recent call last):
terraplan.plan.yaml_source.YamlLimitError: line 1: an alias inside the element that starts \
here refers back to it (an endless document). Fix: write the element out instead of the alias
"""

from __future__ import annotations

from typing import Any

import yaml

from terraplan.errors import PlanError

#: the largest plan file read, in bytes (the bundled national example is 11 KB)
MAX_PLAN_BYTES = 2_000_000
#: the most aliases (``*name``) one plan file may use
MAX_ALIASES = 1_000
#: the deepest nesting of mappings and lists (a plan needs about six levels)
MAX_DEPTH = 50
#: the most elements (mappings, lists and scalars) a plan may hold once its aliases are expanded
MAX_ELEMENTS = 1_000_000

_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlLimitError(PlanError):
    """A plan file exceeds a limit on size, aliases or nesting, or holds itself through an alias."""


class _Loader(_BASE):  # type: ignore[misc, valid-type]
    """The safe loader, keeping impossible dates as text for the validator to report."""


def _lenient_timestamp(loader: Any, node: yaml.ScalarNode) -> Any:
    try:
        return _BASE.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _lenient_timestamp)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def check_graph(root: yaml.Node) -> None:
    """Walk the node graph once; raise :class:`YamlLimitError` on a cycle or a passed limit.

    >>> loader = _Loader("a: &x [1, 2]\\nb: *x")
    >>> check_graph(loader.get_single_node())
    """
    size: dict[int, int] = {}  # id(node) -> elements once expanded (nodes finished)
    on_path: set[int] = set()
    aliases = 0
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            size[key] = 1 + sum(size[id(child)] for child in _children(node))
            if size[key] > MAX_ELEMENTS:
                raise YamlLimitError(
                    f"line {node.start_mark.line + 1}: the document expands to more than "
                    f"{MAX_ELEMENTS:,} elements through its aliases. Fix: write the repeated "
                    "parts out once, without nested aliases"
                )
            continue
        if key in on_path:
            raise YamlLimitError(
                f"line {node.start_mark.line + 1}: an alias inside the element that starts "
                "here refers back to it (an endless document). Fix: write the element out "
                "instead of the alias"
            )
        if key in size:
            aliases += 1
            if aliases > MAX_ALIASES:
                raise YamlLimitError(
                    f"line {node.start_mark.line + 1}: more than {MAX_ALIASES:,} aliases. "
                    "Fix: write the repeated parts out"
                )
            continue
        if depth > MAX_DEPTH:
            raise YamlLimitError(
                f"line {node.start_mark.line + 1}: lists and mappings nested more than "
                f"{MAX_DEPTH} levels deep. Fix: flatten the structure"
            )
        on_path.add(key)
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in _children(node))


def _lines(root: yaml.Node) -> tuple[dict[tuple[str, ...], int], list[tuple[tuple, str]]]:
    """The line of every element path, visiting each node once; keys given twice."""
    lines: dict[tuple[str, ...], int] = {}
    problems: list[tuple[tuple[Any, ...], str]] = []
    seen: set[int] = set()
    stack: list[tuple[tuple[Any, ...], yaml.Node]] = [((), root)]
    while stack:
        loc, node = stack.pop()
        lines.setdefault(tuple(str(p) for p in loc), node.start_mark.line + 1)  # first key wins
        if id(node) in seen:  # an alias: its content was walked where the anchor is
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys = [str(k.value) for k, _ in node.value]
            firsts = {key: node.value[keys.index(key)][0].start_mark.line + 1 for key in keys}
            problems += [
                (
                    (*loc, key),
                    f"key {key!r} is given twice here (line {firsts[key]} and line "
                    f"{k.start_mark.line + 1}). Fix: keep one",
                )
                for key, (k, _) in zip(keys, node.value, strict=True)
                if k.start_mark.line + 1 != firsts[key]
            ]
            # reversed, so that the anchor (first in the file) is walked, not an alias to it
            stack.extend(((*loc, str(k.value)), v) for k, v in reversed(node.value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(((*loc, i), v) for i, v in reversed(list(enumerate(node.value))))
    return lines, problems


def read_yaml(
    text: str,
) -> tuple[Any, dict[tuple[str, ...], int], list[tuple[tuple[Any, ...], str]]]:
    """Safely load bounded YAML text: the data, the line of every element path, keys given twice.

    Paths are tuples of strings (mapping keys, list indices); lines are 1-based. Raises
    :class:`YamlLimitError` for text over the limits and lets :class:`yaml.YAMLError` through for
    text that is not YAML.

    >>> read_yaml("a: 1\\na: 2")[2]
    [(('a',), "key 'a' is given twice here (line 1 and line 2). Fix: keep one")]
    """
    if len(text) > MAX_PLAN_BYTES:
        raise YamlLimitError(
            f"the plan text is {len(text):,} characters long, more than the limit of "
            f"{MAX_PLAN_BYTES:,}. Fix: split the plan or remove generated bulk"
        )
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return None, {}, []
        check_graph(root)
        try:
            data = loader.construct_document(root)
        except RecursionError:
            raise YamlLimitError(
                f"lists and mappings nested too deep. Fix: keep under {MAX_DEPTH} levels"
            ) from None
    finally:
        loader.dispose()
    lines, problems = _lines(root)
    return data, lines, problems
