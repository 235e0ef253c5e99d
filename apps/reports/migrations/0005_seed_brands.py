"""The first curated brand list (officers extend it from /officers/brands/), and the existing reports matched
to it. The rollups counted the typed text until now: each matched or unmatched report with a typed brand is
queued with that text as what it counted before, so the next rollups update moves it to its curated brand
(or to none), exactly as a correction would."""

from django.db import migrations

from apps.reports.brand_list import brands_seed
from apps.reports.brands import brand_key


def seed(apps, schema_editor):
    Brand = apps.get_model("reports", "Brand")
    BrandAlias = apps.get_model("reports", "BrandAlias")
    ContactReport = apps.get_model("reports", "ContactReport")
    RollupChange = apps.get_model("insights", "RollupChange")
    brands_seed(Brand, BrandAlias)
    slugs = dict(BrandAlias.objects.values_list("key", "brand_id"))
    reports = list(ContactReport.objects.exclude(impersonated_brand="").order_by("pk"))
    queued = []
    for report in reports:
        report.brand_key = brand_key(report.impersonated_brand)
        report.curated_brand_id = slugs.get(report.brand_key)
        if not report.hidden:
            before = {
                "occurred_at": report.occurred_at.isoformat(),
                "channel": report.channel,
                "script": report.script,
                "brand": report.impersonated_brand,  # what the rollups counted until this migration
                "caller_id": report.caller_id,
            }
            queued.append(RollupChange(contributor=report.contributor, report_id=report.pk, before=before))
    ContactReport.objects.bulk_update(reports, ["brand_key", "curated_brand"], batch_size=2000)
    RollupChange.objects.bulk_create(queued, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_brands"),
        ("insights", "0003_number_top_index"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
