import csv
import io

import pytest

from apps.reports.blocklists import blocklist_vcard, csv_cell
from apps.reports.models import CallerNumber
from apps.reports.moderation import caller_number_allowlist
from tests.insights.conftest import near
from tests.reports.conftest import SCAM_E164

pytestmark = pytest.mark.django_db

OTHER = "+923000000001"
NEIGHBOUR = "+2348031234599"  # SCAM's block, +23480312345


@pytest.fixture
def numbers(make_reporters, submit, store_evidence):
    """SCAM reported by 12 members of the breach (public; the evidence links it: in its blocklist); OTHER by 2
    (not public)."""
    members = make_reporters(12)
    for person in members:
        submit(person)
    for person in members[:2]:
        submit(person, caller_number=OTHER)
    store_evidence()
    return CallerNumber.objects.get(e164=SCAM_E164), CallerNumber.objects.get(e164=OTHER)


def rows_of(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_breach_csv_lists_public_numbers_targeting_its_members(client, numbers, breach):
    response = client.get(f"/api/v1/breaches/{breach.slug}/blocklist.csv")

    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'filename="breachwatch-acme-contest-2022.csv"' in response["Content-Disposition"]
    rows = rows_of(response)
    assert [row["number"] for row in rows] == [SCAM_E164]
    assert rows[0]["country"] == "NG" and near(int(rows[0]["reporters"]), 12) and rows[0]["carrier"] == "MTN"
    assert rows[0]["match"] == "exact"


def test_a_campaigns_block_is_a_prefix_row_once_it_owns_two_public_numbers(
    client, make_reporters, submit, breach, store_evidence
):
    members = make_reporters(12)
    for person in members:
        submit(person, script="fake_amazon_voucher")
        submit(person, caller_number=NEIGHBOUR, script="fake_amazon_voucher")
    store_evidence(controls=20)  # two numbers tested: Holm needs a smaller chance for each

    rows = rows_of(client.get(f"/api/v1/breaches/{breach.slug}/blocklist.csv"))

    assert {(row["number"], row["match"]) for row in rows[:2]} == {(SCAM_E164, "exact"), (NEIGHBOUR, "exact")}
    assert (rows[2]["number"], rows[2]["match"], len(rows)) == ("+23480312345", "prefix", 3)  # numbers, then blocks
    assert rows[-1]["country"] == "NG" and rows[-1]["reporters"] == ""  # a range counts nobody
    vcard = client.get(f"/api/v1/breaches/{breach.slug}/blocklist.vcf").content.decode()
    assert vcard.count("TEL;") == 2 and "+23480312345\r\n" not in vcard  # a vCard holds numbers only


def test_a_single_public_number_of_a_block_does_not_put_the_block_in_the_blocklist(client, numbers, breach):
    rows = rows_of(client.get(f"/api/v1/breaches/{breach.slug}/blocklist.csv"))

    assert [row["match"] for row in rows] == ["exact"]


def test_a_number_that_fewer_than_k_members_reported_is_not_in_the_breach_blocklist(
    client, make_reporters, submit, breach, store_evidence
):
    """Being in a breach's blocklist names the breach: the same rule as every figure (K proven members), so
    evidence about fewer than K members publishes no linked number."""
    for person in make_reporters(9):
        submit(person)
    store_evidence()
    assert CallerNumber.objects.get(e164=SCAM_E164).is_public
    assert rows_of(client.get(f"/api/v1/breaches/{breach.slug}/blocklist.csv")) == []


def test_the_breach_vcard_is_one_contact_with_a_tel_line_per_number(client, numbers, breach):
    response = client.get(f"/api/v1/breaches/{breach.slug}/blocklist.vcf")

    body = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/vcard")
    assert body.count("BEGIN:VCARD") == 1 and body.startswith("BEGIN:VCARD\r\nVERSION:3.0\r\n")
    assert "FN:BreachWatch – Acme contest archive\r\n" in body
    assert f"TEL;TYPE=VOICE:{SCAM_E164}\r\n" in body and OTHER not in body
    assert body.endswith("END:VCARD\r\n")


def test_allowlisted_numbers_never_appear_in_blocklists(client, numbers, breach, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        caller_number_allowlist(number=numbers[0], actor=None, reason="legitimate")

    assert rows_of(client.get(f"/api/v1/breaches/{breach.slug}/blocklist.csv")) == []
    assert "TEL" not in client.get(f"/api/v1/breaches/{breach.slug}/blocklist.vcf").content.decode()


def test_numbers_reported_by_people_outside_the_breach_are_not_in_its_blocklist(
    client, make_reporters, submit, breach, store_evidence
):
    make_reporters(12)  # members who were not called by it
    for person in make_reporters(3, exposed=False) + make_reporters(3, exposed=False, prefix="more"):
        submit(person)
    store_evidence()

    assert CallerNumber.objects.get(e164=SCAM_E164).is_public
    assert rows_of(client.get(f"/api/v1/breaches/{breach.slug}/blocklist.csv")) == []


def test_sensitive_and_unknown_breaches_have_no_blocklist(client, numbers, breach):
    breach.is_sensitive = True
    breach.save()

    assert client.get(f"/api/v1/breaches/{breach.slug}/blocklist.csv").status_code == 404
    assert client.get("/api/v1/breaches/no-such-breach/blocklist.vcf").status_code == 404


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),  # CSV is not HTML; a text cell stays text
        ("+2348031234567", "+2348031234567"),  # a validated E.164 number cannot be a formula
        ("MTN", "MTN"),
    ],
)
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(value, cell):
    assert csv_cell(value) == cell


def test_a_carrier_name_starting_with_a_formula_sign_is_neutralised_in_the_file(client, numbers, breach):
    CallerNumber.objects.filter(e164=SCAM_E164).update(carrier="=1+1", region="@evil")

    row = rows_of(client.get(f"/api/v1/breaches/{breach.slug}/blocklist.csv"))[0]

    assert (row["carrier"], row["region"], row["number"]) == ("'=1+1", "'@evil", SCAM_E164)


def test_vcard_text_is_escaped_and_long_lines_are_folded():
    card = blocklist_vcard([], name="A; B, C\\ " + "é" * 80, uid="x")

    lines = card.split("\r\n")
    fn = next(i for i, line in enumerate(lines) if line.startswith("FN:"))
    assert lines[fn].startswith("FN:A\\; B\\, C\\\\ ")
    assert lines[fn + 1].startswith(" ") and all(len(line.encode()) <= 75 for line in lines)


def test_my_blocklist_holds_the_public_numbers_that_contacted_me(client, numbers):
    me = numbers[0].reports.first().reporter
    client.force_login(me)

    response = client.get("/me/blocklist.vcf")

    body = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/vcard")
    assert f"TEL;TYPE=VOICE:{SCAM_E164}" in body and OTHER not in body  # OTHER is not public yet
    assert body.count("BEGIN:VCARD") == 1


def test_my_blocklist_needs_a_login(client):
    assert client.get("/me/blocklist.vcf").status_code == 302


def test_the_blocklist_addresses_can_be_reversed_for_links_on_breach_pages(breach):
    from django.urls import reverse

    assert (
        reverse("reports-api:breach-blocklist-csv", args=[breach.slug])
        == f"/api/v1/breaches/{breach.slug}/blocklist.csv"
    )
    assert reverse("reports-api:breach-blocklist-vcf", args=[breach.slug]).endswith("/blocklist.vcf")
