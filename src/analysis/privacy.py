"""Personal data: pseudonymous ids and redaction (Thailand's PDPA).

Names, e-mails, phone numbers and 13-digit national ID numbers must never reach processed
data, logs, results or reports. Respondent keys are replaced by a keyed hash; any text the
pipeline writes out of a raw cell goes through :func:`redact`.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import unicodedata

from analysis.errors import PhanatError

EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
NATIONAL_ID = re.compile(r"(?<!\d)\d[\s\-]?\d{4}[\s\-]?\d{5}[\s\-]?\d{2}[\s\-]?\d(?!\d)")
PHONE = re.compile(r"(?<!\d)(?:\+66[\s\-]?|0)[1-9](?:[\s\-]?\d){7,8}(?!\d)")
THAI_NAME = re.compile(r"(?:นางสาว|นาง|นาย|น\.ส\.|ด\.ช\.|ด\.ญ\.)\s*\S+(?:\s+\S+)?")


def redact(text: str) -> str:
    """Replace e-mails, national IDs, phone numbers and titled Thai names by placeholders."""
    text = EMAIL.sub("[e-mail]", text)
    text = NATIONAL_ID.sub("[national-id]", text)
    text = PHONE.sub("[phone]", text)
    return THAI_NAME.sub("[name]", text)


def contains_personal_data(text: str) -> bool:
    """True when ``text`` holds something shaped like an e-mail, phone or national ID."""
    return bool(EMAIL.search(text) or NATIONAL_ID.search(text) or PHONE.search(text))


def pseudonym_key(env_var: str, configured: str | None) -> bytes:
    """The HMAC key: the environment variable wins over the study config's value."""
    key = os.environ.get(env_var) or configured
    if not key:
        raise PhanatError(
            f"no pseudonymisation key: set the environment variable {env_var} "
            "(or pseudonym.key in the study config)"
        )
    return str(key).encode("utf-8")


def pseudonymous_id(respondent_key: str, key: bytes) -> str:
    """Stable id ``R`` + 12 hex digits of HMAC-SHA256(key, normalised respondent key).

    The respondent key is NFKC-normalised, stripped and lower-cased first, so that
    ``A@x.org`` and ``a@x.org `` give the same id (RFC 2104 HMAC; FIPS 180-4 SHA-256).
    """
    norm = unicodedata.normalize("NFKC", respondent_key).strip().casefold()
    return "R" + hmac.new(key, norm.encode("utf-8"), hashlib.sha256).hexdigest()[:12]
