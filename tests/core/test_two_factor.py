"""Two-factor sign-in: administrators enter an authenticator code after their password."""

import time

import pytest
from django.test import override_settings

from peacekit.core import services, totp
from peacekit.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_totp_matches_the_rfc_6238_reference_vector():
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # b"12345678901234567890"
    assert totp.code_at(secret, 59 // 30, digits=8)[-6:] == "287082"


def test_admin_must_set_up_two_factor_when_required(client, admin_a):
    client.force_login(admin_a)
    with override_settings(PEACEKIT_REQUIRE_TWO_FACTOR=True):
        response = client.get("/")
        assert response.status_code == 302 and response["Location"] == "/accounts/two-factor/setup/"
        page = client.get("/accounts/two-factor/setup/")
        assert b"<svg" in page.content
        device = admin_a.two_factor
        code = totp.code_at(device.secret, int(time.time() // 30))
        response = client.post("/accounts/two-factor/setup/", {"code": code})
        assert response["Location"] == "/account/"
        assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="two_factor.enable").exists()


def test_signed_in_user_with_two_factor_is_asked_for_a_code_once(client, admin_a):
    device = services.two_factor_begin(user=admin_a)
    step = int(time.time() // 30)
    assert services.two_factor_verify(
        user=admin_a, code=totp.code_at(device.secret, step - 1), confirm=True
    )
    client.post(
        "/accounts/login/", {"username": admin_a.email, "password": "correct horse battery"}
    )
    response = client.get("/organizations/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/two-factor/")
    assert client.get("/api/core/me").status_code == 401  # API too, until the code is entered
    assert client.post("/accounts/two-factor/", {"code": "000000"}).status_code == 200
    code = totp.code_at(device.secret, step)
    response = client.post("/accounts/two-factor/", {"code": code, "next": "/organizations/"})
    assert response["Location"] == "/organizations/"
    assert client.get("/organizations/").status_code == 200


def test_a_code_cannot_be_replayed(admin_a):
    device = services.two_factor_begin(user=admin_a)
    code = totp.code_at(device.secret, int(time.time() // 30))
    assert services.two_factor_verify(user=admin_a, code=code, confirm=True)
    assert not services.two_factor_verify(user=admin_a, code=code)
