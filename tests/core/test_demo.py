import io

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command

from apps.accounts.demo import DEMO_MEMBERS, DEMO_MEMBERS_WITH_PHONE, DEMO_TELCONOVA_MEMBERS
from apps.accounts.models import Membership, PersonalPhone, UnionMandate, User
from apps.breaches.demo import DEMO_MEMBERS_IN_LEAK
from apps.breaches.models import Breach, DatasetImport, ExposedIdentifier, Exposure, Organisation
from apps.core.demo import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, SCENARIO_NAME
from apps.core.models import DemoScenario
from tests.seeded_demo import seeded_demo

pytestmark = pytest.mark.django_db

SEEDED_MODELS = [
    User, EmailAddress, Membership, PersonalPhone, UnionMandate, Organisation, Breach, DatasetImport,
    ExposedIdentifier, Exposure, DemoScenario,
]  # fmt: skip


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    """The accounts and breaches steps only: tests/insights/test_demo.py seeds it all and seeds it again."""
    with seeded_demo(django_db_blocker, until=30) as scenario:
        yield scenario


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in SEEDED_MODELS}


def test_seed_demo_does_nothing_when_already_seeded():
    before = _counts()
    out = io.StringIO()

    call_command("seed_demo", stdout=out)

    assert "already seeded" in out.getvalue()
    assert _counts() == before and DemoScenario.objects.filter(name=SCENARIO_NAME).count() == 1


def test_seeded_demo_accounts_use_the_reserved_invalid_domain_and_the_documented_password():
    assert all(email.endswith(".invalid") for email in User.objects.values_list("email", flat=True))
    officer = User.objects.get(email=f"officer@{DEMO_EMAIL_DOMAIN}")
    assert officer.check_password(DEMO_PASSWORD) and officer.is_staff
    for email in ("member01", f"member{DEMO_MEMBERS}", f"telconova{DEMO_TELCONOVA_MEMBERS}"):
        assert User.objects.get(email=f"{email}@{DEMO_EMAIL_DOMAIN}").check_password(DEMO_PASSWORD)
    assert not EmailAddress.objects.filter(verified=False).exists()
    assert EmailAddress.objects.filter(primary=True).count() == User.objects.count()


def test_every_page_says_the_data_is_synthetic_once_the_demo_is_seeded(client):
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "every breach, person, number and report shown here is synthetic" in english

    DemoScenario.objects.all().delete()  # as before seeding (the test's transaction is rolled back)
    assert "synthetic" not in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_the_demo_links_members_to_the_inps_breach_through_their_verified_identifiers():
    inps = Organisation.objects.get(slug="inps-servizi-demo")
    members = User.objects.filter(memberships__organisation=inps, memberships__role=Membership.Role.MEMBER)
    assert members.count() == DEMO_MEMBERS == 400

    member = User.objects.get(email=f"member01@{DEMO_EMAIL_DOMAIN}")
    assert member.phones.filter(verified_at__isnull=False).count() == 1
    assert Exposure.objects.filter(
        person=member, breach__slug="inps-servizi-concorso-2022", established="dataset_match"
    ).exists()
    outsider = User.objects.get(email=f"member{DEMO_MEMBERS}@{DEMO_EMAIL_DOMAIN}")
    assert not Exposure.objects.filter(person=outsider).exists()
    matched = Exposure.objects.filter(breach__slug="inps-servizi-concorso-2022", established="dataset_match")
    assert matched.count() == DEMO_MEMBERS_IN_LEAK == 320  # 80% of the members
    with_phone = PersonalPhone.objects.filter(person__in=members, verified_at__isnull=False)
    assert with_phone.count() == DEMO_MEMBERS_WITH_PHONE == 200  # 50%
    assert User.objects.filter(email=f"hr@{DEMO_EMAIL_DOMAIN}").exists()
    assert User.objects.filter(email=f"union@{DEMO_EMAIL_DOMAIN}").exists()


def test_the_union_mandate_covers_two_organisations_and_telconova_staff_are_linked_without_a_dataset():
    mandate = UnionMandate.objects.get(representative__email=f"union@{DEMO_EMAIL_DOMAIN}")
    assert set(mandate.organisations.values_list("slug", flat=True)) == {"inps-servizi-demo", "telconova-demo"}

    telconova = Exposure.objects.filter(breach__slug="telconova-clienti-2025")
    assert telconova.count() == DEMO_TELCONOVA_MEMBERS == 60
    assert set(telconova.values_list("established", flat=True)) == {"invitation", "self_declared"}
    assert set(telconova.values_list("person", flat=True)) == set(
        Membership.objects.filter(organisation__slug="telconova-demo").values_list("person", flat=True)
    )
