"""What the service shells share (HTTP service, proxy, MCP over HTTP): API keys, authentication and roles,
request limits and the one error shape (RFC 9457 problem+json). No rule lives here."""
