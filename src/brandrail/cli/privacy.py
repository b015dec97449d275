"""``brandrail privacy erase``: honour an erasure request in the gate's store without breaking the ledger."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from brandrail.cli._app import app
from brandrail.cli._common import Format, dump_json, fail, text_or_json, user_errors

__all__ = ["privacy_app", "privacy_erase"]

privacy_app = typer.Typer(
    help="Personal data in the gate's store: erasure requests.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
app.add_typer(privacy_app, name="privacy")


@privacy_app.command("erase")
@user_errors
def privacy_erase(
    customer: Annotated[str, typer.Argument(help="The customer's id, e-mail address or phone number.")],
    policy_file: Annotated[
        Path | None,
        typer.Option(
            "--policy",
            "-p",
            help="Policy file (default: the nearest brandrail.yaml, else $BRANDRAIL_POLICY, if any).",
        ),
    ] = None,
    db: Annotated[
        str | None,
        typer.Option("--db", help="Gate store URL (default: the policy's gate.store_url)."),
    ] = None,
    forget_suppression: Annotated[
        bool,
        typer.Option(
            "--forget-suppression",
            help=(
                "Also lift suppression records (by default kept, so an opted-out person stays suppressed); "
                "each lifting is a ledger entry that keeps the keyed hash."
            ),
        ),
    ] = False,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format: text or json.")] = Format.text,
) -> None:
    """Delete what links CUSTOMER to their pseudonym (and their consent records).

    Ledger entries stay as they are (the chain still verifies) and hold only the pseudonym, which nothing
    ties back to the customer afterwards. Exit 0 (also when nothing was on record), 2 on bad input.
    """
    from brandrail.gate.pseudonyms import PseudonymKeys, erase_customer
    from brandrail.gate.store import GateStore
    from brandrail.policy import Policy, load_policy

    text_or_json(fmt)
    if not customer.strip():
        fail("CUSTOMER is empty", hint="pass the customer's id, e-mail address or phone number")
    from brandrail.policy.discovery import find_optional_policy

    policy_file = find_optional_policy(policy_file)
    policy = load_policy(policy_file) if policy_file is not None else Policy()
    url = db or policy.gate.store_url
    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///") :].split("?", 1)[0]).is_file():
        fail(f"no gate database at {url}", hint="pass the gate's database with --db URL")
    store = GateStore.from_url(url)
    store.keys = PseudonymKeys.load(policy.gate.privacy)
    store.phone_region = policy.gate.privacy.phone_region
    result = erase_customer(store, customer, forget_suppression=forget_suppression)
    store.engine.dispose()
    if fmt is Format.json:
        sys.stdout.write(dump_json(result.to_dict()))
        return
    if result.links == 0 and result.suppression_records == 0:
        print(f"nothing on record for this {result.identifier_type} identifier; erasure recorded")
        return
    print(
        f"erased: {result.links} link(s) to the pseudonym, {result.consent_records} consent record(s)"
        + (f", {result.suppression_records} suppression record(s) lifted" if forget_suppression else "")
        + "; ledger entries now name an unlinked pseudonym"
    )
