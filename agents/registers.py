"""What a department's own register says about a subject, simulated: a stable figure derived from
the identifier, so the same enterprise always gets the same answer in every run and every process.

Departments use it only for facts they hold themselves and nobody else emitted (a vehicle count at
公安, arrears at 人社); facts another department emitted travel on its events instead (无证件).
"""

from __future__ import annotations

import hashlib


def figure(register: str, key: str, upper: int) -> int:
    """A number in ``range(upper)`` that ``register`` holds for ``key``."""
    digest = hashlib.sha256(f"{register}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % upper
