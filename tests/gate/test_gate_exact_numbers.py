"""A custom action's args are checked against its schema with numbers compared exactly as written: a float's
rounding (100.0000000000000001 is the float 100.0) never carries an argument past a bound."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal

import pytest
from gate_testlib import T0

from brandrail._json import ExactFloat, exact_decimal, strict_loads
from brandrail.gate.arguments import args_validator

SCHEMA = {
    "type": "object",
    "properties": {
        "max": {"type": "number", "maximum": 100},
        "min": {"type": "number", "minimum": 1},
        "xmax": {"type": "number", "exclusiveMaximum": 100},
        "xmin": {"type": "number", "exclusiveMinimum": 0},
        "step": {"type": "number", "multipleOf": 0.01},
        "whole": {"type": "integer"},
    },
}


def _custom(args_text: str) -> str:
    head = {
        "kind": "custom",
        "id": f"c-{uuid.uuid4().hex}",
        "agent": "bot",
        "time": T0,
        "name": "issue_coupon",
    }
    return (
        json.dumps(head)[:-1] + f', "args": {args_text}}}'
    )  # the args as written, not as a float writes them


@pytest.fixture
def gate(make_gate):
    return make_gate({"custom_actions": {"issue_coupon": {"schema": SCHEMA}}})


@pytest.mark.parametrize(
    "args",
    [
        '{"max": 100.0000000000000001}',
        '{"max": 100.00000000000000000000000001}',
        '{"max": 1.00000000000000000001e2}',
        '{"min": 0.99999999999999999999}',
        '{"xmax": 100.0}',
        '{"xmin": 0.0}',
        '{"step": 0.1000000000000000001}',
        '{"step": 0.015}',
        '{"whole": 1.0000000000000000001}',
    ],
)
def test_a_number_past_its_bound_as_written_is_refused(gate, args):
    found = gate.decide(_custom(args))
    assert found.outcome == "deny", args
    assert "AG802" in {f.code for f in found.findings}


@pytest.mark.parametrize(
    "args",
    [
        '{"max": 100}',
        '{"max": 100.0}',
        '{"max": 1e2}',
        '{"max": 99.99999999999999999999}',
        '{"min": 1.0000000000000000000001}',
        '{"xmax": 99.999999999999999999}',
        '{"xmin": 0.00000000000000000000001}',
        '{"step": 0.1}',
        '{"step": 19.99}',
        '{"step": 12345678901234567.89}',
        '{"whole": 3}',
        '{"whole": 3.0}',
        '{"whole": 1e3}',
    ],
)
def test_a_number_within_its_bounds_passes(gate, args):
    found = gate.decide(_custom(args))
    assert found.outcome == "allow", (args, [f.message for f in found.findings])


def test_the_strict_reader_keeps_the_text_of_a_number_its_float_rounds():
    data = strict_loads('{"a": 100.0000000000000001, "b": 0.1, "c": 1e2, "d": 7}')
    assert isinstance(data["a"], ExactFloat) and data["a"] == 100.0
    assert exact_decimal(data["a"]) == Decimal("100.0000000000000001")
    assert type(data["b"]) is float and exact_decimal(data["b"]) == Decimal("0.1")
    assert type(data["c"]) is float and type(data["d"]) is int
    assert json.dumps(data["a"]) == "100.0"  # it is still that float to everything else


def test_library_callers_decimals_are_compared_exactly_too():
    validator = args_validator(SCHEMA)
    assert list(validator.iter_errors({"max": Decimal("100.0000000000000001")}))
    assert not list(validator.iter_errors({"max": Decimal("100.00")}))
    assert list(validator.iter_errors({"step": Decimal("0.005")}))
    assert not list(validator.iter_errors({"step": Decimal("0.05")}))


def test_a_multiple_of_check_on_an_enormous_exponent_is_refused_not_computed():
    validator = args_validator({"multipleOf": 0.01})
    assert list(validator.iter_errors(Decimal("1e-100000")))
    assert list(validator.iter_errors(Decimal("1e100000")))
    assert not list(validator.iter_errors(Decimal("1e300")))


# -- const, enum and uniqueItems: JSON values compared exactly and type-strict ------------------------------

CHOICES = {
    "type": "object",
    "properties": {
        "amount": {"const": 100},
        "rate": {"enum": [0.1, 0.25]},
        "flag": {"const": True},
        "code": {"enum": ["1", "2"]},
        "pair": {"const": [1, {"x": 0}]},
        "tags": {"type": "array", "uniqueItems": True},
    },
}


@pytest.mark.parametrize(
    "args",
    [
        {"amount": ExactFloat("100.0000000000000001")},
        {"amount": Decimal("99.99999999999999999999")},
        {"amount": "100"},
        {"amount": True},
        {"rate": ExactFloat("0.1000000000000000001")},
        {"rate": Decimal("0.1000000000000000000000001")},
        {"rate": float("nan")},
        {"flag": 1},
        {"flag": "true"},
        {"code": 1},
        {"code": True},
        {"pair": [True, {"x": 0}]},
        {"pair": [1, {"x": False}]},
        {"pair": [1, {"x": 0, "y": 0}]},
        {"pair": [1]},
        {"pair": (1, {"x": ExactFloat("0.00000000000000000001")})},
        {"tags": [1, 1.0]},
        {"tags": [Decimal("2.50"), 2.5]},
        {"tags": [{"a": [1]}, {"a": [1.0]}]},
        {"tags": [1, float("inf")]},
    ],
)
def test_a_value_that_is_not_the_const_or_enum_as_written_is_refused(args):
    assert list(args_validator(CHOICES).iter_errors(args)), args


@pytest.mark.parametrize(
    "args",
    [
        {"amount": 100},
        {"amount": 100.0},
        {"amount": Decimal("100.000")},
        {"amount": ExactFloat("1.00000000000000000000e2")},
        {"rate": 0.1},
        {"rate": Decimal("0.1")},
        {"rate": Decimal("0.250")},
        {"flag": True},
        {"code": "1"},
        {"pair": [1.0, {"x": -0.0}]},  # -0 and 0 are one number in JSON Schema
        {"tags": [1, True, "1", [1], {"1": 1}]},
        {"tags": [1, ExactFloat("1.0000000000000000001")]},
        {"tags": [False, 0, None, ""]},
    ],
)
def test_the_const_or_enum_value_passes_however_its_number_is_written(args):
    assert not list(args_validator(CHOICES).iter_errors(args)), args


def test_a_long_array_is_checked_for_unique_items_in_one_pass():
    validator = args_validator({"uniqueItems": True})
    assert not list(validator.iter_errors(list(range(50_000))))
    errors = list(validator.iter_errors([*range(50_000), 49_999.0]))
    assert len(errors) == 1 and "items 49999 and 50000" in errors[0].message
