"""Demo accounts: a case officer, HR of the demo organisation, a union representative whose mandate covers
two organisations, and their members (400 at INPS Servizi, 60 at TelcoNova).
Every address is under .invalid and every account uses DEMO_PASSWORD (listed in the README), hashed once and
shared, so seeding hundreds of accounts stays fast."""

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext_lazy

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
DEMO_MEMBERS = 400  # INPS Servizi (demo): member01 … member400
# Members 1..160 verified the phone of their row in the synthetic leak; members DEMO_MEMBERS_IN_LEAK+1 .. +40
# verified a phone the leak does not hold. The last 40 verified nothing and are not in the leak: the
# low-weight reporters (DESIGN §2.3).
DEMO_MEMBERS_WITH_LEAKED_PHONE = 160
DEMO_MEMBERS_WITH_OTHER_PHONE = 40
DEMO_MEMBERS_WITH_PHONE = DEMO_MEMBERS_WITH_LEAKED_PHONE + DEMO_MEMBERS_WITH_OTHER_PHONE
# TelcoNova S.p.A. (demo): telconova01 … telconova60, linked to the TelcoNova breach by the organisation's
# invitation (the first 40) or by their own declaration (the others), since that breach has no dataset.
DEMO_TELCONOVA_MEMBERS = 60
DEMO_TELCONOVA_INVITED = 40
DEMO_TELCONOVA_WITH_PHONE = 30


def demo_member_email(n: int) -> str:
    return f"member{n:02d}@{DEMO_EMAIL_DOMAIN}"


def demo_telconova_email(n: int) -> str:
    return f"telconova{n:02d}@{DEMO_EMAIL_DOMAIN}"


def demo_member_phone(n: int) -> str | None:
    """The phone member n verified (E.164), or None. Ranges with no operator in phonenumbers' carrier data."""
    from apps.breaches.demo import DEMO_MEMBERS_IN_LEAK, demo_leaked_phone

    if n <= DEMO_MEMBERS_WITH_LEAKED_PHONE:
        return demo_leaked_phone(n)
    if DEMO_MEMBERS_IN_LEAK < n <= DEMO_MEMBERS_IN_LEAK + DEMO_MEMBERS_WITH_OTHER_PHONE:
        return f"+393109{n:06d}"
    return None


def demo_telconova_phone(n: int) -> str | None:
    return f"+393108{n:06d}" if n <= DEMO_TELCONOVA_WITH_PHONE else None


def _account(email: str, display_name: str, password: str, **flags) -> User:
    user, _created = User.objects.get_or_create(
        email=email, defaults={"display_name": display_name, "password": password, **flags}
    )
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def _accounts(people: list[tuple[str, str]], password: str) -> list[User]:
    """Many accounts at once, (e-mail, display name) each, with verified primary addresses; existing ones kept."""
    emails = [email for email, _name in people]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    User.objects.bulk_create(
        [User(email=e, display_name=name, password=password) for e, name in people if e not in existing],
        batch_size=500,
    )
    users = User.objects.in_bulk(emails, field_name="email")
    have_address = set(EmailAddress.objects.filter(email__in=emails).values_list("email", flat=True))
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=users[e], email=e, verified=True, primary=True) for e in emails if e not in have_address],
        batch_size=500,
    )
    return [users[e] for e in emails]


def _members_of(organisation, people: list[User]) -> None:
    has = set(Membership.objects.filter(organisation=organisation, person__in=people).values_list("person", flat=True))
    Membership.objects.bulk_create(
        [
            Membership(
                person=person,
                organisation=organisation,
                status=Membership.Status.ACTIVE,
                source=Membership.Source.INVITATION,
            )
            for person in people
            if person.pk not in has
        ],
        batch_size=500,
    )


@demo_step(order=10, label=gettext_lazy("case officer"))
def case_officer(context: DemoContext) -> dict:
    context.made["password"] = password = make_password(DEMO_PASSWORD)  # hashed once, shared by every account
    officer = _account(
        f"officer@{DEMO_EMAIL_DOMAIN}", "Chiara (case officer, demo)", password, is_staff=True, is_superuser=True
    )
    context.made["officer"] = officer
    return {"officer": officer.email}


@demo_step(order=30, label=gettext_lazy("people, organisations and roles"))
def people_and_roles(context: DemoContext) -> dict:
    """Needs the demo organisations from breaches' step (order 20)."""
    from apps.breaches.models import Breach, Organisation

    password = context.made.get("password") or make_password(DEMO_PASSWORD)
    organisation, _ = Organisation.objects.get_or_create(
        slug="inps-servizi-demo", defaults={"name": "INPS Servizi S.p.A. (demo)"}
    )
    telconova, _ = Organisation.objects.get_or_create(
        slug="telconova-demo", defaults={"name": "TelcoNova S.p.A. (demo)"}
    )
    hr = _account(f"hr@{DEMO_EMAIL_DOMAIN}", "Roberta (HR, demo)", password)
    Membership.objects.update_or_create(
        person=hr,
        organisation=organisation,
        defaults={"role": Membership.Role.HR, "status": Membership.Status.ACTIVE, "source": Membership.Source.OFFICER},
    )
    union, _ = Union.objects.get_or_create(
        slug="slc-demo", defaults={"name": "Sindacato Lavoratori Comunicazione (demo)"}
    )
    rep = _account(f"union@{DEMO_EMAIL_DOMAIN}", "Giorgio (union representative, demo)", password)
    mandate, _ = UnionMandate.objects.get_or_create(representative=rep, union=union)
    mandate.organisations.add(organisation, telconova)

    def name(n: int) -> str:
        return f"{FIRST_NAMES[(n - 1) % len(FIRST_NAMES)]} (demo)"

    members = _accounts([(demo_member_email(n), name(n)) for n in range(1, DEMO_MEMBERS + 1)], password)
    _members_of(organisation, members)
    telconova_members = _accounts(
        [(demo_telconova_email(n), name(n + 7)) for n in range(1, DEMO_TELCONOVA_MEMBERS + 1)], password
    )
    _members_of(telconova, telconova_members)
    phones = _verified_demo_phones(
        [(m, demo_member_phone(n)) for n, m in enumerate(members, start=1)]
        + [(m, demo_telconova_phone(n)) for n, m in enumerate(telconova_members, start=1)],
        context,
    )
    _match_demo_people()
    declared = _telconova_exposures(Breach.objects.get(slug="telconova-clienti-2025"), telconova_members)
    matched = Breach.objects.get(slug="inps-servizi-concorso-2022").exposures.matched().count()
    context.made.update(
        hr=hr, union_rep=rep, members=members, organisation=organisation, telconova_members=telconova_members
    )
    return {
        "hr": hr.email,
        "union": rep.email,
        "members": len(members),
        "telconova_members": len(telconova_members),
        "verified_phones": phones,
        "exposures": matched,
        "telconova_exposures": declared,
    }


def _verified_demo_phones(phones: list[tuple[User, str | None]], context: DemoContext) -> int:
    """Verified PersonalPhone rows for the (person, E.164) pairs that have a phone; existing ones kept."""
    wanted = [(person, e164, phone_digest(e164)) for person, e164 in phones if e164]
    existing = {
        (person_id, bytes(digest))
        for person_id, digest in PersonalPhone.objects.filter(person__in=[p for p, _e, _d in wanted]).values_list(
            "person_id", "digest"
        )
    }
    PersonalPhone.objects.bulk_create(
        [
            PersonalPhone(person=person, digest=digest, number=e164, label="demo", verified_at=context.now)
            for person, e164, digest in wanted
            if (person.pk, digest) not in existing
        ],
        batch_size=500,
    )
    return len(wanted)


def _match_demo_people() -> int:
    """What the matcher does after verification and import, run once for the whole demo."""
    from apps.accounts.selectors import verified_identifiers
    from apps.breaches.matching import exposures_match_breach
    from apps.breaches.models import Breach

    return sum(
        exposures_match_breach(breach=b, verified_identifiers=verified_identifiers()) for b in Breach.objects.all()
    )


def _telconova_exposures(breach, people: list[User]) -> int:
    """TelcoNova has no dataset: its staff are linked by the organisation's invitation or their declaration."""
    from apps.breaches.models import Exposure

    Established = Exposure.Established
    Exposure.objects.bulk_create(
        [
            Exposure(
                person=person,
                breach=breach,
                established=Established.INVITATION if n <= DEMO_TELCONOVA_INVITED else Established.SELF_DECLARED,
            )
            for n, person in enumerate(people, start=1)
        ],
        ignore_conflicts=True,
    )
    return Exposure.objects.filter(breach=breach, person__in=people).count()
