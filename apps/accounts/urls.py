from django.urls import path

from apps.accounts.views import login_link, me, officers, organisations, two_factor

app_name = "accounts"

urlpatterns = [
    path("me/", me.me, name="me"),
    path("me/phones/add/", me.phone_add_view, name="phone_add"),
    path("me/phones/<int:pk>/verify/", me.phone_verify_view, name="phone_verify"),
    path("me/phones/<int:pk>/resend/", me.phone_resend_view, name="phone_resend"),
    path("me/phones/<int:pk>/remove/", me.phone_remove_view, name="phone_remove"),
    path("me/reporting-since/", me.reporting_since_view, name="reporting_since"),
    path("me/export/", me.export_view, name="export"),
    path("me/erase/", me.erase_view, name="erase"),
    path("goodbye/", me.erased_view, name="erased"),
    path("organisations/<slug:slug>/join/", organisations.join_request_view, name="join_request"),
    path("organisations/<slug:slug>/people/", organisations.people_view, name="people"),
    path("organisations/<slug:slug>/people/invite/", organisations.invite_one_view, name="invite_one"),
    path(
        "organisations/<slug:slug>/people/template.csv",
        organisations.invitation_template_view,
        name="invitation_template",
    ),
    path(
        "organisations/<slug:slug>/invitations/<int:pk>/resend/",
        organisations.invitation_resend_view,
        name="invitation_resend",
    ),
    path("organisations/<slug:slug>/people/<int:pk>/decide/", organisations.join_decide_view, name="join_decide"),
    path(
        "organisations/<slug:slug>/invitations/<int:pk>/", organisations.invitation_batch_view, name="invitation_batch"
    ),
    path("invitations/<str:token>/", organisations.invitation_accept_view, name="invitation_accept"),
    path("officers/audit/", officers.audit_log_view, name="audit_log"),
    path("officers/audit/export.csv", officers.audit_log_csv_view, name="audit_log_csv"),
    path("accounts/login/link/<str:token>/", login_link.login_link_view, name="login_link"),
    path("accounts/2fa/enrol/", two_factor.enrol_view, name="mfa_enrol"),
    path("accounts/2fa/enrol/<str:token>/", two_factor.enrol_confirm_view, name="mfa_enrol_confirm"),
    # allauth's own path, matched here first (these patterns come before allauth's in breachwatch/urls.py).
    path("accounts/2fa/totp/activate/", two_factor.activate_view, name="mfa_activate_totp"),
]
