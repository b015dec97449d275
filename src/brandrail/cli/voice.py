"""Commands of the voice pillar: ``tone`` (on app), ``voice learn`` and ``voice eval`` (on voice_app)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from brandrail.cli._app import app, voice_app
from brandrail.cli._common import (
    atomic_write,
    counted,
    dump_json,
    fail,
    read_conversation,
    read_text_file,
    user_errors,
)

SCHEMA_VERSION = 1

_PolicyOpt = Annotated[
    Path | None,
    typer.Option(
        "--policy",
        "-p",
        help="Policy file (default: the nearest brandrail.yaml, else $BRANDRAIL_POLICY, if any).",
        show_default=False,
    ),
]
_FormatOpt = Annotated[str, typer.Option("--format", "-f", help="text or json.")]


def _policy(path: Path | None) -> Any:
    from brandrail.policy import load_policy, policy_from_dict
    from brandrail.policy.discovery import find_optional_policy

    found = find_optional_policy(path)
    return load_policy(found) if found is not None else policy_from_dict({})


def _check_format(fmt: str) -> None:
    if fmt not in ("text", "json"):
        fail(f"--format must be text or json, not {fmt!r}")


@app.command()
@user_errors
def tone(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (recursive) or - for standard input.")],
    policy: _PolicyOpt = None,
    channel: Annotated[
        str | None, typer.Option("--channel", "-c", help="Channel whose voice targets apply.")
    ] = None,
    fmt: _FormatOpt = "text",
    drivers: Annotated[
        bool, typer.Option("--drivers/--no-drivers", help="Show the words behind each value.")
    ] = True,
    conversation: Annotated[
        Path | None,
        typer.Option(
            "--conversation",
            help='JSON file of the turns before the message, when it is a reply: [{"role": "customer", '
            '"text": "..."}, ...]. The policy\'s voice.context targets then apply.',
            show_default=False,
        ),
    ] = None,
) -> None:
    """Print the tone profile of each message, with the policy's voice targets when it sets any."""
    from brandrail.text.conversation import attach_conversation
    from brandrail.text.document import Document
    from brandrail.text.io import decode, discover, read_input
    from brandrail.voice.rules import context_targets, tone_of

    _check_format(fmt)
    pol = _policy(policy)
    view = pol.for_channel(channel)
    convo = read_conversation(conversation) if conversation is not None else None
    items = list(discover(paths))
    results: list[dict[str, Any]] = []
    for path, kind in items:
        if kind == "image":
            fail(f"{path}: is an image; `brandrail tone` reads text, Markdown and HTML")
        name, raw = read_input(path)
        doc_kind = "text" if kind == "stdin" else kind
        doc = Document(decode(raw, name), path=name, kind=doc_kind, channel=channel)  # type: ignore[arg-type]
        attach_conversation(doc, convo)
        profile = tone_of(doc, view)
        in_context, state = context_targets(doc, view)
        data = profile.to_dict(drivers=False)
        if drivers:
            data["drivers"] = {
                dim: [_driver(doc, d.start, d.end, d.text, d.direction) for d in found[:10]]
                for dim, found in profile.drivers.items()
                if found and dim in data["values"]
            }
        data["targets"] = {
            dim: {
                "min": t.min,
                "max": t.max,
                "within": t.contains(profile.values[dim]),
                "judged": profile.reliable(dim) or dim in in_context,
                **({"context": list(state.states)} if state is not None and dim in in_context else {}),
            }
            for dim, t in {**view.voice.targets, **in_context}.items()
        }
        if state is not None:
            data["context"] = state.to_dict()
        results.append({"path": name, "channel": channel, "profile": data})
    if fmt == "json":
        sys.stdout.write(
            dump_json({"schema_version": SCHEMA_VERSION, "policy_version": pol.version, "results": results})
        )
        return
    for item in results:
        _print_profile(item, drivers)


def _driver(doc: Any, start: int, end: int, text: str, direction: int) -> dict[str, Any]:
    a, b = doc.prose_to_original(start, end)
    line, column = doc.position(a)
    return {"text": text, "start": a, "end": b, "line": line, "column": column, "direction": direction}


_LABELS = {
    "formality": "formality (0 casual – 1 formal)",
    "sentiment": "sentiment (-1 – 1)",
    "warmth": "warmth/empathy (0 – 1)",
    "urgency": "urgency/pressure (0 – 1)",
    "excitement": "excitement (0 – 1)",
    "humour": "humour/playfulness (0 – 1)",
    "reading_grade": "reading grade (median of 5)",
    "flesch_kincaid_grade": "  Flesch-Kincaid grade",
    "gunning_fog": "  Gunning fog",
    "smog": "  SMOG",
    "coleman_liau": "  Coleman-Liau",
    "automated_readability": "  ARI",
    "person_we": "we/us/our share",
    "person_you": "you/your share",
    "person_i": "I/me/my share",
    "person_they": "they/he/she share",
    "sentence_length": "words per sentence",
    "passive": "passive sentence share",
    "jargon": "jargon word share",
}


#: Counts shown under the header of `brandrail tone`: the features behind formality, urgency, excitement, humour.
_FEATURES = (
    "formal_markers",
    "contractions",
    "casual_words",
    "pressure_cues",
    "humour_cues",
    "exclamations",
    "caps_words",
    "emoji",
)


def _print_profile(item: dict[str, Any], drivers: bool) -> None:
    from brandrail.report.text import printable
    from brandrail.text.reader import snippet as flat

    def snippet(
        text: str, width: int
    ) -> str:  # words of the checked text: shown, never obeyed, by a terminal
        return printable(flat(text, width))

    profile = item["profile"]
    head = printable(f"{item['path']}") + (f"  [channel {item['channel']}]" if item["channel"] else "")
    print(head)
    print(
        f"  {counted(profile['words'], 'word')}, {counted(profile['sentences'], 'sentence')}, "
        f"point of view: {profile['pov']}"
    )
    counts = profile["counts"]
    shown_counts = [(k.replace("_", " "), counts[k]) for k in _FEATURES if k in counts]
    print("  features: " + ", ".join(f"{k} {v}" for k, v in shown_counts))
    context = profile.get("context")
    if context is not None:
        states = " and ".join(context["states"]) or "calm (no state the policy sets targets for)"
        cues = [c for cs in context["cues"].values() for c in cs][:5]
        shown = [
            # a measured cue (sentiment, shouting, the learned reading) shows its measure
            f"{printable(c['text'])} {c['measured']:g}" if "measured" in c else f'"{snippet(c["text"], 30)}"'
            for c in cues
        ]
        print(f"  customer: {states}" + ("  ← " + ", ".join(shown) if shown else ""))
    unreliable = set(profile["unreliable"])
    for dim, value in profile["values"].items():
        label = _LABELS.get(dim, dim)
        target = profile["targets"].get(dim)
        mark = ""
        if target is not None:
            bounds = (
                f"{target['min']:g}–{target['max']:g}"
                if target["min"] is not None and target["max"] is not None
                else (f"≥ {target['min']:g}" if target["min"] is not None else f"≤ {target['max']:g}")
            )
            status = (
                "ok"
                if target["within"]
                else ("OUTSIDE" if target["judged"] else "outside, too short to judge")
            )
            mark = f"  target {bounds}: {status}"
        note = "  (short text: low reliability)" if dim in unreliable else ""
        words = ""
        if drivers and dim in profile.get("drivers", {}) and not label.startswith("  "):
            shown = [d["text"] for d in profile["drivers"][dim][:5]]
            words = "  ← " + ", ".join(f'"{snippet(w, 30)}"' for w in shown)
        print(f"  {label:<34} {value:>7.2f}{mark}{note}{words}")
        explained = profile.get("model", {}).get("explain", {}).get(dim) if drivers else None
        if explained:  # the features the learned tone model weighed most, in rating points (1-5 scale)
            terms = ", ".join(f"{t['contribution']:+.2f} {t['feature'].replace('_', ' ')}" for t in explained)
            print(f"  {'':<34} {'':>7}  model: {terms}")
    print()


@voice_app.command("learn")
@user_errors
def voice_learn(
    folder: Annotated[Path, typer.Argument(help="Folder of approved messages (.txt/.md, one message each).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the learned voice policy.")] = Path(
        "voice.yaml"
    ),
    off: Annotated[
        Path | None, typer.Option("--off", help="Folder of off-brand messages to include as examples.")
    ] = None,
    low: Annotated[float, typer.Option("--low", help="Lower percentile of each range.")] = 5.0,
    high: Annotated[float, typer.Option("--high", help="Upper percentile of each range.")] = 95.0,
    max_examples: Annotated[
        int, typer.Option("--examples", help="Most examples of each kind to keep.", min=1)
    ] = 20,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Derive tone target ranges and examples from a brand's approved content; write a voice policy file."""
    from brandrail.voice.learn import learn_voice, policy_yaml
    from brandrail.voice.model import read_messages

    if out.exists() and not force:
        fail(f"{out} already exists", hint="use --force to overwrite it, or give another --out")
    messages = read_messages(folder)
    off_messages = read_messages(off) if off is not None else []
    section = learn_voice(messages, off_brand=off_messages, low=low, high=high, max_examples=max_examples)
    atomic_write(out, policy_yaml(section, source=str(folder), count=len(messages)))
    print(
        f"wrote {out}: {len(section['targets'])} tone targets, {len(section['examples']['on_brand'])} examples"
    )
    for dim, target in section["targets"].items():
        median = section["_stats"].get(dim, {}).get("median")
        rng = " ".join(f"{k} {v:g}" for k, v in target.items())
        print(f"  {dim:<16} {rng:<22} (median {median:g})")


@voice_app.command("eval")
@user_errors
def voice_eval(
    folder_on: Annotated[Path, typer.Argument(help="Folder of on-brand messages.")],
    folder_off: Annotated[Path, typer.Argument(help="Folder of off-brand messages.")],
    policy: Annotated[
        Path | None,
        typer.Option(
            "--policy",
            "-p",
            help="Policy whose voice.never rules join every fold's training.",
            show_default=False,
        ),
    ] = None,
    folds: Annotated[int, typer.Option("--folds", help="Cross-validation folds.", min=2)] = 5,
    features: Annotated[str, typer.Option("--features", help="both, embedding or tone.")] = "both",
    int8: Annotated[
        bool, typer.Option("--int8", help="Embed with the int8-quantised model (torch).")
    ] = False,
    threshold: Annotated[
        float, typer.Option("--threshold", help="Flag below this probability.", min=0.0, max=1.0)
    ] = 0.5,
    fmt: _FormatOpt = "text",
) -> None:
    """Cross-validate the voice model on labelled folders: each figure with a 95% bootstrap interval."""
    from brandrail.voice.embed import VoiceUnavailable
    from brandrail.voice.model import evaluate, load_examples, read_messages

    _check_format(fmt)
    if features not in ("both", "embedding", "tone"):
        fail(f"--features must be both, embedding or tone, not {features!r}")
    never = load_examples(_policy(policy)).never if policy is not None else ()
    on = read_messages(folder_on)
    off = read_messages(folder_off)
    try:
        report = evaluate(on, off, never=never, folds=folds, use=features, int8=int8, threshold=threshold)
    except VoiceUnavailable as exc:
        fail(str(exc), hint="or evaluate the tone features alone with --features tone")
    report.pop("probabilities", None)
    if fmt == "json":
        sys.stdout.write(dump_json({"schema_version": SCHEMA_VERSION, **report}))
        return
    print(
        f"{report['n_on_brand']} on-brand, {report['n_off_brand']} off-brand messages, "
        f"{report['never_rules']} never rules; {report['folds']}-fold cross-validation; "
        f"features: {report['features']}; model: {report['engine']} {report['precision']}"
    )
    level = round(report["interval_level"] * 100)
    print(f"  figure                          value   {level}% interval (bootstrap)")
    labels = {
        "auc": "ROC AUC",
        "accuracy": f"accuracy at {report['threshold']:g}",
        "brier": "Brier score (lower is better)",
        "on_brand_flagged": "on-brand messages flagged",
        "off_brand_passed": "off-brand messages passed",
    }
    for key, label in labels.items():
        lo, hi = report["intervals"][key]
        print(f"  {label:<30} {report[key]:>6.3f}   {lo:.3f} – {hi:.3f}")
    print("  calibration:  bin        count  mean predicted  observed on-brand")
    for row in report["calibration"]:
        mp = "—" if row["mean_predicted"] is None else f"{row['mean_predicted']:.2f}"
        ob = "—" if row["observed_on_brand"] is None else f"{row['observed_on_brand']:.2f}"
        print(f"                {row['bin']:<10} {row['count']:>5}  {mp:>14}  {ob:>17}")
    for warning in report["warnings"]:
        print(f"warning: {warning}", file=sys.stderr)


@voice_app.command("states")
@user_errors
def voice_states(
    data: Annotated[
        Path,
        typer.Argument(
            help="Labelled customer messages: a .tsv or .csv with columns text, upset, loss (0/1), or .jsonl "
            'lines {"text": ..., "upset": 0|1, "loss": 0|1}.'
        ),
    ],
    policy: _PolicyOpt = None,
    channel: Annotated[
        str | None,
        typer.Option("--channel", "-c", help="Channel whose voice.context cues and thresholds apply."),
    ] = None,
    fmt: _FormatOpt = "text",
) -> None:
    """How well the customer's state (upset, a loss) is read from your own labelled messages, as replies in
    context read it: found and ordinary messages flagged per state, with 95% intervals; in the embedding tier
    also at each threshold of the learned reading."""
    from brandrail.voice.context import evaluate_states
    from brandrail.voice.embed import VoiceUnavailable

    _check_format(fmt)
    view = _policy(policy).for_channel(channel)
    messages = _read_labelled(data)
    rules = {s: getattr(view.voice.context, s) for s in ("upset", "loss")}
    try:
        report = evaluate_states(
            messages,
            tone_model=view.voice.tone_model,
            extra_cues={s: r.cues for s, r in rules.items() if r is not None},
            thresholds={
                s: r.threshold for s, r in rules.items() if r is not None and r.threshold is not None
            },
        )
    except VoiceUnavailable as exc:
        fail(
            f"voice.tone_model is 'embedding' but the embedding model cannot run: {exc}",
            hint="install `brandrail[voice]`, or set voice.tone_model: core",
        )
    if fmt == "json":
        sys.stdout.write(dump_json({"schema_version": SCHEMA_VERSION, **report}))
        return
    tier = report["tone_model"] + (f" ({report['model']})" if "model" in report else "")
    print(f"{report['messages']} labelled messages; tone model: {tier}")
    for state, f in report["states"].items():
        lo, hi = f["recall_95"]
        olo, ohi = f["ordinary_flagged_95"]
        recall = "—" if f["recall"] is None else f"{f['recall']:.0%}"
        share = "—" if f["ordinary_flagged_share"] is None else f"{f['ordinary_flagged_share']:.0%}"
        at = f" at threshold {f['threshold']:g}" if "threshold" in f else ""
        print(
            f"  {state:<6}{at}: found {f['found']} of {f['of']} ({recall}, 95% {lo:.0%}–{hi:.0%}); "
            f"ordinary messages read as {state}: {f['ordinary_flagged']} of {f['ordinary']} "
            f"({share}, 95% {olo:.0%}–{ohi:.0%})"
        )
        for t, g in f.get("by_threshold", {}).items():
            r = "—" if g["recall"] is None else f"{g['recall']:.0%}"
            o = "—" if g["ordinary_flagged_share"] is None else f"{g['ordinary_flagged_share']:.0%}"
            print(f"      threshold {t}: found {r}, ordinary read as {state} {o}")
    for state, f in report["states"].items():
        if f["of"] < 20:
            print(
                f"warning: only {f['of']} messages labelled {state}: its figures are rough (30 or more help)",
                file=sys.stderr,
            )


_TRUE = {"1", "true", "yes"}
_FALSE = {"0", "false", "no"}


def _read_labelled(path: Path) -> list[Any]:
    """Labelled customer messages from a .tsv/.csv (columns text, upset, loss) or .jsonl file; errors point at
    file:line:col."""
    import csv
    import io
    import json

    from brandrail.errors import InputError, Location
    from brandrail.voice.context import LabelledMessage

    display = str(path)
    text = read_text_file(path)
    hint = 'columns text, upset, loss (0 or 1); or .jsonl lines {"text": ..., "upset": 0, "loss": 1}'

    def flag(value: Any, line: int, column: int | None, name: str) -> bool:
        word = str(value).strip().lower()
        if isinstance(value, bool) or word in _TRUE | _FALSE:
            return value if isinstance(value, bool) else word in _TRUE
        raise InputError(
            f"{name} must be 0 or 1, not {value!r}", location=Location(display, line, column), hint=hint
        )

    out: list[Any] = []
    if path.suffix.lower() == ".jsonl":
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(
                    f"not valid JSON: {exc.msg}", location=Location(display, n, exc.colno), hint=hint
                ) from None
            if not isinstance(row, dict) or not all(k in row for k in ("text", "upset", "loss")):
                raise InputError(
                    "a line needs text, upset and loss", location=Location(display, n, 1), hint=hint
                )
            if not isinstance(row["text"], str) or not row["text"].strip():
                raise InputError("text is empty", location=Location(display, n, 1), hint=hint)
            out.append(
                LabelledMessage(
                    row["text"], flag(row["upset"], n, None, "upset"), flag(row["loss"], n, None, "loss")
                )
            )
    else:
        delimiter = "\t" if path.suffix.lower() in (".tsv", ".tab", ".txt") else ","
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        header = next(reader, None)
        if header is None:
            raise InputError("the file is empty", location=Location(display), hint=hint)
        columns = [h.strip().lower() for h in header]
        missing = [c for c in ("text", "upset", "loss") if c not in columns]
        if missing:
            raise InputError(
                f"the header has no {', '.join(missing)} column (found: {', '.join(columns) or 'nothing'})",
                location=Location(display, 1, 1),
                hint=hint,
            )
        at = {c: columns.index(c) for c in ("text", "upset", "loss")}
        for row in reader:
            n = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) <= max(at.values()):
                raise InputError(
                    f"the row has {len(row)} columns, the header {len(columns)}",
                    location=Location(display, n, 1),
                    hint=hint,
                )
            body = row[at["text"]]
            if not body.strip():
                raise InputError("text is empty", location=Location(display, n, 1), hint=hint)
            out.append(
                LabelledMessage(
                    body, flag(row[at["upset"]], n, None, "upset"), flag(row[at["loss"]], n, None, "loss")
                )
            )
    if not out:
        raise InputError("no labelled messages", location=Location(display), hint=hint)
    return out
