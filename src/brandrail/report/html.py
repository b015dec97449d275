"""A self-contained HTML report: results per file with highlighted spans, filters by severity and code.

No network: styles and script are inline. Text is escaped by Jinja2's autoescape; spans are cut from the
original text so highlights line up exactly with the findings.
"""

from __future__ import annotations

import html
import itertools
import json
import re
from typing import Any

from brandrail.findings import Finding
from brandrail.report.model import CheckRun, tool_version
from brandrail.text.document import Document

__all__ = ["MAX_SHOWN_CHARS", "render_html"]

#: Longer files are shown truncated in the report (findings are all listed).
MAX_SHOWN_CHARS = 200_000
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")

_TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>brandrail report</title>
<style>
:root{--err:#cf222e;--warn:#9a6700;--info:#0969da;--line:#d0d7de;--bg:#f6f8fa}
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1f2328}
header{padding:1rem 2rem;background:#24292f;color:#fff}header code{color:#ffd8b5}
main{padding:1rem 2rem;max-width:1200px}
.filters{position:sticky;top:0;background:#fff;padding:.6rem 0;border-bottom:1px solid var(--line);z-index:2}
.filters label{margin-right:1rem;white-space:nowrap}
.file{border:1px solid var(--line);border-radius:6px;margin:1rem 0;overflow:hidden}
.file h2{font-size:15px;margin:0;padding:.5rem .8rem;background:var(--bg);border-bottom:1px solid var(--line)}
.badge{display:inline-block;border-radius:10px;padding:0 .5rem;font-size:12px;color:#fff;margin-left:.3rem}
.b-error{background:var(--err)}.b-warning{background:var(--warn)}.b-info{background:var(--info)}.b-pass{background:#1a7f37}
pre.src{margin:0;padding:.8rem;white-space:pre-wrap;word-break:break-word;font:13px/1.45 ui-monospace,monospace;max-height:28rem;overflow:auto}
mark{border-radius:2px;padding:0 1px}
mark.error{background:#ffebe9;border-bottom:2px solid var(--err)}
mark.warning{background:#fff8c5;border-bottom:2px solid var(--warn)}
mark.info{background:#ddf4ff;border-bottom:2px solid var(--info)}
table{border-collapse:collapse;width:100%}td,th{border-top:1px solid var(--line);padding:.35rem .6rem;text-align:left;vertical-align:top}
th{background:var(--bg);font-weight:600}
td.code{font-family:ui-monospace,monospace;white-space:nowrap}
.sev-error{color:var(--err);font-weight:600}.sev-warning{color:var(--warn);font-weight:600}.sev-info{color:var(--info)}
.evidence{color:#57606a;font-size:12px}
.swatch{display:inline-block;width:1.1em;height:1.1em;border:1px solid #0003;vertical-align:middle;margin-right:.25em;border-radius:3px}
.scores{margin-left:.6rem}.scores span{margin-right:.8rem;font-size:12px;color:#57606a}
.hidden{display:none}
</style></head><body>
<header><h1 style="margin:0;font-size:20px">brandrail report</h1>
<div>{{ summary.files }} file(s) · <b>{{ summary.errors }}</b> errors · {{ summary.warnings }} warnings ·
{{ summary.info }} info{% if summary.suppressed %} · {{ summary.suppressed }} suppressed{% endif %} ·
policy <code title="{{ policy_version }}">{{ policy_version[:12] }}</code>{% if channel %} · channel <code>{{ channel }}</code>{% endif %}
{% if policy_source %} · <code>{{ policy_source }}</code>{% endif %} · brandrail {{ version }}</div></header>
<main>
<div class="filters" id="filters">
<b>Severity:</b>
{% for s in ["error","warning","info"] %}<label><input type="checkbox" class="f-sev" value="{{ s }}" checked> {{ s }}</label>{% endfor %}
<b>Code:</b>
{% for c in codes %}<label><input type="checkbox" class="f-code" value="{{ c }}" checked> {{ c }}</label>{% endfor %}
<label><input type="checkbox" id="f-clean"> hide files without findings</label>
</div>
{% for f in files %}
<section class="file" data-count="{{ f.findings|length }}">
<h2>{{ f.path }}
{% if f.passed %}<span class="badge b-pass">passed</span>{% endif %}
{% for sev, n in f.counts.items() if n %}<span class="badge b-{{ sev }}">{{ n }} {{ sev }}</span>{% endfor %}
<span class="scores">{% for k, v in f.scores.items() %}<span>{{ k }} {{ "%.0f"|format(v) }}</span>{% endfor %}</span></h2>
{% if f.source is not none %}<pre class="src">{{ f.source }}</pre>{% endif %}
{% if f.findings %}
<table><thead><tr><th>Where</th><th>Code</th><th>Severity</th><th>Message</th><th>Evidence</th></tr></thead><tbody>
{% for x in f.findings %}
<tr class="finding" data-sev="{{ x.severity }}" data-code="{{ x.code }}" id="{{ x.anchor }}">
<td class="code">{{ x.where }}</td><td class="code" title="{{ x.rule }}">{{ x.code }}</td>
<td class="sev-{{ x.severity }}">{{ x.severity }}</td><td>{{ x.message }}{% if x.fix %}<br><span class="evidence">fix: {{ x.fix }}</span>{% endif %}</td>
<td class="evidence">{% for sw in x.swatches %}<span class="swatch" style="background:{{ sw.hex }}" title="{{ sw.title }}"></span>{% endfor %}{{ x.evidence }}</td></tr>
{% endfor %}
</tbody></table>
{% endif %}
{% if f.suppressed %}<p class="evidence" style="padding:0 .8rem">{{ f.suppressed }} finding(s) suppressed in source.</p>{% endif %}
</section>
{% endfor %}
</main>
<script>
(function(){
  function apply(){
    var sev=[].slice.call(document.querySelectorAll('.f-sev')).filter(function(c){return c.checked}).map(function(c){return c.value});
    var code=[].slice.call(document.querySelectorAll('.f-code')).filter(function(c){return c.checked}).map(function(c){return c.value});
    document.querySelectorAll('.finding').forEach(function(r){
      var show=sev.indexOf(r.dataset.sev)>=0&&code.indexOf(r.dataset.code)>=0;r.classList.toggle('hidden',!show);});
    document.querySelectorAll('mark').forEach(function(m){
      var ok=m.dataset.codes.split(' ').some(function(c){return code.indexOf(c)>=0})&&m.dataset.sevs.split(' ').some(function(s){return sev.indexOf(s)>=0});
      m.style.background=ok?'':'transparent';m.style.borderBottomColor=ok?'':'transparent';});
    var hide=document.getElementById('f-clean').checked;
    document.querySelectorAll('section.file').forEach(function(s){
      var visible=s.querySelectorAll('.finding:not(.hidden)').length;s.classList.toggle('hidden',hide&&visible===0);});
  }
  document.getElementById('filters').addEventListener('change',apply);
})();
</script>
</body></html>
"""


def _highlight(doc: Document, findings: tuple[Finding, ...]) -> str:
    text = doc.text[:MAX_SHOWN_CHARS]
    spans = [f for f in findings if f.span is not None and f.span.start < len(text)]
    bounds = sorted(
        {
            0,
            len(text),
            *(f.span.start for f in spans if f.span),
            *(min(f.span.end, len(text)) for f in spans if f.span),
        }
    )
    out: list[str] = []
    for a, b in itertools.pairwise(bounds):
        covering = [
            f for f in spans if f.span and f.span.start <= a and f.span.end >= b and f.span.end > f.span.start
        ]
        chunk = html.escape(text[a:b])
        if covering:
            worst = max(covering, key=lambda f: f.severity.rank)
            codes = " ".join(sorted({f.code for f in covering}))
            sevs = " ".join(sorted({f.severity.value for f in covering}))
            title = html.escape("; ".join(f"{f.code}: {f.message}" for f in covering), quote=True)
            out.append(
                f'<mark class="{worst.severity.value}" data-codes="{codes}" data-sevs="{sevs}" title="{title}">{chunk}</mark>'
            )
        else:
            out.append(chunk)
    if len(doc.text) > MAX_SHOWN_CHARS:
        out.append(html.escape(f"\n… ({len(doc.text) - MAX_SHOWN_CHARS:,} more characters not shown)"))
    return "".join(out)


def _evidence_text(f: Finding) -> tuple[str, list[dict[str, str]]]:
    data = f.to_dict()["evidence"]
    assert isinstance(data, dict)
    swatches: list[dict[str, str]] = []
    raw = data.pop("swatches", None)
    if isinstance(raw, list):
        for item in raw:
            if isinstance(item, dict) and isinstance(item.get("hex"), str) and _HEX.match(item["hex"]):
                title = ", ".join(f"{k} {v}" for k, v in item.items())
                swatches.append({"hex": item["hex"], "title": title})
    parts = []
    for key, value in data.items():
        if isinstance(value, (str, int, float, bool)) or value is None:
            text = str(value)
        else:
            text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
        parts.append(f"{key}: {text if len(text) < 120 else text[:117] + '…'}")
    return "; ".join(parts), swatches


def render_html(run: CheckRun) -> str:
    """The report as one HTML page."""
    from jinja2 import Environment
    from markupsafe import Markup

    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    files: list[dict[str, Any]] = []
    codes: set[str] = set()
    for i, (result, doc) in enumerate(run.results):
        rows = []
        for j, f in enumerate(result.findings):
            codes.add(f.code)
            evidence, swatches = _evidence_text(f)
            where = f"{f.span.line}:{f.span.column}" if f.span else ""
            rows.append(
                {
                    "code": f.code,
                    "rule": f.rule,
                    "severity": f.severity.value,
                    "message": f.message,
                    "where": where,
                    "evidence": evidence,
                    "swatches": swatches,
                    "fix": f.fix.description if f.fix else None,
                    "anchor": f"f{i}-{j}",
                }
            )
        files.append(
            {
                "path": result.path or "<input>",
                "passed": result.passed,
                "counts": result.counts(),
                "scores": result.scores,
                "source": Markup(_highlight(doc, result.findings)) if doc is not None else None,
                "findings": rows,
                "suppressed": len(result.suppressed),
            }
        )
    return env.from_string(_TEMPLATE).render(
        files=files,
        codes=sorted(codes),
        summary=run.summary(),
        policy_version=run.policy_version,
        policy_source=run.policy_source,
        channel=run.channel,
        version=tool_version(),
    )
