"""Teacher accounts: password hashing, account checks and the login limit. Pure rules; the store counts."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets

from werkzeug.security import check_password_hash, generate_password_hash

USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{2,32}$")
MIN_PASSWORD = 8
MAX_PASSWORD = 200
SESSION_LENGTH = dt.timedelta(hours=10)      # a school day
LAST_SEEN_EVERY = dt.timedelta(minutes=5)    # how stale a session's last_seen_at may get (one write per 5 min)
FAILURE_WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5                 # per account + address: a school shares one NAT address
MAX_FAILURES_PER_ADDRESS = 50                # generous: many teachers behind one address
# Checked against when the account does not exist, so a missing account costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-real-password", method="scrypt")


def hash_password(password: str) -> str:
    """Memory-hard scrypt hash (werkzeug's default parameters)."""
    return generate_password_hash(password, method="scrypt")


def password_matches(stored_hash: str | None, password: str) -> bool:
    ok = check_password_hash(stored_hash or _DUMMY_HASH, password[:MAX_PASSWORD])
    return ok and stored_hash is not None


def account_problems(username: str, password: str) -> list[str]:
    problems = []
    if not USERNAME_RE.match(username):
        problems.append("用户名须为 2–32 个字母、数字或 _ . -")
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        problems.append(f"密码须为 {MIN_PASSWORD}–{MAX_PASSWORD} 个字符")
    return problems


def account_key(username: str, address: str) -> str:
    return f"account:{username.strip().lower()}|{address}"


def address_key(address: str) -> str:
    return f"address:{address}"


def session_valid(started_at: str | None, now: dt.datetime) -> bool:
    """A teacher session lasts a school day from login, whatever the cookie claims."""
    try:
        started = dt.datetime.fromisoformat(started_at) if started_at else None
    except (TypeError, ValueError):
        return False
    return started is not None and dt.timedelta(0) <= now - started <= SESSION_LENGTH


def new_session_id() -> str:
    """A random session id for the cookie (256 bits); the database keeps only session_hash() of it."""
    return secrets.token_urlsafe(32)


def session_hash(session_id: str) -> str:
    """SHA-256 is enough for a 256-bit random id: a leaked table cannot be turned back into cookies."""
    return hashlib.sha256(session_id.encode()).hexdigest()


def resume_hash(secret: str, class_id: int, student_no: str, code: str) -> str:
    """Keyed hash of a student's personal code (fast on purpose: a class joins at once; tries are limited)."""
    message = f"{class_id}:{student_no}:{code.strip().upper()}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def resume_matches(stored: str, secret: str, class_id: int, student_no: str, code: str) -> bool:
    return hmac.compare_digest(stored, resume_hash(secret, class_id, student_no, code))
