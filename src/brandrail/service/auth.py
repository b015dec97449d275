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
#: The key a token of each accepted algorithm is verified with: JWK ``kty`` and, for EC, the curve. A key of
#: another type is never tried (no HMAC algorithm is accepted, so a public key is never an HMAC secret).
_JWT_KEY_TYPES: dict[str, tuple[str, str | None]] = {
    "RS256": ("RSA", None),
    "RS384": ("RSA", None),
    "RS512": ("RSA", None),
    "PS256": ("RSA", None),
    "ES256": ("EC", "P-256"),
    "ES384": ("EC", "P-384"),
    "EdDSA": ("OKP", None),
}


def _key_fits(jwk: dict[str, Any], alg: str) -> bool:
    """May ``jwk`` verify a token signed with ``alg``: its type (and curve), the ``alg`` it declares, and
    its ``use``, if it declares them."""
    kty, curve = _JWT_KEY_TYPES[alg]
    return (
        jwk.get("kty") == kty
        and (curve is None or jwk.get("crv") == curve)
        and jwk.get("alg", alg) == alg
        and jwk.get("use", "sig") == "sig"
    )


def _readable_keys(data: Any) -> list[tuple[dict[str, Any], Any]]:
    """``(jwk, PyJWK)`` for each key of the set PyJWT can read (like PyJWKSet, the others are skipped)."""
    import jwt

    out = []
    for jwk in data["keys"]:
        try:
            out.append((jwk, jwt.PyJWK.from_dict(jwk)))
        except (jwt.PyJWTError, TypeError, ValueError, AttributeError):
            continue
    return out


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
            jwt.PyJWKSet.from_dict(data)  # the set is readable and holds a usable key
            self._keys = _readable_keys(data)
        except (OSError, ValueError, TypeError, KeyError, jwt.PyJWTError) as exc:
            raise UsageError(
                f"cannot read the JWKS file {self.path}: {exc}",
                hint="give a JSON Web Key Set file (RFC 7517)",
            ) from None

    def verify(self, token: str) -> Principal | None:
        import jwt

        try:
            header = jwt.get_unverified_header(token)
            kid = header.get("kid")
            alg = header.get("alg")
            if not isinstance(alg, str) or alg not in _JWT_KEY_TYPES:
                return None  # "none", HS256 (a public key as an HMAC secret), anything not accepted
            # every key of the token's kind (and kid, if it names one) is tried: a key of another type
            # first in the set no longer ends the search
            candidates = [
                key for jwk, key in self._keys if (kid is None or key.key_id == kid) and _key_fits(jwk, alg)
            ]
            for key in candidates:
                try:
                    claims = jwt.decode(
                        token,
                        key.key,
                        algorithms=[alg],
                        audience=self.audience,
                        issuer=self.issuer,
                        options={"require": ["exp", "iss", "aud", "sub"]},
                    )
                except (jwt.InvalidSignatureError, jwt.InvalidKeyError):
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
