"""Web Push message encryption (RFC 8291 Appendix A) and VAPID tokens (RFC 8292), no network."""
import json

import pytest

from chalicelib.alerts.providers import webpush as w
from chalicelib.core.errors import InvalidInput
from tests.integration.alerts.fakes import FakeBrowser, b64, decrypt_aes128gcm, verify_vapid

# RFC 8291 Appendix A, verbatim.
PLAINTEXT = b"When I grow up, I want to be a watermelon"
AS_PRIVATE = "yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw"
AS_PUBLIC = "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8"
UA_PRIVATE = "q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94"
UA_PUBLIC = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"
SALT = "DGv6ra1nlYgDCS1FRnbzlw"
AUTH = "BTBZMqHH6r4Tts7J_aSIgg"
ECDH_SECRET = "kyrL1jIIOHEzg3sM2ZWRHDRB62YACZhhSlknJ672kSs"
CEK = "oIhVW04MRdy2XN9CiKLxTg"
NONCE = "4h_95klXJ5E_qnoN"
BODY = ("DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27ml"
        "mlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPT"
        "pK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN")


def test_rfc8291_appendix_a_body_byte_for_byte():
    body = w.encrypt(PLAINTEXT, w.unb64url(UA_PUBLIC), w.unb64url(AUTH),
                     sender_private_key=w.unb64url(AS_PRIVATE), salt=w.unb64url(SALT))
    assert w.b64url(body) == BODY
    assert body[16:20] == (4096).to_bytes(4, "big") and body[20] == 65 and w.b64url(body[21:86]) == AS_PUBLIC


def test_rfc8291_appendix_a_intermediate_keys():
    assert w.vapid_public_key(AS_PRIVATE) == AS_PUBLIC and w.vapid_public_key(UA_PRIVATE) == UA_PUBLIC
    cek, nonce = w.derive_keys(w.unb64url(ECDH_SECRET), w.unb64url(AUTH), w.unb64url(UA_PUBLIC),
                               w.unb64url(AS_PUBLIC), w.unb64url(SALT))
    assert (w.b64url(cek), w.b64url(nonce)) == (CEK, NONCE)


def test_rfc8291_appendix_a_decrypts_with_the_user_agent_key():
    assert decrypt_aes128gcm(w.unb64url(BODY), w.unb64url(UA_PRIVATE), w.unb64url(AUTH)) == PLAINTEXT


def test_each_message_has_a_fresh_key_and_salt_and_round_trips():
    browser = FakeBrowser.new()
    first, second = (w.encrypt("Đơn mới 😀".encode(), browser.public, browser.auth) for _ in range(2))
    assert first[:16] != second[:16] and first[21:86] != second[21:86]
    assert decrypt_aes128gcm(first, browser.private_raw, browser.auth) == "Đơn mới 😀".encode()


def test_plaintext_is_limited_to_what_a_push_service_must_accept():
    browser = FakeBrowser.new()
    assert len(w.encrypt(b"x" * w.MAX_PLAINTEXT, browser.public, browser.auth)) == 4096
    with pytest.raises(ValueError):
        w.encrypt(b"x" * (w.MAX_PLAINTEXT + 1), browser.public, browser.auth)


def test_generated_vapid_keys_are_a_matching_pair():
    keys = w.generate_vapid_keys()
    assert len(w.unb64url(keys.private_key)) == 32 and len(w.unb64url(keys.public_key)) == 65
    assert w.vapid_public_key(keys.private_key) == keys.public_key
    assert w.generate_vapid_keys().private_key != keys.private_key


def test_vapid_token_is_es256_for_the_endpoint_origin_and_expires_within_a_day():
    keys = w.generate_vapid_keys()
    header = w.vapid_authorization("https://fcm.googleapis.com:443/fcm/send/abc?x=1", keys.private_key,
                                   "mailto:ops@quay.vn", now=1_763_881_500)
    checked = verify_vapid(header, "https://fcm.googleapis.com", now=1_763_881_500)
    assert checked["k"] == keys.public_key
    assert checked["claims"] == {"aud": "https://fcm.googleapis.com", "exp": 1_763_881_500 + 12 * 3600,
                                 "sub": "mailto:ops@quay.vn"}
    token = header.split("t=")[1].split(",")[0]
    assert json.loads(w.unb64url(token.split(".")[0])) == {"typ": "JWT", "alg": "ES256"}


def test_vapid_token_signed_by_another_key_does_not_verify():
    header = w.vapid_authorization("https://push.example/x", w.generate_vapid_keys().private_key,
                                   "https://quay.vn", now=1000)
    other = w.generate_vapid_keys().public_key
    forged = header.split(", k=")[0] + ", k=" + other
    with pytest.raises(ValueError, match="signature"):
        verify_vapid(forged, "https://push.example", now=1000)


def test_vapid_refuses_long_lived_tokens_and_bad_subjects():
    key = w.generate_vapid_keys().private_key
    with pytest.raises(ValueError):
        w.vapid_authorization("https://push.example/x", key, "mailto:a@b.vn", now=0, expires_in=24 * 3600 + 1)
    with pytest.raises(ValueError):
        w.vapid_authorization("https://push.example/x", key, "ops@quay.vn", now=0)


def test_origin_keeps_a_non_default_port_only():
    assert w.origin("https://Push.Example:443/a/b") == "https://push.example"
    assert w.origin("http://127.0.0.1:8123/push/1") == "http://127.0.0.1:8123"


def test_subscription_validation():
    browser = FakeBrowser.new()
    good = {"endpoint": "https://fcm.googleapis.com/fcm/send/abc", "keys": {"p256dh": b64(browser.public),
                                                                          "auth": b64(browser.auth)}}
    subscription = w.PushSubscription.from_json(good)
    assert subscription.p256dh == browser.public and subscription.to_json() == good
    with pytest.raises(InvalidInput) as caught:
        w.PushSubscription.from_json({"endpoint": "http://10.0.0.1/x", "keys": {"p256dh": "AAAA", "auth": "!!"}})
    assert [e["field"] for e in caught.value.errors] == ["endpoint", "keys.p256dh", "keys.auth"]
    assert w.PushSubscription.from_json({**good, "endpoint": "http://127.0.0.1:9/x"}, allow_http=True)
