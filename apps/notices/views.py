"""Alert preferences on /me/ and the one-click unsubscribe page that every alert links to."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from apps.notices.forms import AlertPreferencesForm
from apps.notices.models import Kind
from apps.notices.preferences import alert_preferences_set, alert_unsubscribe, unsubscribe_target


@login_required
@require_POST
def alert_preferences_view(request):
    form = AlertPreferencesForm(request.POST, person=request.user)
    if form.is_valid():
        alert_preferences_set(person=request.user, wanted=set(form.cleaned_data["wanted"]))
        messages.success(request, _("Saved: your e-mail alerts."))
    else:
        messages.error(request, _("Those alerts cannot be chosen here: nothing was changed."))
    return redirect(reverse("accounts:me") + "#alerts")


# No CSRF token and no login: RFC 8058 has mail clients POST "List-Unsubscribe=One-Click" to the link, and the
# signed token in it is the only authority needed (it can only ever turn one kind of alert off).
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request, token):
    target = unsubscribe_target(token)
    person = get_user_model().objects.filter(pk=target[0], is_active=True).first() if target else None
    if person is None:
        return render(request, "notices/unsubscribe_invalid.html", status=404)
    kind = Kind(target[1])
    if request.method == "POST":
        alert_unsubscribe(person=person, kind=kind)
        return render(request, "notices/unsubscribed.html", {"kind": kind})
    # A GET only asks: link scanners and previews open every link in a message, and must not unsubscribe.
    return render(request, "notices/unsubscribe_confirm.html", {"kind": kind})
