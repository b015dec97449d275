"""PV105 national-id."""

from __future__ import annotations

from brandrail.content.pii import PiiRule
from brandrail.registry import register


@register
class NationalId(PiiRule):
    """A national identifier (SSN, BSN, NIR, DNI...) in outgoing content.

    What it flags:
        A candidate matching the pattern of one of `privacy.national_ids` (python-stdnum module names such as
        `us.ssn`, `nl.bsn`, `es.dni`, `es.nie`, `in.aadhaar`, `in.pan`, `au.tfn`, `de.idnr`, `br.cpf`,
        `mx.curp`, `mx.rfc`, `ca.sin`, `pl.pesel`, `za.idnr`, `ch.ssn`, `jp.in_`, `fi.hetu`,
        `no.fodselsnummer`, `be.nn`, `tr.tckimlik`, `cl.rut`, `ro.cnp`, `kr.rrn`, `cn.ric`, `gr.amka`, plus
        `gb.nino`, `sg.nric` and `ng.nin`, checked by brandrail; all of them by default) that its validator
        accepts; identifiers that are bare runs of digits (BSN, NHS number, Aadhaar, TFN, Steuer-ID, SIN,
        PESEL, My Number, NIN, fødselsnummer, T.C. kimlik no, AMKA, CNP, a Korean or Chinese resident number,
        a Danish CPR number, a CPF, AHV, Belgian national number or Chilean RUT written without its dots, a
        Finnish henkilötunnus without a letter) and the PAN also need a context word ("BSN", "NHS number",
        "Aadhaar", "TFN", "CPF", "PESEL", "CNP", "주민등록번호", "身份证"...) in the same sentence; a company's
        Chilean RUT (50 million and up) is no person's. More countries (`brandrail.content.pii_ids`), each
        after its own word in its language: Pakistan's CNIC (`pk.cnic`), Argentina's CUIL / CUIT of a person
        (`ar.cuit`, prefix 20, 23, 24, 27) and DNI (`ar.dni`), Peru's DNI (`pe.cui`), Israel's teudat zehut
        (`il.idnr`), New Zealand's IRD number (`nz.ird`), Ireland's PPS (`ie.pps`), the Czech and Slovak
        rodné číslo (`cz.rc`, `sk.rc`), Thailand's ID (`th.pin`), Taiwan's (`tw.nid`), Hong Kong's HKID
        (`hk.hkid`), Malaysia's MyKad (`my.nric`), Ecuador's and Colombia's cédula (`ec.ci`, `co.cc`),
        Croatia's OIB (`hr.oib`), Bulgaria's EGN (`bg.egn`), Ukraine's RNOKPP (`ua.rntrc`), the Lithuanian,
        Estonian and Latvian personal codes (`lt.asmens`, `ee.ik`, `lv.pvn`), a person's Portuguese NIF
        (`pt.nif`), Indonesia's NIK (`id.nik`), Egypt's national number (`eg.nid`), Saudi Arabia's ID and
        iqama (`sa.nid`), Qatar's QID (`qa.qid`), Kuwait's civil ID (`kw.civil`), Morocco's CIN (`ma.cin`),
        Bangladesh's NID (`bd.nid`), the Philippines' SSS number (`ph.sss`), the Ghana Card PIN
        (`gh.card`), the US ITIN (`us.itin`), Austria's social insurance number (`at.vnr`), a person's
        Icelandic kennitala (`is_.kennitala`), a person's Russian INN (`ru.inn`, twelve digits), Slovenia's
        EMŠO (`si.emso`), the Emirates ID (`ae.eid`), Spain's social security number (`es.nss`, mod-97
        check digits, printed 2/8/2), Poland's ID card (`pl.dowod`), Hungary's TAJ (`hu.taj`), a person's
        Greek AFM (`gr.afm`; a company's, starting 8, 9 or 09, is none), Russia's SNILS (`ru.snils`),
        Vietnam's CCCD (`vn.cccd`), the Philippine TIN with its branch code (`ph.tin`; not after "Business"
        or "Company"), Australia's Medicare card (`au.medicare`), Ontario's health card (`ca.on_hc`), São
        Paulo's RG (`br.rg`), the Dominican cédula (`do.cedula`), Nigeria's BVN (`ng.bvn`), a person's Kenyan
        KRA PIN (`ke.pin`, starting A), Kenya's national ID (`ke.id`, only in a text naming Kenya's KRA,
        M-Pesa or shilling), Mauritius' NIC (`mu.nid`), Luxembourg's matricule (`lu.matricule`, Luhn and
        Verhoeff check digits), Sri Lanka's NIC (`lk.nic`, old and new form) and Malta's ID card (`mt.id`); the BSN may be dotted ("1234.56.789"), the codice
        fiscale in groups of four, and the dot of an initialism ("C.C.", "ת.ז.") does not end the label's
        sentence; a copula may stand between a word that must be right
        before its number and the number ("mi DNI es …"); printed in their own form a CNIC (5-7-1), a CUIL
        (2-8-1), a Thai ID (1-4-5-2-1), a MyKad (6-2-4), an HKID with its bracketed check digit, a Ghana Card
        ("GHA-…") and an Emirates ID (784-…-…-…) need no word. A
        generic "ID" counts only right before the number and not as a record's ("Order ID").

    Why it matters:
        National identifiers enable identity theft and are special-risk data in most privacy laws (GDPR
        Art. 87; US state SSN-protection laws).

    Example:
        "Your SSN 123-45-6789 is on file" is flagged.

    Use instead:
        A placeholder or the brand's own contact channel; `brandrail fix` redacts the value as
        `privacy.redaction` says: `mask` (all but the last 4 characters), `placeholder` ("[email]") or `hash`
        (a salted SHA-256 prefix; salt from the environment variable `privacy.salt_env`).
    """

    code = "PV105"
    name = "national-id"
    pii_kind = "national_id"
