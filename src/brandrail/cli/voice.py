"""Commands of the voice pillar (registered on brandrail.cli._app)."""
