"""ESP merge tags count as the unsubscribe link (BR306) and the postal address (BR307) on e-mail channels."""

from __future__ import annotations

import pytest

from brandrail import check, loads_policy

POLICY = """
brand: {name: Fernhill, postal_address: "1 Mill Lane, Leeds, LS1 4AP"}
channels: {email: {}}
creative:
  email:
    merge_tags: {unsubscribe: ["[[my_unsub]]"], postal_address: ["[[my_address]]"]}
"""


def codes(text: str, policy_text: str = POLICY) -> set[str]:
    return {f.code for f in check(text, loads_policy(policy_text), channel="email").findings}


def test_without_tags_both_are_missing() -> None:
    assert {"BR306", "BR307"} <= codes("Spring sale on tents. Shop now!")


@pytest.mark.parametrize(
    ("footer", "gone"),
    [
        ("Unsubscribe: *|UNSUB|* · *|HTML:LIST_ADDRESS_HTML|*", {"BR306", "BR307"}),
        ("{{{unsubscribe}}} {{ organization.address }}", {"BR306"}),
        ("Manage: {% unsubscribe %}", {"BR306"}),
        ("[[my_unsub]] · [[my_address]]", {"BR306", "BR307"}),
        ("*|LIST:ADDRESS|*", {"BR307"}),
    ],
)
def test_merge_tags_count(footer: str, gone: set[str]) -> None:
    found = codes(f"Spring sale on tents. Shop now!\n{footer}")
    assert not (gone & found), found


def test_the_builtin_table_can_be_switched_off() -> None:
    off = POLICY.replace("merge_tags: {", "merge_tags: {builtin: false, ")
    assert "BR306" in codes("Spring sale on tents.\n*|UNSUB|*", off)
