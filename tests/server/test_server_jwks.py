"""JWT verification against a JWKS that mixes key types, and the algorithm-confusion attacks."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from brandrail.service.auth import JwksVerifier

ISSUER, AUDIENCE = "https://idp.example", "brandrail"


def _claims(**more: Any) -> dict[str, Any]:
    return {
        "sub": "maria",
        "iss": ISSUER,
        "aud": AUDIENCE,
        "exp": int(time.time()) + 60,
        "roles": ["auditor"],
        **more,
    }


def _jwk(public: Any, **extra: str) -> dict[str, Any]:
    algorithm = jwt.algorithms.get_default_algorithms()[_alg_of(public)]
    return {**json.loads(algorithm.to_jwk(public)), **extra}  # type: ignore[attr-defined]


def _alg_of(public: Any) -> str:
    if isinstance(public, rsa.RSAPublicKey):
        return "RS256"
    if isinstance(public, ec.EllipticCurvePublicKey):
        return "ES384" if public.curve.name == "secp384r1" else "ES256"
    return "EdDSA"


@pytest.fixture(scope="module")
def keys() -> dict[str, Any]:
    return {
        "rsa": rsa.generate_private_key(public_exponent=65537, key_size=2048),
        "rsa2": rsa.generate_private_key(public_exponent=65537, key_size=2048),
        "ec": ec.generate_private_key(ec.SECP256R1()),
        "ec384": ec.generate_private_key(ec.SECP384R1()),
        "ed": ed25519.Ed25519PrivateKey.generate(),
    }


def _verifier(tmp_path: Path, jwks: list[dict[str, Any]]) -> JwksVerifier:
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps({"keys": jwks}))
    return JwksVerifier(path, ISSUER, AUDIENCE)


@pytest.mark.parametrize("order", ["rsa-last", "rsa-first"])
def test_a_token_without_kid_finds_its_key_among_other_types(
    tmp_path: Path, keys: dict[str, Any], order: str
) -> None:
    """No ``kid``, and the set lists EC, Ed25519 and RSA keys: each token verifies with the key of its own
    type, whichever comes first (a key of the wrong type used to end the search: a valid token refused)."""
    names = ["ec", "ed", "rsa2", "rsa"] if order == "rsa-last" else ["rsa", "rsa2", "ed", "ec"]
    verifier = _verifier(tmp_path, [_jwk(keys[n].public_key()) for n in names])
    for name, alg in (("rsa", "RS256"), ("rsa", "RS384"), ("rsa", "PS256"), ("ec", "ES256"), ("ed", "EdDSA")):
        token = jwt.encode(_claims(), keys[name], algorithm=alg)
        principal = verifier.verify(token)
        assert principal is not None, (name, alg)
        assert principal.id == "maria"


def test_a_key_of_the_right_type_but_another_signer_is_still_refused(
    tmp_path: Path, keys: dict[str, Any]
) -> None:
    verifier = _verifier(tmp_path, [_jwk(keys["ec"].public_key()), _jwk(keys["rsa2"].public_key())])
    assert verifier.verify(jwt.encode(_claims(), keys["rsa"], algorithm="RS256")) is None
    # the wrong curve is another type: an ES384 token is not tried with a P-256 key, nor verified
    assert verifier.verify(jwt.encode(_claims(), keys["ec384"], algorithm="ES384")) is None


def test_a_key_that_declares_its_alg_or_use_is_held_to_it(tmp_path: Path, keys: dict[str, Any]) -> None:
    public = keys["rsa"].public_key()
    token = jwt.encode(_claims(), keys["rsa"], algorithm="RS256")
    assert _verifier(tmp_path, [_jwk(public, alg="RS256")]).verify(token) is not None
    assert _verifier(tmp_path, [_jwk(public, alg="PS256")]).verify(token) is None
    assert _verifier(tmp_path, [_jwk(public, use="enc")]).verify(token) is None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _hs256(secret: bytes, header: dict[str, Any], claims: dict[str, Any]) -> str:
    signing = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
    signature = hmac.new(secret, signing.encode(), hashlib.sha256).digest()
    return f"{signing}.{_b64(signature)}"


def test_algorithm_confusion_is_refused(tmp_path: Path, keys: dict[str, Any]) -> None:
    """An HS256 token whose HMAC secret is the RSA public key (its PEM, DER, or JWK text, all public) is
    never verified: HMAC is not accepted, and a public key is never used as a secret. Nor is alg none."""
    public = keys["rsa"].public_key()
    jwk = _jwk(public, kid="k1")
    verifier = _verifier(tmp_path, [jwk, {"kty": "oct", "k": _b64(b"shared"), "kid": "h1"}])
    assert verifier.verify(jwt.encode(_claims(), keys["rsa"], algorithm="RS256", headers={"kid": "k1"}))
    secrets = [
        public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo),
        public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo),
        public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.PKCS1),
        json.dumps(jwk).encode(),
        b"shared",  # an HMAC key in the set is never used either
    ]
    for secret in secrets:
        for header in (
            {"alg": "HS256", "typ": "JWT"},
            {"alg": "HS256", "kid": "k1"},
            {"alg": "HS256", "kid": "h1"},
        ):
            assert verifier.verify(_hs256(secret, header, _claims())) is None
    for alg in ("none", "None", "HS384", "RS1", ""):
        token = f"{_b64(json.dumps({'alg': alg}).encode())}.{_b64(json.dumps(_claims()).encode())}."
        assert verifier.verify(token) is None
