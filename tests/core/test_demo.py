"""`peacekit demo` loads every app's demo data through the services users have."""

import pytest
from django.core.management import call_command

from peacekit.core.demo import DEMO_PASSWORD, DEMO_USERS
from peacekit.core.models import User

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def test_demo_loads_every_part_and_its_logins_work(client, capsys):
    call_command("demo", "--no-serve")
    output = capsys.readouterr().out
    assert "peacekit demo: open http://127.0.0.1:8000/" in output
    assert DEMO_PASSWORD in output
    for email, *_rest in DEMO_USERS:
        assert User.objects.filter(email=email).exists()
    assert client.login(username=DEMO_USERS[1][0], password=DEMO_PASSWORD)
    page = client.get("/")
    assert page.status_code == 200 and b"Metro City Police Department" in page.content
    call_command("demo", "--no-serve")  # a second run changes nothing
    assert "Demo data already loaded." in capsys.readouterr().out
