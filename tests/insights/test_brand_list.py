"""When officers extend the brand list, the reports it concerns are matched again and the statistics follow,
incrementally exactly as a rebuild would count them."""

import pytest
from django.utils import translation

from apps.insights.models import ANY, FacetRollup
from apps.insights.scopes import scope_for
from apps.insights.selectors import statistics
from apps.reports.brands import brand_alias_add, brand_save
from apps.reports.models import Brand
from tests.insights.conftest import assert_same_as_rebuild, at

pytestmark = pytest.mark.django_db


def _brand_cells(world) -> dict[str, int]:
    rows = FacetRollup.objects.filter(scope=scope_for(breach=world.contest), grain="all", facet="brand", channel=ANY)
    return dict(rows.values_list("value", "reports"))


@pytest.fixture
def zorro(world, report, make_person, django_capture_on_commit_callbacks):
    """Twelve people of the contest breach named a bank on no list: ten typed "Zorro Bank", two "Zorro Italia"."""
    for i in range(12):
        person = world.person(f"z{i:02d}", breaches=[world.contest])
        report(person, at(2025, 1, 6, hour=9 + i % 4), impersonated_brand="Zorro Italia" if i < 2 else "Zorro Bank")
    assert _brand_cells(world) == {}
    return world


def test_a_new_brand_takes_in_earlier_reports_and_the_rollups_equal_a_rebuild(
    zorro, make_person, django_capture_on_commit_callbacks
):
    officer = make_person("officer@example.org", is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        brand_save(name_it="Banca Zorro", name_en="Zorro Bank", officer=officer)

    assert _brand_cells(zorro) == {"banca-zorro": 10}  # "Zorro Italia" is not one of its names
    with django_capture_on_commit_callbacks(execute=True):
        assert brand_alias_add(brand=Brand.objects.get(slug="banca-zorro"), text="ZORRO italia", officer=officer) == 2
    assert _brand_cells(zorro) == {"banca-zorro": 12}
    assert_same_as_rebuild()

    with translation.override("en"):
        rows = statistics(breach=zorro.contest)["brands"]["rows"]
    assert [(r["key"], r["label"]) for r in rows] == [("banca-zorro", "Zorro Bank")]


def test_removing_an_alias_takes_its_reports_out_and_a_rename_shows_at_once(
    zorro, make_person, django_capture_on_commit_callbacks
):
    officer = make_person("officer@example.org", is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        brand = brand_save(name_it="Banca Zorro", name_en="Zorro Bank", aliases=["zorro bank"], officer=officer)
    with translation.override("it"):
        assert statistics(breach=zorro.contest)["brands"]["rows"][0]["label"] == "Banca Zorro"

    with django_capture_on_commit_callbacks(execute=True):
        brand_save(brand=brand, name_it="Banca Z", name_en="Bank Z", aliases=[], officer=officer)

    assert _brand_cells(zorro) == {}  # "Zorro Bank" is neither a name nor an alias any more
    assert_same_as_rebuild()
    with django_capture_on_commit_callbacks(execute=True):
        brand_save(brand=brand, name_it="Banca Z", name_en="Bank Z", aliases=["Zorro Bank"], officer=officer)
    with translation.override("it"):
        assert statistics(breach=zorro.contest)["brands"]["rows"][0]["label"] == "Banca Z"  # no stale cache
    assert_same_as_rebuild()
