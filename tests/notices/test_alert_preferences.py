"""Choosing alerts on /me/, and the one-click unsubscribe link every alert carries (RFC 8058)."""

import re

import pytest
from django.test import Client

from apps.accounts.models import Membership, Union, UnionMandate
from apps.notices.models import AlertOptOut
from apps.notices.preferences import alerts_wanted, unsubscribe_headers, unsubscribe_link, unsubscribe_token

pytestmark = pytest.mark.django_db


def ticked(page: str) -> list[str]:

    return sorted(re.findall(r'<input type="checkbox" name="wanted" value="(\w+)"[^>]*checked', page))


def offered(page: str) -> list[str]:

    return sorted(re.findall(r'<input type="checkbox" name="wanted" value="(\w+)"', page))


def test_a_member_chooses_the_members_alerts_and_the_choice_is_kept(make_person, client):
    anna = make_person("anna@example.org")
    client.force_login(anna)

    page = client.get("/me/").content.decode()
    assert offered(page) == ["breach_match", "new_numbers"]  # no organisation alerts for a member
    assert ticked(page) == ["breach_match", "new_numbers"]  # on until turned off

    response = client.post("/me/alerts/", {"wanted": ["breach_match"]}, follow=True)
    assert ticked(response.content.decode()) == ["breach_match"]
    assert "Salvato: i tuoi avvisi via e-mail." in response.content.decode()
    assert alerts_wanted(anna) == {"breach_match"}


def test_hr_and_union_representatives_are_also_offered_the_organisations_alerts(make_person, organisation, client):
    hr, rep = make_person("hr@example.org"), make_person("rep@example.org")
    Membership.objects.create(person=hr, organisation=organisation, role=Membership.Role.HR)
    UnionMandate.objects.create(representative=rep, union=Union.objects.create(name="U", slug="u")).organisations.add(
        organisation
    )
    for person in (hr, rep):
        client.force_login(person)
        assert offered(client.get("/me/").content.decode()) == [
            "breach_match", "new_numbers", "surge", "weekly_digest"
        ]  # fmt: skip


def test_an_alert_nobody_offers_a_member_cannot_be_chosen(make_person, client):
    anna = make_person("anna@example.org")
    client.force_login(anna)

    response = client.post("/me/alerts/", {"wanted": ["breach_match", "surge"]}, follow=True)

    assert "non è cambiato nulla" in response.content.decode()
    assert not AlertOptOut.objects.exists()


def test_the_link_asks_first_then_one_click_unsubscribes_without_login_or_csrf(make_person):
    anna = make_person("anna@example.org")
    link = unsubscribe_link(anna, "breach_match")
    path = link.removeprefix("http://127.0.0.1:8000")
    client = Client(enforce_csrf_checks=True, headers={"accept-language": "en"})

    page = client.get(path)  # a link scanner or a preview opens it: nothing changes
    assert page.status_code == 200 and "Unsubscribe" in page.content.decode()
    assert alerts_wanted(anna) == {"breach_match", "new_numbers"}

    # What a mail client sends for its own unsubscribe button (RFC 8058 §3.1).
    done = client.post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert done.status_code == 200 and "no longer receive" in done.content.decode()
    assert alerts_wanted(anna) == {"new_numbers"}
    assert client.post(path).status_code == 200  # a second click: still unsubscribed, no error


def test_the_headers_point_mail_clients_to_the_one_click_link(make_person):
    link = unsubscribe_link(make_person("anna@example.org"), "surge")

    assert unsubscribe_headers(link) == {
        "List-Unsubscribe": f"<{link}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    assert link.startswith("http://127.0.0.1:8000/alerts/unsubscribe/")


@pytest.mark.parametrize("mangle", [lambda t: t[:-2] + "xx", lambda t: "garbage", lambda t: t.replace(":", "")])
def test_a_broken_or_forged_link_unsubscribes_nobody(make_person, mangle):
    anna = make_person("anna@example.org")
    token = mangle(unsubscribe_token(anna, "breach_match"))

    response = Client(headers={"accept-language": "en"}).post(f"/alerts/unsubscribe/{token}/")

    assert response.status_code == 404 and "does not work" in response.content.decode()
    assert not AlertOptOut.objects.exists()


def test_the_unsubscribe_pages_speak_italian(make_person):
    anna = make_person("anna@example.org")
    path = f"/alerts/unsubscribe/{unsubscribe_token(anna, 'breach_match')}/"
    client = Client(headers={"accept-language": "it"})

    assert "Disiscriviti" in client.get(path).content.decode()
    assert "non riceverai più" in client.post(path).content.decode()
