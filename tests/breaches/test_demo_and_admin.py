from datetime import date

import pytest
from django.contrib import admin

from apps.breaches.demo import DEMO_LEAK_ROWS, DEMO_MEMBERS_IN_LEAK, demo_leaked_email, demo_leaked_phone
from apps.breaches.models import Breach, DatasetImport, ExposedIdentifier, Organisation
from apps.phones.hashing import email_digest, phone_digest
from tests.seeded_demo import seeded_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo's steps up to the breaches' one, once for the module (tests/insights/test_demo.py seeds it all
    again with --reset and checks nothing is duplicated)."""
    with seeded_demo(django_db_blocker, until=20) as scenario:
        yield scenario


def test_the_demo_registers_the_inps_servizi_breach_as_documented(demo):
    breach = Breach.objects.get(slug="inps-servizi-concorso-2022")
    assert breach.organisation.slug == "inps-servizi-demo" and "(demo)" in breach.organisation.name
    assert (breach.occurred_on, breach.discovered_on, breach.disclosed_on) == (
        date(2024, 11, 15), date(2024, 11, 20), date(2025, 1, 31),
    )  # fmt: skip
    assert breach.data_categories == [
        "name", "birth_date", "phone", "email", "tax_code", "address", "education", "contest_details",
    ]  # fmt: skip
    assert breach.approx_people == 3000 and breach.is_verified and not breach.is_sensitive
    assert "synthetic" in breach.description_en and "sintetica" in breach.description_it and breach.sources == []
    assert breach.title_it.startswith("INPS Servizi: archivio del concorso")
    assert all(b.title_it and b.title_en and b.description_it and b.description_en for b in Breach.objects.all())


def test_the_demo_holds_a_sensitive_breach_that_is_never_public_and_fictitious_sources_only(demo):
    assert Breach.objects.filter(is_sensitive=True).count() == 1
    assert not Breach.objects.public().filter(is_sensitive=True).exists()
    assert all(url.split("/")[2].endswith(".invalid") for b in Breach.objects.all() for url in b.sources)


def test_the_demo_leak_is_imported_through_the_pipeline_once(demo):
    breach = Breach.objects.get(slug="inps-servizi-concorso-2022")
    assert DatasetImport.objects.filter(breach=breach, status="succeeded").get().rows_read == DEMO_LEAK_ROWS
    assert breach.exposed_identifiers.count() == 2 * DEMO_LEAK_ROWS
    held = set(breach.exposed_identifiers.values_list("digest", flat=True))
    assert {bytes(d) for d in held} >= {email_digest(demo_leaked_email(1)), phone_digest(demo_leaked_phone(1))}
    assert demo_leaked_email(DEMO_MEMBERS_IN_LEAK) == "member320@demo.breachwatch.invalid"
    assert demo_leaked_email(DEMO_MEMBERS_IN_LEAK + 1).startswith("candidato")
    assert Organisation.objects.filter(slug="inps-servizi-demo").count() == 1


def test_the_admin_manages_organisations_breaches_and_shows_imports_read_only(rf):
    assert {Organisation, Breach, DatasetImport} <= set(admin.site._registry)
    assert ExposedIdentifier not in admin.site._registry

    imports = admin.site._registry[DatasetImport]
    request = rf.get("/")
    assert not imports.has_add_permission(request) and not imports.has_change_permission(request)
    assert admin.site._registry[Breach].prepopulated_fields == {"slug": ("title_it",)}


def test_the_breach_admin_form_edits_categories_and_sources_as_lists(breach):
    from apps.breaches.admin import BreachForm

    data = {
        "organisation": breach.organisation_id, "title_it": "T", "slug": "t", "occurred_on": "2024-11-15",
        "data_categories": ["name", "phone"], "sources": "https://a.invalid/x\n\n https://b.invalid/y ",
    }  # fmt: skip
    form = BreachForm(data=data)
    assert form.is_valid(), form.errors
    saved = form.save()
    assert saved.data_categories == ["name", "phone"] and saved.sources == [
        "https://a.invalid/x",
        "https://b.invalid/y",
    ]

    assert not BreachForm(data={**data, "slug": "u", "sources": "not a url"}).is_valid()


def test_a_breach_shows_the_active_language_and_falls_back_to_the_other(breach):
    from django.utils import translation

    breach.title_it, breach.title_en, breach.description_it, breach.description_en = "Archivio", "", "", "Records."
    with translation.override("en"):
        assert (breach.title, breach.description, str(breach)) == ("Archivio", "Records.", "Archivio")
    breach.title_en = "Archive"
    with translation.override("it"):
        assert (breach.title, breach.description) == ("Archivio", "Records.")
    with translation.override("en"):
        assert breach.title == "Archive"


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_each_existing_text_into_the_field_of_its_language():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = (
        [("breaches", "0004_exposure_people_index")],
        [("breaches", "0005_breach_title_description_in_two_languages")],
    )
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    organisation = old.get_model("breaches", "Organisation").objects.create(name="Acme", slug="acme")
    OldBreach = old.get_model("breaches", "Breach")
    for slug, title, description in [
        ("en", "Acme: customer records", "Records of the customers."),
        ("it", "Acme: archivio dei clienti", "Dati dei clienti."),
    ]:
        OldBreach.objects.create(
            organisation=organisation, slug=slug, title=title, description=description, occurred_on="2024-11-15"
        )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    Breach = executor.loader.project_state(after).apps.get_model("breaches", "Breach")
    english, italian = Breach.objects.get(slug="en"), Breach.objects.get(slug="it")
    assert (english.title_it, english.title_en, english.description_en) == (
        "", "Acme: customer records", "Records of the customers.",
    )  # fmt: skip
    assert (italian.title_it, italian.title_en, italian.description_it) == (
        "Acme: archivio dei clienti", "", "Dati dei clienti.",
    )  # fmt: skip
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
