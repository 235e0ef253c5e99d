"""insert_one() (apps/core/inserts.py) stores a new row exactly as Model.save() would."""

import pytest
from django.db.models.signals import post_save, pre_save
from django.forms.models import model_to_dict
from django.utils import timezone

from apps.core.inserts import insert_one
from apps.reports.models import CallerNumber, ContactReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def new_report(make_person):
    person = make_person()
    caller = CallerNumber.objects.create(e164="+2348031234567")
    when = timezone.now().replace(microsecond=0)

    def make(**fields):
        return ContactReport(
            reporter=person, contributor=person.pk, caller=caller, channel="call", occurred_at=when, **fields
        )

    return make


def test_insert_one_stores_the_same_row_as_save(new_report):
    saved, inserted = new_report(caller_knew=["name"], notes="n"), new_report(caller_knew=["name"], notes="n")
    inserted.created_at = saved.created_at
    saved.save()

    assert insert_one(inserted) is inserted

    assert inserted.pk is not None and inserted.pk != saved.pk
    assert not inserted._state.adding and inserted._state.db == "default"
    stored = {pk: model_to_dict(r, exclude=["id"]) for pk, r in ContactReport.objects.in_bulk().items()}
    assert stored[inserted.pk] == stored[saved.pk]
    assert stored[inserted.pk]["caller_knew"] == ["name"] and stored[inserted.pk]["hidden"] is False


def test_insert_one_sends_the_signals_of_a_created_row(new_report):
    heard = []

    def hear(signal):
        def receiver(sender, instance, **kwargs):
            heard.append((signal, sender, instance.pk is not None, kwargs.get("created")))

        return receiver

    before, after = hear("pre_save"), hear("post_save")
    pre_save.connect(before, sender=ContactReport)
    post_save.connect(after, sender=ContactReport)
    try:
        insert_one(new_report())
    finally:
        pre_save.disconnect(before, sender=ContactReport)
        post_save.disconnect(after, sender=ContactReport)

    assert heard == [("pre_save", ContactReport, False, None), ("post_save", ContactReport, True, True)]


def test_insert_one_refuses_a_stored_row_and_an_unsaved_relation(new_report, make_person):
    stored = new_report()
    stored.save()
    with pytest.raises(ValueError, match="new rows only"):
        insert_one(stored)

    unsaved_caller = new_report()
    unsaved_caller.caller = CallerNumber(e164="+2348030000000")
    with pytest.raises(ValueError, match="unsaved related object"):
        insert_one(unsaved_caller)
