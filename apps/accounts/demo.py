"""Demo accounts: a case officer, HR of the demo organisation, a union representative and members.
Every address is under .invalid and every account uses DEMO_PASSWORD (listed in the README)."""

from allauth.account.models import EmailAddress

from apps.accounts.models import Membership, PersonalPhone, Union, UnionMandate, User
from apps.core.demo import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, DemoContext, demo_step
from apps.phones.hashing import phone_digest

FIRST_NAMES = [
    "Luca",
    "Giulia",
    "Marco",
    "Francesca",
    "Alessandro",
    "Sara",
    "Matteo",
    "Chiara",
    "Davide",
    "Elena",
    "Simone",
    "Martina",
    "Andrea",
    "Valentina",
    "Federico",
    "Alessia",
    "Lorenzo",
    "Silvia",
    "Paolo",
    "Anna",
]
DEMO_MEMBERS = 40  # later issues add reporters on top; the dashboards need more than K=10 people
DEMO_MEMBERS_WITH_PHONE = 20


def _account(email: str, display_name: str, **flags) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"display_name": display_name, **flags})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


@demo_step(order=10)
def case_officer(context: DemoContext) -> dict:
    officer = _account(f"officer@{DEMO_EMAIL_DOMAIN}", "Chiara (case officer, demo)", is_staff=True, is_superuser=True)
    context.made["officer"] = officer
    return {"officer": officer.email}


@demo_step(order=30)
def people_and_roles(context: DemoContext) -> dict:
    """Needs the demo organisation from breaches' step (order 20)."""
    from apps.breaches.models import Organisation

    organisation, _ = Organisation.objects.get_or_create(
        slug="inps-servizi-demo", defaults={"name": "INPS Servizi S.p.A. (demo)"}
    )
    hr = _account(f"hr@{DEMO_EMAIL_DOMAIN}", "Roberta (HR, demo)")
    Membership.objects.update_or_create(
        person=hr,
        organisation=organisation,
        defaults={"role": Membership.Role.HR, "status": Membership.Status.ACTIVE, "source": Membership.Source.OFFICER},
    )
    union, _ = Union.objects.get_or_create(
        slug="slc-demo", defaults={"name": "Sindacato Lavoratori Comunicazione (demo)"}
    )
    rep = _account(f"union@{DEMO_EMAIL_DOMAIN}", "Giorgio (union representative, demo)")
    mandate, _ = UnionMandate.objects.get_or_create(representative=rep, union=union)
    mandate.organisations.add(organisation)
    members = []
    for number in range(1, DEMO_MEMBERS + 1):
        name = FIRST_NAMES[(number - 1) % len(FIRST_NAMES)]
        member = _account(f"member{number:02d}@{DEMO_EMAIL_DOMAIN}", f"{name} (demo)")
        Membership.objects.get_or_create(
            person=member,
            organisation=organisation,
            defaults={"status": Membership.Status.ACTIVE, "source": Membership.Source.INVITATION},
        )
        members.append(member)
    phones = _verified_demo_phones(members[:DEMO_MEMBERS_WITH_PHONE], context)
    exposures = _match_demo_people()
    context.made.update(hr=hr, union_rep=rep, members=members, organisation=organisation)
    return {
        "hr": hr.email,
        "union": rep.email,
        "members": len(members),
        "verified_phones": phones,
        "exposures": exposures,
    }


def _verified_demo_phones(members, context: DemoContext) -> int:
    """Members 1..N verified the phone that row N of the synthetic leak holds (a range no operator assigns)."""
    from apps.breaches.demo import demo_leaked_phone

    for number, member in enumerate(members, start=1):
        e164 = demo_leaked_phone(number)
        PersonalPhone.objects.get_or_create(
            person=member,
            digest=phone_digest(e164),
            defaults={"number": e164, "label": "demo", "verified_at": context.now},
        )
    return len(members)


def _match_demo_people() -> int:
    """What the matcher does after verification and import, run once for the whole demo."""
    from apps.accounts.selectors import verified_identifiers
    from apps.breaches.matching import exposures_match_breach
    from apps.breaches.models import Breach

    return sum(
        exposures_match_breach(breach=b, verified_identifiers=verified_identifiers()) for b in Breach.objects.all()
    )
