"""Password and PIN hashing with argon2id (imported on first use: not on the cold-start path)."""
from functools import lru_cache


@lru_cache(maxsize=1)
def _hasher():
    from argon2 import PasswordHasher

    # Lambda-sized parameters: ~50 ms per hash on one vCPU, 32 MiB memory.
    return PasswordHasher(time_cost=2, memory_cost=32 * 1024, parallelism=1)


def hash_secret(secret: str) -> str:
    return _hasher().hash(secret)


def verify_secret(stored_hash: str, secret: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(stored_hash, secret)
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def dummy_hash() -> str:
    """Verified against when the account does not exist, so timing does not reveal it."""
    return hash_secret("no-such-account")
