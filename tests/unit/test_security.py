"""The security variables become the options each Kafka client library expects."""

from __future__ import annotations

import os
import ssl

import pytest
from faust.types.auth import AuthProtocol

from streams.config import Settings
from streams.secure_broker import make_tls
from streams.security import SecurityError, aiokafka_options, faust_options, kafka_options


def from_env(monkeypatch, **variables: str) -> Settings:
    for name in list(os.environ):
        if name.startswith(("ONETHING_SECURITY", "ONETHING_SASL", "ONETHING_SSL")):
            monkeypatch.delenv(name)
    for name, value in variables.items():
        monkeypatch.setenv(f"ONETHING_{name}", value)
    return Settings.from_env()


def test_plaintext_by_default_adds_nothing(monkeypatch):
    settings = from_env(monkeypatch)
    assert kafka_options(settings) == {"security_protocol": "PLAINTEXT"}
    assert aiokafka_options(settings) == {"security_protocol": "PLAINTEXT"}
    assert faust_options(settings) == {}


def test_sasl_ssl_reaches_every_library(monkeypatch, tmp_path):
    ca = make_tls(tmp_path).ca
    settings = from_env(
        monkeypatch,
        SECURITY_PROTOCOL="sasl_ssl",
        SASL_MECHANISM="SCRAM-SHA-512",
        SASL_USERNAME="tax",
        SASL_PASSWORD="s3cret",
        SSL_CAFILE=str(ca),
    )
    assert "s3cret" not in repr(settings)  # settings get logged; the password must not be

    assert kafka_options(settings) == {
        "security_protocol": "SASL_SSL",
        "sasl_mechanism": "SCRAM-SHA-512",
        "sasl_plain_username": "tax",
        "sasl_plain_password": "s3cret",
        "ssl_cafile": str(ca),
        "ssl_certfile": None,
        "ssl_keyfile": None,
        "ssl_check_hostname": True,
    }
    aio = aiokafka_options(settings)
    assert aio["security_protocol"] == "SASL_SSL" and aio["sasl_plain_username"] == "tax"
    assert isinstance(aio["ssl_context"], ssl.SSLContext)
    assert aio["ssl_context"].check_hostname and aio["ssl_context"].verify_mode == ssl.CERT_REQUIRED
    credentials = faust_options(settings)["broker_credentials"]
    assert credentials.protocol == AuthProtocol.SASL_SSL
    assert (credentials.username, credentials.password) == ("tax", "s3cret")
    assert credentials.mechanism.value == "SCRAM-SHA-512"


def test_tls_without_sasl_gives_faust_ssl_credentials(monkeypatch, tmp_path):
    settings = from_env(monkeypatch, SECURITY_PROTOCOL="SSL", SSL_CAFILE=str(make_tls(tmp_path).ca))
    assert "sasl_mechanism" not in kafka_options(settings)
    assert faust_options(settings)["broker_credentials"].protocol == AuthProtocol.SSL


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"SECURITY_PROTOCOL": "KERBEROS"}, "ONETHING_SECURITY_PROTOCOL"),
        ({"SECURITY_PROTOCOL": "SASL_PLAINTEXT", "SASL_USERNAME": "tax"}, "ONETHING_SASL_PASSWORD"),
        (
            {"SECURITY_PROTOCOL": "SASL_PLAINTEXT", "SASL_MECHANISM": "GSSAPI", "SASL_USERNAME": "t"},
            "ONETHING_SASL_MECHANISM",
        ),
        ({"SECURITY_PROTOCOL": "SSL", "SSL_CERTFILE": "client.pem"}, "ONETHING_SSL_KEYFILE"),
    ],
)
def test_contradicting_settings_name_the_variable_to_fix(monkeypatch, variables, named):
    with pytest.raises(SecurityError, match=named):
        kafka_options(from_env(monkeypatch, **variables))
