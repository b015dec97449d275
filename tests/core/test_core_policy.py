"""Policy loading: validation errors with positions, extends, merging, channels, version."""

from __future__ import annotations

from pathlib import Path

import pytest

from brandrail.errors import PolicyError, UsageError
from brandrail.findings import Severity
from brandrail.policy import builtin_packs, load_policy, loads_policy, policy_from_dict


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_policy_loads_with_defaults() -> None:
    policy = loads_policy("brand: {name: Acme}\n")
    assert policy.brand.name == "Acme"
    assert policy.terms.banned == []
    assert len(policy.version) == 64


def test_empty_file_is_an_empty_policy(tmp_path: Path) -> None:
    policy = load_policy(write(tmp_path, "p.yaml", ""))
    assert policy.brand.name == ""


def test_unknown_key_suggests_the_nearest_and_points_at_it() -> None:
    with pytest.raises(PolicyError) as info:
        loads_policy("brand:\n  nmae: Acme\n", name="p.yaml")
    issue = info.value.issues[0]
    assert issue.path == "brand.nmae"
    assert str(issue.location) == "p.yaml:2:3"
    assert issue.hint == "did you mean 'name'?"


def test_unknown_top_level_section_suggests() -> None:
    with pytest.raises(PolicyError) as info:
        loads_policy("trems: {}\n", name="p.yaml")
    assert info.value.issues[0].hint == "did you mean 'terms'?"


def test_wrong_type_names_field_path_and_position() -> None:
    text = "terms:\n  banned:\n    - term: cheap\n    - term: free\n      severity: fatal\n"
    with pytest.raises(PolicyError) as info:
        loads_policy(text, name="p.yaml")
    issue = info.value.issues[0]
    assert issue.path == "terms.banned[1].severity"
    assert str(issue.location) == "p.yaml:5:17"
    assert "unknown severity 'fatal'" in issue.message


def test_a_validator_message_is_the_message_without_pydantics_prefix() -> None:
    """docs/policy.md shows `…unless[1]: invalid regular expression 'sick (': …`; it read 'Value error, invalid …'."""
    text = 'terms:\n  banned:\n    - term: sick\n      unless: [ok, "sick ("]\n'
    with pytest.raises(PolicyError) as info:
        loads_policy(text, name="p.yaml")
    issue = info.value.issues[0]
    assert (issue.path, str(issue.location)) == ("terms.banned[0].unless[1]", "p.yaml:4:20")
    assert issue.message.startswith("invalid regular expression 'sick (': missing )"), issue.message
    assert "Value error" not in str(info.value)


def test_every_problem_is_reported_at_once() -> None:
    text = "brand: {nmae: x}\nterms: {banned: [{trem: x}]}\nchannels: {sms: {max_length: -1}}\n"
    with pytest.raises(PolicyError) as info:
        loads_policy(text)
    paths = {i.path for i in info.value.issues}
    assert {"brand.nmae", "terms.banned[0].trem", "terms.banned[0].term", "channels.sms.max_length"} <= paths


def test_invalid_yaml_reports_line_and_column() -> None:
    with pytest.raises(PolicyError) as info:
        loads_policy("brand:\n  name: [unclosed\n", name="p.yaml")
    assert str(info.value.location).startswith("p.yaml:")
    assert "invalid YAML" in info.value.message


def test_duplicate_key_is_an_error() -> None:
    with pytest.raises(PolicyError, match="duplicate key 'brand'"):
        loads_policy("brand: {}\nbrand: {}\n")


def test_non_mapping_policy_is_an_error() -> None:
    with pytest.raises(PolicyError, match="must be a mapping"):
        loads_policy("- a\n- b\n")


def test_non_utf8_policy_names_byte_offset(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_bytes(b"brand:\n  name: Caf\xe9\n")
    with pytest.raises(PolicyError) as info:
        load_policy(path)
    assert "byte 0xe9 at offset 18" in info.value.message
    assert str(info.value.location).endswith("p.yaml:2:12")


def test_alias_bomb_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from brandrail.policy import yamlsource

    monkeypatch.setattr(yamlsource, "MAX_NODES", 20_000)  # the mechanism, without expanding 2M values
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    prev = "a"
    for i in range(8):
        name = f"l{i}"
        bomb += f"{name}: &{name} [{', '.join(['*' + prev] * 10)}]\n"
        prev = name
    with pytest.raises(PolicyError, match="alias bomb"):
        loads_policy(bomb)


def test_missing_file() -> None:
    with pytest.raises(PolicyError, match="policy file not found"):
        load_policy("/nonexistent/brandrail.yaml")


def test_version_is_canonical() -> None:
    a = loads_policy("brand: {name: Acme, products: [X]}\nterms: {banned: [{term: cheap}]}\n")
    b = loads_policy("terms:\n  banned:\n    - term: cheap\nbrand:\n  products: [X]\n  name: Acme\n")
    c = loads_policy("brand: {name: Acme, products: [Y]}\nterms: {banned: [{term: cheap}]}\n")
    assert a.version == b.version
    assert a.version != c.version


def test_extends_files_merge_in_order(tmp_path: Path) -> None:
    write(
        tmp_path,
        "base.yaml",
        "brand: {name: Base, products: [A]}\nterms: {banned: [{term: cheap}, {term: free}]}\n",
    )
    write(
        tmp_path,
        "mid.yaml",
        "extends: [base.yaml]\nbrand: {products: [B]}\nterms: {banned: [{term: free, severity: warning}]}\n",
    )
    top = write(tmp_path, "top.yaml", "extends: [./mid.yaml]\nbrand: {name: Top}\n")
    policy = load_policy(top)
    assert policy.brand.name == "Top"  # later key overrides
    assert policy.brand.products == ["A", "B"]  # lists concatenate
    banned = {b.term: b.severity for b in policy.terms.banned}
    assert banned == {"cheap": Severity.ERROR, "free": Severity.WARNING}  # same identity: replaced in place
    assert [b.term for b in policy.terms.banned] == ["cheap", "free"]


def test_replace_tag_replaces_a_list(tmp_path: Path) -> None:
    write(tmp_path, "base.yaml", "brand: {products: [A, B]}\n")
    top = write(tmp_path, "top.yaml", "extends: [base.yaml]\nbrand: {products: !replace [C]}\n")
    assert load_policy(top).brand.products == ["C"]


def test_errors_in_an_extended_file_point_into_that_file(tmp_path: Path) -> None:
    write(tmp_path, "base.yaml", "brand:\n  name: Base\n  prodcts: [A]\n")
    top = write(tmp_path, "top.yaml", "extends: [base.yaml]\n")
    with pytest.raises(PolicyError) as info:
        load_policy(top)
    issue = info.value.issues[0]
    assert str(issue.location).endswith("base.yaml:3:3")
    assert issue.hint == "did you mean 'products'?"


def test_policy_that_extends_itself_names_the_cycle(tmp_path: Path) -> None:
    path = write(tmp_path, "self.yaml", "extends: [self.yaml]\n")
    with pytest.raises(PolicyError, match=r"extends cycle: .*self\.yaml → .*self\.yaml"):
        load_policy(path)


def test_extends_cycle_through_two_files(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "extends: [b.yaml]\n")
    write(tmp_path, "b.yaml", "extends: [a.yaml]\n")
    with pytest.raises(PolicyError, match=r"extends cycle: .*a\.yaml → .*b\.yaml → .*a\.yaml"):
        load_policy(tmp_path / "a.yaml")


def test_missing_extended_file(tmp_path: Path) -> None:
    path = write(tmp_path, "p.yaml", "extends: [nope.yaml]\n")
    with pytest.raises(PolicyError, match=r"extended file 'nope\.yaml' not found") as info:
        load_policy(path)
    assert str(info.value.location).endswith("p.yaml:1:11")


def test_unknown_pack_suggests() -> None:
    packs = builtin_packs()
    if not packs:
        pytest.skip("no built-in packs yet")
    wrong = packs[0][:-1] + "x"
    with pytest.raises(PolicyError, match="unknown built-in pack") as info:
        loads_policy(f"extends: [{wrong}]\n")
    assert info.value.hint is not None


def test_channel_overrides_merge_onto_base() -> None:
    policy = loads_policy(
        "terms: {banned: [{term: cheap}]}\n"
        "channels:\n  sms:\n    kind: sms\n    max_length: 160\n    terms: {banned: [{term: click here}]}\n"
        "  email: {}\n"
    )
    sms = policy.for_channel("sms")
    assert [b.term for b in sms.terms.banned] == ["cheap", "click here"]
    assert sms.channel == "sms"
    assert sms.channel_policy is not None and sms.channel_policy.max_length == 160
    assert sms.version == policy.version
    assert [b.term for b in policy.for_channel("email").terms.banned] == ["cheap"]
    assert policy.for_channel("sms") is sms  # cached


def test_invalid_channel_override_points_at_it() -> None:
    with pytest.raises(PolicyError) as info:
        loads_policy("channels:\n  sms:\n    terms:\n      bannd: []\n", name="p.yaml")
    issue = info.value.issues[0]
    assert issue.path == "channels.sms.terms.bannd"
    assert str(issue.location) == "p.yaml:4:7"
    assert issue.hint == "did you mean 'banned'?"


def test_unknown_channel_is_a_usage_error() -> None:
    policy = loads_policy("channels: {sms: {}, email: {}}\n")
    with pytest.raises(UsageError, match="unknown channel 'smss'") as info:
        policy.for_channel("smss")
    assert info.value.hint == "did you mean 'sms'?"


def test_rule_settings_shorthand() -> None:
    policy = loads_policy("rules:\n  BR101: warning\n  BR401: off\n  BR103: {severity: info}\n")
    assert policy.rules["BR101"].severity is Severity.WARNING
    assert policy.rules["BR401"].enabled is False
    assert policy.rules["BR103"].severity is Severity.INFO


def test_policy_from_dict_and_immutability() -> None:
    policy = policy_from_dict({"brand": {"name": "Acme"}})
    with pytest.raises(Exception, match="frozen"):
        policy.brand.name = "Other"  # type: ignore[misc]


def test_all_builtin_packs_load() -> None:
    for pack in builtin_packs():
        policy = loads_policy(f"extends: [{pack}]\n")
        assert pack in policy.extends


def test_parse_cache_keeps_positions_and_follows_edits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from brandrail.policy import yamlsource

    monkeypatch.setenv("BRANDRAIL_CACHE_DIR", str(tmp_path / "cache"))
    path = write(tmp_path, "p.yaml", "brand:\n  name: Acme\n  prodcts: [A]\n")
    for _ in range(2):  # the second load comes from the cache and must point at the same place
        with pytest.raises(PolicyError) as info:
            load_policy(path)
        assert str(info.value.issues[0].location).endswith("p.yaml:3:3")
    assert len(list((tmp_path / "cache" / "policies").glob("*.marshal"))) == 1
    path.write_text("brand:\n  name: Edited\n", encoding="utf-8")
    assert load_policy(path).brand.name == "Edited"
    for entry in (tmp_path / "cache" / "policies").glob("*.marshal"):
        entry.write_bytes(b"corrupt")
    assert load_policy(path).brand.name == "Edited"  # a corrupt entry is ignored
    monkeypatch.setenv("BRANDRAIL_NO_CACHE", "1")
    assert yamlsource.cache_dir() is None


def test_policy_from_merged_rebuilds_a_loaded_policy_and_keeps_its_positions(tmp_path: Path) -> None:
    """A check process rebuilds the service's policy from its merged data and positions (no files read again):
    the same policy, and a problem in the data is still reported at the file's line and column."""
    from brandrail.policy.loader import policy_from_merged

    path = tmp_path / "brand.yaml"
    path.write_text("version: 1\nbrand:\n  name: Fernhill\nterms:\n  banned: [{term: cheap}]\n", encoding="utf-8")
    policy = load_policy(path)
    again = policy_from_merged(policy.raw(), policy.__pydantic_private__["_positions"], name=str(path))
    assert again.version == policy.version
    assert again.raw() == policy.raw() and again.source == policy.source
    broken = policy.raw()
    broken["terms"]["banned"] = 5
    with pytest.raises(PolicyError) as err:
        policy_from_merged(broken, policy.__pydantic_private__["_positions"], name=str(path))
    assert f"{path}:5:" in str(err.value.location)
    with pytest.raises(PolicyError):
        policy_from_merged(broken, None)
