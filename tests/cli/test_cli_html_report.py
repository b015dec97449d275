"""The HTML check report a marketer reads: rule links, evidence sentences, rendered e-mails, no f-string HTML."""

from __future__ import annotations

import html
import re
from pathlib import Path

from cli_testlib import run, write_policy

from brandrail.findings import Finding, Severity
from brandrail.report.html import evidence_sentence

ROOT = Path(__file__).resolve().parents[2]


def test_report_links_codes_explains_evidence_and_renders_the_email(tmp_path: Path) -> None:
    policy = write_policy(tmp_path)
    email = tmp_path / "promo.html"
    email.write_text(
        "<html><body><p>So <b>flimsy</b>!</p><script>alert(1)</script>"
        '<img src="https://tracker.example/p.gif" alt=""></body></html>\n',
        encoding="utf-8",
    )
    code, _, _ = run("check", str(email), "-p", str(policy), "-f", "html", "-o", str(tmp_path / "r"))
    assert code == 1
    page = (tmp_path / "r" / "report.html").read_text(encoding="utf-8")
    assert 'href="https://github.com/brandrail/brandrail/blob/main/docs/rules/BR101.md"' in page
    assert "<summary>Found “flimsy” (term “flimsy”" in page  # evidence as a sentence ...
    assert "<details" in page and "&#34;term&#34;: &#34;flimsy&#34;" in page  # ... raw data behind the toggle
    frames = re.findall(r"<iframe ([^>]*)>", page)
    assert len(frames) == 1
    assert 'sandbox=""' in frames[0]  # no scripts, no forms, no same-origin access
    srcdoc = html.unescape(re.search(r'srcdoc="([^"]*)"', frames[0]).group(1))  # type: ignore[union-attr]
    assert srcdoc.startswith('<meta http-equiv="Content-Security-Policy"') and "default-src 'none'" in srcdoc
    assert "<b>flimsy</b>" in srcdoc
    assert "<script>alert(1)</script>" not in page.replace(frames[0], "")  # the source pane is escaped


def test_plain_text_has_no_iframe(tmp_path: Path) -> None:
    policy = write_policy(tmp_path)
    (tmp_path / "m.txt").write_text("flimsy\n", encoding="utf-8")
    _, out, _ = run("check", str(tmp_path / "m.txt"), "-p", str(policy), "-f", "html")
    assert "<iframe" not in out and '<mark class="error" data-codes="BR101"' in out


def _finding(code: str, evidence: dict[str, object]) -> Finding:
    return Finding(code=code, rule="some-rule", severity=Severity.WARNING, message="m", evidence=evidence)


def test_evidence_sentence_reads_measured_against_limit() -> None:
    f = _finding("BR401", {"length": 182, "limit": 160, "matched_via_normalisation": False, "channel": "sms"})
    assert evidence_sentence(f) == "Measured length 182 against limit 160, channel “sms”."
    assert "False" not in evidence_sentence(f)


def test_evidence_sentence_reads_ranges_in_words() -> None:
    """A measured value against both ends of a range, and a {min, max} target, read as words, not JSON."""
    short = _finding("BR726", {"measured": 38, "max": 130, "min": 40})  # a preheader below its minimum
    assert evidence_sentence(short) == "Measured 38, allowed 40–130."
    urgent = _finding(
        "BR501", {"dimension": "urgency", "measured": 0.36, "target": {"min": None, "max": 0.3}}
    )
    assert evidence_sentence(urgent) == "Measured 0.36 against target at most 0.3, dimension “urgency”."


def test_report_code_builds_no_html_with_f_strings() -> None:
    source = (ROOT / "src" / "brandrail" / "report" / "html.py").read_text(encoding="utf-8")
    assert "<mark" not in source and "<td" not in source
    assert (ROOT / "src" / "brandrail" / "report" / "templates" / "check.html.j2").is_file()
    text = (ROOT / "src" / "brandrail" / "report" / "text.py").read_text(encoding="utf-8")
    assert "\\x1b[" not in text  # colours come from rich
