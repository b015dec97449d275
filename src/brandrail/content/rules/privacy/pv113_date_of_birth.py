"""PV113 date-of-birth."""

from __future__ import annotations

from brandrail.content.pii import PiiRule
from brandrail.registry import register


@register
class DateOfBirth(PiiRule):
    """A date of birth in outgoing content.

    What it flags:
        A date with a year — 12/03/1985, 12.03.85, 1985-03-12, 12 March 1985, March 12th, 1985 — that is a
        real day no later than today, within 40 characters after a context word in the same sentence ("DOB",
        "date of birth", "born on", "Geburtsdatum", "geboren am", "geboortedatum", "fecha de nacimiento",
        "nacido el", "date de naissance", "né le", and the labels and "born" words of 25 more languages:
        "datum narození", "születési idő", "doğum tarihi", "data nașterii", "дата рождения", "ngày sinh",
        "tanggal lahir", "تاريخ الميلاد", "জন্ম তারিখ", "出生日期", "생년월일"...), in more notations too
        ("12. 5. 1988", "1990.02.14", "1984. március 6.", "30-VIII-1985", "1990년 2월 3일") and with month names of
        17 more languages ("Marso 12, 1990", "15 Julai 1992"); after "birthday" or "bday" only when the date follows
        the word directly ("my birthday is …", "bday: …"), as a birthday is also a sale or a reward. A date
        on its own (an order date, an event) is not personal data and is not flagged, nor is "born" or
        "birthday" after a word for a business ("our shop was born on …") or one of the brand's own names
        (`brand.name`, `brand.products`, `brand.trademarks`): that dates a founding.

    Why it matters:
        A date of birth with a name or an address identifies a person and is the usual answer to an identity
        check: copy written from customer records that quotes it leaks what fraud needs (GDPR Art. 4(1),
        Art. 33-34; UK GDPR; CCPA/CPRA).

    Example:
        "We have your date of birth as 12/03/1985" is flagged at the date.

    Use instead:
        Leave it out, or ask the customer to confirm it on a secure page; `brandrail fix` redacts it as
        `privacy.redaction` says (the mask hides the year too).
    """

    code = "PV113"
    name = "date-of-birth"
    pii_kind = "date_of_birth"
