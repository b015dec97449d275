"""Creative rules (BR7xx): images against the brand palette and channel specs, text contrast and the structure
of HTML e-mails.

Image rules (``kind = "image"``) get an :class:`~brandrail.creative.image.ImageSubject` from
:func:`brandrail.creative.open_image`; HTML rules (``kind = "html"``) get the Document of an ``.html`` file
and parse ``doc.text`` once (cached on the document). NumPy and Pillow are imported only when an image
is checked.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote, urlsplit

from brandrail.creative.colour import RGB, contrast_ratio, hex_to_rgb, rgb_to_hex
from brandrail.creative.email import (
    CONTEXT_WORDS,
    Element,
    Email,
    Link,
    TextRun,
    _clean_preheader,
    email_of_document,
)
from brandrail.creative.merge_tags import Purpose, element_tags, find_merge_tag, merge_tags_for
from brandrail.findings import Finding, Severity
from brandrail.policy import Policy
from brandrail.policy.sections.creative import ratio_value
from brandrail.registry import Rule, register
from brandrail.text.document import Document

if TYPE_CHECKING:
    from brandrail.creative.image import ImageSubject
    from brandrail.creative.palette import PaletteAnalysis

__all__ = [
    "EmailTooLarge",
    "ImageAspectRatioOutOfSpec",
    "ImageDimensionsOutOfSpec",
    "ImageFileTooLarge",
    "ImageFormatNotAllowed",
    "ImageMissingAlt",
    "InconsistentUtmParameter",
    "LinkDomainNotAllowed",
    "LowContrastColourPair",
    "LowContrastText",
    "MissingPostalAddress",
    "MissingUnsubscribeLink",
    "MissingUtmParameter",
    "OffPaletteColours",
    "PreheaderLengthOutOfRange",
    "email_of",
    "palette_analysis",
]


# -- shared helpers ---------------------------------------------------------------------------------------


def palette_analysis(subject: ImageSubject, policy: Policy) -> PaletteAnalysis:
    """The palette analysis of ``subject`` under ``policy`` (cached on the subject per policy version)."""
    from brandrail.creative.palette import analyse_palette

    key = f"_palette:{policy.version}"
    cached: PaletteAnalysis | None = subject.cache.get(key)
    if cached is None:
        settings = policy.creative.palette_check
        cached = analyse_palette(subject.sample(settings.sample_pixels), policy.creative.palette, settings)
        subject.cache[key] = cached
    return cached


def email_of(doc: Document, policy: Policy) -> Email:
    """The parsed e-mail of ``doc`` (parsed once per document and default colours)."""
    contrast = policy.creative.contrast
    return email_of_document(doc, contrast.default_color, contrast.default_background)


_C0_OR_SPACE = "".join(chr(i) for i in range(0x21))
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")


def _host(href: str) -> str | None:
    """Lower-case host of an http(s) URL as a browser reads it, or None for other links (mailto:, #, relative,
    merge tags …). Read as the WHATWG URL standard does: surrounding spaces and control characters and any
    tab or line break are dropped, a backslash is a slash, the slashes after ``https:`` may be missing or
    many, a scheme-relative ``//host`` is an https link, and the host follows the last ``@`` of the
    authority (``https://evil.example\\@brand.example`` goes to evil.example)."""
    text = re.sub(r"[\t\n\r]", "", href.strip(_C0_OR_SPACE))
    m = _SCHEME.match(text)
    if m is None:
        if not re.match(r"[/\\]{2}", text):
            return None
        rest = text
    elif m.group(1).lower() in ("http", "https"):
        rest = text[m.end() :]
    else:
        return None
    authority = re.split(r"[/\\?#]", rest.lstrip("/\\"), maxsplit=1)[0]
    host = unquote(authority.rpartition("@")[2])
    host = host[1 : host.find("]")] if host.startswith("[") and "]" in host else host.partition(":")[0]
    host = host.lower().rstrip(".")
    return host or None


def _domain_matches(host: str, domains: list[str]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


def _norm_domain(value: str) -> str:
    value = value.strip().lower()
    if "//" in value:
        value = urlsplit(value).hostname or value
    return value.removeprefix("*.").removeprefix("www.").strip("./")


def _allowed_domains(policy: Policy) -> list[str]:
    domains = [_norm_domain(d) for d in policy.creative.email.allowed_link_domains]
    if policy.brand.website:
        domains.append(_norm_domain(policy.brand.website))
    return [d for d in domains if d]


def _deferred_to(code: str, policy: Policy) -> bool:
    """True on an ``email``-kind channel where the disclosure rule ``code`` (BR306/BR307) is registered and on:
    it already checks marketing e-mails there (and knows transactional ones), so the HTML rule stays quiet
    rather than report the same problem twice.
    """
    from brandrail.registry import get_rule

    channel = policy.channel_policy
    if channel is None or channel.kind != "email" or get_rule(code) is None:
        return False
    setting = policy.rules.get(code)
    return setting is None or setting.enabled


def _finding_at_link(
    rule: Rule, message: str, doc: Document, link: Link, evidence: dict[str, Any]
) -> Finding:
    return rule.finding(message, doc=doc, start=link.start, end=link.end, evidence=evidence)


# -- images -------------------------------------------------------------------------------------------------


@register
class OffPaletteColours(Rule):
    """Colours in an image that are far from every brand colour.

    What it flags:
        An image in which more than `creative.palette_check.max_off_palette_share` of the pixels lie farther
        than `max_delta_e` (CIEDE2000) from every colour of `creative.palette`. Near-white and near-black
        pixels are left out of the count when `ignore_near_white_black` is true. The evidence lists the
        off-palette colours (k-means groups in CIELAB) with their share, their ΔE to the nearest brand colour,
        and the image's dominant colours.

    Why it matters:
        A brand is recognised by its colours first. Generated or stock imagery drifts from the palette in ways
        that are easy to miss one image at a time and obvious across a campaign.

    Example:
        With a green and sand palette and `max_off_palette_share: 0.25`, a banner that is 60 % bright magenta
        is flagged: "60% of the image is off-palette (ΔE00 > 12 from every brand colour); at most 25% is
        allowed".

    Use instead:
        Recolour the image towards the nearest brand colours shown in the evidence, or pick an image whose
        dominant colours are on-palette. Add a colour to `creative.palette` only if the brand really uses it.
    """

    code = "BR701"
    name = "off-palette-colours"
    kind = "image"
    default_severity = Severity.WARNING

    def check(self, subject: ImageSubject, policy: Policy) -> Iterator[Finding]:
        creative = policy.creative
        if not creative.palette:
            return
        settings = creative.palette_check
        analysis = palette_analysis(subject, policy)
        if analysis.counted_pixels == 0 or analysis.off_palette_share <= settings.max_off_palette_share:
            return
        share = analysis.off_palette_share
        yield self.finding(
            f"{share:.0%} of the image is off-palette "
            f"(ΔE00 > {settings.max_delta_e:g} from every brand colour); "
            f"at most {settings.max_off_palette_share:.0%} is allowed",
            evidence={
                "measured": round(share, 4),
                "threshold": settings.max_off_palette_share,
                "max_delta_e": settings.max_delta_e,
                "swatches": [
                    {
                        "hex": s.hex,
                        "share": round(s.share, 4),
                        "delta_e": round(s.delta_e, 2),
                        "nearest": s.nearest,
                    }
                    for s in analysis.off_palette
                ],
                "dominant": [s.to_dict() for s in analysis.dominant],
                "counted_pixels": analysis.counted_pixels,
                "ignored_near_white_black_share": round(analysis.ignored_share, 4),
                "image": {"width": subject.width, "height": subject.height, "format": subject.format},
            },
        )


def _spec_evidence(policy: Policy) -> dict[str, Any]:
    return {
        "channel": policy.channel,
        "spec": "images." + (policy.channel if policy.channel in policy.creative.images else "default"),
    }


@register
class ImageDimensionsOutOfSpec(Rule):
    """An image narrower, wider, shorter or taller than the channel's image spec allows.

    What it flags:
        Width or height outside `min_width`/`max_width`/`min_height`/`max_height` of the image spec for the
        checked channel (`creative.images.<channel>`, else `creative.images.default`).

    Why it matters:
        Channels and ad networks reject or rescale images of the wrong size; a rescaled image is blurry or
        cropped, and a rejected one silently drops out of a campaign.

    Example:
        With `images: {social: {min_width: 1080}}`, an 800×800 image checked with `--channel social` is
        flagged.

    Use instead:
        Export the image at the size the channel spec asks for.
    """

    code = "BR702"
    name = "image-dimensions-out-of-spec"
    kind = "image"

    def check(self, subject: ImageSubject, policy: Policy) -> Iterator[Finding]:
        spec = policy.creative.image_spec(policy.channel)
        if spec is None:
            return
        checks = [
            ("width", subject.width, spec.min_width, "at least"),
            ("width", subject.width, spec.max_width, "at most"),
            ("height", subject.height, spec.min_height, "at least"),
            ("height", subject.height, spec.max_height, "at most"),
        ]
        for what, value, limit, relation in checks:
            if limit is None:
                continue
            bad = value < limit if relation == "at least" else value > limit
            if bad:
                yield self.finding(
                    f"image {what} is {value} px; the spec asks for {relation} {limit} px",
                    evidence={
                        "dimension": what,
                        "measured": value,
                        "limit": limit,
                        "relation": relation,
                        **_spec_evidence(policy),
                    },
                )


@register
class ImageAspectRatioOutOfSpec(Rule):
    """An image whose aspect ratio is none of those the channel's image spec allows.

    What it flags:
        Width ÷ height differing by more than `aspect_tolerance` (relative) from every ratio in the spec's
        `aspect_ratios` list ("1:1", "4:5", "1.91:1" …).

    Why it matters:
        Feeds and placements crop images to fixed ratios; the wrong ratio cuts off the product, the logo or
        the text.

    Example:
        With `aspect_ratios: ["1:1", "4:5"]`, a 1200×628 image (1.91:1) is flagged.

    Use instead:
        Crop or extend the image to one of the allowed ratios.
    """

    code = "BR703"
    name = "image-aspect-ratio-out-of-spec"
    kind = "image"

    def check(self, subject: ImageSubject, policy: Policy) -> Iterator[Finding]:
        spec = policy.creative.image_spec(policy.channel)
        if spec is None or not spec.aspect_ratios:
            return
        ratio = subject.aspect_ratio
        deviations = {r: abs(ratio / ratio_value(r) - 1) for r in spec.aspect_ratios}
        closest = min(deviations, key=lambda r: deviations[r])
        if deviations[closest] <= spec.aspect_tolerance:
            return
        yield self.finding(
            f"image aspect ratio is {ratio:.3f} ({subject.width}×{subject.height}); "
            f"allowed: {', '.join(spec.aspect_ratios)}",
            evidence={
                "measured": round(ratio, 4),
                "allowed": list(spec.aspect_ratios),
                "closest": closest,
                "deviation": round(deviations[closest], 4),
                "tolerance": spec.aspect_tolerance,
                **_spec_evidence(policy),
            },
        )


@register
class ImageFileTooLarge(Rule):
    """An image file larger than the channel's image spec allows.

    What it flags:
        File size in bytes over the spec's `max_bytes`.

    Why it matters:
        Large images load slowly on mobile networks, count against e-mail and ad weight limits, and are
        rejected by some platforms outright.

    Example:
        With `images: {email: {max_bytes: 200000}}`, a 1.4 MB PNG checked for e-mail is flagged.

    Use instead:
        Compress the image (JPEG or WebP for photos, a smaller palette PNG for flat graphics) or reduce its
        size.
    """

    code = "BR704"
    name = "image-file-too-large"
    kind = "image"

    def check(self, subject: ImageSubject, policy: Policy) -> Iterator[Finding]:
        spec = policy.creative.image_spec(policy.channel)
        if spec is None or spec.max_bytes is None or subject.size_bytes <= spec.max_bytes:
            return
        yield self.finding(
            f"image is {subject.size_bytes:,} bytes; the spec allows {spec.max_bytes:,}",
            evidence={
                "measured": subject.size_bytes,
                "limit": spec.max_bytes,
                "unit": "bytes",
                **_spec_evidence(policy),
            },
        )


@register
class ImageFormatNotAllowed(Rule):
    """An image in a file format the channel's image spec does not allow.

    What it flags:
        A PNG, JPEG or WebP image whose format is not in the spec's `formats` list.

    Why it matters:
        Some e-mail clients and ad platforms do not show WebP; some placements require JPEG.

    Example:
        With `images: {email: {formats: [PNG, JPEG]}}`, a WebP banner checked for e-mail is flagged.

    Use instead:
        Export the image in one of the allowed formats.
    """

    code = "BR705"
    name = "image-format-not-allowed"
    kind = "image"

    def check(self, subject: ImageSubject, policy: Policy) -> Iterator[Finding]:
        spec = policy.creative.image_spec(policy.channel)
        if spec is None or not spec.formats:
            return
        allowed = [f.upper() for f in spec.formats]
        if subject.format.upper() in allowed:
            return
        yield self.finding(
            f"image is {subject.format}; the spec allows {', '.join(allowed)}",
            evidence={"measured": subject.format, "allowed": allowed, **_spec_evidence(policy)},
        )


# -- contrast -----------------------------------------------------------------------------------------------


@register
class LowContrastText(Rule):
    """Text in an HTML e-mail whose colour contrasts too little with its background.

    What it flags:
        Visible text whose WCAG 2.x contrast ratio against its background is below
        `creative.contrast.min_ratio` (default 4.5:1), or `min_ratio_large` (default 3:1) for large text
        (≥ 24 px, or ≥ 18.66 px and bold). The HTML is parsed as a browser parses it and styles are computed
        by a CSS cascade (style blocks, inline styles, `bgcolor`, `<font color>`, `!important`, inheritance,
        custom properties); unset colours default to `default_color` on `default_background`. When the e-mail
        has dark-mode rules (`@media (prefers-color-scheme: dark)`) the text is checked in both colour schemes
        and the finding says which one fails. Hidden text (preheaders; `mso-hide:all` does not count as
        hidden) and text over a background image or gradient (the colour behind it is unknown) are skipped.
        One finding per element and scheme.

    Why it matters:
        Low-contrast text is hard to read for everyone on a phone in daylight and unreadable for many people
        with low vision; WCAG 1.4.3 sets 4.5:1 as the minimum.

    Example:
        `<p style="color:#9db89f">Free returns</p>` on white has a ratio of 2.1:1 and is flagged.

    Use instead:
        A darker text colour or a darker background from the brand palette; the evidence shows both colours
        and the ratio reached.
    """

    code = "BR710"
    name = "low-contrast-text"
    kind = "html"

    def check(self, subject: Document, policy: Policy) -> Iterator[Finding]:
        doc = subject
        email = email_of(doc, policy)
        settings = policy.creative.contrast
        failed_light: dict[int, tuple[RGB, RGB, bool]] = {}
        schemes = ("light", "dark") if email.dark is not None else ("light",)
        for scheme in schemes:
            seen: set[int] = set()
            for run in email.runs:
                el = email.in_scheme(run.element, scheme)
                if el.index in seen or el.invisible or el.background_image or not _visible_text(run.text):
                    continue
                fg, bg = el.foreground, el.seen_background
                ratio = contrast_ratio(fg, bg)
                large = el.large_text
                minimum = settings.min_ratio_large if large else settings.min_ratio
                if ratio + 1e-9 >= minimum:
                    continue
                seen.add(el.index)
                if scheme == "light":
                    failed_light[el.index] = (fg, bg, large)
                elif failed_light.get(el.index) == (fg, bg, large):
                    continue  # the dark scheme changes nothing here: already reported
                yield self._finding(doc, run, el, scheme, ratio, minimum, large)

    def _finding(
        self, doc: Document, run: TextRun, el: Element, scheme: str, ratio: float, minimum: float, large: bool
    ) -> Finding:
        lead = len(run.text) - len(run.text.lstrip())
        exact = run.end - run.start == len(run.text)
        start = run.start + lead if exact else run.start
        end = start + len(run.text.strip()) if exact else run.end
        fg_hex, bg_hex = rgb_to_hex(el.foreground), rgb_to_hex(el.seen_background)
        where = " in dark mode (prefers-color-scheme: dark)" if scheme == "dark" else ""
        return self.finding(
            f"text contrast is {ratio:.2f}:1 ({fg_hex} on {bg_hex}){where}; "
            f"at least {minimum:g}:1 is needed for {'large' if large else 'normal'} text",
            doc=doc,
            start=start,
            end=end,
            evidence={
                "measured": round(ratio, 2),
                "minimum": minimum,
                "foreground": fg_hex,
                "background": bg_hex,
                "scheme": scheme,
                "large_text": large,
                "font_size_px": round(el.font_px, 2),
                "bold": el.bold,
                "element": el.tag,
                "swatches": [{"hex": fg_hex, "role": "text"}, {"hex": bg_hex, "role": "background"}],
            },
        )


def _visible_text(text: str) -> bool:
    return bool(_clean_preheader(text))


@register
class LowContrastColourPair(Rule):
    """A brand colour pair, listed in the policy, whose contrast is below the minimum.

    What it flags:
        Each `creative.contrast.pairs` entry (a named text/background pair) whose WCAG 2.x contrast ratio
        is below `min_ratio`, or `min_ratio_large` for pairs marked `large_text`. Reported once with each
        HTML e-mail checked (there is no position: the pair comes from the policy), and by
        `brandrail.creative.check_colour_pairs(policy)`.

    Why it matters:
        Colour pairs in a design system are reused everywhere; a pair that fails contrast fails in every
        e-mail, banner and page that uses it.

    Example:
        `pairs: [{name: sand on white, foreground: "#d8c7a1", background: "#ffffff"}]` has a ratio of 1.7:1
        and is flagged.

    Use instead:
        Pair the colour with a darker (or lighter) partner from the palette, or reserve the pair for
        decoration, not text.
    """

    code = "BR711"
    name = "low-contrast-colour-pair"
    kind = "html"

    def check(self, subject: Document, policy: Policy) -> Iterator[Finding]:
        yield from check_colour_pairs(policy, self)


def check_colour_pairs(policy: Policy, rule: Rule | None = None) -> list[Finding]:
    """BR711 findings for the colour pairs listed in the policy that fail the contrast minimum."""
    settings = policy.creative.contrast
    out = []
    for pair in settings.pairs:
        ratio = contrast_ratio(hex_to_rgb(pair.foreground), hex_to_rgb(pair.background))
        minimum = settings.min_ratio_large if pair.large_text else settings.min_ratio
        if ratio + 1e-9 >= minimum:
            continue
        out.append(
            LowContrastColourPair.finding(
                f"colour pair {pair.name!r} ({pair.foreground} on {pair.background}) "
                f"has contrast {ratio:.2f}:1; "
                f"at least {minimum:g}:1 is needed",
                evidence={
                    "pair": pair.name,
                    "measured": round(ratio, 2),
                    "minimum": minimum,
                    "foreground": pair.foreground,
                    "background": pair.background,
                    "large_text": pair.large_text,
                    "swatches": [
                        {"hex": pair.foreground, "role": "text"},
                        {"hex": pair.background, "role": "background"},
                    ],
                },
            )
        )
    return out


# -- e-mail structure -------------------------------------------------------------------------------------


@register
class ImageMissingAlt(Rule):
    """An image in an HTML e-mail without alt text.

    What it flags:
        An `<img>` with no `alt` attribute, and an image that is the only content of a link but has an empty
        `alt` (the link then has no name). 1×1 tracking pixels are skipped.

    Why it matters:
        Many e-mail clients block images by default and show the alt text instead; screen readers read it.
        Without it the message, or the link, is blank.

    Example:
        `<a href="https://fernhill.example/sale"><img src="banner.png"></a>` is flagged.

    Use instead:
        Describe what the image says: `alt="Winter sale: 20 % off tents"`; use `alt=""` only for decoration
        outside links.
    """

    code = "BR720"
    name = "image-missing-alt"
    kind = "html"
    default_severity = Severity.WARNING

    def check(self, subject: Document, policy: Policy) -> Iterator[Finding]:
        doc = subject
        for img in email_of(doc, policy).images:
            if img.is_tracking_pixel:
                continue
            src = img.attrs.get("src", "")
            if "alt" not in img.attrs:
                message = "image has no alt text"
            elif not img.attrs["alt"].strip() and img.link is not None and not img.link.accessible_name:
                message = "image is the only content of a link but its alt text is empty"
            else:
                continue
            yield self.finding(
                message,
                doc=doc,
                start=img.start,
                end=img.end,
                evidence={"src": src, "in_link": img.link is not None},
            )


def _merge_tags(policy: Policy, purpose: Purpose) -> list[str]:
    tags = policy.creative.email.merge_tags
    extra = tags.unsubscribe if purpose == "unsubscribe" else tags.postal_address
    return merge_tags_for(purpose, list(extra), builtin=tags.builtin)


def _unsubscribe_link(policy: Policy, email: Email) -> tuple[str, str | None]:
    """(how the unsubscribe link was found, None) when every reader sees one (see :func:`_unsubscribe_link_in`),
    else ("", the first context in which it is not seen)."""
    found = ""
    for context in email.contexts:
        hit = _unsubscribe_link_in(policy, email, context)
        if hit is None:
            return "", context
        found = found or hit[1]
    return found, None


def _unsubscribe_link_in(policy: Policy, email: Email, context: str) -> tuple[str, str] | None:
    """(what matched, how) when the e-mail has an unsubscribe link: a link the reader sees whose URL or seen
    text contains one of the unsubscribe patterns or an ESP unsubscribe merge tag, or a merge tag that prints
    the whole link (Klaviyo's ``{% unsubscribe %}``, Campaign Monitor's ``<unsubscribe>``) in seen text.
    """
    patterns = list(policy.creative.email.unsubscribe_patterns)
    tags = _merge_tags(policy, "unsubscribe")
    for link in email.links:
        name = email.seen_name(link, context)
        if not name or link.dead:
            continue  # a link the reader does not see, or that leads nowhere, is no way out
        hit = _matches_any(link.href, patterns) or _matches_any(name, patterns)
        if hit:
            return hit, "pattern"
        tag = find_merge_tag(tags, [link.href, name])
        if tag:
            return tag, "merge_tag"
    tag = find_merge_tag(tags, [email.seen_text(context)], email.seen_tags(element_tags(tags), context))
    return (tag, "merge_tag") if tag else None


def _where(context: str) -> str:
    """`` in dark mode`` / `` on a phone`` for a finding about what a reader does not see there."""
    return CONTEXT_WORDS.get(context, f" ({context})")


def _matches_any(text: str, patterns: list[str]) -> str | None:
    low = text.lower()
    for p in patterns:
        if p.lower() in low:
            return p
    return None


@register
class MissingUnsubscribeLink(Rule):
    """An HTML e-mail without an unsubscribe link.

    What it flags:
        No `<a href>` whose URL or link text contains one of `creative.email.unsubscribe_patterns`
        ("unsubscribe", "opt out", "manage preferences" …) or an ESP unsubscribe merge tag (Mailchimp
        `*|UNSUB|*`, SendGrid `{{{unsubscribe}}}`, HubSpot `{{ unsubscribe_link }}` …), and no merge tag that
        prints the whole link (Klaviyo `{% unsubscribe %}`, Campaign Monitor `<unsubscribe>`) in visible text.
        Only a link a reader sees and that leads somewhere counts (shown, with seen text or a shown image;
        hidden words in it do not count; `#`, `javascript:` and empty addresses lead nowhere), on a desktop screen, in dark mode and on a phone when the e-mail styles them differently.
        The merge-tag table is built in and extended by `creative.email.merge_tags.unsubscribe`. Checked when
        `require_unsubscribe` is true. On a channel of kind `email` it defers to BR306 (unsubscribe-missing),
        which knows marketing from transactional mail, unless BR306 is turned off.

    Why it matters:
        CAN-SPAM, the EU ePrivacy rules and the UK PECR require a working opt-out in every marketing e-mail;
        Gmail and Yahoo require one-click unsubscribe from bulk senders. Without it the message is unlawful
        and goes to spam.

    Example:
        A newsletter whose footer says "To stop these e-mails, reply STOP" with no link is flagged.

    Use instead:
        A visible link in the footer: `<a href="https://fernhill.example/unsubscribe?u=…">Unsubscribe</a>`.
    """

    code = "BR721"
    name = "missing-unsubscribe-link"
    kind = "html"

    def check(self, subject: Document, policy: Policy) -> Iterator[Finding]:
        settings = policy.creative.email
        if not settings.require_unsubscribe or _deferred_to("BR306", policy):
            return
        email = email_of(subject, policy)
        _, missing_in = _unsubscribe_link(policy, email)
        if missing_in is None:
            return
        yield self.finding(
            f"the e-mail has no unsubscribe link{_where(missing_in)}",
            evidence={
                "context": missing_in,
                "patterns": list(settings.unsubscribe_patterns),
                "merge_tags": len(_merge_tags(policy, "unsubscribe")),
                "links_checked": len(email.links),
            },
        )


_ADDRESS_HEURISTIC = re.compile(
    r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b"  # UK postcode
    r"|\b[A-Z]{2}\s+\d{5}(?:-\d{4})?\b"  # US state + ZIP
    r"|\b\d+[A-Za-z]?\s+(?:[A-Z][\w'-]*\s+){0,3}(?:Street|St|Road|Rd|Lane|Ln|Avenue|Ave|Way|Drive|Dr|Boulevard|Blvd|Place|Pl|Court|Ct|Square|Sq)\b"
    r"|\bP\.?\s?O\.?\s+Box\s+\d+",
)


def _tokens(text: str) -> list[str]:
    return re.findall(r"[0-9a-z]+", text.casefold())


@register
class MissingPostalAddress(Rule):
    """An HTML e-mail without the sender's postal address.

    What it flags:
        Seen text (not hidden, not camouflaged; on a desktop screen, in dark mode and on a phone) with no ESP
        merge tag that prints the sender's address (Mailchimp
        `*|HTML:LIST_ADDRESS_HTML|*` / `*|LIST:ADDRESS|*`, Klaviyo `{{ organization.address }}`, HubSpot
        `{{ site_settings.company_street_address_1 }}` …; extended by `creative.email.merge_tags.postal_address`)
        and that does not contain the postal address (`creative.email.postal_address`, else
        `brand.postal_address`): every token with a digit (house number, postcode) must appear and at least
        70 % of the address's words. Without a configured address, text that looks like an address (a UK
        postcode, a US state and ZIP, a number and a street word, a PO box). Checked when
        `require_postal_address` is true. On a channel of kind `email` it defers to BR307
        (postal-address-missing) unless BR307 is turned off.

    Why it matters:
        CAN-SPAM requires a valid physical postal address in every commercial e-mail; UK and EU rules require
        the sender to be identifiable.

    Example:
        With `brand: {postal_address: "12 Quarry Lane, Kendal LA9 4XY"}`, a newsletter whose footer has only
        the company name is flagged.

    Use instead:
        Put the full postal address in the footer, as visible text (not in an image).
    """

    code = "BR722"
    name = "missing-postal-address"
    kind = "html"

    def check(self, subject: Document, policy: Policy) -> Iterator[Finding]:
        settings = policy.creative.email
        if not settings.require_postal_address or _deferred_to("BR307", policy):
            return
        email = email_of(subject, policy)
        address = settings.postal_address or policy.brand.postal_address
        for context in email.contexts:  # every reader must see it: light and dark schemes, desktop and phone
            finding = self._check_text(email.seen_text(context), address, policy, context)
            if finding is not None:
                yield finding
                return

    def _check_text(self, text: str, address: str | None, policy: Policy, context: str) -> Finding | None:
        if find_merge_tag(_merge_tags(policy, "postal_address"), [text]):
            return None  # the ESP prints the account's address where its merge tag stands
        if address:
            wanted = _tokens(address)
            have = set(_tokens(text))
            with_digits = [t for t in wanted if any(c.isdigit() for c in t)]
            found = [t for t in wanted if t in have]
            if wanted and all(t in have for t in with_digits) and len(found) >= 0.7 * len(wanted):
                return None
            missing = [t for t in wanted if t not in have]
            return self.finding(
                f"the e-mail does not show the postal address{_where(context)}",
                evidence={
                    "address": address,
                    "missing_tokens": missing,
                    "method": "tokens",
                    "context": context,
                },
            )
        if _ADDRESS_HEURISTIC.search(text):
            return None
        return self.finding(
            f"the e-mail has no text that looks like a postal address{_where(context)}",
            evidence={
                "method": "heuristic",
                "hint": "set brand.postal_address for an exact check",
                "context": context,
            },
        )


@register
class LinkDomainNotAllowed(Rule):
    """A link in an HTML e-mail to a domain outside the allow-list.

    What it flags:
        An http(s) link whose host is neither a domain in `creative.email.allowed_link_domains` (subdomains
        included) nor the brand website's domain. Checked when the allow-list is not empty. The host is read
        as a browser reads the URL: `https://evil.example\\@brand.example`, `https:evil.example` and a
        scheme-relative `//evil.example` all go to evil.example. Image-map `<area href>` links count too.

    Why it matters:
        Links to look-alike, expired or third-party domains leak customers, hurt deliverability and are how
        phishing e-mails are built; a generated e-mail may invent a plausible URL.

    Example:
        With `allowed_link_domains: [fernhill.example]`, a link to `https://fernhil-deals.example/` is
        flagged.

    Use instead:
        Link to the brand's own domains, or add a trusted partner domain to the allow-list.
    """

    code = "BR723"
    name = "link-domain-not-allowed"
    kind = "html"

    def check(self, subject: Document, policy: Policy) -> Iterator[Finding]:
        if not policy.creative.email.allowed_link_domains:
            return
        allowed = _allowed_domains(policy)
        for link in email_of(subject, policy).links:
            host = _host(link.href)
            if (
                host is None
                or _domain_matches(host.removeprefix("www."), allowed)
                or _domain_matches(host, allowed)
            ):
                continue
            yield _finding_at_link(
                self,
                f"link to {host!r}, which is not an allowed domain",
                subject,
                link,
                {"host": host, "href": link.href, "allowed": allowed},
            )


def _tracked(policy: Policy, email: Email) -> list[tuple[Link, dict[str, str]]]:
    """Links that must carry UTM tags, with their query parameters (cached on the e-mail per policy)."""
    key = f"_tracked:{policy.version}"
    cached: list[tuple[Link, dict[str, str]]] | None = email.cache.get(key)
    if cached is None:
        cached = _find_tracked(policy, email.links)
        email.cache[key] = cached
    return cached


def _find_tracked(policy: Policy, links: list[Link]) -> list[tuple[Link, dict[str, str]]]:
    utm = policy.creative.email.utm
    domains = [_norm_domain(d) for d in utm.domains] or _allowed_domains(policy)
    unsubscribe = list(policy.creative.email.unsubscribe_patterns)
    tags = _merge_tags(policy, "unsubscribe")
    out = []
    for link in links:
        host = _host(link.href)
        if (
            host is None
            or _matches_any(link.href, unsubscribe)
            or _matches_any(link.accessible_name, unsubscribe)
            or find_merge_tag(tags, [link.href])
        ):
            continue
        if (
            domains
            and not _domain_matches(host.removeprefix("www."), domains)
            and not _domain_matches(host, domains)
        ):
            continue
        params = {k.lower(): v for k, v in parse_qsl(urlsplit(link.href).query, keep_blank_values=True)}
        out.append((link, params))
    return out


@register
class MissingUtmParameter(Rule):
    """A tracked link in an HTML e-mail without the UTM parameters the policy requires.

    What it flags:
        A link to one of the brand's domains (`creative.email.utm.domains`, else the allow-list and the brand
        website; every http(s) link when none is known) that lacks a parameter of `utm.required` or has it
        empty. One finding per link, listing what is missing. Unsubscribe and preference links are exempt.

    Why it matters:
        Untagged links make e-mail revenue show up as "direct" traffic: the campaign looks worse than it is
        and the goal metrics that judge it are wrong.

    Example:
        `https://fernhill.example/tents?utm_source=newsletter` is flagged for missing `utm_medium` and
        `utm_campaign`.

    Use instead:
        Tag every link: `?utm_source=newsletter&utm_medium=email&utm_campaign=winter-sale`.
    """

    code = "BR724"
    name = "missing-utm-parameter"
    kind = "html"
    default_severity = Severity.WARNING

    def check(self, subject: Document, policy: Policy) -> Iterator[Finding]:
        required = [r.lower() for r in policy.creative.email.utm.required]
        if not required:
            return
        for link, params in _tracked(policy, email_of(subject, policy)):
            missing = [r for r in required if not params.get(r, "").strip()]
            if missing:
                yield _finding_at_link(
                    self,
                    f"link lacks {', '.join(missing)}",
                    subject,
                    link,
                    {"href": link.href, "missing": missing, "required": required},
                )


@register
class InconsistentUtmParameter(Rule):
    """A UTM parameter whose value differs between links of one e-mail, or from the value the policy requires.

    What it flags:
        For each parameter in `creative.email.utm.consistent`, links whose value differs from the value most
        links carry; and any link whose value differs from `utm.values` (e.g. `utm_medium: email`).

    Why it matters:
        One e-mail is one campaign: split values scatter its traffic across several rows of the analytics and
        under-count it; a wrong medium files e-mail under "social" or "cpc".

    Example:
        Three links with `utm_campaign=winter-sale` and one with `utm_campaign=wintersale`: the last is
        flagged.

    Use instead:
        Generate the tags from one campaign setting so every link carries the same values.
    """

    code = "BR725"
    name = "inconsistent-utm-parameter"
    kind = "html"
    default_severity = Severity.WARNING

    def check(self, subject: Document, policy: Policy) -> Iterator[Finding]:
        utm = policy.creative.email.utm
        tracked = _tracked(policy, email_of(subject, policy))
        required_values = {k.lower(): v for k, v in utm.values.items()}
        flagged: set[tuple[int, str]] = set()
        for link, params in tracked:
            for key, want in required_values.items():
                have = params.get(key)
                if have is not None and have.strip() and have != want:
                    flagged.add((link.start, key))
                    yield _finding_at_link(
                        self,
                        f"{key} is {have!r}; the policy requires {want!r}",
                        subject,
                        link,
                        {
                            "parameter": key,
                            "measured": have,
                            "expected": want,
                            "href": link.href,
                            "source": "policy",
                        },
                    )
        for key in (k.lower() for k in utm.consistent):
            values = [(link, params[key]) for link, params in tracked if params.get(key, "").strip()]
            counts = Counter(v for _, v in values)
            if len(counts) < 2:
                continue
            majority, _ = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
            for link, value in values:
                if value == majority or (link.start, key) in flagged:
                    continue
                yield _finding_at_link(
                    self,
                    f"{key} is {value!r} here but {majority!r} on {counts[majority]} other link(s)",
                    subject,
                    link,
                    {
                        "parameter": key,
                        "measured": value,
                        "expected": majority,
                        "values": dict(counts),
                        "href": link.href,
                        "source": "majority",
                    },
                )


@register
class PreheaderLengthOutOfRange(Rule):
    """An HTML e-mail whose preheader is missing, too short or too long.

    What it flags:
        The preheader (an element whose class or id names a preheader or preview, else the first hidden text
        before any visible text; padding characters such as `&zwnj;` are not counted) shorter than
        `creative.email.preheader_min` or longer than `preheader_max` characters (defaults 40 and 130); and
        no preheader at all when `require_preheader` is true.

    Why it matters:
        Inbox previews show the preheader next to the subject line. Without one, clients show whatever text
        comes first ("View in browser"); a long one is cut off mid-sentence.

    Example:
        `<div style="display:none">Sale</div>` (4 characters) is flagged as too short.

    Use instead:
        A hidden preheader of 40-130 characters that completes the subject line.
    """

    code = "BR726"
    name = "preheader-length-out-of-range"
    kind = "html"
    default_severity = Severity.WARNING

    def check(self, subject: Document, policy: Policy) -> Iterator[Finding]:
        settings = policy.creative.email
        found = email_of(subject, policy).preheader()
        if found is None:
            if settings.require_preheader:
                yield self.finding(
                    "the e-mail has no preheader (hidden preview text)",
                    evidence={"min": settings.preheader_min, "max": settings.preheader_max, "measured": None},
                )
            return
        text, start, end = found
        length = len(text)
        if settings.preheader_min <= length <= settings.preheader_max:
            return
        relation = "short" if length < settings.preheader_min else "long"
        yield self.finding(
            f"preheader is {length} characters, too {relation} "
            f"(allowed {settings.preheader_min}-{settings.preheader_max})",
            doc=subject,
            start=start,
            end=end,
            evidence={
                "measured": length,
                "min": settings.preheader_min,
                "max": settings.preheader_max,
                "preheader": text,
            },
        )


@register
class EmailTooLarge(Rule):
    """An HTML e-mail larger than the policy allows.

    What it flags:
        HTML larger than `creative.email.max_bytes` (UTF-8 bytes; default 102,000). Linked images are not
        counted.

    Why it matters:
        Gmail clips messages over about 102 KB behind a "View entire message" link, which hides the footer:
        the unsubscribe link, the postal address and any tracking pixel.

    Example:
        A 140 KB newsletter with inlined CSS repeated on every cell is flagged.

    Use instead:
        Remove repeated inline styles and comments, minify the HTML, or split the content.
    """

    code = "BR727"
    name = "email-too-large"
    kind = "html"
    default_severity = Severity.WARNING

    def check(self, subject: Document, policy: Policy) -> Iterator[Finding]:
        size = len(subject.text.encode("utf-8", "surrogatepass"))
        limit = policy.creative.email.max_bytes
        if size <= limit:
            return
        yield self.finding(
            f"the e-mail is {size:,} bytes; the limit is {limit:,}",
            evidence={"measured": size, "limit": limit, "unit": "bytes"},
        )
