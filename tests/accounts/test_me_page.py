import pytest

from apps.accounts.models import Membership, Union, UnionMandate

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["member", "hr", "union", "officer"])
def test_my_page_shows_phones_organisations_and_data_rights_for_every_role(role, make_person, organisation, client):
    person = make_person(is_staff=role == "officer")
    Membership.objects.create(
        person=person, organisation=organisation, role=Membership.Role.HR if role == "hr" else Membership.Role.MEMBER
    )
    if role == "union":
        UnionMandate.objects.create(
            representative=person, union=Union.objects.create(name="U", slug="u")
        ).organisations.add(organisation)
    client.force_login(person)

    page = client.get("/me/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "My phone numbers" in page and "Acme Servizi" in page and "Download my data (JSON)" in page
    assert ("set up two-factor authentication" in page) == (role != "member")


def test_my_page_offers_the_organisations_one_can_ask_to_join(make_person, organisation, client):
    client.force_login(make_person())

    response = client.post(f"/organisations/{organisation.slug}/join/", HTTP_ACCEPT_LANGUAGE="en", follow=True)

    assert "Request sent. HR of Acme Servizi will decide." in response.content.decode()
    assert Membership.objects.get().status == Membership.Status.REQUESTED


def test_a_matched_member_sees_on_my_page_how_many_breaches_hold_them(make_person, organisation, client):
    from apps.breaches.models import Breach, Exposure

    person = make_person()
    for slug in ("first", "second"):
        breach = Breach.objects.create(organisation=organisation, slug=slug, title=slug, occurred_on="2024-11-01")
        Exposure.objects.create(person=person, breach=breach, established="dataset_match")
    Exposure.objects.create(person=person, breach=breach, established="self_declared")  # the same breach again
    client.force_login(person)

    page = client.get("/me/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "You are in 2 registered breaches." in page
    assert "None of your verified identifiers" not in page


def test_a_member_in_no_breach_is_told_so_on_my_page(make_person, client):
    client.force_login(make_person())

    page = client.get("/me/", HTTP_ACCEPT_LANGUAGE="it").content.decode()

    assert "Finora nessuno dei tuoi identificativi verificati" in page
