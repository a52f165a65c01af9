"""Time-based one-time passwords (RFC 6238, SHA-1, 30 s, 6 digits) for two-factor sign-in."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote


def new_secret() -> str:
    """A random base32 secret (160 bits) for an authenticator app."""
    return base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")


def code_at(secret: str, counter: int, digits: int = 6) -> str:
    """The code for one 30-second step."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8), casefold=True)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def verify(secret: str, code: str, *, at: float | None = None, window: int = 1) -> int | None:
    """The matching time step if `code` is valid now (±window steps), else None."""
    code = "".join(ch for ch in str(code) if ch.isdigit())
    if len(code) != 6:
        return None
    step = int((time.time() if at is None else at) // 30)
    for counter in range(step - window, step + window + 1):
        if hmac.compare_digest(code_at(secret, counter), code):
            return counter
    return None


def provisioning_uri(secret: str, account: str, issuer: str = "peacekit") -> str:
    """otpauth:// URI that authenticator apps read from a QR code."""
    return (
        f"otpauth://totp/{quote(issuer)}:{quote(account)}?secret={secret}"
        f"&issuer={quote(issuer)}&algorithm=SHA1&digits=6&period=30"
    )
