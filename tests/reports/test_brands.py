"""The curated brand list: what a typed brand maps to, the officers' page that extends it, the form and the API."""

import pytest

from apps.accounts.models import AuditEvent
from apps.reports.brands import brand_key
from apps.reports.models import Brand, ContactReport

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def officer_client(client, make_person, with_totp):
    officer = make_person("officer@example.org", is_staff=True)
    with_totp(officer)
    client.force_login(officer)
    return client


def test_spellings_of_one_brand_share_a_key():
    assert brand_key("Agenzia dell'Entrate") == brand_key("  AGENZIA   dell’entrate ") == "agenzia dell entrate"
    assert brand_key("Posté Italiane") == brand_key("poste-italiane") == "poste italiane"
    assert brand_key("poste-italiane-rimborso.example") != brand_key("Poste Italiane")
    assert brand_key("Zorro Bank S.p.A.") == brand_key("zorro bank spa")
    assert brand_key("<>!!") == ""


def test_a_report_keeps_the_typed_brand_and_carries_the_curated_one(reporter, submit):
    matched = submit(reporter, impersonated_brand="  poste   ITALIANE ")
    unmatched = submit(reporter, impersonated_brand='=HYPERLINK("http://evil")')

    assert matched.impersonated_brand == "poste   ITALIANE"  # as typed (trimmed), privately
    assert matched.curated_brand_id == "poste-italiane"
    assert unmatched.impersonated_brand == '=HYPERLINK("http://evil")' and unmatched.curated_brand_id is None


def test_correcting_the_typed_brand_moves_the_report_to_another_curated_brand(reporter, submit):
    from apps.reports.services import report_correct

    report = submit(reporter, impersonated_brand="Amazon")
    fields = {"caller_number": report.caller.e164, "channel": "call", "occurred_at": report.occurred_at}
    report_correct(report=report, reporter=reporter, impersonated_brand="Microsoft support", **fields)

    assert ContactReport.objects.get(pk=report.pk).curated_brand_id == "microsoft"


@pytest.mark.parametrize("url", ["/officers/brands/", "/officers/brands/amazon/edit/"])
def test_members_cannot_open_the_brand_pages(client, reporter, url):
    client.force_login(reporter)
    assert client.get(url).status_code == 403
    assert client.post("/officers/brands/map/", {"text": "x", "brand": "amazon"}).status_code == 403


def test_officers_see_unmatched_typed_brands_escaped_and_map_one(officer_client, make_reporters, submit):
    for person in make_reporters(3):
        submit(person, impersonated_brand="<b>Zorro</b> Bank")
    page = officer_client.get("/officers/brands/", **EN).content.decode()
    assert "&lt;b&gt;Zorro&lt;/b&gt; Bank" in page and "<b>Zorro</b>" not in page
    assert AuditEvent.objects.filter(action=AuditEvent.Action.VIEWED, target="brand list").exists()

    response = officer_client.post("/officers/brands/map/", {"text": "<b>Zorro</b> Bank", "brand": "unicredit"}, **EN)

    assert response.status_code == 302
    assert set(ContactReport.objects.values_list("curated_brand", flat=True)) == {"unicredit"}
    assert AuditEvent.objects.filter(action=AuditEvent.Action.BRAND_SAVED, target="brand unicredit").exists()
    assert "Zorro" not in officer_client.get("/officers/brands/", **EN).content.decode().split('id="add-brand"')[0]


def test_an_officer_adds_a_brand_and_earlier_reports_count_for_it(officer_client, reporter, submit):
    report = submit(reporter, impersonated_brand="Zorro Bank S.p.A.")
    assert report.curated_brand_id is None

    response = officer_client.post(
        "/officers/brands/",
        {"name_it": "Banca Zorro", "name_en": "Zorro Bank", "slug": "", "aliases": "Zorro Bank SpA\nZorro"},
    )

    assert response.status_code == 302
    brand = Brand.objects.get(slug="banca-zorro")
    assert set(brand.aliases.values_list("key", flat=True)) == {"banca zorro", "zorro bank", "zorro bank spa", "zorro"}
    assert ContactReport.objects.get(pk=report.pk).curated_brand_id == "banca-zorro"


def test_an_alias_another_brand_has_is_a_field_error(officer_client):
    response = officer_client.post(
        "/officers/brands/", {"name_it": "Poste Nuove", "name_en": "Poste Nuove", "aliases": "POSTE"}, **EN
    )

    assert response.status_code == 200
    assert "is already an alias of Poste Italiane" in response.content.decode()
    assert not Brand.objects.filter(slug="poste-nuove").exists()


def test_editing_a_brand_renames_it_and_removed_aliases_release_their_reports(officer_client, reporter, submit):
    report = submit(reporter, impersonated_brand="BancoPosta")
    assert report.curated_brand_id == "poste-italiane"

    response = officer_client.post(
        "/officers/brands/poste-italiane/edit/",
        {"name_it": "Poste Italiane S.p.A.", "name_en": "Italian Post", "aliases": "Poste\nPostePay"},
    )

    assert response.status_code == 302
    brand = Brand.objects.get(slug="poste-italiane")
    assert (brand.name_it, brand.name_en) == ("Poste Italiane S.p.A.", "Italian Post")
    assert ContactReport.objects.get(pk=report.pk).curated_brand_id is None  # "BancoPosta" is no alias any more


def test_the_report_form_offers_the_curated_list_and_says_other_text_stays_private(client, reporter):
    client.force_login(reporter)
    page = client.get("/report/", **EN).content.decode()

    assert 'list="brand-choices"' in page and '<datalist id="brand-choices">' in page
    assert '<option value="Agenzia delle Entrate">' not in page  # English names on an English page
    assert '<option value="Italian Revenue Agency">' in page and '<option value="Poste Italiane">' in page
    assert "what you type is seen only by you and the case officers" in page


def test_the_api_lists_the_brands_and_a_report_answer_names_its_curated_brand(client, reporter):
    brands = client.get("/api/v1/brands/", HTTP_ACCEPT_LANGUAGE="it").json()
    revenue = next(b for b in brands if b["slug"] == "agenzia-entrate")
    assert revenue["name"] == "Agenzia delle Entrate" and "Agenzia Entrate" in revenue["aliases"]

    client.force_login(reporter)
    answer = client.post(
        "/api/v1/reports/",
        {"caller_number": "+234 803 123 4567", "channel": "call", "occurred_at": "2025-02-03T08:30:00+01:00",
         "impersonated_brand": "agenzia entrate"},
        content_type="application/json",
    ).json()  # fmt: skip
    assert answer["brand"] == "agenzia-entrate" and answer["impersonated_brand"] == "agenzia entrate"
