"""Commands of the ledger (registered on brandrail.cli._app.ledger_app)."""
