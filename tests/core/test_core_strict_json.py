"""brandrail._json: strict JSON reading — one meaning per document, or an error saying what and where."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from brandrail._json import MAX_NUMBER_CHARS, StrictJsonError, strict_loads, unique_keys

_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@given(_json_values)
def test_strict_json_reads_what_json_reads(value: Any) -> None:
    text = json.dumps(value)
    assert strict_loads(text) == json.loads(text)
    assert strict_loads(text.encode("utf-8")) == json.loads(text)


@pytest.mark.parametrize(
    ("raw", "says", "line", "column"),
    [
        (b'{"a": 1,\n "b": 2, "a": 3}', "the key 'a' appears twice", None, None),
        (b'[{"x": [], "x": []}]', "the key 'x' appears twice", None, None),
        (b'{"a": NaN}', "NaN is not a JSON value", None, None),
        (b"[-Infinity]", "-Infinity is not a JSON value", None, None),
        (b"[1e400]", "too large to represent", None, None),
        (b"[" + b"1" * (MAX_NUMBER_CHARS + 1) + b"]", f"{MAX_NUMBER_CHARS + 1} digits", None, None),
        (b"[0." + b"1" * MAX_NUMBER_CHARS + b"]", "characters", None, None),
        (b'{"a":\n  "caf\xe9"}', "not UTF-8 (byte 12 is 0xe9)", 2, 7),
        ("\ufeff[1]".encode(), "byte order mark", 1, 1),
        (b'{"a": 1,\n  "b": }', "Expecting value", 2, 8),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply", None, None),
    ],
)
def test_what_readers_could_disagree_on_is_refused(
    raw: bytes, says: str, line: int | None, column: int | None
) -> None:
    with pytest.raises(StrictJsonError) as caught:
        strict_loads(raw)
    assert says in str(caught.value)
    assert (caught.value.line, caught.value.column) == (line, column)


def test_a_number_at_the_limit_is_read() -> None:
    assert strict_loads(b"[" + b"9" * MAX_NUMBER_CHARS + b"]") == [int("9" * MAX_NUMBER_CHARS)]


def test_unique_keys_is_a_value_error_for_readers_that_catch_those() -> None:
    assert unique_keys([("a", 1), ("b", 2)]) == {"a": 1, "b": 2}
    with pytest.raises(ValueError, match="appears twice"):
        json.loads('{"a": 1, "a": 1}', object_pairs_hook=unique_keys)  # even with equal values
