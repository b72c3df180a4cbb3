"""Password hashing with argon2id (argon2-cffi)."""
from __future__ import annotations

from functools import cached_property

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


class Passwords:
    """Hash and check passwords; checking for an unknown user costs as much as for a known one."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self._hasher = hasher or PasswordHasher()

    def hash(self, password: str) -> str:
        """Return the argon2 hash of a password."""
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        """Tell whether a password matches its hash."""
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        """Tell whether a hash was made with weaker parameters than today's."""
        try:
            return self._hasher.check_needs_rehash(password_hash)
        except InvalidHashError:
            return True

    def verify_nothing(self, password: str) -> None:
        """Spend the time of one verification, so unknown usernames cannot be told by timing."""
        self.verify(self._dummy_hash, password)

    @cached_property
    def _dummy_hash(self) -> str:
        return self._hasher.hash("not a password of anybody")
