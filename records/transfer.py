"""Transfer codes: short, typeable, single-use codes that move a learner's records to another device.

Pure functions only; `records.store` keeps the codes and the wrong-code counter.
"""
from __future__ import annotations

import datetime as dt
import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"   # no I/L/1, O/0: nothing to misread on a phone screen
LENGTH = 8                                       # 31**8 ≈ 8.5e11 codes
TTL = dt.timedelta(minutes=15)
WINDOW = dt.timedelta(minutes=10)               # wrong codes are counted per client and window
MAX_FAILURES = 20                                # per client and window; then every code is refused


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize(text: str) -> str | None:
    """What a person typed (any case, spaces, dashes) as a code, or None when it cannot be one."""
    code = "".join(ch for ch in (text or "").upper() if ch not in " -\t\r\n")
    return code if len(code) == LENGTH and all(ch in ALPHABET for ch in code) else None


def display(code: str) -> str:
    """ABCD-EFGH: two groups of four are easier to read aloud and type."""
    return f"{code[:4]}-{code[4:]}"


def window_of(moment: dt.datetime) -> str:
    """The start of the rate-limit window holding `moment`, as an ISO string (the counter's key)."""
    seconds = int(WINDOW.total_seconds())
    start = int(moment.timestamp()) // seconds * seconds
    return dt.datetime.fromtimestamp(start, dt.UTC).isoformat(timespec="seconds")
