"""Settings read once from the environment, with defaults that run everything on loopback."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from streams.clock import Clock

_N = TypeVar("_N", int, float)


def _number(env: Mapping[str, str], name: str, default: _N, kind: Callable[[str], _N]) -> _N:
    """A numeric setting; a value that is not a number is refused with the setting's name."""
    raw = env.get(name, "")
    if not raw.strip():
        return default
    try:
        return kind(raw)
    except ValueError:
        noun = "a whole number" if kind is int else "a number"
        raise ValueError(f"{name} must be {noun}, not {raw!r}") from None


def _home() -> Path:
    return Path(os.environ.get("ONETHING_HOME", Path.home() / ".cache" / "onething"))


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Where the broker, the registry and the local state live."""

    bootstrap_servers: str = "127.0.0.1:19092"
    # Empty means: serve the Schema Registry API from the platform itself.
    registry_url: str = ""
    registry_port: int = 18081
    home: Path = field(default_factory=_home)
    partitions: int = 3
    # Prometheus /metrics; 0 turns the endpoint off (several workers on one host need distinct ports).
    metrics_port: int = 9464
    # Loopback by default; containers set 0.0.0.0 so Prometheus can scrape from outside.
    metrics_host: str = "127.0.0.1"
    # The operators' dashboard (with /metrics and /healthz) served by `onething run`; 0 turns it off.
    dashboard_port: int = 8080
    dashboard_host: str = "127.0.0.1"
    # Closed cases and issues the dashboard keeps in memory besides every open one, the latest
    # first; older ones are read back from the log when asked for (streams/case_window.py).
    dashboard_closed_cases: int = 5_000
    # The case index's lookups (`onething replay` finds a case's events there); 0 turns it off.
    index_port: int = 18082
    # "module:attribute" departments not (yet) installed as packages, e.g. while developing one.
    extra_departments: tuple[str, ...] = ()
    # The platform clock: 1.0 is real time; 86400 runs a day per second (simulations, tests).
    # Every process of a deployment must share speed and origin (real epoch seconds).
    clock_speed: float = 1.0
    clock_origin: float | None = None
    # How every Kafka client of the process authenticates (streams/security.py, docs/security.md).
    security_protocol: str = "PLAINTEXT"  # PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL
    sasl_mechanism: str = "SCRAM-SHA-512"  # SCRAM-SHA-256, SCRAM-SHA-512 or PLAIN
    sasl_username: str = ""
    sasl_password: str = field(default="", repr=False)
    ssl_cafile: str = ""  # empty: the system's trusted CAs
    ssl_certfile: str = ""  # a client certificate, where the broker asks for one
    ssl_keyfile: str = ""
    # Set: registry writes need `Authorization: Bearer <token>`, and our client sends it.
    registry_token: str = field(default="", repr=False)
    # Where workers run under a department principal, the operator provisions topics instead.
    provision_topics: bool = True
    # A worker whose committed offsets stand still this long with records waiting restarts itself
    # (streams/stall.py); 0 turns the watch off.
    stall_seconds: float = 120.0
    # How long processed event ids and closed-case markers are kept (streams/retention.py).
    retention_hours: float = 168.0
    # Departments take their matters' drawn handling times (streams/handling.py); off, they answer
    # at once. `onething demo` turns it on.
    handling_times: bool = False

    @property
    def broker_dir(self) -> Path:
        return self.home / "broker"

    @property
    def state_dir(self) -> Path:
        return self.home / "state"

    def clock(self) -> Clock:
        return Clock(speed=self.clock_speed, origin=self.clock_origin)

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        closed_cases = _number(env, "ONETHING_DASHBOARD_CLOSED_CASES", cls.dashboard_closed_cases, int)
        if closed_cases < 1:
            raise ValueError("ONETHING_DASHBOARD_CLOSED_CASES must be at least 1")
        return cls(
            bootstrap_servers=env.get("ONETHING_BOOTSTRAP", cls.bootstrap_servers),
            registry_url=env.get("ONETHING_REGISTRY_URL", ""),
            registry_port=_number(env, "ONETHING_REGISTRY_PORT", cls.registry_port, int),
            home=_home(),
            partitions=_number(env, "ONETHING_PARTITIONS", cls.partitions, int),
            metrics_port=_number(env, "ONETHING_METRICS_PORT", cls.metrics_port, int),
            metrics_host=env.get("ONETHING_METRICS_HOST", cls.metrics_host),
            dashboard_port=_number(env, "ONETHING_DASHBOARD_PORT", cls.dashboard_port, int),
            dashboard_host=env.get("ONETHING_DASHBOARD_HOST", cls.dashboard_host),
            dashboard_closed_cases=closed_cases,
            index_port=_number(env, "ONETHING_INDEX_PORT", cls.index_port, int),
            clock_speed=_number(env, "ONETHING_CLOCK_SPEED", cls.clock_speed, float),
            clock_origin=float(env["ONETHING_CLOCK_ORIGIN"]) if env.get("ONETHING_CLOCK_ORIGIN") else None,
            extra_departments=tuple(
                spec for spec in env.get("ONETHING_EXTRA_DEPARTMENTS", "").split(",") if spec
            ),
            security_protocol=env.get("ONETHING_SECURITY_PROTOCOL", cls.security_protocol).upper(),
            sasl_mechanism=env.get("ONETHING_SASL_MECHANISM", cls.sasl_mechanism).upper(),
            sasl_username=env.get("ONETHING_SASL_USERNAME", ""),
            sasl_password=env.get("ONETHING_SASL_PASSWORD", ""),
            ssl_cafile=env.get("ONETHING_SSL_CAFILE", ""),
            ssl_certfile=env.get("ONETHING_SSL_CERTFILE", ""),
            ssl_keyfile=env.get("ONETHING_SSL_KEYFILE", ""),
            registry_token=env.get("ONETHING_REGISTRY_TOKEN", ""),
            provision_topics=env.get("ONETHING_PROVISION_TOPICS", "1") not in ("0", "false", "no"),
            stall_seconds=_number(env, "ONETHING_STALL_SECONDS", cls.stall_seconds, float),
            retention_hours=_number(env, "ONETHING_RETENTION_HOURS", cls.retention_hours, float),
            handling_times=env.get("ONETHING_HANDLING_TIMES", "0") not in ("0", "", "false", "no"),
        )
