"""``code_text:`` — which rules read text formatted as code (docs/content.md, "Code and other text")."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field

from brandrail.findings import family_of
from brandrail.policy.sections.base import Section

__all__ = ["CODE_SKIPPABLE_FAMILIES", "STYLE_CODES", "CodeTextSection", "skips_code"]

#: The rules that skip code-formatted text by default (the group ``style``): a style judgement that real code
#: makes noisy and that no reader is misled by — a preferred word (``login()``), a trademark's spelling or
#: symbol in an identifier (``traildry-cli``), one spelling per message (an ``email`` field), ALL-CAPS words
#: (promo codes such as ``SAVE20``, ``GET``, constants) and the tone profile and voice model (code has no
#: tone; ``kill -9`` is not an angry word).
STYLE_CODES = frozenset({"BR102", "BR103", "BR104", "BR106", "BR406", "BR501", "BR502"})

#: Families that may skip code. Personal data (privacy) and hidden characters or look-alike letters (evasion)
#: are found in all of the text, code included, whatever the policy says; the creative rules read the
#: rendered e-mail, not the prose.
CODE_SKIPPABLE_FAMILIES = ("terms", "claims", "disclosures", "channel", "voice", "inclusive")

_GROUPS = ("all", "style")
_CODE = re.compile(r"(?:BR|PV)\d{3}")


def _entry(value: str) -> str:
    """One entry of ``skipped_by``: a group, a family or a rule code (checked here, with a hint)."""
    if value in _GROUPS or value in CODE_SKIPPABLE_FAMILIES:
        return value
    upper = value.upper()
    if _CODE.fullmatch(upper):
        family = family_of(upper)
        if family in CODE_SKIPPABLE_FAMILIES:
            return upper
        if family in ("privacy", "consent", "evasion"):
            raise ValueError(
                f"{value!r} ({family}) cannot skip code: personal data, hidden characters and look-alike "
                "letters are found in all of the text, code included"
            )
        raise ValueError(f"{value!r} ({family}) does not read prose, so it has no code to skip")
    if value in ("privacy", "evasion", "consent"):
        raise ValueError(
            f"{value!r} cannot skip code: personal data, hidden characters and look-alike letters are found "
            "in all of the text, code included"
        )
    import difflib  # only on an error

    choices = [*_GROUPS, *CODE_SKIPPABLE_FAMILIES]
    close = difflib.get_close_matches(value, choices, n=1)
    raise ValueError(
        f"unknown entry {value!r}"
        + (f" (did you mean {close[0]!r}?)" if close else "")
        + f"; use a rule code (BR101), a family ({', '.join(CODE_SKIPPABLE_FAMILIES)}), 'style' or 'all'"
    )


SkipEntry = Annotated[str, AfterValidator(_entry)]


def _default_skip() -> list[str]:
    return ["style"]


class CodeTextSection(Section):
    """Text formatted as code — Markdown code spans and fenced or indented blocks, ``<code>``, ``<pre>``,
    ``<kbd>``, ``<samp>``, ``<tt>`` — is shown to the reader like any other text, so every rule reads it,
    except the rules listed in ``skipped_by``."""

    skipped_by: list[SkipEntry] = Field(
        default_factory=_default_skip,
        description="Rules that skip code-formatted text: rule codes (BR105), families (terms, claims, "
        "disclosures, channel, voice, inclusive), 'style' (BR102, BR103, BR104, BR106, BR406, BR501, BR502) "
        "or 'all'. Personal data and the evasion rules always read code.",
    )


def skips_code(section: CodeTextSection, code: str) -> bool:
    """Whether rule ``code`` skips code-formatted text under ``section``."""
    family = family_of(code)
    if family not in CODE_SKIPPABLE_FAMILIES:
        return False
    for entry in section.skipped_by:
        if entry in (code, family, "all") or (entry == "style" and code in STYLE_CODES):
            return True
    return False
