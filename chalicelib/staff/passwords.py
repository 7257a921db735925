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


# OWASP ASVS 4.0 V2.1: at least 10 characters here (ASVS asks 12 for users who pick their own,
# we allow 10 for staff typing on a phone), no upper limit below 128, and a strength estimate
# that refuses common and guessable passwords. zxcvbn ships its dictionaries: nothing is
# looked up online.
MIN_PASSWORD_LENGTH = 10
MIN_STRENGTH = 3  # zxcvbn: 0 too guessable ... 4 very unguessable


def password_problem(password: str, *related: str) -> str | None:
    """Why a new password is refused, or None. `related` are the account's own words (email,
    names), which make a password guessable for whoever knows them."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"at least {MIN_PASSWORD_LENGTH} characters"
    from zxcvbn import zxcvbn  # lazy: ~70 ms of dictionaries, loaded on the first password set

    verdict = zxcvbn(password[:100], user_inputs=[x for x in related if x])
    if verdict["score"] < MIN_STRENGTH:
        return "too easy to guess: use a longer phrase of unrelated words"
    return None
