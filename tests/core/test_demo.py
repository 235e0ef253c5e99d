import pytest
from django.core.management import call_command

from apps.accounts.models import User
from apps.core.demo import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, SCENARIO_NAME
from apps.core.models import DemoScenario

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_the_synthetic_scenario_once(capsys):
    call_command("seed_demo")
    call_command("seed_demo")

    assert DemoScenario.objects.filter(name=SCENARIO_NAME).count() == 1
    assert "already seeded" in capsys.readouterr().out
    assert User.objects.filter(email=f"officer@{DEMO_EMAIL_DOMAIN}").count() == 1


def test_seeded_demo_accounts_use_the_reserved_invalid_domain_and_the_documented_password():
    call_command("seed_demo")

    assert all(email.endswith(".invalid") for email in User.objects.values_list("email", flat=True))
    officer = User.objects.get(email=f"officer@{DEMO_EMAIL_DOMAIN}")
    assert officer.check_password(DEMO_PASSWORD) and officer.is_staff


def test_reset_reseeds_without_duplicating():
    call_command("seed_demo")
    call_command("seed_demo", "--reset")

    assert DemoScenario.objects.count() == 1
    assert User.objects.filter(email__endswith=DEMO_EMAIL_DOMAIN).count() == User.objects.count()
    assert User.objects.filter(email=f"officer@{DEMO_EMAIL_DOMAIN}").count() == 1


def test_every_page_says_the_data_is_synthetic_once_the_demo_is_seeded(client):
    assert "synthetic" not in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    call_command("seed_demo")

    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "every breach, person, number and report shown here is synthetic" in english


def test_the_demo_links_members_to_the_inps_breach_through_their_verified_identifiers():
    from apps.breaches.models import Exposure

    call_command("seed_demo")

    member = User.objects.get(email=f"member01@{DEMO_EMAIL_DOMAIN}")
    assert member.phones.filter(verified_at__isnull=False).count() == 1
    assert Exposure.objects.filter(
        person=member, breach__slug="inps-servizi-concorso-2022", established="dataset_match"
    ).exists()
    outsider = User.objects.get(email=f"member40@{DEMO_EMAIL_DOMAIN}")
    assert not Exposure.objects.filter(person=outsider).exists()
    assert User.objects.filter(email=f"hr@{DEMO_EMAIL_DOMAIN}").exists()
    assert User.objects.filter(email=f"union@{DEMO_EMAIL_DOMAIN}").exists()
