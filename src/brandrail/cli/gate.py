"""Commands of the gate pillar (registered on brandrail.cli._app)."""
