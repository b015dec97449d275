"""Commands of the content pillar: fix (registered on brandrail.cli._app.app)."""
