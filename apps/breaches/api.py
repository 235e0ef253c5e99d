"""GET /api/v1/breaches/: the public facts of non-sensitive breaches. No endpoint takes or returns a hash."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, serializers

from apps.breaches.models import Breach
from apps.breaches.selectors import breaches_for_public_list


class BreachSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Breach
        fields = [
            "slug",
            "title",
            "organisation",
            "description",
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


@extend_schema(summary="Registered breaches", description="Public facts of every non-sensitive breach.")
class BreachListView(generics.ListAPIView):
    serializer_class = BreachSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        return breaches_for_public_list()
