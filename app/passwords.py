"""Password hashes: Argon2id (RFC 9106), the first choice of OWASP's password storage cheat sheet and
recommended by the BSI (TR-02102-1), at OWASP's minimum parameters: 19 MiB of memory, 2 passes, 1 lane.

Werkzeug's default used before, scrypt with n = 2**15, is below OWASP's minimum for scrypt (2**17) and
still cost 0.15–0.2 s of CPU per log-in on a 2-core server, the slowest page under load; Argon2id at the
parameters above costs about 30 ms there. Hashes made before (Werkzeug's scrypt or PBKDF2) still
verify and are replaced by Argon2id at the account's next successful log-in (``User.check_password``);
so are Argon2id hashes with other parameters, should these ever change.
"""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from werkzeug.security import check_password_hash

_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_ARGON2 = "$argon2"


def hash_password(password: str) -> str:
    """A new salted Argon2id hash of ``password``, in the PHC string format (its parameters included)."""
    return _HASHER.hash(password)


def password_matches(stored: str, password: str) -> bool:
    """Whether ``password`` is the one ``stored`` was made from; False also for a damaged hash."""
    if stored.startswith(_ARGON2):
        try:
            return _HASHER.verify(stored, password)
        except (VerificationError, InvalidHashError):  # a wrong password, or a hash that cannot be read
            return False
    try:
        return check_password_hash(stored, password)
    except ValueError:  # a method Werkzeug does not know
        return False


def needs_new_hash(stored: str) -> bool:
    """Whether ``stored`` is of an older kind or has other parameters than ``hash_password`` uses now."""
    if not stored.startswith(_ARGON2):
        return True
    try:
        return _HASHER.check_needs_rehash(stored)
    except InvalidHashError:
        return True
