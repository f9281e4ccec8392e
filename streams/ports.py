"""Listening ports: check one before binding it, and say which one is busy and what to do."""

from __future__ import annotations

import socket


class PortBusy(RuntimeError):
    """A port the command needs is taken; the message names it, its setting and the way out."""


def is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def busy_message(port: int, host: str, *, what: str, setting: str) -> str:
    return (
        f"port {port} on {host} ({what}, {setting}) is already in use — probably by a running "
        f"`onething run`; stop it, or set {setting} to another port (0 turns it off)"
    )


def require_free(port: int, host: str, *, what: str, setting: str) -> None:
    """Raise PortBusy naming ``port`` unless it can be bound; 0 means the listener is off."""
    if port and not is_free(port, host):
        raise PortBusy(busy_message(port, host, what=what, setting=setting))
