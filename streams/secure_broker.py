"""A LocalBroker that authenticates and authorizes: SASL_SSL with SCRAM-SHA-512, and ACLs.

- clients reach one SASL_SSL listener; TLS uses a throwaway CA and a broker certificate for
  127.0.0.1 made with openssl in the data dir;
- every user's SCRAM credential is written at format time (`kafka-storage format --add-scram`), so
  the broker never runs a moment without them;
- KRaft's StandardAuthorizer with ``allow.everyone.if.no.acl.found=false``: anything not granted
  is refused; ``admin`` is the only super user;
- the controller listener stays on loopback and takes only ``admin`` (SASL PLAIN: SCRAM
  credentials live in the metadata the controller itself serves, so it cannot use them).

Used by tests and for trying ACLs locally; production brokers are configured by their operators.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from streams.broker import BrokerError, LocalBroker

ADMIN = "admin"
MECHANISM = "SCRAM-SHA-512"
_DAYS = "2"  # long enough for any test run; nobody should trust these files later


@dataclass(frozen=True)
class TlsFiles:
    ca: Path  # PEM certificate clients trust (ONETHING_SSL_CAFILE)
    keystore: Path  # PEM: the broker's PKCS#8 key and its certificate chain


def _openssl(*args: str, cwd: Path) -> None:
    done = subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise BrokerError(f"openssl {args[0]} failed: {(done.stderr or done.stdout).strip()[-300:]}")


def make_tls(directory: Path) -> TlsFiles:
    """A CA and a broker certificate for 127.0.0.1/localhost, signed by it; made once per directory."""
    directory.mkdir(parents=True, exist_ok=True)
    files = TlsFiles(ca=directory / "ca.pem", keystore=directory / "broker-keystore.pem")
    if files.ca.is_file() and files.keystore.is_file():
        return files
    _openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", _DAYS,
        "-subj", "/CN=onething-test-ca", "-keyout", "ca.key", "-out", "ca.pem",
        cwd=directory,
    )  # fmt: skip
    _openssl(
        "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
        "-keyout", "broker.key", "-out", "broker.csr",
        cwd=directory,
    )  # fmt: skip
    # Clients check the host name: the certificate must name the address they dial.
    (directory / "san.ext").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    _openssl(
        "x509", "-req", "-in", "broker.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-days", _DAYS, "-extfile", "san.ext", "-out", "broker.crt",
        cwd=directory,
    )  # fmt: skip
    # Kafka reads a PEM keystore: an unencrypted PKCS#8 key followed by the certificate chain.
    _openssl("pkcs8", "-topk8", "-nocrypt", "-in", "broker.key", "-out", "broker.pk8", cwd=directory)
    chain = [directory / name for name in ("broker.pk8", "broker.crt", "ca.pem")]
    files.keystore.write_text("".join(path.read_text() for path in chain))
    return files


class SecuredBroker(LocalBroker):
    """One broker with SASL_SSL clients, SCRAM users and ACLs; ``users`` maps name to password."""

    def __init__(self, *, users: dict[str, str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if ADMIN not in users:
            raise ValueError("users must include the super user 'admin'")
        self.users = dict(users)
        self.tls = make_tls(self.data_dir / "tls")

    def extra_properties(self) -> str:
        admin_password = self.users[ADMIN]
        scram = "org.apache.kafka.common.security.scram.ScramLoginModule"
        plain = "org.apache.kafka.common.security.plain.PlainLoginModule"
        return (
            "# Secured: SASL_SSL for clients, ACLs for everyone but admin.\n"
            f"listeners=SASL_SSL://127.0.0.1:{self.port},CONTROLLER://127.0.0.1:{self.controller_port}\n"
            f"advertised.listeners=SASL_SSL://127.0.0.1:{self.port}\n"
            "listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:SASL_PLAINTEXT\n"
            "inter.broker.listener.name=SASL_SSL\n"
            f"sasl.enabled.mechanisms={MECHANISM}\n"
            f"sasl.mechanism.inter.broker.protocol={MECHANISM}\n"
            f'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config={scram} required username="{ADMIN}" '
            f'password="{admin_password}";\n'
            "sasl.mechanism.controller.protocol=PLAIN\n"
            "listener.name.controller.sasl.enabled.mechanisms=PLAIN\n"
            f'listener.name.controller.plain.sasl.jaas.config={plain} required username="{ADMIN}" '
            f'password="{admin_password}" user_{ADMIN}="{admin_password}";\n'
            "ssl.keystore.type=PEM\n"
            f"ssl.keystore.location={self.tls.keystore}\n"
            "ssl.truststore.type=PEM\n"
            f"ssl.truststore.location={self.tls.ca}\n"
            "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer\n"
            f"super.users=User:{ADMIN}\n"
            "allow.everyone.if.no.acl.found=false\n"
        )

    def format_args(self) -> list[str]:
        args = []
        for name, password in sorted(self.users.items()):
            args += ["--add-scram", f"{MECHANISM}=[name={name},password={password}]"]
        return args

    def client_options(self, user: str = ADMIN) -> dict[str, Any]:
        return {
            "security_protocol": "SASL_SSL",
            "sasl_mechanism": MECHANISM,
            "sasl_plain_username": user,
            "sasl_plain_password": self.users[user],
            "ssl_cafile": str(self.tls.ca),
        }

    def env(self, user: str) -> dict[str, str]:
        """The ONETHING_* variables that make a platform process connect as ``user``."""
        return {
            "ONETHING_BOOTSTRAP": self.bootstrap,
            "ONETHING_SECURITY_PROTOCOL": "SASL_SSL",
            "ONETHING_SASL_MECHANISM": MECHANISM,
            "ONETHING_SASL_USERNAME": user,
            "ONETHING_SASL_PASSWORD": self.users[user],
            "ONETHING_SSL_CAFILE": str(self.tls.ca),
        }
