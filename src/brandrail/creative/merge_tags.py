"""Merge tags of e-mail service providers (ESPs) that stand for an unsubscribe link or the postal address.

A template is checked *before* the ESP fills it in, so ``*|UNSUB|*`` in a link or
``*|HTML:LIST_ADDRESS_HTML|*`` in the footer is the unsubscribe link or the address the recipient will see.
:data:`ESP_MERGE_TAGS` is the built-in table (documented in docs/creative.md); a policy adds its own tags under
``creative.email.merge_tags`` and can switch the table off with ``builtin: false``.

Matching ignores case and whitespace (``{{ unsubscribe_link }}`` = ``{{unsubscribe_link}}``) and a tag may be
the start of a longer one (``[[UNSUB_LINK_`` matches ``[[UNSUB_LINK_EN]]``). A tag written as an element,
``<unsubscribe>`` (Campaign Monitor), matches an element of that name.
"""

from __future__ import annotations

import re
from typing import Literal

__all__ = ["ESP_MERGE_TAGS", "Purpose", "element_tags", "find_merge_tag", "merge_tags_for", "normalise_tag"]

Purpose = Literal["unsubscribe", "postal_address"]

#: ESP → purpose → merge tags. Sources: each provider's public merge-tag reference.
ESP_MERGE_TAGS: dict[str, dict[str, tuple[str, ...]]] = {
    "Mailchimp": {
        "unsubscribe": ("*|UNSUB|*", "*|UPDATE_PROFILE|*"),
        "postal_address": (
            "*|HTML:LIST_ADDRESS_HTML|*",
            "*|LIST:ADDRESS|*",
            "*|LIST:ADDRESS_VCARD|*",
            "*|HTML:LIST_ADDRESS|*",
            "*|LIST_ADDRESS|*",
            "*|LIST:ADDRESSLINE|*",
        ),
    },
    "SendGrid": {
        "unsubscribe": (
            "{{{unsubscribe}}}",
            "{{{unsubscribe_preferences}}}",
            "<%asm_group_unsubscribe_raw_url%>",
            "<%asm_global_unsubscribe_raw_url%>",
            "<%asm_preferences_raw_url%>",
            "[Unsubscribe]",
            "[Unsubscribe_Preferences]",
        ),
        "postal_address": ("{{Sender_Address}}", "[Sender_Address]", "{{Sender_City}}", "[Sender_City]"),
    },
    "Klaviyo": {
        "unsubscribe": ("{% unsubscribe", "{% manage_preferences", "{% unsubscribe_url"),
        "postal_address": ("{{ organization.address", "{{ organization.full_address"),
    },
    "HubSpot": {
        "unsubscribe": ("{{ unsubscribe_link", "{{ subscription_preferences_url"),
        "postal_address": ("{{ site_settings.company_street_address_1",),
    },
    "Campaign Monitor": {
        "unsubscribe": ("<unsubscribe>", "<preferences>"),
    },
    "Braze": {
        "unsubscribe": ("${set_user_to_unsubscribed_url}", "${preference_center_url}"),
    },
    "Iterable": {
        "unsubscribe": ("{{unsubscribeUrl}}", "{{unsubscribeMessageTypeUrl}}", "{{hostedUnsubscribeUrl}}"),
    },
    "Salesforce Marketing Cloud": {
        "unsubscribe": ("%%unsub_center_url%%", "%%profile_center_url%%", "%%subscription_center_url%%"),
        "postal_address": ("%%Member_Addr%%", "%%Member_Busname%%"),
    },
    "ActiveCampaign": {
        "unsubscribe": ("%UNSUBSCRIBELINK%", "%UPDATELINK%"),
        "postal_address": ("%SENDER-INFO%", "%SENDER-INFO-SINGLELINE%"),
    },
    "Mailjet": {
        "unsubscribe": ("[[UNSUB_LINK_",),
    },
    "Brevo": {
        "unsubscribe": ("{{ unsubscribe }}", "{{ update_profile }}"),
    },
}

_ELEMENT_TAG = re.compile(r"^<([a-z][a-z0-9-]*)>$", re.IGNORECASE)


def normalise_tag(text: str) -> str:
    """Lower-case, whitespace removed: the form tags and text are compared in."""
    return "".join(text.split()).casefold()


def merge_tags_for(purpose: Purpose, extra: list[str], *, builtin: bool = True) -> list[str]:
    """The tags that count for ``purpose``: the built-in table (unless ``builtin`` is false) plus ``extra``."""
    tags = [t for esp in ESP_MERGE_TAGS.values() for t in esp.get(purpose, ())] if builtin else []
    return [*tags, *extra]


def element_tags(tags: list[str]) -> set[str]:
    """The element names of the tags written as an element (``<unsubscribe>`` → ``unsubscribe``)."""
    return {m.group(1).lower() for t in tags if (m := _ELEMENT_TAG.match(t.strip()))}


def find_merge_tag(tags: list[str], texts: list[str], element_names: set[str] | None = None) -> str | None:
    """The first tag of ``tags`` found in one of ``texts`` (or naming one of ``element_names``), else None."""
    haystack = "\x00".join(normalise_tag(t) for t in texts)
    names = element_names or set()
    for tag in tags:
        m = _ELEMENT_TAG.match(tag.strip())
        if m and m.group(1).lower() in names:
            return tag
        if normalise_tag(tag) in haystack:
            return tag
    return None
