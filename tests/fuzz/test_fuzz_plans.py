"""Fuzzing the plan loader: only terraplan errors escape, within a time and memory budget.

Three generators: arbitrary text over YAML's punctuation, well-formed YAML documents built from
random nested values with anchors and aliases spliced in (including alias chains that expand
exponentially and aliases that hold themselves), and single-character mutations of the bundled
example plan. No property depends on what the text means: whatever it is, ``parse_plan`` must
return a Plan or raise a PlanError, quickly and in bounded memory.
"""

from __future__ import annotations

from pathlib import Path

from fuzz_budget import within_budget
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from terraplan.plan.model import Plan, parse_plan

EXAMPLE = (Path(__file__).parents[2] / "examples" / "plan-kazakhstan-2025.yaml").read_text(
    encoding="utf-8"
)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_YAML_TOKENS = st.sampled_from(
    [*"abcdiz019 :-[]{},&*!|>'\"#%@`?\n\t.\\", "2025-02-30", "&a ", "*a", "title: ", "\n  - "]
)
_KEYS = st.sampled_from(
    ["title", "documents", "indicators", "id", "name", "period", "start", "end", "targets",
     "regional_targets", "region", "budget", "completion_date", "national_projects", "x"]
)  # fmt: skip
_SCALARS = st.one_of(
    st.integers(-10, 3000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["2025-02-30", "2025-13-01", "0000-01-01", "2024-02-29", "Almaty", "", "~"]),
    st.text(max_size=12),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_KEYS, inner, max_size=4)),
    max_leaves=25,
)


def _dump(value, depth=0) -> str:
    """Flow-style YAML of ``value`` (keys and strings quoted, so only the structure varies)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_dump(v, depth + 1)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_dump(v, depth + 1) for v in value) + "]"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(value).replace("inf", ".inf").replace("nan", ".nan")


def _check(text: str) -> None:
    result = within_budget(lambda: parse_plan(text, source="fuzz.yaml"))
    assert isinstance(result, Plan) or "fuzz.yaml" in str(result)


@FAST
@given(st.lists(_YAML_TOKENS, max_size=150).map("".join))
def test_arbitrary_text(text):
    _check(text)


@FAST
@given(st.dictionaries(_KEYS, _VALUES, max_size=6))
def test_random_documents(document):
    _check("\n".join(f"{k}: {_dump(v)}" for k, v in document.items()))


@FAST
@given(
    levels=st.integers(1, 12),
    width=st.integers(1, 12),
    key=_KEYS,
    cycle=st.booleans(),
)
def test_alias_chains_and_cycles(levels, width, key, cycle):
    rows = ["a0: &a0 [x]"]
    for i in range(1, levels + 1):
        rows.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    rows.append(f"{key}: " + ("&c [*c, *a0]" if cycle else f"*a{levels}"))
    _check("\n".join(rows))


@settings(FAST, max_examples=25)  # each parse matches the example's regions: ~0.1 s
@given(st.data())
def test_mutations_of_the_example(data):
    at = data.draw(st.integers(0, len(EXAMPLE) - 1))
    char = data.draw(st.sampled_from(list(":-[]{}&*!|>'\"# \n0a")))
    mode = data.draw(st.sampled_from(["replace", "insert", "delete"]))
    if mode == "replace":
        text = EXAMPLE[:at] + char + EXAMPLE[at + 1 :]
    elif mode == "insert":
        text = EXAMPLE[:at] + char + EXAMPLE[at:]
    else:
        text = EXAMPLE[:at] + EXAMPLE[at + 1 :]
    _check(text)
