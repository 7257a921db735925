"""Signup, login, tokens, throttling, staff accounts and roles."""
import time

from tests.conftest import unique_email


def test_health_and_signup_then_me(api, shop):
    owner, created = shop
    assert api.get("/api/v1/health").data == {"status": "ok"}
    me = owner.get("/api/v1/me")
    assert me.status_code == 200
    assert me.data["tenant_id"] == created["tenant_id"]
    assert me.data["role"] == "owner"
    assert me.data["shop"]["name"] == "Shop Thử"
    assert "staff.manage" in me.data["permissions"]


def test_signup_with_taken_email_answers_like_a_new_one_and_creates_nothing(api, shop):
    """Security review: signup told anyone whether an email had an account (409). Now it answers
    the same either way, and the taken email's account and shop are left as they were."""
    owner, created = shop
    fresh = api.post("/api/v1/signup", {"shop_name": "Other", "owner_name": "X", "owner_email": unique_email(),
                                        "owner_password": "another-pass-2026"})
    again = api.post("/api/v1/signup", {"shop_name": "Other", "owner_name": "X",
                                        "owner_email": created["owner"]["email"].upper(),
                                        "owner_password": "another-pass-2026"})
    assert again.status_code == fresh.status_code == 201
    assert set(again.data) == set(fresh.data) and set(again.data["owner"]) == set(fresh.data["owner"])
    assert again.data["tenant_id"] != created["tenant_id"]
    stolen = api.post("/api/v1/auth/login", {"email": created["owner"]["email"], "password": "another-pass-2026"})
    assert stolen.status_code == 401
    assert owner.get("/api/v1/me").data["tenant_id"] == created["tenant_id"]
    trail = owner.get(f"/api/v1/audit?entity_type=staff&entity_id={created['owner']['id']}").data["items"]
    assert "signup.email_reused" in [entry["action"] for entry in trail]


def test_bad_json_and_invalid_fields_are_400_with_field_names(api):
    bad = api.post("/api/v1/signup", raw=b"{not json")
    assert bad.status_code == 400
    assert bad.data["errors"][0]["field"] == "body"
    invalid = api.post("/api/v1/signup", {"shop_name": "", "owner_name": "A", "owner_email": "nope",
                                          "owner_password": "short"})
    assert invalid.status_code == 400
    fields = {e["field"] for e in invalid.data["errors"]}
    assert fields == {"shop_name", "owner_email", "owner_password"}
    unknown = api.post("/api/v1/signup", {"shop_name": "S", "owner_name": "A", "owner_email": unique_email(),
                                          "owner_password": "cay-tre-2026", "plan": "gold"})
    assert unknown.status_code == 400 and unknown.data["errors"][0]["field"] == "plan"


def test_wrong_password_is_401_and_locks_after_five_failures(api, shop):
    _, created = shop
    email = created["owner"]["email"]
    for _ in range(5):
        wrong = api.post("/api/v1/auth/login", {"email": email, "password": "wrong-password"})
        assert wrong.status_code == 401
    locked = api.post("/api/v1/auth/login", {"email": email, "password": "secret-pass-1"})
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) > 0


def test_unknown_email_gets_the_same_401(api):
    answer = api.post("/api/v1/auth/login", {"email": unique_email(), "password": "whatever-1"})
    assert answer.status_code == 401
    assert answer.data["detail"] == "Wrong email or password."


def test_missing_wrong_and_expired_tokens_are_refused(api, shop):
    assert api.get("/api/v1/me").status_code == 401
    forged = api.as_("abc.def.ghi").get("/api/v1/me")
    assert forged.status_code == 401 and forged.headers["content-type"] == "application/problem+json"
    expired_token = _expired_token(shop[1])
    expired = api.as_(expired_token).get("/api/v1/me")
    assert expired.status_code == 401
    assert "expired" in expired.data["detail"]


def _expired_token(created):
    import jwt

    from chalicelib.core.settings import settings

    now = int(time.time())
    claims = {"iss": "quay", "typ": "access", "sub": created["owner"]["id"], "tid": created["tenant_id"],
              "role": "owner", "loc": [], "iat": now - 7200, "exp": now - 3600}
    return jwt.encode(claims, settings.token_secret, algorithm="HS256")


def test_staff_created_by_owner_can_log_in_with_their_role(api, shop):
    owner, _ = shop
    email = unique_email("cashier")
    created = owner.post("/api/v1/staff", {"email": email, "name": "Thu Ngân", "role": "cashier",
                                           "password": "cashier-pass"})
    assert created.status_code == 201, created.body
    login = api.post("/api/v1/auth/login", {"email": email, "password": "cashier-pass"})
    me = api.as_(login.data["access_token"]).get("/api/v1/me").data
    assert me["role"] == "cashier" and "staff.manage" not in me["permissions"]
    listed = owner.get("/api/v1/staff").data["items"]
    assert {s["email"] for s in listed} >= {email}


def test_manager_cannot_create_an_owner_and_cashier_cannot_create_staff(api, shop):
    owner, _ = shop
    manager = _staff(api, owner, "manager")
    refused = manager.post("/api/v1/staff", {"email": unique_email(), "name": "X", "role": "owner",
                                             "password": "mai-vang-2026"})
    assert refused.status_code == 403
    cashier = _staff(api, owner, "cashier")
    assert cashier.post("/api/v1/staff", {"email": unique_email(), "name": "X", "role": "sales",
                                          "password": "mai-vang-2026"}).status_code == 403


def _staff(api, owner, role, **extra):
    email = unique_email(role)
    answer = owner.post("/api/v1/staff", {"email": email, "name": role.title(), "role": role,
                                          "password": "mai-vang-2026", **extra})
    assert answer.status_code == 201, answer.body
    login = api.post("/api/v1/auth/login", {"email": email, "password": "mai-vang-2026"})
    return api.as_(login.data["access_token"])


def test_deactivated_staff_cannot_log_in_and_change_is_audited(api, shop):
    owner, _ = shop
    email = unique_email("sales")
    staff_id = owner.post("/api/v1/staff", {"email": email, "name": "Bán Hàng", "role": "sales",
                                            "password": "mai-vang-2026"}).data["id"]
    changed = owner.patch(f"/api/v1/staff/{staff_id}", {"active": False})
    assert changed.status_code == 200 and changed.data["active"] is False
    assert api.post("/api/v1/auth/login", {"email": email, "password": "mai-vang-2026"}).status_code == 401
    trail = owner.get(f"/api/v1/audit?entity_type=staff&entity_id={staff_id}").data["items"]
    assert [t["action"] for t in trail] == ["staff.updated", "staff.created"]
    assert trail[0]["before"]["active"] is True and trail[0]["after"]["active"] is False


def test_pin_login_on_a_registered_counter_device(api, shop):
    owner, _ = shop
    email = unique_email("cashier")
    staff_id = owner.post("/api/v1/staff", {"email": email, "name": "Quầy 1", "role": "cashier",
                                            "password": "mai-vang-2026", "pin": "4321"}).data["id"]
    device = owner.post("/api/v1/auth/devices").data["device_token"]
    names = api.post("/api/v1/auth/device-staff", {"device_token": device}).data["items"]
    assert [n["id"] for n in names] == [staff_id]
    wrong = api.post("/api/v1/auth/pin", {"device_token": device, "staff_id": staff_id, "pin": "0000"})
    assert wrong.status_code == 401
    ok = api.post("/api/v1/auth/pin", {"device_token": device, "staff_id": staff_id, "pin": "4321"})
    assert ok.status_code == 200 and ok.data["staff"]["id"] == staff_id
    not_a_device = api.post("/api/v1/auth/pin", {"device_token": ok.data["access_token"], "staff_id": staff_id,
                                                 "pin": "4321"})
    assert not_a_device.status_code == 401


def test_idempotent_staff_create_replays_and_rejects_a_different_body(api, shop):
    owner, _ = shop
    body = {"email": unique_email(), "name": "Kho", "role": "warehouse", "password": "mai-vang-2026"}
    first = owner.post("/api/v1/staff", body, headers={"Idempotency-Key": "k-1"})
    again = owner.post("/api/v1/staff", body, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 201
    assert again.data["id"] == first.data["id"] and again.headers["idempotent-replayed"] == "true"
    other = owner.post("/api/v1/staff", {**body, "name": "Khác"}, headers={"Idempotency-Key": "k-1"})
    assert other.status_code == 422
    assert len([s for s in owner.get("/api/v1/staff").data["items"] if s["email"] == body["email"]]) == 1


def test_refresh_rotates_and_logout_ends_the_session(api, shop):
    _, created = shop
    session = api.post("/api/v1/auth/login", {"email": created["owner"]["email"], "password": "secret-pass-1"}).data
    assert session["expires_in"] == 900 and session["refresh_token"].startswith(created["tenant_id"] + ".")
    renewed = api.post("/api/v1/auth/refresh", {"refresh_token": session["refresh_token"]})
    assert renewed.status_code == 200 and renewed.data["refresh_token"] != session["refresh_token"]
    assert api.as_(renewed.data["access_token"]).get("/api/v1/me").status_code == 200
    reused = api.post("/api/v1/auth/refresh", {"refresh_token": session["refresh_token"]})
    assert reused.status_code == 401
    assert api.post("/api/v1/auth/logout", {"refresh_token": renewed.data["refresh_token"]}).status_code == 200
    assert api.post("/api/v1/auth/refresh", {"refresh_token": renewed.data["refresh_token"]}).status_code == 401
    forged = api.post("/api/v1/auth/refresh", {"refresh_token": created["tenant_id"] + "." + "x" * 43})
    assert forged.status_code == 401


def test_deactivated_staff_cannot_refresh_and_role_changes_apply_on_refresh(api, shop):
    owner, _ = shop
    email = unique_email("sales")
    staff_id = owner.post("/api/v1/staff", {"email": email, "name": "S", "role": "sales",
                                            "password": "mai-vang-2026"}).data["id"]
    session = api.post("/api/v1/auth/login", {"email": email, "password": "mai-vang-2026"}).data
    owner.patch(f"/api/v1/staff/{staff_id}", {"role": "warehouse"})
    renewed = api.post("/api/v1/auth/refresh", {"refresh_token": session["refresh_token"]}).data
    assert api.as_(renewed["access_token"]).get("/api/v1/me").data["role"] == "warehouse"
    owner.patch(f"/api/v1/staff/{staff_id}", {"active": False})
    assert api.post("/api/v1/auth/refresh", {"refresh_token": renewed["refresh_token"]}).status_code == 401


def test_many_accounts_tried_from_one_address_lock_that_address(api, mocker):
    from chalicelib.staff import throttle

    mocker.patch.object(throttle, "MAX_FAILURES_PER_IP", 3)
    for _ in range(3):
        assert api.post("/api/v1/auth/login", {"email": unique_email(), "password": "guess-123"}).status_code == 401
    locked = api.post("/api/v1/auth/login", {"email": unique_email(), "password": "guess-123"})
    assert locked.status_code == 429 and int(locked.headers["retry-after"]) > 0
