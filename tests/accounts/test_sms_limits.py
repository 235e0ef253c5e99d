"""Attacks on the SMS one-time codes: spending the daily codes of a number that is not yours, and using the
site to send SMS to a list of numbers, from one account or from many on one network."""

import pytest
from django.test import Client

from apps.accounts.models import PhoneCode
from apps.accounts.services.phones import PhoneVerificationError, phone_add, phone_code_send

pytestmark = pytest.mark.django_db

VICTIM_NUMBER = "333 123 4567"


def test_someone_elses_codes_for_a_number_do_not_use_up_the_owners(make_person, sms_outbox):
    attacker = make_person("attacker@example.org")
    phone = phone_add(person=attacker, raw_number=VICTIM_NUMBER)
    phone_code_send(phone=phone)
    phone_code_send(phone=phone)  # the attacker's three codes for the victim's number

    owner_phone = phone_add(person=make_person("owner@example.org"), raw_number=VICTIM_NUMBER)

    assert sms_outbox[-1].to == "+393331234567"
    assert len(sms_outbox) == 4
    assert PhoneCode.objects.filter(phone=owner_phone).count() == 1


def test_one_account_gets_at_most_three_codes_a_day_for_a_number(make_person, sms_outbox, settings):
    settings.SMS_CODES_PER_NUMBER_PER_DAY = 3
    phone = phone_add(person=make_person(), raw_number=VICTIM_NUMBER)
    phone_code_send(phone=phone)
    phone_code_send(phone=phone)

    with pytest.raises(PhoneVerificationError) as error:
        phone_code_send(phone=phone)
    assert error.value.code == "daily_limit"
    assert "3 codes to this number today" in str(error.value.message)
    assert len(sms_outbox) == 3


def test_one_account_cannot_send_codes_to_thirty_numbers(make_person, sms_outbox, settings):
    settings.SMS_CODES_PER_ACCOUNT_PER_DAY = 6
    person = make_person()
    refused = []
    for n in range(30):
        try:
            phone_add(person=person, raw_number=f"333 100 {n:04d}")
        except PhoneVerificationError as error:
            refused.append(error.code)

    assert len(sms_outbox) == 6
    assert refused == ["account_daily_limit"] * 24


def test_removing_and_re_adding_numbers_does_not_reset_the_account_limit(make_person, sms_outbox, settings):
    settings.SMS_CODES_PER_ACCOUNT_PER_DAY = 2
    person = make_person()
    phone_add(person=person, raw_number="333 100 0001").delete()
    phone_add(person=person, raw_number="333 100 0002").delete()

    with pytest.raises(PhoneVerificationError) as error:
        phone_add(person=person, raw_number="333 100 0003")
    assert error.value.code == "account_daily_limit"


def test_many_accounts_on_one_network_cannot_send_codes_to_many_numbers(make_person, sms_outbox, settings):
    settings.SMS_CODES_PER_IP_PER_DAY = 12
    statuses = []
    for n in range(15):
        client = Client(REMOTE_ADDR="203.0.113.50", HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(make_person(f"sock{n}@example.org"))
        response = client.post("/me/phones/add/", {"number": f"333 200 {n:04d}"})
        statuses.append(response.status_code)

    assert len(sms_outbox) == 12
    assert statuses == [302] * 12 + [200] * 3  # the last three see the form again, with the reason
    assert "Too many codes were asked for from this network today." in response.content.decode()
    assert PhoneCode.objects.exclude(ip_digest=None).count() == 12
    assert b"203.0.113.50" not in b"".join(bytes(c.ip_digest) for c in PhoneCode.objects.all())


def test_another_network_is_not_held_to_that_networks_limit(make_person, sms_outbox, settings):
    settings.SMS_CODES_PER_IP_PER_DAY = 1
    first = Client(REMOTE_ADDR="203.0.113.50")
    first.force_login(make_person("a@example.org"))
    first.post("/me/phones/add/", {"number": "333 200 0001"})
    other = Client(REMOTE_ADDR="198.51.100.7")
    other.force_login(make_person("b@example.org"))

    assert other.post("/me/phones/add/", {"number": "333 200 0002"}).status_code == 302
    assert len(sms_outbox) == 2


def test_resending_is_held_to_the_network_limit_too(make_person, sms_outbox, settings):
    settings.SMS_CODES_PER_IP_PER_DAY = 2
    person = make_person()
    client = Client(REMOTE_ADDR="203.0.113.50", HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(person)
    client.post("/me/phones/add/", {"number": "333 200 0001"})
    phone = person.phones.get()
    client.post(f"/me/phones/{phone.pk}/resend/")

    response = client.post(f"/me/phones/{phone.pk}/resend/", follow=True)

    assert "Too many codes were asked for from this network today." in response.content.decode()
    assert len(sms_outbox) == 2


def test_a_number_refused_by_a_limit_is_not_left_half_added(make_person, sms_outbox, settings):
    settings.SMS_CODES_PER_ACCOUNT_PER_DAY = 1
    person = make_person()
    phone_add(person=person, raw_number="333 100 0001")

    with pytest.raises(PhoneVerificationError):
        phone_add(person=person, raw_number="333 100 0002")
    assert list(person.phones.values_list("number", flat=True)) == ["+393331000001"]


def test_the_limits_speak_italian(make_person, sms_outbox, settings):
    from django.utils import translation

    settings.SMS_CODES_PER_NUMBER_PER_DAY = 1
    phone = phone_add(person=make_person(), raw_number=VICTIM_NUMBER)
    with translation.override("it"), pytest.raises(PhoneVerificationError) as error:
        phone_code_send(phone=phone)
    assert str(error.value.message) == "Oggi abbiamo già inviato 1 codice a questo numero. Riprova domani."
