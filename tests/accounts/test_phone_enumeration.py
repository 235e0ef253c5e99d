"""Adding a phone number must not tell whether another account has verified it."""

import re

import pytest
from django.test import Client

from apps.accounts.models import PersonalPhone
from apps.accounts.services.phones import PhoneVerificationError, phone_add, phone_verify
from tests.accounts.test_phone_verification import code_from

pytestmark = pytest.mark.django_db

TAKEN, FREE = "333 123 4567", "333 765 4321"


@pytest.fixture
def owner(make_person, sms_outbox):
    person = make_person("owner@example.org", preferred_language="en")
    phone = phone_add(person=person, raw_number=TAKEN)
    phone_verify(phone=phone, code=code_from(sms_outbox))
    sms_outbox.clear()
    return person


def add_through_the_page(client, number):
    return client.post("/me/phones/add/", {"number": number}, follow=True)


def normalised(response) -> str:
    body = response.content.decode()
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body)
    body = re.sub(r"/me/phones/\d+/", "/me/phones/N/", body)
    return body.replace("+393331234567", "NUMBER").replace("+393337654321", "NUMBER")


def test_a_number_verified_elsewhere_answers_exactly_like_a_free_one(owner, make_person, sms_outbox):
    attacker = Client(HTTP_ACCEPT_LANGUAGE="en")
    attacker.force_login(make_person("attacker@example.org"))

    taken = add_through_the_page(attacker, TAKEN)
    free = add_through_the_page(attacker, FREE)

    assert [status for _, status in taken.redirect_chain] == [status for _, status in free.redirect_chain] == [302]
    assert taken.redirect_chain[0][0].endswith("/verify/") and free.redirect_chain[0][0].endswith("/verify/")
    assert normalised(taken) == normalised(free)
    assert "We sent a code by SMS to" in taken.content.decode()


def test_no_code_that_could_verify_it_reaches_anyone_and_the_owner_keeps_it(owner, make_person, sms_outbox):
    attacker = make_person("attacker@example.org")
    phone = phone_add(person=attacker, raw_number=TAKEN)

    [notice] = sms_outbox  # the number's owner is told, with no code in it
    assert notice.to == "+393331234567"
    assert not re.search(r"\d{6}", notice.text)
    assert "already verified on another account" in notice.text
    with pytest.raises(PhoneVerificationError) as error:
        phone_verify(phone=phone, code="123456")
    assert error.value.code == "wrong"  # what any wrong code answers: nothing about the owner
    assert PersonalPhone.objects.get(person=owner).is_verified
    assert not PersonalPhone.objects.get(pk=phone.pk).is_verified


def test_asking_for_a_new_code_for_it_sends_the_owner_the_notice_again(owner, make_person, sms_outbox):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(make_person("attacker@example.org"))
    add_through_the_page(client, TAKEN)
    phone = PersonalPhone.objects.get(person__email="attacker@example.org")

    response = client.post(f"/me/phones/{phone.pk}/resend/", follow=True)

    assert "We sent a new code by SMS to +393331234567." in response.content.decode()
    assert len(sms_outbox) == 2 and not any(re.search(r"\d{6}", m.text) for m in sms_outbox)


def test_the_notice_is_in_the_owners_language(make_person, sms_outbox):
    person = make_person("owner@example.org", preferred_language="it")
    phone = phone_add(person=person, raw_number=TAKEN)
    phone_verify(phone=phone, code=code_from(sms_outbox))

    phone_add(person=make_person("attacker@example.org", preferred_language="en"), raw_number=TAKEN)

    assert "già verificato su un altro account" in sms_outbox[-1].text
