"""The API's one pagination: DRF's limit/offset, with bounds that are checked and published.

DRF passes any whole number through: ?limit=9223372036854775808 reached the database as an OFFSET/LIMIT it
cannot hold (a 500), and ?limit=-1 silently meant the default. Here a value outside its bounds, or one that is
not a whole number, is a 400 naming the parameter, and the schema states the bounds.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination

from apps.core.api_params import MESSAGES

MAX_PAGE_SIZE = 200
# Far beyond any list the API serves, far below what a database's 64-bit OFFSET holds.
MAX_OFFSET = 1_000_000


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    max_limit = MAX_PAGE_SIZE

    def _bounded(self, request, name: str, *, minimum: int, maximum: int, default: int) -> int:
        raw = request.query_params.get(name)
        if raw is None:
            return default
        if len(request.query_params.getlist(name)) > 1:
            raise serializers.ValidationError({name: [MESSAGES["repeated"]]})
        text = raw.strip()
        if text.isascii() and text.isdigit() and len(text) <= len(str(maximum)) and minimum <= int(text) <= maximum:
            return int(text)
        raise serializers.ValidationError(
            {name: [_("Enter a whole number from %(min)d to %(max)d.") % {"min": minimum, "max": maximum}]}
        )

    def get_limit(self, request):
        return self._bounded(request, self.limit_query_param, minimum=1, maximum=self.max_limit,
                             default=self.default_limit)  # fmt: skip

    def get_offset(self, request):
        return self._bounded(request, self.offset_query_param, minimum=0, maximum=MAX_OFFSET, default=0)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {self.limit_query_param: (1, self.max_limit), self.offset_query_param: (0, MAX_OFFSET)}
        for parameter in parameters:
            low, high = bounds[parameter["name"]]
            parameter["schema"].update(minimum=low, maximum=high)
        return parameters
