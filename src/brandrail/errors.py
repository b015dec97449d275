"""Exceptions raised by brandrail.

Every error a user can cause carries a stable ``code``, a message that says what was wrong, where it
stands (a file:line:col or a field path) and how to fix it. The command line prints ``str(error)`` and
exits with code 2; it never shows a traceback for these.

Hierarchy::

    BrandrailError                 base of every error brandrail raises on purpose
    ├── UsageError                 a command was called wrongly (bad option value, unknown channel, ...)
    ├── PolicyError                the policy file cannot be read, parsed, merged or validated
    ├── InputError                 content to check cannot be read (missing, binary, not UTF-8, too big)
    ├── DataError                  audit data is unusable (missing column, non-binary decision, empty table)
    ├── GateError                  the gate could not decide (the gate turns this into a deny)
    │   └── ApprovalError          an approval is unknown, expired, already used or self-approved
    ├── LedgerError                the ledger cannot be opened or written
    └── RuleError                  a rule is defined wrongly (duplicate code, malformed docstring)

Errors that are bugs in brandrail itself are ordinary Python exceptions and are not caught.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ApprovalError",
    "BrandrailError",
    "DataError",
    "GateError",
    "InputError",
    "LedgerError",
    "Location",
    "PolicyError",
    "PolicyIssue",
    "RuleError",
    "UsageError",
]


@dataclass(frozen=True, slots=True)
class Location:
    """Where something stands in a file: 1-based line and column."""

    file: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        if self.line is None:
            return self.file
        if self.column is None:
            return f"{self.file}:{self.line}"
        return f"{self.file}:{self.line}:{self.column}"


class BrandrailError(Exception):
    """Base class of every error brandrail raises on purpose.

    ``code`` is stable and documented; ``location`` says where; ``hint`` says how to fix it.
    """

    code: str = "BRANDRAIL"
    exit_code: int = 2

    def __init__(
        self, message: str, *, location: Location | str | None = None, hint: str | None = None
    ) -> None:
        self.message = message
        self.location = location
        self.hint = hint
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        text = f"{where}{self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "message": self.message,
            "location": str(self.location) if self.location else None,
            "hint": self.hint,
        }


class UsageError(BrandrailError):
    """A command or function was called with arguments that cannot work."""

    code = "USAGE"


@dataclass(frozen=True, slots=True)
class PolicyIssue:
    """One problem in a policy file: the field path, where it stands and what is wrong."""

    path: str
    message: str
    location: Location | None = None
    hint: str | None = None

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        field = f"{self.path}: " if self.path else ""
        text = f"{where}{field}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


class PolicyError(BrandrailError):
    """The policy file cannot be read, parsed, merged or validated.

    ``issues`` lists every problem found, each with its field path and file position.
    """

    code = "POLICY"

    def __init__(
        self,
        message: str,
        *,
        location: Location | str | None = None,
        hint: str | None = None,
        issues: list[PolicyIssue] | None = None,
    ) -> None:
        self.issues = list(issues or [])
        super().__init__(message, location=location, hint=hint)

    def __str__(self) -> str:
        text = super().__str__()
        if self.issues:
            text += "".join(f"\n  - {issue}" for issue in self.issues)
        return text


class InputError(BrandrailError):
    """Content to check cannot be read: missing, a directory with nothing to check, binary, not UTF-8, too big."""

    code = "INPUT"


class DataError(BrandrailError):
    """Audit data cannot be used as mapped: a missing column, a non-binary decision, an empty table."""

    code = "DATA"


class GateError(BrandrailError):
    """The gate could not reach a decision. The gate turns this into a deny with the reason."""

    code = "GATE"


class ApprovalError(GateError):
    """An approval is unknown, expired, already used, bound to other arguments, or self-approved."""

    code = "APPROVAL"


class LedgerError(BrandrailError):
    """The ledger cannot be opened, read or written."""

    code = "LEDGER"


class RuleError(BrandrailError):
    """A rule class is defined wrongly: a duplicate code or a docstring without the four parts."""

    code = "RULE"
