"""How the API and the site answer errors the views never see: every API error is JSON in the request's
language and names the missing thing as its users know it ("Report not found."), never an internal model
("No ContactReport matches the given query.", which is what Http404 from get_object_or_404 carries)."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

API_PREFIX = "/api/"


def _too_big() -> str:
    return _("The request body is too large: at most %(size)s.") % {
        "size": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    }


def api_exception_handler(exc, context):
    """REST_FRAMEWORK's EXCEPTION_HANDLER. A view names what it could not find with `not_found_detail`."""
    if isinstance(exc, Http404 | NotFound):
        detail = getattr(context.get("view"), "not_found_detail", None) or _("Not found.")
        exc = NotFound(str(detail))
    elif isinstance(exc, RequestDataTooBig):  # raised when the parser first reads request.body
        return Response({"detail": _too_big()}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    elif isinstance(exc, SuspiciousOperation):  # too many fields, a malformed multipart body…
        return Response({"detail": _("The request could not be read.")}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


# Django's handlers (set in breachwatch/urls.py), for what no DRF view answers: an unknown API address, an
# error raised before a view runs. Pages keep Django's own handlers and templates.
def page_not_found(request, exception):
    if _is_api(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def bad_request(request, exception):
    if _is_api(request):
        if isinstance(exception, RequestDataTooBig):
            return JsonResponse({"detail": _too_big()}, status=413)
        return JsonResponse({"detail": _("The request could not be read.")}, status=400)
    return defaults.bad_request(request, exception)


def server_error(request):
    if _is_api(request):
        return JsonResponse({"detail": _("Something went wrong on our side; please try again later.")}, status=500)
    return defaults.server_error(request)
