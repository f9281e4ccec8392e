"""A tiny synchronous Confluent Schema Registry client on the standard library.

It is used at start-up only (callers cache the ids it returns), never per message, so blocking
urllib calls are fine and no HTTP dependency is needed.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import quote

CONTENT_TYPE = "application/vnd.schemaregistry.v1+json"
SUBJECT_NOT_FOUND = 40401


class RegistryError(Exception):
    """The registry answered with an error; error_code and message are the registry's own."""

    def __init__(self, error_code: int, message: str, *, status: int = 0) -> None:
        super().__init__(f"{message} (error_code {error_code}, HTTP {status})")
        self.error_code = error_code
        self.message = message
        self.status = status


class RegistryClient:
    """Raises RegistryError when the registry refuses, OSError when it cannot be reached."""

    def __init__(self, url: str, *, timeout: float = 10.0, token: str = "") -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        # A registry guarding its writes (ONETHING_REGISTRY_TOKEN) wants it on every request.
        self._token = token

    def register(self, subject: str, schema_str: str) -> int:
        """Register (or find) the schema under subject and return its global id."""
        answer = self._request("POST", f"/subjects/{_q(subject)}/versions", {"schema": schema_str})
        return int(answer["id"])

    def schema_by_id(self, schema_id: int) -> str:
        return str(self._request("GET", f"/schemas/ids/{int(schema_id)}")["schema"])

    def latest(self, subject: str) -> tuple[int, int, str]:
        """(id, version, schema) of the subject's latest version."""
        answer = self._request("GET", f"/subjects/{_q(subject)}/versions/latest")
        return int(answer["id"]), int(answer["version"]), str(answer["schema"])

    def is_compatible(self, subject: str, schema_str: str) -> bool:
        """Whether registering would pass the subject's compatibility level (no subject: yes)."""
        return not self.compatibility_problems(subject, schema_str)

    def compatibility_problems(self, subject: str, schema_str: str) -> list[str]:
        path = f"/compatibility/subjects/{_q(subject)}/versions/latest?verbose=true"
        try:
            answer = self._request("POST", path, {"schema": schema_str})
        except RegistryError as exc:
            if exc.error_code == SUBJECT_NOT_FOUND:
                return []  # nothing registered yet, so nothing to conflict with
            raise
        if answer.get("is_compatible"):
            return []
        return [str(m) for m in answer.get("messages") or ["incompatible (no details given)"]]

    def set_compatibility(self, level: str, subject: str | None = None) -> str:
        path = f"/config/{_q(subject)}" if subject else "/config"
        return str(self._request("PUT", path, {"compatibility": level.upper()})["compatibility"])

    def _request(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        headers = {"Accept": f"{CONTENT_TYPE}, application/json"}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = CONTENT_TYPE
        request = urllib.request.Request(self.url + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            raise _error_from(exc) from None
        # No answer at all (refused, timed out) stays an OSError (urllib's URLError), so callers
        # can tell "not up yet, retry" from the registry's own refusals.


def _q(subject: str) -> str:
    return quote(subject, safe="")


def _error_from(exc: urllib.error.HTTPError) -> RegistryError:
    raw = exc.read()
    try:
        doc = json.loads(raw)
        return RegistryError(int(doc["error_code"]), str(doc["message"]), status=exc.code)
    except (ValueError, KeyError, TypeError):
        text = raw.decode(errors="replace").strip() or str(exc.reason)
        return RegistryError(exc.code, text, status=exc.code)
