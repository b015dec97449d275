"""Demo section: Fernhill's tone profile and voice score for three draft messages."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from brandrail.demo import DemoSection, data_path

__all__ = ["DRAFTS", "section"]

#: Three drafts an AI assistant might write for Fernhill: one in its voice, one pushy, one corporate.
DRAFTS: tuple[tuple[str, str], ...] = (
    (
        "in voice",
        "Wet weekend ahead? Our little guide to re-proofing your jacket takes ten minutes, and we hope it "
        "keeps you dry on the fells. Any questions, just give us a call.",
    ),
    ("pushy", "HURRY! Only 3 Ridgeline Tents left — our biggest sale EVER ends tonight. Don't miss out!!!"),
    (
        "corporate",
        "Fernhill Outdoor is pleased to announce the launch of its innovative, best-in-class weather-protection "
        "solutions, which are designed to optimise the end-to-end outdoor experience of valued customers.",
    ),
)

_SHOWN = ("formality", "sentiment", "warmth", "urgency", "excitement", "reading_grade", "jargon")


def _mark(text: str, spans: list[tuple[int, int]]) -> str:
    out: list[str] = []
    pos = 0
    for a, b in sorted(set(spans)):
        if a < pos:
            continue
        out.append(html.escape(text[pos:a]))
        out.append(f"<mark>{html.escape(text[a:b])}</mark>")
        pos = b
    out.append(html.escape(text[pos:]))
    return "".join(out)


def section(out_dir: Path) -> DemoSection:
    from brandrail.engine import check_text
    from brandrail.policy import load_policy
    from brandrail.text.document import Document
    from brandrail.voice.rules import tone_of

    policy = load_policy(data_path("fernhill", "brandrail.yaml"))
    targets = policy.voice.targets
    rows: list[dict[str, Any]] = []
    for label, text in DRAFTS:
        doc = Document(text)
        profile = tone_of(doc, policy)
        result = check_text(text, policy)
        voice = [f for f in result.findings if f.code in ("BR501", "BR502", "BR599")]
        score: str
        br502 = next((f for f in voice if f.code == "BR502"), None)
        note = next((f for f in voice if f.code == "BR599"), None)
        if note is not None:
            score = "unavailable (voice model not installed)"
        elif br502 is not None:
            score = f"{br502.evidence['measured']:.2f} (off-brand)"
        else:
            score = _passing_score(text, policy)
        outside = sorted({str(f.evidence["dimension"]) for f in voice if f.code == "BR501"})
        spans = [
            (d.start, d.end)
            for f in voice
            if f.code == "BR501"
            for d in profile.drivers[f.evidence["dimension"]]
        ]
        rows.append(
            {
                "label": label,
                "text": text,
                "profile": profile,
                "score": score,
                "outside": outside,
                "spans": spans,
            }
        )

    head = "".join(f"<th>{html.escape(d.replace('_', ' '))}</th>" for d in _SHOWN)
    body = ""
    for row in rows:
        cells = ""
        for dim in _SHOWN:
            value = row["profile"].values[dim]
            bad = dim in row["outside"]
            tip = f" title='target {html.escape(targets[dim].describe())}'" if dim in targets else ""
            style = " style='background:#ffe3e3'" if bad else ""
            cells += f"<td{tip}{style}>{value:.2f}</td>"
        body += (
            f"<tr><td><b>{html.escape(row['label'])}</b><br><small>{_mark(row['text'], row['spans'])}</small></td>"
            f"{cells}<td>{html.escape(row['score'])}</td></tr>"
        )
    fragment = (
        "<p>Tone profile of three drafts against Fernhill's voice targets (red: outside the target; "
        "highlighted words drove it) and the voice score P(on-brand) from the embedding model.</p>"
        f"<table><tr><th>draft</th>{head}<th>voice score</th></tr>{body}</table>"
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    report = out_dir / "voice-report.html"
    report.write_text(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Fernhill voice</title>"
        "<style>body{font:15px/1.5 system-ui,sans-serif;max-width:1100px;margin:2rem auto}"
        "table{border-collapse:collapse}th,td{border:1px solid #d0d7de;padding:.3rem .5rem;vertical-align:top}"
        "mark{background:#fff3bf}</style></head><body><h1>Fernhill Outdoor — voice and tone</h1>"
        + fragment
        + "</body></html>\n",
        encoding="utf-8",
    )
    summary = [
        (
            f"tone: {row['label']}",
            (f"outside {', '.join(row['outside'])}" if row["outside"] else "within all targets")
            + f"; voice score {row['score']}",
        )
        for row in rows
    ]
    return DemoSection("Voice and tone", summary, fragment, [report])


def _passing_score(text: str, policy: Any) -> str:
    from brandrail.voice.embed import VoiceUnavailable
    from brandrail.voice.model import voice_model_for

    try:
        model = voice_model_for(policy)
    except VoiceUnavailable:
        return "unavailable (voice model not installed)"
    if model is None:
        return "no examples"
    return f"{model.score([text])[0].probability:.2f} (on-brand)"
