"""API keys as text: `pm_` + 30 random characters + a 6-character checksum, all base62 (GitHub's scheme).

The checksum (CRC32 of everything before it) makes a leaked key recognisable offline, by a secret scanner
or by us: a string that is not a well-formed key is refused before any lookup. Keys are stored only as
their SHA-256 (`key_hash`): they are long random strings, so a plain hash is as good as a slow one.
"""

from __future__ import annotations

import hashlib
import string
import zlib

PREFIX = "pm_"
RANDOM_LENGTH = 30
CHECKSUM_LENGTH = 6
ALPHABET = string.digits + string.ascii_uppercase + string.ascii_lowercase
KEY_LENGTH = len(PREFIX) + RANDOM_LENGTH + CHECKSUM_LENGTH
_ALLOWED = frozenset(ALPHABET)


def _base62(number: int, width: int) -> str:
    digits = []
    while number:
        number, digit = divmod(number, 62)
        digits.append(ALPHABET[digit])
    return "".join(reversed(digits)).rjust(width, "0")


def checksum(body: str) -> str:
    """The checksum of `pm_` + the random part."""
    return _base62(zlib.crc32(body.encode("ascii")), CHECKSUM_LENGTH)


def format_key(random_part: str) -> str:
    """The key for `random_part` (RANDOM_LENGTH base62 characters)."""
    if len(random_part) != RANDOM_LENGTH or not set(random_part) <= _ALLOWED:
        raise ValueError(f"the random part must be {RANDOM_LENGTH} base62 characters")
    body = PREFIX + random_part
    return body + checksum(body)


def is_well_formed(candidate: str) -> bool:
    """Prefix, length, alphabet and checksum: what can be checked without the database."""
    if len(candidate) != KEY_LENGTH or not candidate.startswith(PREFIX):
        return False
    rest = candidate[len(PREFIX) :]
    if not set(rest) <= _ALLOWED:
        return False
    body, check = candidate[:-CHECKSUM_LENGTH], candidate[-CHECKSUM_LENGTH:]
    return checksum(body) == check


def key_hash(key: str) -> str:
    """What is stored of a key."""
    return hashlib.sha256(key.encode("ascii")).hexdigest()
