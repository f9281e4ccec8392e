"""How a process's Kafka clients authenticate: Settings turned into each client library's options.

Three libraries talk to the broker: kafka-python (service desk, event log, admin), aiokafka (the
embedded registry) and faust (the workers). They spell the same settings differently; this module
is the one place that knows how. PLAINTEXT, the default, adds nothing, so a local broker needs no
configuration at all.
"""

from __future__ import annotations

import ssl
from typing import Any

from streams.config import Settings

PROTOCOLS = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
MECHANISMS = ("SCRAM-SHA-256", "SCRAM-SHA-512", "PLAIN")


class SecurityError(ValueError):
    """The security settings contradict each other; the message names the variable to fix."""


def _checked(settings: Settings) -> Settings:
    protocol = settings.security_protocol
    if protocol not in PROTOCOLS:
        raise SecurityError(f"ONETHING_SECURITY_PROTOCOL is {protocol!r}; use one of {', '.join(PROTOCOLS)}")
    if uses_sasl(settings):
        if settings.sasl_mechanism not in MECHANISMS:
            raise SecurityError(
                f"ONETHING_SASL_MECHANISM is {settings.sasl_mechanism!r}; use one of {', '.join(MECHANISMS)}"
            )
        if not settings.sasl_username or not settings.sasl_password:
            raise SecurityError(f"{protocol} needs ONETHING_SASL_USERNAME and ONETHING_SASL_PASSWORD")
    if bool(settings.ssl_certfile) != bool(settings.ssl_keyfile):
        raise SecurityError("ONETHING_SSL_CERTFILE and ONETHING_SSL_KEYFILE go together")
    return settings


def uses_sasl(settings: Settings) -> bool:
    return settings.security_protocol.startswith("SASL_")


def uses_tls(settings: Settings) -> bool:
    return settings.security_protocol in ("SSL", "SASL_SSL")


def _base_options(settings: Settings) -> dict[str, Any]:
    """The protocol and SASL login, spelled alike by kafka-python and aiokafka."""
    options: dict[str, Any] = {"security_protocol": settings.security_protocol}
    if uses_sasl(settings):
        options |= {
            "sasl_mechanism": settings.sasl_mechanism,
            "sasl_plain_username": settings.sasl_username,
            "sasl_plain_password": settings.sasl_password,
        }
    return options


def kafka_options(settings: Settings) -> dict[str, Any]:
    """Keyword options for kafka-python's KafkaProducer, KafkaConsumer and KafkaAdminClient."""
    settings = _checked(settings)
    options = _base_options(settings)
    if uses_tls(settings):
        # kafka-python builds its own context from files and checks the broker's host name.
        options |= {
            "ssl_cafile": settings.ssl_cafile or None,
            "ssl_certfile": settings.ssl_certfile or None,
            "ssl_keyfile": settings.ssl_keyfile or None,
            "ssl_check_hostname": True,
        }
    return options


def ssl_context(settings: Settings) -> ssl.SSLContext | None:
    """The TLS context aiokafka and faust want, or None without TLS."""
    if not uses_tls(_checked(settings)):
        return None
    context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=settings.ssl_cafile or None)
    if settings.ssl_certfile:
        context.load_cert_chain(settings.ssl_certfile, settings.ssl_keyfile)
    return context


def aiokafka_options(settings: Settings) -> dict[str, Any]:
    """Keyword options for AIOKafkaProducer and AIOKafkaConsumer."""
    settings = _checked(settings)
    options = _base_options(settings)
    context = ssl_context(settings)
    if context is not None:
        options["ssl_context"] = context
    return options


def faust_options(settings: Settings) -> dict[str, Any]:
    """Keyword options for faust.App: ``broker_credentials`` unless the broker is plaintext."""
    import faust  # late: only workers need faust

    settings = _checked(settings)
    context = ssl_context(settings)
    if uses_sasl(settings):
        credentials: Any = faust.SASLCredentials(
            username=settings.sasl_username,
            password=settings.sasl_password,
            mechanism=settings.sasl_mechanism,
            ssl_context=context,
        )
    elif context is not None:
        credentials = faust.SSLCredentials(context)
    else:
        return {}
    return {"broker_credentials": credentials}
