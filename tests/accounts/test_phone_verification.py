from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from apps.accounts.models import PersonalPhone, PhoneCode
from apps.accounts.services.phones import (
    PhoneVerificationError,
    phone_add,
    phone_code_send,
    phone_verify,
)
from apps.accounts.signals import identifier_verified
from apps.phones.hashing import phone_digest
from apps.phones.normalise import InvalidPhoneNumber
from apps.phones.sms import SmsDeliveryError

pytestmark = pytest.mark.django_db


def code_from(outbox) -> str:
    return "".join(ch for ch in outbox[-1].text.split(":")[1] if ch.isdigit())[:6]


@pytest.mark.parametrize("typed", ["333 123 4567", "+39 333 1234567", "0039 333-123-4567", "3331234567"])
def test_phone_add_normalises_any_common_form_and_sends_a_code(make_person, sms_outbox, typed):
    phone = phone_add(person=make_person(), raw_number=typed)

    assert phone.number == "+393331234567"
    assert bytes(phone.digest) == phone_digest("+393331234567")
    assert sms_outbox[-1].to == "+393331234567" and len(code_from(sms_outbox)) == 6


def test_a_foreign_mobile_is_accepted(make_person, sms_outbox):
    assert phone_add(person=make_person(), raw_number="+234 803 123 4567").number == "+2348031234567"


def test_a_fixed_line_is_refused_because_codes_go_to_mobiles(make_person, sms_outbox):
    with pytest.raises(InvalidPhoneNumber) as error:
        phone_add(person=make_person(), raw_number="+39 06 1234 5678")

    assert error.value.code == "not_mobile"
    assert sms_outbox == []


def test_the_right_code_verifies_and_announces_the_identifier(
    make_person, sms_outbox, django_capture_on_commit_callbacks
):
    person = make_person()
    phone = phone_add(person=person, raw_number="333 123 4567")
    heard = []
    identifier_verified.connect(lambda **kw: heard.append(kw), weak=False, dispatch_uid="t")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            phone_verify(phone=phone, code=code_from(sms_outbox))
    finally:
        identifier_verified.disconnect(dispatch_uid="t")

    assert PersonalPhone.objects.get(pk=phone.pk).is_verified
    assert heard[0]["person"] == person and heard[0]["kind"] == "phone"
    assert heard[0]["digest"] == phone_digest("+393331234567")


def test_a_code_cannot_be_used_twice(make_person, sms_outbox):
    person = make_person()
    phone = phone_add(person=person, raw_number="333 123 4567")
    code = code_from(sms_outbox)
    phone_verify(phone=phone, code=code)
    phone.verified_at = None  # even if the phone were unverified again, the code is spent

    with pytest.raises(PhoneVerificationError) as error:
        phone_verify(phone=phone, code=code)
    assert error.value.code == "used"


def test_a_code_expires_after_ten_minutes(make_person, sms_outbox):
    phone = phone_add(person=make_person(), raw_number="333 123 4567")
    PhoneCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    with pytest.raises(PhoneVerificationError) as error:
        phone_verify(phone=phone, code=code_from(sms_outbox))
    assert error.value.code == "expired"


def test_five_wrong_tries_burn_the_code_even_for_the_right_one_after(make_person, sms_outbox):
    phone = phone_add(person=make_person(), raw_number="333 123 4567")
    right = code_from(sms_outbox)
    wrong = "000000" if right != "000000" else "111111"
    codes = []
    for _ in range(5):
        with pytest.raises(PhoneVerificationError) as error:
            phone_verify(phone=phone, code=wrong)
        codes.append(error.value.code)

    assert codes == ["wrong"] * 4 + ["too_many_attempts"]
    with pytest.raises(PhoneVerificationError) as error:
        phone_verify(phone=phone, code=right)
    assert error.value.code == "too_many_attempts"
    assert not PersonalPhone.objects.get(pk=phone.pk).is_verified


def test_at_most_three_codes_per_number_per_day_even_after_removing_it(make_person, sms_outbox):
    person = make_person()
    phone = phone_add(person=person, raw_number="333 123 4567")
    phone_code_send(phone=phone)
    phone.delete()
    phone = phone_add(person=person, raw_number="333 123 4567")  # third code

    with pytest.raises(PhoneVerificationError) as error:
        phone_code_send(phone=phone)
    assert error.value.code == "daily_limit"
    assert len(sms_outbox) == 3


def test_a_race_to_verify_the_same_number_leaves_one_winner(make_person, sms_outbox):
    first = phone_add(person=make_person("a@example.org"), raw_number="333 123 4567")
    first_code = code_from(sms_outbox)
    second = phone_add(person=make_person("b@example.org"), raw_number="333 123 4567")
    second_code = code_from(sms_outbox)
    phone_verify(phone=second, code=second_code)

    with pytest.raises(PhoneVerificationError) as error:
        phone_verify(phone=first, code=first_code)
    assert error.value.code == "taken"
    assert PersonalPhone.objects.filter(verified_at__isnull=False).count() == 1


class UnreachableGateway:
    """An SMS backend whose gateway cannot be reached, like HttpGatewaySmsBackend during an outage."""

    def send(self, to_e164: str, text: str) -> None:
        raise SmsDeliveryError("SMS gateway unreachable: [Errno 111] Connection refused")


@pytest.fixture
def gateway_down(settings):
    settings.SMS_BACKEND = f"{__name__}.UnreachableGateway"


def test_adding_a_number_while_the_gateway_is_down_says_so_and_costs_no_code(make_person, gateway_down, client):
    person = make_person()
    client.force_login(person)

    responses = [client.post("/me/phones/add/", {"number": "333 123 4567"}, HTTP_ACCEPT_LANGUAGE="en")]
    responses.append(client.post("/me/phones/add/", {"number": "333 123 4567"}, HTTP_ACCEPT_LANGUAGE="it"))

    assert [r.status_code for r in responses] == [200, 200]  # the form again, not a 500
    assert "We could not send the SMS just now. Please try again in a few minutes." in responses[0].content.decode()
    with translation.override("it"):
        italian = escape(gettext("We could not send the SMS just now. Please try again in a few minutes."))
    assert italian in responses[1].content.decode()
    assert not PersonalPhone.objects.filter(person=person).exists()  # nothing half-added
    assert PhoneCode.objects.count() == 0


def test_failed_sends_do_not_count_against_the_three_codes_a_day(make_person, settings, sms_outbox):
    settings.SMS_BACKEND = f"{__name__}.UnreachableGateway"
    person = make_person()
    for _ in range(4):
        with pytest.raises(PhoneVerificationError) as error:
            phone_add(person=person, raw_number="333 123 4567")
        assert error.value.code == "sms_failed"

    settings.SMS_BACKEND = "memory"  # the gateway is back
    phone = phone_add(person=person, raw_number="333 123 4567")
    phone_code_send(phone=phone)
    phone_code_send(phone=phone)

    assert len(sms_outbox) == 3


def test_resending_while_the_gateway_is_down_keeps_the_earlier_code_working(make_person, sms_outbox, settings, client):
    person = make_person()
    phone = phone_add(person=person, raw_number="333 123 4567")
    earlier = code_from(sms_outbox)
    settings.SMS_BACKEND = f"{__name__}.UnreachableGateway"
    client.force_login(person)

    response = client.post(f"/me/phones/{phone.pk}/resend/", HTTP_ACCEPT_LANGUAGE="en", follow=True)

    assert response.status_code == 200
    assert "We could not send the SMS just now." in response.content.decode()
    assert PhoneCode.objects.filter(phone=phone).count() == 1  # the failed code is not counted
    phone_verify(phone=phone, code=earlier)
    assert PersonalPhone.objects.get(pk=phone.pk).is_verified
