"""Web Push to a staff member's browser: VAPID (RFC 8292) and message encryption (RFC 8291 over
the aes128gcm content coding of RFC 8188), on `cryptography` only, following the RFCs' steps.

A PushSubscription (from the browser's pushManager.subscribe) is {endpoint, keys: {p256dh, auth}}.
Sending is `POST endpoint` with:
- `Authorization: vapid t=<JWT>, k=<our public key>`: the JWT is ES256 over {aud: the endpoint's
  origin, exp: at most 24 h ahead, sub: mailto: or https: contact}; the signature is raw r||s.
- the body: header salt(16) || rs(4, = 4096) || idlen(1, = 65) || keyid (our ephemeral public key),
  then one AES-128-GCM record of plaintext || 0x02 (last-record delimiter). Keys come from ECDH
  with the subscription's p256dh and HKDF-SHA-256 as RFC 8291 section 3.4 says:
      IKM   = HKDF(salt=auth, ikm=ecdh_secret, info="WebPush: info\\0" || ua_public || as_public, 32)
      CEK   = HKDF(salt=salt, ikm=IKM, info="Content-Encoding: aes128gcm\\0", 16)
      NONCE = HKDF(salt=salt, ikm=IKM, info="Content-Encoding: nonce\\0", 12)
- `Content-Encoding: aes128gcm`, `TTL` (seconds the push service may keep it), `Urgency`
  (very-low, low, normal, high) and optionally `Topic` (RFC 8030).
The push service answers 201; 404/410 mean the subscription is gone, 429 carries Retry-After,
413 means the payload was too large (a push service need accept no more than 4096 octets: 3993
of plaintext once the 86-octet header, the delimiter and the 16-octet tag are counted).

Sources: RFC 8291 (sections 3.3, 3.4, 4; Appendix A's worked example is a unit test), RFC 8292
(sections 2, 3), RFC 8188 (section 2), RFC 8030 (sections 5.2-5.4, 7.3 and 8); web-push test code
seen for cross-checking the Appendix A values (e.g. Go and Node implementations' RFC 8291 tests)."""
from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from chalicelib.alerts.providers.base import Delivery, RateLimited, RecipientGone, Rejected, Unavailable
from chalicelib.core import clock, outbound
from chalicelib.core.errors import InvalidInput

RECORD_SIZE = 4096
MAX_PLAINTEXT = 3993
MAX_VAPID_SECONDS = 24 * 3600
DEFAULT_VAPID_SECONDS = 12 * 3600
URGENCIES = ("very-low", "low", "normal", "high")


class SubscriptionGone(RecipientGone):
    """404/410 from the push service: the browser unsubscribed or the subscription expired; delete it."""


class PushRateLimited(RateLimited):
    pass


class PushRejected(Rejected):
    pass


class PushUnavailable(Unavailable):
    pass


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    text = text.strip()
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# --- subscriptions -------------------------------------------------------------------------
@dataclass(frozen=True)
class PushSubscription:
    endpoint: str
    p256dh: bytes                  # the browser's P-256 public key, uncompressed (65 octets)
    auth: bytes                    # the browser's authentication secret (16 octets)

    @classmethod
    def from_json(cls, data: dict, *, allow_http: bool = False) -> PushSubscription:
        """Validate a PushSubscription as the browser's toJSON() gives it. Only https endpoints,
        unless allow_http (tests against a local fake): we must never post to arbitrary hosts."""
        errors = []
        endpoint = data.get("endpoint") if isinstance(data, dict) else None
        scheme = urlsplit(endpoint).scheme if isinstance(endpoint, str) else ""
        if (scheme != "https" and not (allow_http and scheme == "http")) or not urlsplit(endpoint or "").hostname:
            errors.append({"field": "endpoint", "message": "must be the push service's https URL"})
        keys = (data.get("keys") if isinstance(data, dict) else None) or {}
        p256dh, auth = _key(keys.get("p256dh")), _key(keys.get("auth"))
        if p256dh is None or len(p256dh) != 65 or p256dh[0] != 4:
            errors.append({"field": "keys.p256dh", "message": "must be an uncompressed P-256 public key, base64url"})
        if auth is None or len(auth) != 16:
            errors.append({"field": "keys.auth", "message": "must be 16 octets, base64url"})
        if errors:
            raise InvalidInput("The push subscription is invalid.", errors=errors)
        return cls(endpoint, p256dh, auth)

    def to_json(self) -> dict:
        return {"endpoint": self.endpoint, "keys": {"p256dh": b64url(self.p256dh), "auth": b64url(self.auth)}}


def _key(value: Any) -> bytes | None:
    if not isinstance(value, str):
        return None
    try:
        return unb64url(value)
    except ValueError:
        return None


# --- VAPID (RFC 8292) ------------------------------------------------------------------------
@dataclass(frozen=True)
class VapidKeys:
    private_key: str               # base64url of the 32-octet P-256 private scalar (keep secret)
    public_key: str                # base64url of the 65-octet uncompressed point: the browser's applicationServerKey


def _private_key(raw: bytes):
    from cryptography.hazmat.primitives.asymmetric import ec

    return ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())


def _public_bytes(private_key) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return private_key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)


def generate_vapid_keys() -> VapidKeys:
    """A new VAPID key pair, once per deployment; the public half goes to the PWA."""
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    return VapidKeys(b64url(key.private_numbers().private_value.to_bytes(32, "big")), b64url(_public_bytes(key)))


def vapid_public_key(private_key: str) -> str:
    return b64url(_public_bytes(_private_key(unb64url(private_key))))


def origin(url: str) -> str:
    """The Web Origin (RFC 6454) of a push endpoint, the JWT's `aud`: scheme://host[:port], the default
    port left out."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    default = {"https": 443, "http": 80}.get(parts.scheme)
    return f"{parts.scheme}://{host}" + (f":{parts.port}" if parts.port and parts.port != default else "")


def vapid_authorization(endpoint: str, private_key: str, subject: str, *, now: int,
                        expires_in: int = DEFAULT_VAPID_SECONDS) -> str:
    """`vapid t=<JWT>, k=<public key>` for one push service origin."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    if not subject.startswith(("mailto:", "https://")):
        raise ValueError("the VAPID subject must be a mailto: or https: contact")
    if not 0 < expires_in <= MAX_VAPID_SECONDS:
        raise ValueError("a VAPID token may be valid for at most 24 hours")
    claims = {"aud": origin(endpoint), "exp": int(now) + expires_in, "sub": subject}
    signing_input = ".".join(b64url(json.dumps(x, separators=(",", ":")).encode())
                             for x in ({"typ": "JWT", "alg": "ES256"}, claims))
    key = _private_key(unb64url(private_key))
    r, s = decode_dss_signature(key.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256())))
    token = f"{signing_input}.{b64url(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"
    return f"vapid t={token}, k={b64url(_public_bytes(key))}"


# --- message encryption (RFC 8291 / RFC 8188) ---------------------------------------------------
def _hkdf(salt: bytes, ikm: bytes, info: bytes, length: int) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(ikm)


def derive_keys(ecdh_secret: bytes, auth: bytes, ua_public: bytes, as_public: bytes, salt: bytes) -> tuple[bytes, bytes]:
    """(CEK, NONCE) for one message, exactly as RFC 8291 section 3.4 and RFC 8188 section 2.2-2.3."""
    ikm = _hkdf(auth, ecdh_secret, b"WebPush: info\x00" + ua_public + as_public, 32)
    return (_hkdf(salt, ikm, b"Content-Encoding: aes128gcm\x00", 16),
            _hkdf(salt, ikm, b"Content-Encoding: nonce\x00", 12))


def encrypt(plaintext: bytes, ua_public: bytes, auth: bytes, *, sender_private_key: bytes | None = None,
            salt: bytes | None = None) -> bytes:
    """The aes128gcm body for one push message (a single record). `sender_private_key` and `salt`
    are fresh random values unless given (only the RFC's test vector gives them)."""
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if len(plaintext) > MAX_PLAINTEXT:
        raise ValueError(f"a push message holds at most {MAX_PLAINTEXT} octets of plaintext")
    sender = _private_key(sender_private_key) if sender_private_key else ec.generate_private_key(ec.SECP256R1())
    salt = salt or os.urandom(16)
    as_public = _public_bytes(sender)
    ua_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), ua_public)
    cek, nonce = derive_keys(sender.exchange(ec.ECDH(), ua_key), auth, ua_public, as_public, salt)
    record = AESGCM(cek).encrypt(nonce, plaintext + b"\x02", None)  # sequence number 0: the nonce itself
    header = salt + RECORD_SIZE.to_bytes(4, "big") + bytes([len(as_public)]) + as_public
    return header + record


# --- sending ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PushResult:
    status: int                    # 201 from a conforming push service
    location: str | None           # the push message resource (RFC 8030 section 5)


def send(subscription: PushSubscription | dict, payload: dict, vapid_private_key: str, subject: str,
         ttl: int = 24 * 3600, *, urgency: str = "normal", topic: str | None = None, now: int | None = None,
         timeout: float = outbound.DEFAULT_TIMEOUT) -> PushResult:
    """Encrypt `payload` (JSON) for the subscription and hand it to its push service. Not retried
    here (a repeated POST shows the notification twice): PushRateLimited / PushUnavailable tell the
    queue to try later, SubscriptionGone to delete the subscription."""
    if isinstance(subscription, dict):
        subscription = PushSubscription.from_json(subscription)
    if urgency not in URGENCIES:
        raise ValueError(f"urgency must be one of {', '.join(URGENCIES)}")
    if ttl < 0:
        raise ValueError("ttl must be >= 0 seconds")
    body = encrypt(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode(),
                   subscription.p256dh, subscription.auth)
    moment = int(clock.now().timestamp()) if now is None else int(now)
    headers = {"Authorization": vapid_authorization(subscription.endpoint, vapid_private_key, subject, now=moment),
               "Content-Encoding": "aes128gcm", "Content-Type": "application/octet-stream",
               "TTL": str(int(ttl)), "Urgency": urgency}
    if topic:
        headers["Topic"] = topic
    try:
        reply = outbound.request("POST", subscription.endpoint, body=body, headers=headers, timeout=timeout)
    except outbound.TransportError as error:
        raise PushUnavailable(str(error)) from None
    if reply.ok:
        return PushResult(reply.status, reply.headers.get("location"))
    message = f"push service answered {reply.status}: {reply.text[:200]}"
    if reply.status in (404, 410):
        raise SubscriptionGone(message, status=reply.status)
    if reply.status == 429:
        raise PushRateLimited(message, status=429, retry_after=_retry_after(reply.headers.get("retry-after")))
    if reply.status >= 500:
        raise PushUnavailable(message, status=reply.status, retry_after=_retry_after(reply.headers.get("retry-after"), None))
    raise PushRejected(message, status=reply.status)


def _retry_after(value: str | None, fallback: float | None = 60.0) -> float | None:
    """Retry-After in seconds (an HTTP date is read as 'later', i.e. the fallback)."""
    try:
        return max(0.0, float(value)) if value else fallback
    except ValueError:
        return fallback


class WebPushSender:
    """The AlertProvider for staff browsers: one VAPID identity for the deployment."""
    name = "webpush"

    def __init__(self, vapid_private_key: str, subject: str, *, ttl: int = 24 * 3600, urgency: str = "normal",
                 now=None):
        self.vapid_private_key = vapid_private_key
        self.subject = subject
        self.ttl = ttl
        self.urgency = urgency
        self._now = now or clock.now

    def deliver(self, recipient: PushSubscription | dict, html: str, *, url: str | None = None,
                skip_parts: int = 0) -> Delivery:
        from chalicelib.alerts.messages import push_payload

        subscription = recipient if isinstance(recipient, PushSubscription) else PushSubscription.from_json(recipient)
        now = int(self._now().timestamp())
        result = send(subscription, push_payload(html, url=url), self.vapid_private_key, self.subject, self.ttl,
                      urgency=self.urgency, now=now)
        return Delivery(self.name, subscription.endpoint, parts=1, ids=(result.location,) if result.location else ())
