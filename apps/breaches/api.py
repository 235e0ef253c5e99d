"""GET /api/v1/breaches/: the public facts of non-sensitive breaches. No endpoint takes or returns a hash.

`title` and `description` are in the request's language; the `_it` and `_en` fields give both, so an app
that shows its own language picker need not ask twice."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions, serializers

from apps.breaches.models import Breach
from apps.breaches.selectors import breaches_for_public_list


class BreachSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name")
    title = serializers.CharField(
        read_only=True, help_text="In the request's language (Accept-Language), or the other one while untranslated."
    )
    description = serializers.CharField(read_only=True, help_text="In the request's language, like the title.")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Breach
        fields = [
            "slug",
            "title",
            "organisation",
            "description",
            "title_it",
            "title_en",
            "description_it",
            "description_en",
            "occurred_on",
            "discovered_on",
            "disclosed_on",
            "data_categories",
            "approx_people",
            "sources",
            "is_verified",
            "url",
        ]
        read_only_fields = fields

    def get_url(self, breach) -> str:
        return self.context["request"].build_absolute_uri(f"/breaches/{breach.slug}/")


@extend_schema(
    summary="Registered breaches",
    description="Public facts of every non-sensitive breach.",
    responses={
        200: BreachSerializer(many=True),
        400: OpenApiResponse(response=OpenApiTypes.OBJECT, description="`limit` or `offset` out of bounds"),
    },
)
class BreachListView(generics.ListAPIView):
    serializer_class = BreachSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        return breaches_for_public_list()
