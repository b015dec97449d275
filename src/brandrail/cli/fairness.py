"""Commands of the fairness pillar (registered on brandrail.cli._app)."""
