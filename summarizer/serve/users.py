"""The desk's users: a file of names and scrypt password hashes, one ``name:hash`` a line,
that the operator keeps (``summarizer serve --users-file F --add-user NAME``).

With users, a review is signed by the person signed in, not by a name typed in the form,
so the audit trail says who did what. The hash is the standard library's scrypt (RFC 7914:
memory-hard, salted, parameters stored beside it); written here because that is all it
takes, and no password library is then needed on an air-gapped machine.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from pathlib import Path

from ..errors import ConfigError

NAME = re.compile(r"^[\w.-]{1,40}$")  # a user's name: no separator, no space
_N, _R, _P = 2**14, 8, 1  # scrypt's cost: about 16 MB and a few tens of ms a check
_MIN_PASSWORD = 10


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P)
    encoded = (base64.b64encode(x).decode() for x in (salt, digest))
    return f"scrypt${_N}${_R}${_P}${'$'.join(encoded)}"


def check_password(stored: str, password: str) -> bool:
    """Whether ``password`` is the one ``stored`` was made from (constant-time compare)."""
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        computed = hashlib.scrypt(
            password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p)
        )
        return hmac.compare_digest(computed, base64.b64decode(digest))
    except (ValueError, TypeError):
        return False


def read_users(path: Path) -> dict[str, str]:
    """``{name: hash}`` from a users file; a line that is neither blank, a comment nor
    ``name:hash`` is a ``ConfigError`` naming it."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the users file ({exc})") from None
    users = {}
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        name, _, stored = line.partition(":")
        if not NAME.match(name) or not stored.startswith("scrypt$"):
            raise ConfigError(f"{path}:{number}: not a 'name:scrypt$...' line")
        users[name] = stored
    return users


def add_user(path: Path, name: str, password: str) -> None:
    """Add ``name`` to the users file, or give it a new password."""
    if not NAME.match(name):
        raise ConfigError(f"{name!r}: a user's name is letters, digits, '.', '-' or '_'")
    if len(password) < _MIN_PASSWORD:
        raise ConfigError(f"a password needs {_MIN_PASSWORD} characters or more")
    users = read_users(path) if path.exists() else {}
    users[name] = hash_password(password)
    path.write_text("".join(f"{n}:{h}\n" for n, h in users.items()), encoding="utf-8")
    path.chmod(0o600)
