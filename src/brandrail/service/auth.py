"""Who is calling: API keys (``Authorization: Bearer brk_…`` or ``X-API-Key``), or OIDC/JWT bearer tokens
verified offline against a JWKS file; and what each role may do.

Roles (docs/server.md): ``agent`` checks content and proposes actions (its identity is its key), ``executor``
reports outcomes, ``reviewer`` approves and rejects (never for its own agent), ``auditor`` reads decisions,
the ledger and metrics, ``admin`` manages keys and reloads the policy. A request without valid credentials is a
401; valid credentials without the role a 403 — both as problem+json, and neither says whether a key exists.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from brandrail.errors import UsageError
from brandrail.gate.principal import ROLES, Principal, Role
from brandrail.service.keys import KeyStore
from brandrail.service.problems import ProblemError

__all__ = ["LOCAL_PRINCIPAL", "Authenticator", "JwksVerifier"]

#: The principal of a service started with authentication switched off (local development only).
LOCAL_PRINCIPAL = Principal("local", frozenset(ROLES), via="local")

_JWT_ALGORITHMS = ["RS256", "RS384", "RS512", "ES256", "ES384", "PS256", "EdDSA"]


@dataclass(slots=True)
class JwksVerifier:
    """Verify JWT bearer tokens offline: signature by a key of the JWKS file, ``exp``, ``iss`` and ``aud``."""

    path: Path
    issuer: str
    audience: str
    roles_claim: str = "roles"
    _keys: Any = field(default=None, init=False)

    def __post_init__(self) -> None:
        import jwt

        if not self.issuer.strip() or not self.audience.strip():
            # PyJWT compares an empty issuer or audience like any other: a token saying iss "" would pass
            raise UsageError(
                "JWT verification needs the issuer and the audience your tokens must carry",
                hint="give --jwt-issuer and --jwt-audience (ServiceConfig.jwt_issuer, jwt_audience) with --jwks",
            )
        try:
            data = json.loads(Path(self.path).read_text(encoding="utf-8"))
            self._keys = jwt.PyJWKSet.from_dict(data)
        except (OSError, ValueError, jwt.PyJWTError) as exc:
            raise UsageError(
                f"cannot read the JWKS file {self.path}: {exc}",
                hint="give a JSON Web Key Set file (RFC 7517)",
            ) from None

    def verify(self, token: str) -> Principal | None:
        import jwt

        try:
            header = jwt.get_unverified_header(token)
            kid = header.get("kid")
            candidates = [k for k in self._keys.keys if kid is None or k.key_id == kid]
            for key in candidates:
                try:
                    claims = jwt.decode(
                        token,
                        key.key,
                        algorithms=_JWT_ALGORITHMS,
                        audience=self.audience,
                        issuer=self.issuer,
                        options={"require": ["exp", "iss", "aud", "sub"]},
                    )
                except jwt.InvalidSignatureError:
                    continue
                roles = claims.get(self.roles_claim, [])
                if isinstance(roles, str):
                    roles = roles.split()
                if not isinstance(roles, list):  # a mapping's keys are not roles ({"admin": false})
                    return None
                granted = frozenset(r for r in roles if isinstance(r, str) and r in ROLES)
                if not granted:
                    return None
                return Principal(str(claims["sub"]), granted, via="jwt")
        except (jwt.PyJWTError, ValueError, KeyError, TypeError):
            return None
        return None


@dataclass(slots=True)
class Authenticator:
    """Turn request credentials into a Principal. ``disabled`` gives every request every role (local use)."""

    keys: KeyStore | None = None
    jwks: JwksVerifier | None = None
    disabled: bool = False

    def authenticate(self, authorization: str | None, api_key: str | None) -> Principal:
        """The caller, or a 401 Problem."""
        if self.disabled:
            return LOCAL_PRINCIPAL
        token = api_key
        if token is None and authorization:
            scheme, _, value = authorization.partition(" ")
            if scheme.lower() == "bearer" and value.strip():
                token = value.strip()
        if not token:
            raise ProblemError(
                401,
                "credentials are required: send an API key as 'Authorization: Bearer KEY' or 'X-API-Key: KEY'",
                slug="unauthorized",
                headers={"WWW-Authenticate": 'Bearer realm="brandrail"'},
            )
        principal: Principal | None = None
        if token.startswith("brk_") and self.keys is not None:
            principal = self.keys.verify(token)
        elif self.jwks is not None and token.count(".") == 2:
            principal = self.jwks.verify(token)
        if principal is None:
            raise ProblemError(
                401,
                "the credentials are not valid (unknown, revoked or expired key, or a token that does not verify)",
                slug="unauthorized",
                headers={"WWW-Authenticate": 'Bearer realm="brandrail", error="invalid_token"'},
            )
        return principal

    @staticmethod
    def require(principal: Principal, *roles: Role) -> None:
        """A 403 Problem unless ``principal`` holds one of ``roles``."""
        if not any(principal.has(r) for r in roles):
            raise ProblemError(
                403,
                f"principal {principal.id!r} does not hold the {' or '.join(roles)} role this endpoint needs",
                slug="forbidden",
                principal=principal.id,
                required=list(roles),
            )
