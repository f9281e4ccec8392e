"""Settings read once from the environment, with defaults that run everything on loopback."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from streams.clock import Clock


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
    # "module:attribute" departments not (yet) installed as packages, e.g. while developing one.
    extra_departments: tuple[str, ...] = ()
    # The platform clock: 1.0 is real time; 86400 runs a day per second (simulations, tests).
    # Every process of a deployment must share speed and origin (real epoch seconds).
    clock_speed: float = 1.0
    clock_origin: float | None = None

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
        return cls(
            bootstrap_servers=env.get("ONETHING_BOOTSTRAP", cls.bootstrap_servers),
            registry_url=env.get("ONETHING_REGISTRY_URL", ""),
            registry_port=int(env.get("ONETHING_REGISTRY_PORT", cls.registry_port)),
            home=_home(),
            partitions=int(env.get("ONETHING_PARTITIONS", cls.partitions)),
            metrics_port=int(env.get("ONETHING_METRICS_PORT", cls.metrics_port)),
            metrics_host=env.get("ONETHING_METRICS_HOST", cls.metrics_host),
            clock_speed=float(env.get("ONETHING_CLOCK_SPEED", cls.clock_speed)),
            clock_origin=float(env["ONETHING_CLOCK_ORIGIN"]) if env.get("ONETHING_CLOCK_ORIGIN") else None,
            extra_departments=tuple(
                spec for spec in env.get("ONETHING_EXTRA_DEPARTMENTS", "").split(",") if spec
            ),
        )
