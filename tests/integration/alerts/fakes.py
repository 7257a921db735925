"""Fake Telegram Bot API and fake Web Push service, each checking requests the way the real one does.

FakeTelegram: the token must be in the path (`/bot<token>/<method>`, else 401 Unauthorized, like
Telegram); sendMessage needs chat_id and a text that parses as Telegram HTML (only the tags Quay
uses: b, i, code, a href; every <, > and & outside a tag escaped) within 4096 characters after
entity parsing, else 400 as Telegram answers. Chats can be made blocked (403) or missing (400), and
the next calls can be scripted to answer 429 with parameters.retry_after.

FakePushService: a browser's subscription (its own P-256 key pair and auth secret, bound to one
VAPID application server key) and a push service that verifies the VAPID JWT (ES256 against k=,
aud = its origin, exp in the future and at most 24 h ahead, sub mailto:/https:), then decrypts the
aes128gcm body with the subscriber's private key, written from RFC 8291 section 3.4's HMAC
pseudo-code (independently of the module under test), and records what it read.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import html
import itertools
import json
import re
import time
from dataclasses import dataclass, field

from tests.fakes.server import FakeReply, FakeRequest, FakeServer, json_reply

TELEGRAM_TOKEN = "123456789:AAH-fake_token-For-Tests"
BOT_USERNAME = "QuayShopBot"

_ALLOWED_TAG = re.compile(r'<(b|i|code)>|<a href="([^"<>]*)">|</(b|i|code|a)>')
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#[0-9]+|#x[0-9a-fA-F]+);")


def check_telegram_html(text: str) -> str:
    """Parse `text` the way Telegram's HTML mode does (restricted to Quay's tags) and return the plain
    text a reader sees; raise ValueError("can't parse entities: ...") on anything Telegram refuses."""
    plain, stack, position = [], [], 0
    while position < len(text):
        char = text[position]
        if char == "<":
            match = _ALLOWED_TAG.match(text, position)
            if not match:
                raise ValueError(f"can't parse entities: unsupported start tag at byte offset {position}")
            opening = match.group(1) or ("a" if match.group(0).startswith("<a ") else None)
            if opening:
                if opening in stack:
                    raise ValueError(f"can't parse entities: nested <{opening}> at {position}")
                if "code" in stack:
                    raise ValueError("can't parse entities: a tag inside <code>")
                stack.append(opening)
            else:
                closing = match.group(3)
                if not stack or stack[-1] != closing:
                    raise ValueError(f"can't parse entities: unmatched end tag </{closing}> at {position}")
                stack.pop()
            position = match.end()
        elif char == "&":
            match = _ENTITY.match(text, position)
            if not match:
                raise ValueError(f"can't parse entities: unescaped & at {position}")
            plain.append(html.unescape(match.group(0)))
            position = match.end()
        elif char == ">":
            raise ValueError(f"can't parse entities: unescaped > at {position}")
        else:
            plain.append(char)
            position += 1
    if stack:
        raise ValueError(f"can't parse entities: can't find end tag corresponding to start tag {stack[-1]}")
    return "".join(plain)


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _fail(status: int, description: str, **parameters) -> FakeReply:
    body = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return json_reply(body, status)


@dataclass
class FakeTelegram:
    token: str = TELEGRAM_TOKEN
    blocked: set = field(default_factory=set)        # chat ids that blocked the bot: 403
    missing: set = field(default_factory=set)        # chat ids Telegram does not know: 400
    migrated: dict = field(default_factory=dict)     # group id -> the supergroup id it became
    scripted: list = field(default_factory=list)     # replies for the next calls, before any check
    sent: list = field(default_factory=list)         # messages actually delivered: {chat_id, text, plain}
    webhook: dict = field(default_factory=dict)
    limit_after: dict = field(default_factory=dict)  # after N messages sent, answer 429 once (retry_after)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def rate_limit_next(self, retry_after: int, times: int = 1) -> None:
        for _ in range(times):
            self.scripted.append(_fail(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after))

    def __call__(self, request: FakeRequest) -> FakeReply:
        match = re.fullmatch(r"/bot([^/]+)/(\w+)", request.path)
        if request.method not in ("GET", "POST") or not match:
            return _fail(404, "Not Found")
        if not hmac.compare_digest(match.group(1), self.token):
            return _fail(401, "Unauthorized")
        method = match.group(2)
        if request.method == "POST" and "application/json" not in request.headers.get("content-type", ""):
            return _fail(400, "Bad Request: expected a JSON body")
        body = request.json() if request.body else {}
        if self.scripted:
            return self.scripted.pop(0)
        if method == "sendMessage" and len(self.sent) in self.limit_after:
            retry_after = self.limit_after.pop(len(self.sent))
            return _fail(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)
        handler = {"sendMessage": self._send_message, "setWebhook": self._set_webhook, "getMe": self._get_me}.get(method)
        return handler(body) if handler else _fail(404, "Not Found")

    def _send_message(self, body: dict) -> FakeReply:
        chat_id, text = body.get("chat_id"), body.get("text")
        if chat_id in (None, ""):
            return _fail(400, "Bad Request: chat_id is empty")
        if not isinstance(text, str) or not text.strip():
            return _fail(400, "Bad Request: message text is empty")
        if body.get("parse_mode") != "HTML":
            return _fail(400, "Bad Request: Quay always sends parse_mode HTML")
        if body.get("link_preview_options") != {"is_disabled": True}:
            return _fail(400, "Bad Request: Quay's alerts disable link previews")
        if chat_id in self.migrated:
            return _fail(400, "Bad Request: group chat was upgraded to a supergroup chat",
                         migrate_to_chat_id=self.migrated[chat_id])
        if chat_id in self.blocked:
            return _fail(403, "Forbidden: bot was blocked by the user")
        if chat_id in self.missing:
            return _fail(400, "Bad Request: chat not found")
        try:
            plain = check_telegram_html(text)
        except ValueError as error:
            return _fail(400, f"Bad Request: {error}")
        if utf16_length(plain.strip()) > 4096:
            return _fail(400, "Bad Request: message is too long")
        message_id = next(self._ids)
        self.sent.append({"chat_id": chat_id, "text": text, "plain": plain})
        return json_reply({"ok": True, "result": {
            "message_id": message_id, "date": int(time.time()),
            "from": {"id": 123456789, "is_bot": True, "first_name": "Quay", "username": BOT_USERNAME},
            "chat": {"id": chat_id, "type": "private" if int(chat_id) > 0 else "group"}, "text": plain}})

    def _set_webhook(self, body: dict) -> FakeReply:
        url, secret = body.get("url"), body.get("secret_token")
        if not isinstance(url, str) or not url.startswith("https://"):
            return _fail(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            return _fail(400, "Bad Request: secret token contains unallowed characters")
        self.webhook = dict(body)
        return json_reply({"ok": True, "result": True, "description": "Webhook was set"})

    def _get_me(self, body: dict) -> FakeReply:
        return json_reply({"ok": True, "result": {"id": 123456789, "is_bot": True, "first_name": "Quay",
                                                  "username": BOT_USERNAME, "can_join_groups": True,
                                                  "can_read_all_group_messages": False,
                                                  "supports_inline_queries": False}})


# --- Web Push -----------------------------------------------------------------------------------
def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _hmac(key: bytes, data: bytes) -> bytes:
    return hmac.new(key, data, hashlib.sha256).digest()


def decrypt_aes128gcm(body: bytes, ua_private_raw: bytes, auth: bytes) -> bytes:
    """The user agent's half of RFC 8291, step by step from its section 3.4 pseudo-code."""
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    salt, record_size, idlen = body[:16], int.from_bytes(body[16:20], "big"), body[20]
    as_public, ciphertext = body[21:21 + idlen], body[21 + idlen:]
    if record_size != 4096 or idlen != 65 or len(ciphertext) > record_size:
        raise ValueError(f"unexpected header: rs={record_size} idlen={idlen}")
    ua_private = ec.derive_private_key(int.from_bytes(ua_private_raw, "big"), ec.SECP256R1())
    ua_public = ua_private.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    ecdh_secret = ua_private.exchange(ec.ECDH(), ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), as_public))
    prk_key = _hmac(auth, ecdh_secret)
    ikm = _hmac(prk_key, b"WebPush: info\x00" + ua_public + as_public + b"\x01")
    prk = _hmac(salt, ikm)
    cek = _hmac(prk, b"Content-Encoding: aes128gcm\x00\x01")[:16]
    nonce = _hmac(prk, b"Content-Encoding: nonce\x00\x01")[:12]
    padded = AESGCM(cek).decrypt(nonce, ciphertext, None)
    content = padded.rstrip(b"\x00")
    if not content.endswith(b"\x02"):
        raise ValueError("the single record must end with the last-record delimiter 0x02")
    return content[:-1]


@dataclass
class FakeBrowser:
    """What pushManager.subscribe() creates: a key pair and an auth secret, kept by the browser."""
    private_raw: bytes
    public: bytes
    auth: bytes

    @classmethod
    def new(cls) -> FakeBrowser:
        import os

        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        key = ec.generate_private_key(ec.SECP256R1())
        return cls(key.private_numbers().private_value.to_bytes(32, "big"),
                   key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint), os.urandom(16))


def verify_vapid(authorization: str, audience: str, now: float) -> dict:
    """Check `vapid t=<jwt>, k=<key>` as a push service does; return {claims, k} or raise ValueError."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    match = re.fullmatch(r"vapid t=([A-Za-z0-9_.-]+),\s*k=([A-Za-z0-9_-]+)", authorization or "")
    if not match:
        raise ValueError("Authorization is not 'vapid t=..., k=...'")
    token, k = match.groups()
    header_b64, claims_b64, signature_b64 = token.split(".")
    header, claims = json.loads(unb64(header_b64)), json.loads(unb64(claims_b64))
    if header.get("alg") != "ES256":
        raise ValueError("the JWT must be ES256")
    signature = unb64(signature_b64)
    if len(signature) != 64:
        raise ValueError("an ES256 JWS signature is r||s, 64 octets")
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64(k))
    try:
        public.verify(encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")),
                      f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise ValueError("the JWT signature does not verify against k") from None
    if claims.get("aud") != audience:
        raise ValueError(f"aud {claims.get('aud')!r} is not this push service's origin {audience!r}")
    if not isinstance(claims.get("exp"), int) or not now < claims["exp"] <= now + 24 * 3600:
        raise ValueError("exp must be in the future and at most 24 hours ahead")
    if not str(claims.get("sub", "")).startswith(("mailto:", "https://")):
        raise ValueError("sub must be a mailto: or https: contact")
    return {"claims": claims, "k": k}


@dataclass
class FakePushService:
    """Subscriptions live under /push/<id>; each is bound to the VAPID public key it was created with."""
    now: float = field(default_factory=time.time)
    subscribers: dict = field(default_factory=dict)  # id -> (FakeBrowser, application server key b64)
    gone: dict = field(default_factory=dict)          # id -> 404 or 410
    scripted: list = field(default_factory=list)
    received: list = field(default_factory=list)      # {id, headers, payload, vapid}
    base_url: str = ""

    def subscribe(self, server: FakeServer, application_server_key: str, name: str = "") -> tuple[dict, FakeBrowser]:
        self.base_url = server.url
        browser, subscription_id = FakeBrowser.new(), name or f"sub{len(self.subscribers) + 1}"
        self.subscribers[subscription_id] = (browser, application_server_key)
        return ({"endpoint": f"{server.url}/push/{subscription_id}", "expirationTime": None,
                 "keys": {"p256dh": b64(browser.public), "auth": b64(browser.auth)}}, browser)

    def __call__(self, request: FakeRequest) -> FakeReply:
        match = re.fullmatch(r"/push/(\w+)", request.path)
        if request.method != "POST" or not match:
            return FakeReply(404, "")
        subscription_id = match.group(1)
        if subscription_id in self.gone:
            return FakeReply(self.gone[subscription_id], "")
        if subscription_id not in self.subscribers:
            return FakeReply(404, "")
        if self.scripted:
            return self.scripted.pop(0)
        browser, application_server_key = self.subscribers[subscription_id]
        headers = request.headers
        try:
            vapid = verify_vapid(headers.get("authorization", ""), self.base_url, self.now)
        except ValueError as error:
            return FakeReply(401, {"error": str(error)})
        if vapid["k"] != application_server_key:
            return FakeReply(403, {"error": "the VAPID key is not the one this subscription was created with"})
        if headers.get("content-encoding") != "aes128gcm":
            return FakeReply(400, {"error": "Content-Encoding must be aes128gcm"})
        if not re.fullmatch(r"[0-9]+", headers.get("ttl", "")):
            return FakeReply(400, {"error": "TTL header is required"})
        if headers.get("urgency", "normal") not in ("very-low", "low", "normal", "high"):
            return FakeReply(400, {"error": "bad Urgency"})
        if len(request.body) > 4096:
            return FakeReply(413, {"error": "payload too large"})
        try:
            plaintext = decrypt_aes128gcm(request.body, browser.private_raw, browser.auth)
        except Exception as error:  # a wrong key derivation shows up as an InvalidTag here
            return FakeReply(400, {"error": f"cannot decrypt: {type(error).__name__} {error}"})
        self.received.append({"id": subscription_id, "headers": dict(headers), "payload": json.loads(plaintext),
                              "vapid": vapid["claims"]})
        return FakeReply(201, b"", {"Location": f"{self.base_url}/message/{len(self.received)}"})
