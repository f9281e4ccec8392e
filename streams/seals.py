"""电子印章: every certificate and licence the platform issues carries its department's seal, an
Ed25519 signature over a canonical encoding of the certificate, which anyone holding the
departments' published public keys can verify offline (`onething seal verify`).

Keys: a deployment keeps one private key per department in ONETHING_SEAL_KEY_DIR
(``<department>.pem``, made by `onething seal keygen DIR`, which also writes the file to publish,
``public-keys.json``). Without it the public demo keyset is used, derived from a published seed:
its key ids start with ``demo-``, and `onething run` refuses it unless given ``--demo``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ALGORITHM = "Ed25519"
SEAL_FIELD = "seal"


def issues_sealed(contract: Any) -> bool:
    """Whether events of this contract carry a seal (certificates and licences)."""
    return any(field["name"] == SEAL_FIELD for field in contract.payload_fields)


PUBLIC_KEYS_FILE = "public-keys.json"
DEMO_PREFIX = "demo-"
# Public, so a demo seal proves nothing: it only lets local demos seal and verify.
DEMO_SEED = b"onething-public-demo-seal-key:"
# Signed bytes start with a label, so a seal cannot be replayed as a signature over anything else.
DOMAIN = b"onething-seal-v1\n"


class SealError(ValueError):
    """A seal that does not verify, or keys that cannot be used; the message is one line."""


def canonical(certificate: Mapping[str, Any]) -> bytes:
    """The bytes a seal signs: sorted keys, no spaces, UTF-8; dates as ISO, instants as epoch ms."""
    text = json.dumps(certificate, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_plain)
    return DOMAIN + text.encode()


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return round(value.timestamp() * 1000)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    raise TypeError(f"cannot seal a {type(value).__name__}")


def certificate(event_type: str, envelope: Mapping[str, Any], payload: Mapping[str, Any]) -> dict[str, Any]:
    """What is sealed: the certificate's type, identity, issuer, time, holder and content, in the
    types the codec decoded (``canonical`` writes dates and instants the same way either way)."""
    return {
        "type": event_type,
        "event_id": str(envelope["event_id"]),
        "case_id": envelope["case_id"],
        "issuer": envelope["producer"]["department"],
        "issued_at": envelope["occurred_at"],
        "subject": envelope["subject"],
        "content": {k: v for k, v in payload.items() if k != SEAL_FIELD},
    }


def certificate_of(
    event_type: str, envelope: Mapping[str, Any], payload: Mapping[str, Any]
) -> dict[str, Any]:
    """The certificate in plain JSON types, as a verifier outside the platform reads it."""
    return json.loads(
        json.dumps(certificate(event_type, envelope, payload), ensure_ascii=False, default=_plain)
    )


def key_id(public: Ed25519PublicKey, *, demo: bool = False) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return (DEMO_PREFIX if demo else "") + hashlib.sha256(raw).hexdigest()[:16]


def demo_key(department: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(DEMO_SEED + department.encode()).digest())


class Keyring:
    """The departments' private seal keys: a key directory, or the public demo keyset."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory
        self._keys: dict[str, Ed25519PrivateKey] = {}
        self._key_ids: dict[str, str] = {}  # hashed once, not per seal

    @property
    def is_demo(self) -> bool:
        return self.directory is None

    @classmethod
    def from_env(cls) -> Keyring:
        directory = os.environ.get("ONETHING_SEAL_KEY_DIR", "")
        if directory and not Path(directory).is_dir():
            raise SealError(f"ONETHING_SEAL_KEY_DIR={directory} is not a directory")
        return cls(Path(directory) if directory else None)

    def key(self, department: str) -> Ed25519PrivateKey:
        if department not in self._keys:
            self._keys[department] = (
                demo_key(department) if self.directory is None else self._read(department)
            )
        return self._keys[department]

    def _read(self, department: str) -> Ed25519PrivateKey:
        assert self.directory is not None
        path = self.directory / f"{department}.pem"
        try:
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except (OSError, ValueError) as exc:
            raise SealError(f"no usable seal key for {department} at {path}: {exc}") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise SealError(f"{path} is not an Ed25519 key")
        return key

    def seal(self, department: str, certificate: Mapping[str, Any]) -> dict[str, str]:
        key = self.key(department)
        if department not in self._key_ids:
            self._key_ids[department] = key_id(key.public_key(), demo=self.is_demo)
        return {
            "department": department,
            "key_id": self._key_ids[department],
            "algorithm": ALGORITHM,
            "signature": base64.b64encode(key.sign(canonical(certificate))).decode(),
        }

    def public_keys(self, departments: Iterable[str]) -> dict[str, Any]:
        """The file to publish: every department's public key, by which anyone verifies seals."""
        keys = {}
        for department in sorted(departments):
            public = self.key(department).public_key()
            raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
            keys[department] = {
                "key_id": key_id(public, demo=self.is_demo),
                "algorithm": ALGORITHM,
                "public_key": base64.b64encode(raw).decode(),
            }
        return {"demo": self.is_demo, "departments": keys}


def generate(directory: Path, departments: Iterable[str]) -> Path:
    """A new keyset: one private key per department (kept secret) and the public key file."""
    directory.mkdir(parents=True, exist_ok=True)
    for department in departments:
        path = directory / f"{department}.pem"
        if path.exists():
            continue  # never overwrite a key: seals made with it must keep verifying
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        path.write_bytes(pem)
        path.chmod(0o600)
    published = directory / PUBLIC_KEYS_FILE
    names = sorted(p.stem for p in directory.glob("*.pem"))
    published.write_text(json.dumps(Keyring(directory).public_keys(names), indent=2) + "\n", encoding="utf-8")
    return published


@dataclass(frozen=True)
class Verified:
    department: str
    key_id: str
    demo: bool


def verify(document: Mapping[str, Any], public_keys: Mapping[str, Any]) -> Verified:
    """Check a sealed certificate (``{"certificate": …, "seal": …}``); raise SealError saying why not."""
    try:
        certificate, seal = document["certificate"], document["seal"]
        department, kid = seal["department"], seal["key_id"]
        signature = base64.b64decode(seal["signature"], validate=True)
    except (KeyError, TypeError, ValueError) as exc:
        raise SealError(f"not a sealed certificate: missing or malformed {exc}") from None
    if seal.get("algorithm") != ALGORITHM:
        raise SealError(f"unknown seal algorithm {seal.get('algorithm')!r}; expected {ALGORITHM}")
    if certificate.get("issuer") != department:
        raise SealError(
            f"sealed by {department}, but the certificate names {certificate.get('issuer')} as issuer"
        )
    published = (public_keys.get("departments") or {}).get(department)
    if published is None:
        raise SealError(f"no published key for {department}")
    if published["key_id"] != kid:
        raise SealError(f"sealed with key {kid}, but {department}'s published key is {published['key_id']}")
    public = Ed25519PublicKey.from_public_bytes(base64.b64decode(published["public_key"]))
    try:
        public.verify(signature, canonical(certificate))
    except InvalidSignature:
        raise SealError(
            f"the seal of {department} does not match: the certificate was changed after sealing"
        ) from None
    return Verified(department, kid, kid.startswith(DEMO_PREFIX))


def sealed_document(
    event_type: str, envelope: Mapping[str, Any], payload: Mapping[str, Any]
) -> dict[str, Any]:
    """A certificate as issued, with its seal: what `seal show` prints and `seal verify` reads."""
    seal = payload.get(SEAL_FIELD)
    if not seal:
        raise SealError(f"{event_type} {envelope['event_id']} carries no seal")
    return {"certificate": certificate_of(event_type, envelope, payload), "seal": dict(seal)}
