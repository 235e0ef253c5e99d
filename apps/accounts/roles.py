"""Who may see what: the one place roles are decided (DESIGN §1)."""

from django.db.models import Q, QuerySet

from apps.accounts.models import Membership, UnionMandate
from apps.breaches.models import Organisation


def is_officer(user) -> bool:
    """Case officers run the site: staff accounts."""
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def hr_organisations(user) -> QuerySet[Organisation]:
    """Organisations where the user holds the HR role."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__person=user, memberships__role="hr", memberships__status="active")


def union_organisations(user) -> QuerySet[Organisation]:
    """Organisations covered by the user's union mandates."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(pk__in=UnionMandate.objects.filter(representative=user).values("organisations"))


def dashboard_organisations(user) -> QuerySet[Organisation]:
    """Organisations whose aggregate dashboard the user may open (before the second-factor check)."""
    if is_officer(user):
        return Organisation.objects.all()
    if not user.is_authenticated:
        return Organisation.objects.none()
    # Two semi-joins rather than joins to every membership and mandate followed by DISTINCT, which took
    # 4 ms of a 20 ms dashboard answer at 100,000 members (bench/insights_load.py).
    as_hr = Membership.objects.filter(person=user, role="hr", status="active").values("organisation")
    as_union = UnionMandate.objects.filter(representative=user).values("organisations")
    return Organisation.objects.filter(Q(pk__in=as_hr) | Q(pk__in=as_union))


def needs_mfa(user) -> bool:
    """HR, union representatives and officers must use two-factor authentication before any dashboard."""
    return is_officer(user) or hr_organisations(user).exists() or union_organisations(user).exists()


def has_mfa(user) -> bool:
    if not user.is_authenticated:
        return False
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def can_manage_people(user, organisation: Organisation) -> bool:
    """HR of the organisation (or an officer) may invite people and decide requests to join."""
    return is_officer(user) or hr_organisations(user).filter(pk=organisation.pk).exists()
