"""``privacy:`` — personal data that must not go out in content (PV1xx), and how fixes redact it."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from brandrail.policy.sections.base import Section, StrList, new_list

__all__ = ["DEFAULT_PII_KINDS", "PII_KINDS", "SUPPORTED_NATIONAL_IDS", "PrivacySection"]

PiiKind = Literal[
    "email",
    "phone",
    "card",
    "iban",
    "national_id",
    "ip",
    "passport",
    "driving_licence",
    "bank_account",
    "crypto_wallet",
    "mac_address",
    "date_of_birth",
    "person_name",
    "postal_address",
]
#: Every kind; all but ``person_name`` (opt-in) are looked for by default.
PII_KINDS: tuple[PiiKind, ...] = (
    "email",
    "phone",
    "card",
    "iban",
    "national_id",
    "ip",
    "passport",
    "driving_licence",
    "bank_account",
    "crypto_wallet",
    "mac_address",
    "date_of_birth",
    "person_name",
    "postal_address",
)
DEFAULT_PII_KINDS: tuple[PiiKind, ...] = tuple(k for k in PII_KINDS if k != "person_name")

#: python-stdnum modules brandrail has a candidate pattern for (brandrail.content.pii.NATIONAL_ID_PATTERNS).
SUPPORTED_NATIONAL_IDS = (
    "us.ssn",
    "gb.nhs",
    "nl.bsn",
    "es.dni",
    "it.codicefiscale",
    "fr.nir",
    "dk.cpr",
    "se.personnummer",
    "gb.nino",
    "es.nie",
    "in.aadhaar",
    "in.pan",
    "au.tfn",
    "de.idnr",
    "br.cpf",
    "mx.curp",
    "mx.rfc",
    "ca.sin",
    "pl.pesel",
    "za.idnr",
    "sg.nric",
    "ch.ssn",
    "jp.in_",
    "ng.nin",
    "fi.hetu",
    "no.fodselsnummer",
    "be.nn",
    "tr.tckimlik",
    "cl.rut",
    "ro.cnp",
    "kr.rrn",
    "cn.ric",
    "gr.amka",
    # more countries (brandrail.content.pii_ids): each after its own label word unless printed in its own form
    "pk.cnic",
    "ar.cuit",
    "ar.dni",
    "pe.cui",
    "il.idnr",
    "nz.ird",
    "ie.pps",
    "cz.rc",
    "sk.rc",
    "th.pin",
    "tw.nid",
    "hk.hkid",
    "my.nric",
    "ec.ci",
    "co.cc",
    "hr.oib",
    "bg.egn",
    "ua.rntrc",
    "lt.asmens",
    "ee.ik",
    "lv.pvn",
    "pt.nif",
    "id.nik",
    "eg.nid",
    "sa.nid",
    "qa.qid",
    "kw.civil",
    "ma.cin",
    "bd.nid",
    "ph.sss",
    "gh.card",
    "us.itin",
    "at.vnr",
    "is_.kennitala",
    "ru.inn",
    "si.emso",
    "ae.eid",
    "es.nss",
    "pl.dowod",
    "hu.taj",
    "gr.afm",
    "ru.snils",
    "vn.cccd",
    "ph.tin",
    "au.medicare",
    "ca.on_hc",
    "br.rg",
    "do.cedula",
    "ng.bvn",
    "ke.pin",
    "ke.id",
    "mu.nid",
    "lu.matricule",
    "lk.nic",
    "mt.id",
)


class PrivacySection(Section):
    detect: list[PiiKind] = Field(
        default_factory=lambda: list(DEFAULT_PII_KINDS),
        description="Kinds of personal data to look for; `person_name` is opt-in (add it here).",
    )
    person_names: StrList = Field(
        default_factory=new_list,
        description="More given names for the opt-in `person_name` recogniser (PV112), besides the packaged list.",
    )
    phone_regions: StrList = Field(
        default_factory=lambda: ["US", "GB"],
        description="Region hints (ISO 3166 alpha-2) for numbers written without a country code.",
    )
    national_ids: StrList = Field(
        default_factory=lambda: list(SUPPORTED_NATIONAL_IDS),
        description="Recognisers of national identifiers: python-stdnum modules, and gb.nino (UK national "
        "insurance numbers), sg.nric (Singapore NRIC / FIN) and ng.nin (Nigeria's NIN), which it lacks; see "
        "SUPPORTED_NATIONAL_IDS.",
    )

    @field_validator("national_ids")
    @classmethod
    def _supported(cls, value: list[str]) -> list[str]:
        unknown = [v for v in value if v not in SUPPORTED_NATIONAL_IDS]
        if unknown:
            import difflib  # only on an error: keeps it out of start-up

            close = difflib.get_close_matches(unknown[0], SUPPORTED_NATIONAL_IDS, n=1)
            raise ValueError(
                f"no recogniser for national id {unknown[0]!r}"
                + (f" (did you mean {close[0]!r}?)" if close else "")
                + f"; supported: {', '.join(SUPPORTED_NATIONAL_IDS)}"
            )
        return value

    allow: StrList = Field(
        default_factory=new_list, description="Values that may appear (the brand's own contact details)."
    )
    allow_domains: StrList = Field(
        default_factory=new_list, description="E-mail domains that may appear, e.g. fernhill.example."
    )
    redaction: Literal["mask", "placeholder", "hash"] = Field(
        default="mask",
        description="How `brandrail fix` redacts: mask all but the last 4, a [kind] placeholder, or a salted hash.",
    )
    placeholder: str = Field(
        default="[{kind}]", description="Placeholder text; `{kind}` is replaced by the kind."
    )
    salt_env: str = Field(
        default="BRANDRAIL_PII_SALT", description="Environment variable holding the hash salt."
    )
