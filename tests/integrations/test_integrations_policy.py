"""The integrations: policy section — routes, tool mappings — and its agreement with the gate's actions."""

from __future__ import annotations

import typing

import pytest
from integ_testlib import POLICY

from brandrail.errors import PolicyError
from brandrail.gate import actions
from brandrail.integrations.common import IntegrationError, principal_for, resolve_route
from brandrail.policy import loads_policy
from brandrail.policy.sections.integrations import TOOL_ACTION_FIELDS


def test_tool_action_fields_match_the_gate_actions() -> None:
    models = {m.model_fields["kind"].default: m for m in typing.get_args(typing.get_args(actions.Action)[0])}
    assert set(TOOL_ACTION_FIELDS) == set(models)
    for kind, fields in TOOL_ACTION_FIELDS.items():
        own = set(models[kind].model_fields) - {"kind", "id", "agent", "time"}
        assert set(fields) == own, kind


def test_routes_by_name_model_and_default() -> None:
    policy = loads_policy(POLICY)
    assert resolve_route(policy, name="fixing")[0] == "fixing"
    assert resolve_route(policy, model="fake-model")[0] == "support"
    assert resolve_route(policy, model="gpt-4o")[0] == "support"  # the default route
    with pytest.raises(IntegrationError) as info:
        resolve_route(policy, name="fxing")
    assert info.value.status == 404 and "fixing" in info.value.message
    no_default = loads_policy(POLICY.replace("  default_route: support\n", ""))
    with pytest.raises(IntegrationError, match="no route takes model 'gpt-4o'"):
        resolve_route(no_default, model="gpt-4o")
    bare = loads_policy("version: 1\n")
    name, route = resolve_route(bare, model="anything")
    assert name == "default" and route.on_violation == "reask" and route.channel is None


def test_principal_from_config() -> None:
    policy = loads_policy(POLICY.replace("    id: support-proxy", "    id: Support-Proxy\u200b"))
    principal = principal_for(policy)
    assert principal.id == "support-proxy" and principal.via == "config" and principal.roles == {"agent"}


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    support:\n", "    'sup port':\n", "route name 'sup port'"),
        ("      max_attempts: 3\n", "      max_attempts: 11\n", "less than or equal to 10"),
        ("        campaign: order\n", "        campaign: 'order total'\n", "argument path 'order total'"),
        (
            "      action: none\n",
            "      action: none\n      args: {campaign: order}\n",
            "action: none takes no args",
        ),
        (
            "  upstream:\n    base_url: http://upstream.invalid/v1\n",
            "  upstream:\n    base_url: upstream.invalid\n",
            "http:// or https://",
        ),
    ],
)
def test_invalid_sections_are_policy_errors_with_positions(old: str, new: str, message: str) -> None:
    assert old in POLICY
    with pytest.raises(PolicyError) as info:
        loads_policy(POLICY.replace(old, new, 1), name="p.yaml")
    assert message in str(info.value) and "p.yaml:" in str(info.value)


def test_custom_action_needs_a_name() -> None:
    bad = POLICY.replace("      action: none\n", "      action: custom\n      args: {args.order: order}\n")
    with pytest.raises(PolicyError, match="custom action needs its name"):
        loads_policy(bad)
    good = bad.replace(
        "      args: {args.order: order}\n", "      args: {args.order: order}\n      set: {name: lookup}\n"
    )
    assert loads_policy(good).integrations.tools["lookup_order"].set == {"name": "lookup"}
