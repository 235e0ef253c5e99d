"""What to do next, per exposed data category: shown to a person for each breach that holds them."""

from django.utils.translation import gettext_lazy as _

from apps.breaches.models import DataCategory

GENERAL = [
    _(
        "Nobody from Amazon, Microsoft, INPS, a ministry or the police calls first to ask for data or payments: "
        "hang up and call the official number yourself."
    ),
    _("Block numbers that call you on your phone, and report each contact here: together the reports become evidence."),
    _("Register your numbers in the Registro pubblico delle opposizioni (it binds lawful telemarketers)."),
    _(
        "If you lost money or gave card data, call your bank at once and report it to the Polizia Postale "
        "(commissariatodips.it)."
    ),
]

BY_CATEGORY = {
    DataCategory.PHONE: _(
        "Expect calls, SMS and WhatsApp messages that use your name: silent calls test whether the number is live."
    ),
    DataCategory.EMAIL: _(
        "Expect phishing e-mails that look personal; never open attachments or links you did not ask for."
    ),
    DataCategory.TAX_CODE: _(
        "Your tax code can be used to pose as you: be wary of anyone who quotes it to gain your trust."
    ),
    DataCategory.BIRTH_DATE: _("Callers may quote your date of birth to sound official: it proves nothing."),
    DataCategory.CONTEST_DETAILS: _(
        "Callers may mention the hiring contest: neither INPS nor INPS Servizi will ask for payments or card data."
    ),
    DataCategory.BANK_DETAILS: _("Tell your bank that your details leaked and watch your statements."),
    DataCategory.PASSWORD: _("Change the password wherever you used it and turn on two-factor authentication."),
    DataCategory.ID_DOCUMENT: _(
        "Report the leak of your identity document to the police; it can be used to open accounts in your name."
    ),
}


def advice_for(categories: list[str]) -> list[str]:
    """Specific advice for the categories a breach exposed, then the general advice."""
    specific = [BY_CATEGORY[DataCategory(c)] for c in categories if c in BY_CATEGORY]
    return [*specific, *GENERAL]
