"""The link e-mailed past the failed-login ceiling (apps.accounts.login_link): a page with one button, so that
a mail client or browser that opens links ahead of time logs nobody in."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from apps.accounts import login_link


@require_http_methods(["GET", "POST"])
def login_link_view(request, token):
    if request.user.is_authenticated:
        return redirect("accounts:me")
    user = login_link.link_user(request, token)
    if user is None:
        context = {"minutes": login_link.LINK_MAX_AGE // 60}
        return render(request, "accounts/login_link_invalid.html", context, status=410)
    if request.method == "POST":
        return login_link.login_with_link(request, user)
    return render(request, "accounts/login_link.html", {"token": token})
