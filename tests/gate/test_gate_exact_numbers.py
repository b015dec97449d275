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
