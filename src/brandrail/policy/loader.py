"""Load a policy: read YAML with positions, resolve ``extends:``, merge, validate, report errors well."""

from __future__ import annotations

import copy
import re
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from brandrail.errors import Location, PolicyError, PolicyIssue
from brandrail.policy.lazy import LAZY_SECTIONS
from brandrail.policy.merge import merge
from brandrail.policy.model import Policy, section_model
from brandrail.policy.sections.channels import OVERRIDABLE_SECTIONS
from brandrail.policy.yamlsource import FieldPath, Positions, load_yaml, load_yaml_text

__all__ = ["builtin_packs", "load_policy", "loads_policy", "policy_from_dict", "policy_from_merged"]

_PACK_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_MAX_EXTENDS_DEPTH = 32


def builtin_packs() -> list[str]:
    """Names of the packs shipped with brandrail, usable in ``extends:``."""
    from importlib import resources

    folder = resources.files("brandrail.policy") / "packs"
    return sorted(p.name[: -len(".yaml")] for p in folder.iterdir() if p.name.endswith(".yaml"))


def _read_pack(name: str, where: Location | None) -> tuple[Any, Positions, str]:
    from importlib import resources

    folder = resources.files("brandrail.policy") / "packs"
    resource = folder / f"{name}.yaml"
    if not resource.is_file():
        import difflib  # only on an error: keeps it out of start-up

        close = difflib.get_close_matches(name, builtin_packs(), n=1)
        hint = (
            f"did you mean {close[0]!r}?"
            if close
            else f"built-in packs: {', '.join(builtin_packs()) or 'none'}"
        )
        raise PolicyError(f"unknown built-in pack {name!r} in extends", location=where, hint=hint)
    display = f"pack:{name}"
    data, pos = load_yaml_text(resource.read_text(encoding="utf-8"), display)
    return data, pos, display


def _as_mapping(data: Any, display: str) -> dict[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise PolicyError(
            f"a policy must be a mapping of sections (brand:, terms:, ...), got a {type(data).__name__}",
            location=Location(display, 1, 1),
        )
    return data


def _resolve(
    data: dict[str, Any], pos: Positions, display: str, base_dir: Path | None, stack: list[str]
) -> tuple[dict[str, Any], Positions]:
    """Merge every ``extends:`` entry of ``data`` (depth first, in order), then ``data`` on top."""
    extends = data.get("extends", [])
    if isinstance(extends, str):
        extends = [extends]
    if not isinstance(extends, list) or not all(isinstance(e, str) for e in extends):
        raise PolicyError(
            "extends must be a list of pack names or relative file paths",
            location=pos.get(("extends",)),
        )
    if len(stack) > _MAX_EXTENDS_DEPTH:
        raise PolicyError(
            f"extends nests deeper than {_MAX_EXTENDS_DEPTH} levels", location=pos.get(("extends",))
        )
    merged: dict[str, Any] = {}
    merged_pos = Positions()
    for i, entry in enumerate(extends):
        where = pos.get(("extends", i))
        is_file = "/" in entry or entry.endswith((".yaml", ".yml")) or entry.startswith(".")
        if is_file:
            if base_dir is None:
                raise PolicyError(
                    f"cannot extend file {entry!r} from a policy that was not loaded from a file",
                    location=where,
                )
            target = (base_dir / entry).resolve()
            key = str(target)
            child_display = str(Path(entry)) if not Path(entry).is_absolute() else entry
            child_display = str(target)
        else:
            if not _PACK_NAME.match(entry):
                raise PolicyError(
                    f"{entry!r} is neither a pack name nor a file path",
                    location=where,
                    hint="pack names are lower-case words with '-'; file paths end in .yaml",
                )
            key = f"pack:{entry}"
            child_display = key
        if key in stack:
            cycle = " → ".join([*stack[stack.index(key) :], key])
            raise PolicyError(
                f"extends cycle: {cycle}", location=where, hint="remove one of the extends entries"
            )
        if is_file:
            if not target.exists():
                raise PolicyError(f"extended file {entry!r} not found (looked at {target})", location=where)
            child, child_pos = load_yaml(target, child_display)
            child_dir: Path | None = target.parent
        else:
            child, child_pos, child_display = _read_pack(entry, where)
            child_dir = None
        child = _as_mapping(child, child_display)
        child, child_pos = _resolve(child, child_pos, child_display, child_dir, [*stack, key])
        merged, merged_pos = merge(merged, merged_pos, child, child_pos)
    own = {k: v for k, v in data.items() if k != "extends"}
    if extends:
        merged, merged_pos = merge(merged, merged_pos, own, pos)
    else:
        merged, merged_pos = own, pos
    merged_extends = [*merged.get("extends", [])] if isinstance(merged.get("extends"), list) else []
    merged["extends"] = [*merged_extends, *[e for e in extends if e not in merged_extends]]
    if extends:
        location = pos.get(("extends",))
        if location is not None:
            merged_pos[("extends",)] = location
    return merged, merged_pos


# -- validation errors -----------------------------------------------------------------------------------


def _unwrap(annotation: Any) -> list[Any]:
    """The concrete types inside Optional/Union/Annotated."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        out: list[Any] = []
        for arg in typing.get_args(annotation):
            out.extend(_unwrap(arg))
        return out
    return [annotation]


def _fields_at(model: type[BaseModel], loc: FieldPath) -> list[str]:
    """Field names allowed at ``loc`` inside ``model`` (for "did you mean" on unknown keys)."""
    current: list[Any] = [model]
    for part in loc:
        nxt: list[Any] = []
        for ann in current:
            for t in _unwrap(ann):
                origin = typing.get_origin(t)
                if t is Policy and part in LAZY_SECTIONS:
                    nxt.append(section_model(str(part)))
                elif isinstance(t, type) and issubclass(t, BaseModel) and isinstance(part, str):
                    field = t.model_fields.get(part)
                    if field is None:
                        field = next((f for f in t.model_fields.values() if f.alias == part), None)
                    if field is not None:
                        nxt.append(field.annotation)
                elif origin is dict and isinstance(part, str):
                    nxt.append(typing.get_args(t)[1])
                elif origin is list and isinstance(part, int):
                    nxt.append(typing.get_args(t)[0])
        current = nxt
    names: list[str] = [*LAZY_SECTIONS] if model is Policy and not loc else []
    for ann in current:
        for t in _unwrap(ann):
            if isinstance(t, type) and issubclass(t, BaseModel):
                names.extend(f.alias or n for n, f in t.model_fields.items())
    return names


def _data_path(data: Any, loc: tuple[int | str, ...]) -> FieldPath:
    """Keep the parts of a pydantic ``loc`` that address the data (drop validator/union tags)."""
    out: list[str | int] = []
    current = data
    for part in loc:
        if (isinstance(current, dict) and part in current) or (
            isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        ):
            out.append(part)
            current = current[part]  # type: ignore[index]
        elif isinstance(current, dict) and isinstance(part, str) and part not in current:
            # a missing required field, or an unknown key already consumed
            out.append(part)
            current = None
    return tuple(out)


def _format_path(path: FieldPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def validation_issues(
    exc: ValidationError, data: Any, pos: Positions, model: type[BaseModel], prefix: FieldPath = ()
) -> list[PolicyIssue]:
    """Turn pydantic errors into issues with field paths, file positions and suggestions."""
    issues: list[PolicyIssue] = []
    for err in exc.errors(include_url=False):
        path = _data_path(data, tuple(err["loc"]))
        full = (*prefix, *path)
        location = pos.get(full)
        hint = None
        if err["type"] == "extra_forbidden":
            key = str(path[-1]) if path else "?"
            allowed = _fields_at(model, path[:-1])
            import difflib  # only on an error: keeps it out of start-up

            close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            hint = (
                f"did you mean {close[0]!r}?"
                if close
                else (f"allowed keys: {', '.join(sorted(allowed))}" if allowed else None)
            )
            message = f"unknown key {key!r}"
            location = pos.key(full)
        elif err["type"] == "missing":
            message = "required field is missing"
            location = pos.get(full[:-1])
        elif err["type"] == "too_short" and isinstance(err.get("input"), list) and not err["input"]:
            least = (err.get("ctx") or {}).get("min_length", 1)
            message = f"the list is empty; it needs at least {least} item{'s' if least != 1 else ''}"
            hint = "list at least one item, or leave the key out where it is optional"
        else:
            given = err.get("input")
            shown = (
                repr(given)
                if isinstance(given, (str, int, float, bool)) or given is None
                else type(given).__name__
            )
            if len(shown) > 60:
                shown = shown[:57] + "..."
            # pydantic prefixes a validator's own ValueError text with "Value error, "; the text is the message
            message = f"{str(err['msg']).removeprefix('Value error, ')} (got {shown})"
        issues.append(PolicyIssue(_format_path(full), message, location, hint))
    return issues


def _validate(data: dict[str, Any], pos: Positions, display: str) -> Policy:
    try:
        policy = Policy.model_validate(data)
    except ValidationError as exc:
        issues = validation_issues(exc, data, pos, Policy)
        first = issues[0].location if issues else Location(display)
        raise PolicyError(
            f"policy is invalid ({len(issues)} problem{'s' if len(issues) != 1 else ''})",
            location=first,
            issues=issues,
        ) from None
    _validate_channel_overrides(policy, data, pos)
    _validate_custom_channels(policy, data, pos)
    private = policy.__pydantic_private__
    assert private is not None
    private.update(_raw=data, _positions=pos, _source=display)
    return policy


def _validate_channel_overrides(policy: Policy, data: dict[str, Any], pos: Positions) -> None:
    issues: list[PolicyIssue] = []
    for name, channel in policy.channels.items():
        for section in OVERRIDABLE_SECTIONS:
            override = getattr(channel, section)
            if override is None:
                continue
            sub_model: type[BaseModel] = Policy if section == "rules" else section_model(section)
            try:
                if section == "rules":
                    Policy.model_validate({"rules": override})
                else:
                    sub_model.model_validate(override)
            except ValidationError as exc:
                prefix: FieldPath = ("channels", name, section)
                sub_data = {"rules": override} if section == "rules" else override
                sub_prefix = ("channels", name) if section == "rules" else prefix
                issues.extend(validation_issues(exc, sub_data, pos, sub_model, sub_prefix))
    if issues:
        raise PolicyError(
            f"channel overrides are invalid ({len(issues)} problem{'s' if len(issues) != 1 else ''})",
            location=issues[0].location,
            issues=issues,
        )


def _validate_custom_channels(policy: Policy, data: dict[str, Any], pos: Positions) -> None:
    """``gate.custom_actions.NAME.channel`` names a channel of the policy (read from the data, so that a
    policy without a ``gate:`` section does not build it)."""
    gate = data.get("gate")
    customs = gate.get("custom_actions") if isinstance(gate, dict) else None
    if not isinstance(customs, dict):
        return
    issues: list[PolicyIssue] = []
    for name, spec in customs.items():
        channel = spec.get("channel") if isinstance(spec, dict) else None
        if channel is not None and channel not in policy.channels:
            path: FieldPath = ("gate", "custom_actions", name, "channel")
            known = ", ".join(sorted(policy.channels)) or "none (add a `channels:` section)"
            issues.append(
                PolicyIssue(
                    _format_path(path),
                    f"unknown channel {channel!r}; known: {known}",
                    pos.get(path),
                    "name a channel under `channels:`, or leave `channel` out",
                )
            )
    if issues:
        raise PolicyError(
            f"custom actions are invalid ({len(issues)} problem{'s' if len(issues) != 1 else ''})",
            location=issues[0].location,
            issues=issues,
        )


def build_channel_view(policy: Policy, name: str) -> Policy:
    """The base policy with channel ``name``'s overrides merged onto its sections."""
    base = copy.deepcopy(policy._raw)
    channel_raw = (base.get("channels") or {}).get(name) or {}
    over = {k: v for k, v in channel_raw.items() if k in OVERRIDABLE_SECTIONS and v is not None}
    positions = policy._positions
    over_pos = Positions()
    for path, loc in positions.under(("channels", name)):
        if len(path) > 2:
            over_pos[path[2:]] = loc
    over_pos.replace = {p[2:] for p in positions.replace if p[:2] == ("channels", name) and len(p) > 2}
    merged, merged_pos = merge(base, positions, over, over_pos)
    view = _validate(merged, merged_pos, policy._source or "<policy>")
    private = view.__pydantic_private__
    assert private is not None
    private.update(_channel=name, _version=policy.version)
    return view


# -- entry points ----------------------------------------------------------------------------------------


def load_policy(path: str | Path) -> Policy:
    """Load, merge and validate the policy file at ``path``.

    Raises :class:`~brandrail.errors.PolicyError` with every problem, its field path and file:line:col.
    """
    file = Path(path)
    display = str(path)
    data, pos = load_yaml(file, display)
    data = _as_mapping(data, display)
    merged, merged_pos = _resolve(data, pos, display, file.resolve().parent, [str(file.resolve())])
    return _validate(merged, merged_pos, display)


def loads_policy(text: str, *, name: str = "<policy>", base_dir: str | Path | None = None) -> Policy:
    """Load a policy from YAML text. ``base_dir`` resolves relative ``extends:`` file paths."""
    data, pos = load_yaml_text(text, name)
    data = _as_mapping(data, name)
    merged, merged_pos = _resolve(data, pos, name, Path(base_dir) if base_dir else None, [name])
    return _validate(merged, merged_pos, name)


def policy_from_dict(data: dict[str, Any], *, name: str = "<dict>") -> Policy:
    """Build a policy from plain data (packs in ``extends:`` are resolved; file paths are not allowed)."""
    merged, merged_pos = _resolve(copy.deepcopy(data), Positions(), name, None, [name])
    return _validate(merged, merged_pos, name)


def policy_from_merged(
    data: dict[str, Any], positions: Positions | None, *, name: str = "<policy>"
) -> Policy:
    """Validate a policy from data that is already merged (``extends:`` resolved), as a loaded policy keeps it
    (``Policy.raw()``) with its positions: for rebuilding a policy in another process without reading its
    files again. Problems are reported at ``positions`` (file:line:col), or at ``name`` without them."""
    return _validate(data, positions if positions is not None else Positions(), name)
