"""Shells that put brandrail in the loop: the OpenAI-compatible guard proxy, the MCP server and gateway,
and the OpenAI client wrapper. See docs/integrations.md.

Each shell lives in its own module and imports its framework (FastAPI and httpx, the ``mcp`` SDK, the
``openai`` package) only there; what they share is :mod:`brandrail.integrations.common`.
"""

from __future__ import annotations

__all__: list[str] = []
