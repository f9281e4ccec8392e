"""Identifiers of the domain: 统一社会信用代码 (GB 32100-2015) and citizen tokens.

Raw citizen identity numbers never reach a topic: they are replaced by a keyed, one-way token.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from datetime import date

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
NINGBO = "330200"


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def organization_code(digits8: str) -> str:
    """GB 11714 organisation code: eight digits and their check character."""
    remainder = 11 - sum(int(d) * w for d, w in zip(digits8, _ORG_WEIGHTS, strict=True)) % 11
    return digits8 + {10: "X", 11: "0"}.get(remainder, str(remainder))


def make_uscc(seed: str, *, division: str = NINGBO) -> str:
    """A valid enterprise USCC (registered by 市场监管) derived deterministically from ``seed``."""
    digits = str(int(hashlib.sha256(seed.encode()).hexdigest(), 16))[:8]
    first17 = "91" + division + organization_code(digits)
    return first17 + uscc_check_char(first17)


def is_valid_uscc(code: str) -> bool:
    if len(code) != 18 or any(c not in USCC_CHARSET for c in code):
        return False
    return uscc_check_char(code[:17]) == code[17]


# Public, so it protects nothing: it only keeps local demos reproducible.
DEMO_TOKEN_KEY = "onething-local-demo-key"


def _token_key() -> bytes:
    # Deployments set their own key; `onething run` refuses to start without one (unless --demo).
    return os.environ.get("ONETHING_TOKEN_KEY", DEMO_TOKEN_KEY).encode()


def has_own_token_key() -> bool:
    """True when ONETHING_TOKEN_KEY is set to something other than the public demo key."""
    key = os.environ.get("ONETHING_TOKEN_KEY", "")
    return bool(key) and key != DEMO_TOKEN_KEY


def tokenize_citizen_id(id_number: str) -> str:
    """Replace a 身份证号 by a stable token: the same person gets the same token everywhere."""
    digest = hmac.new(_token_key(), id_number.strip().upper().encode(), hashlib.sha256)
    return "ct_" + digest.hexdigest()[:32]


# --- 公民身份号码 (GB 11643-1999), for checking that none ever reaches a topic -------------------

_CITIZEN_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CITIZEN_CHECK = "10X98765432"
# 18 characters not inside a longer run of digits; bytes, so raw Kafka records can be scanned.
_CITIZEN_CANDIDATE = re.compile(rb"(?<!\d)\d{17}[\dX](?![\dX])")


def is_valid_citizen_id(number: str) -> bool:
    """17 digits, a real birth date, and the GB 11643 check character."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    if not 1900 <= born.year <= 2100:
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _CITIZEN_WEIGHTS, strict=True))
    return number[17] == _CITIZEN_CHECK[total % 11]


def make_citizen_id(division: str, born: date, sequence: int) -> str:
    """A 公民身份号码: division, birth date, sequence (odd for men, even for women), check character."""
    first17 = f"{division}{born:%Y%m%d}{sequence:03d}"
    total = sum(int(d) * w for d, w in zip(first17, _CITIZEN_WEIGHTS, strict=True))
    return first17 + _CITIZEN_CHECK[total % 11]


def find_citizen_ids(data: bytes) -> list[str]:
    """Every valid 身份证号 in clear in ``data`` (a valid USCC that happens to be all digits is not one)."""
    found = (m.decode() for m in _CITIZEN_CANDIDATE.findall(data))
    return [n for n in found if is_valid_citizen_id(n) and not is_valid_uscc(n)]


def with_check_character(first17: str) -> str:
    """A 公民身份号码 from its first 17 digits (division, birth date, sequence) and GB 11643's check."""
    total = sum(int(d) * w for d, w in zip(first17, _CITIZEN_WEIGHTS, strict=True))
    return first17 + _CITIZEN_CHECK[total % 11]
