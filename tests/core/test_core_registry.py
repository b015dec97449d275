"""Rule registry: codes, docstrings, duplicates, generated docs, public API."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

import brandrail
from brandrail.docgen import generate, main
from brandrail.errors import RuleError
from brandrail.findings import Finding, Result, Severity, Span, family_of, score_findings
from brandrail.registry import DOC_SECTIONS, Rule, all_rules, get_rule, register, suggest_code


def test_every_rule_has_a_valid_code_name_and_four_part_doc() -> None:
    rules = all_rules()
    assert len({r.code for r in rules}) == len(rules)
    for rule in rules:
        assert list(rule.doc.sections) == list(DOC_SECTIONS), rule.code
        assert rule.status in ("stable", "preview", "deprecated")
        assert family_of(rule.code) != "other", rule.code


def test_duplicate_code_fails_at_import() -> None:
    class Twin(Rule):
        """Twin.

        What it flags:
            x
        Why it matters:
            x
        Example:
            x
        Use instead:
            x
        """

        code = "BR101"
        name = "twin"

    with pytest.raises(RuleError, match="duplicate rule code BR101"):
        register(Twin)


def test_docstring_without_sections_fails() -> None:
    class Bad(Rule):
        """Only a summary."""

        code = "BR198"
        name = "bad"

    with pytest.raises(RuleError, match="lacks the section"):
        register(Bad)
    assert get_rule("BR198") is None


def test_invalid_code_fails() -> None:
    class Odd(Rule):
        code = "XX1"
        name = "odd"

    with pytest.raises(RuleError, match="invalid code"):
        register(Odd)


def test_suggest_code_undoes_letter_digit_typos() -> None:
    assert suggest_code("BR1O1") == "BR101"
    assert suggest_code("br101") == "BR101"


@pytest.mark.extras
def test_docs_rules_are_up_to_date(root: Path) -> None:
    folder = root / "docs" / "rules"
    pages = generate()
    stale = [
        name
        for name, content in pages.items()
        if not (folder / name).exists() or (folder / name).read_text(encoding="utf-8") != content
    ]
    extra = sorted(p.name for p in folder.glob("*.md") if p.name not in pages) if folder.exists() else []
    assert not stale and not extra, (
        f"docs/rules is stale (run `make docs`): changed {stale}, no longer generated {extra}"
    )


@pytest.mark.extras
def test_public_api_all_is_sorted_and_complete() -> None:
    assert brandrail.__all__ == sorted(brandrail.__all__)
    public = {n for n in dir(brandrail) if not n.startswith("_")}
    modules = {n for n in public if type(getattr(brandrail, n, None)).__name__ == "module"}
    assert public - modules - set(brandrail.__all__) == set(), "public names missing from __all__"
    for name in brandrail.__all__:
        assert getattr(brandrail, name) is not None, name


@pytest.mark.extras
def test_lazy_pillar_names_resolve() -> None:
    for name, module in brandrail._LAZY.items():
        try:
            importlib.import_module(module)
        except ImportError:
            pytest.fail(f"{module} does not import")
        assert getattr(brandrail, name) is getattr(importlib.import_module(module), name)


def test_api_check_round_trip() -> None:
    policy = brandrail.loads_policy("terms: {banned: [{term: flimsy, replacement: light}]}\n")
    result = brandrail.check("A flimsy tent", policy)
    assert not result.passed
    assert [f.code for f in result.findings] == ["BR101"]
    assert result.policy_version == policy.version
    assert result.to_dict()["findings"][0]["span"] == {
        "start": 2, "end": 8, "line": 1, "column": 3, "end_line": 1, "end_column": 8,
    }  # fmt: skip


def test_scores_are_severity_weighted() -> None:
    def f(code: str, sev: Severity) -> Finding:
        return Finding(code, "x", sev, "m", Span(0, 1, 1, 1, 1, 1))

    scores = score_findings(
        [f("BR101", Severity.ERROR), f("BR101", Severity.WARNING), f("BR401", Severity.INFO)], ["claims"]
    )
    assert scores == {"channel": 98.0, "claims": 100.0, "terms": 65.0, "overall": 63.0}
    many = score_findings([f("BR101", Severity.ERROR)] * 5)
    assert many["overall"] == 0.0


def test_result_pass_mark_and_ordering() -> None:
    late = Finding("BR101", "x", Severity.WARNING, "m", Span(10, 12, 1, 11, 1, 12))
    early = Finding("BR103", "y", Severity.WARNING, "m", Span(0, 2, 1, 1, 1, 2))
    result = Result.build([late, early], policy_version="v", pass_mark=90)
    assert result.findings == (early, late)
    assert result.scores["overall"] == 80.0
    assert result.passed is False  # below the pass mark, though no errors
    assert Result.build([late], policy_version="v").passed is True


def test_kind_modules_hold_every_rule_of_their_kind() -> None:
    """all_rules(kind) imports only KIND_MODULES[kind]: every rule of that kind must live in one of them."""
    from brandrail.registry import CONTENT_RULE_MODULES, KIND_MODULES, all_rules, load_all

    load_all(CONTENT_RULE_MODULES)
    content = [r for r in all_rules() if r.kind != "verdict"]
    assert {r.kind for r in content} == set(KIND_MODULES)
    for rule in content:
        owners = KIND_MODULES[rule.kind]
        assert any(rule.__module__ == m or rule.__module__.startswith(m + ".") for m in owners), (
            f"{rule.code} ({rule.kind}) is defined in {rule.__module__}, not in KIND_MODULES[{rule.kind!r}]"
        )


def test_docgen_help_prints_usage_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    assert "usage:" in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == []


def test_docgen_refuses_a_file_for_the_docs_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    afile = tmp_path / "docs"
    afile.write_text("not a folder", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        main([str(afile)])
    assert exit_.value.code == 2
    assert "is not a folder" in capsys.readouterr().err


def test_docgen_writes_every_page_into_the_folder_it_is_given(tmp_path: Path) -> None:
    assert main([str(tmp_path / "docs")]) == 0
    assert sorted(p.name for p in (tmp_path / "docs" / "rules").iterdir()) == sorted(generate())
