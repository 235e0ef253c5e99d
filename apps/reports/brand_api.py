"""GET /api/v1/brands/: the curated brand list, for phone apps to offer when a person reports a contact."""

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.reports.brands import brand_choices
from apps.reports.models import Brand


class BrandSerializer(serializers.Serializer):
    slug = serializers.CharField(help_text="What the statistics and a report's `brand` hold")
    name = serializers.CharField(help_text="In the language asked for (Accept-Language; Italian by default)")
    name_it = serializers.CharField()
    name_en = serializers.CharField()
    aliases = serializers.ListField(child=serializers.CharField(), help_text="Other spellings that count as it")


class BrandListView(APIView):
    authentication_classes = []  # public: the list is what the public figures may name
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        summary="The curated brands",
        description="Send one of these names (or aliases) as a report's `impersonated_brand` to have it counted "
        "as that brand; other text is kept private and counted as none.",
        responses={200: BrandSerializer(many=True)},
    )
    def get(self, request):
        brands = brand_choices(Brand.objects.prefetch_related("aliases"))
        rows = [
            {
                "slug": brand.slug,
                "name": brand.name,
                "name_it": brand.name_it,
                "name_en": brand.name_en,
                "aliases": [a.text for a in brand.aliases.all() if a.text not in (brand.name_it, brand.name_en)],
            }
            for brand in brands
        ]
        return Response(BrandSerializer(rows, many=True).data)
