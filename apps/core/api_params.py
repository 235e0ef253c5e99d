"""Query parameters of the API that take one value: given twice (?channel=sms&channel=call) or given empty
(?channel=), Django's QueryDict would quietly keep the last value or read nothing, so a client's mistake
would answer figures it did not ask for. They are a 400 naming the parameter instead."""

from django.utils.translation import gettext_lazy as _

MESSAGES = {
    "repeated": _("Give this parameter only once."),
    "blank": _("Leave this parameter out or give it a value."),
}


def single_value_errors(query_params, names) -> dict[str, list[str]]:
    """{name: [message]} for each of `names` given more than once or given empty."""
    errors = {}
    for name in names:
        values = query_params.getlist(name)
        if len(values) > 1:
            errors[name] = [str(MESSAGES["repeated"])]
        elif values and not values[0].strip():
            errors[name] = [str(MESSAGES["blank"])]
    return errors
