"""/methods/#evidence: every figure of the section "Is this surge linked to the breach?" explained with its
formula, in English and in Italian, quoting the constants the code uses."""

import re

import pytest

from apps.insights.linkage import compute, gather
from tests.core.test_italian_everywhere_browser import english_words
from tests.insights.test_evidence_pages import stored  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def _section(client, language: str) -> str:
    page = client.get("/methods/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    match = re.search(r'<section id="evidence".*?</section>', page, re.S)
    assert match, "no #evidence section"
    return match.group(0)


def test_the_methods_page_explains_each_figure_of_the_evidence_with_its_formula(client):
    section = _section(client, "en")

    for heading in (
        "Rate ratio", "Difference in differences", "When the surge began", "Numbers linked to the breach",
        "When people are in more than one breach", "Campaigns", "What the callers knew",
        "Silent calls and the Garante", "What is published, and what is not", "Who is compared",
    ):  # fmt: skip
        assert heading in section, heading
    assert "conditional binomial" in section and "RR = π / (1 − π)" in section
    assert "DD = (r<sub>m1</sub> / r<sub>m0</sub>) / (r<sub>c1</sub> / r<sub>c0</sub>)" in section
    assert "likelihood ratio" in section and "p = (1 + number of draws at least as large) / (999 + 1)" in section
    assert "Holm" in section and f"below {compute.LINK_ALPHA}" in section
    assert "min_targets_to_link" in section and "with p = 0.5 and m = 100 numbers it is 17" in section
    assert "without its last 2 digits" in section and "20 February 2014" in section
    assert f"at most {gather.MAX_CONTACTS_PER_PERSON_DAY} times a day" in section
    assert '"reporting since"' in section and f"starts {compute.BASELINE_DAYS} days before" in section
    assert "at least 10 proven people" in section and 'href="#noise"' in section


def test_the_breach_pages_link_lands_on_the_section(client, stored):  # noqa: F811
    page = client.get(f"/breaches/{stored.breach.slug}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "/methods/#evidence" in page and _section(client, "en")


def test_the_section_reads_in_italian_with_no_english_left(client):
    section = _section(client, "it")
    text = re.sub(r'<code lang="zxx">.*?</code>', " ", section)  # a name in the code, not prose
    text = re.sub(r"<[^>]+>", " ", text)

    assert "Questo aumento di contatti è legato alla violazione?" in section
    assert "metodo binomiale condizionato" in section and "metodo di Holm" in section
    assert "inferiore a 0,001" in section and "con p = 0,5 e m = 100 numeri è 17" in section
    assert "20 febbraio 2014" in section and "giorni-persona" in section
    assert english_words(text) == []
