"""Password hashing, without a database."""
from argon2 import PasswordHasher

from crm_gateway.identity.passwords import Passwords

FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def test_a_hashed_password_verifies_and_a_wrong_one_does_not() -> None:
    passwords = Passwords(FAST)
    hashed = passwords.hash("correct horse")
    assert hashed.startswith("$argon2id$")
    assert passwords.verify(hashed, "correct horse")
    assert not passwords.verify(hashed, "wrong horse")


def test_a_corrupt_hash_fails_verification_instead_of_raising() -> None:
    passwords = Passwords(FAST)
    assert not passwords.verify("not-a-hash", "whatever")
    assert passwords.needs_rehash("not-a-hash")


def test_a_hash_made_with_weaker_parameters_needs_a_rehash() -> None:
    weak = Passwords(FAST).hash("correct horse")
    stronger = Passwords(PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1))
    assert stronger.verify(weak, "correct horse")
    assert stronger.needs_rehash(weak)
    assert not stronger.needs_rehash(stronger.hash("correct horse"))


def test_verifying_nothing_spends_the_time_without_failing() -> None:
    Passwords(FAST).verify_nothing("anything")
