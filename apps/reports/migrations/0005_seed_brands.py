"""The first curated brand list (officers extend it from /officers/brands/), and the existing reports matched
to it. The rollups counted the typed text until now: each matched or unmatched report with a typed brand is
queued with that text as what it counted before, so the next rollups update moves it to its curated brand
(or to none), exactly as a correction would."""

from django.db import migrations

from apps.reports.brands import brand_key

# (slug, Italian name, English name, more aliases): the bodies and companies Italian scam callers claim to be.
BRANDS = [
    ("inps", "INPS", "INPS", ["Istituto Nazionale della Previdenza Sociale", "Istituto Nazionale Previdenza Sociale"]),
    ("inail", "INAIL", "INAIL", ["Istituto Nazionale Assicurazione Infortuni sul Lavoro"]),
    ("agenzia-entrate", "Agenzia delle Entrate", "Italian Revenue Agency", ["Agenzia Entrate", "Agenzia dell'Entrate",
     "Agenzia delle Entrate Riscossione", "Equitalia"]),
    ("ministero-lavoro", "Ministero del Lavoro", "Ministry of Labour", ["Ministero del Lavoro e delle Politiche Sociali",
     "Ministry of Labor"]),
    ("ministero-interno", "Ministero dell'Interno", "Ministry of the Interior", ["Viminale", "Ministero degli Interni"]),
    ("ministero-salute", "Ministero della Salute", "Ministry of Health", []),
    ("ministero-economia", "Ministero dell'Economia e delle Finanze", "Ministry of Economy and Finance", ["MEF",
     "Ministero dell'Economia"]),
    ("ministero-giustizia", "Ministero della Giustizia", "Ministry of Justice", []),
    ("polizia-postale", "Polizia Postale", "Postal Police", ["Polizia Postale e delle Comunicazioni"]),
    ("polizia-di-stato", "Polizia di Stato", "State Police", ["Polizia", "Questura"]),
    ("carabinieri", "Carabinieri", "Carabinieri", ["Arma dei Carabinieri"]),
    ("guardia-di-finanza", "Guardia di Finanza", "Guardia di Finanza (financial police)", ["GdF"]),
    ("poste-italiane", "Poste Italiane", "Poste Italiane", ["Poste", "BancoPosta", "PostePay", "Poste Pay"]),
    ("banca-d-italia", "Banca d'Italia", "Bank of Italy", ["Bankitalia"]),
    ("intesa-sanpaolo", "Intesa Sanpaolo", "Intesa Sanpaolo", ["Intesa", "Intesa San Paolo"]),
    ("unicredit", "UniCredit", "UniCredit", []),
    ("bnl", "BNL", "BNL", ["Banca Nazionale del Lavoro", "BNL BNP Paribas"]),
    ("banco-bpm", "Banco BPM", "Banco BPM", []),
    ("monte-dei-paschi", "Monte dei Paschi di Siena", "Monte dei Paschi di Siena", ["MPS", "Monte dei Paschi"]),
    ("bper", "BPER Banca", "BPER Banca", ["BPER"]),
    ("credit-agricole", "Crédit Agricole", "Crédit Agricole", []),
    ("fineco", "Fineco", "Fineco", ["FinecoBank"]),
    ("paypal", "PayPal", "PayPal", []),
    ("amazon", "Amazon", "Amazon", ["Amazon Prime", "Amazon.it"]),
    ("microsoft", "Microsoft", "Microsoft", ["Microsoft Support", "Windows", "Assistenza Microsoft"]),
    ("apple", "Apple", "Apple", ["iCloud"]),
    ("google", "Google", "Google", []),
    ("meta", "Meta (Facebook, Instagram, WhatsApp)", "Meta (Facebook, Instagram, WhatsApp)", ["Meta", "Facebook",
     "Instagram", "WhatsApp"]),
    ("netflix", "Netflix", "Netflix", []),
    ("tim", "TIM", "TIM", ["Telecom Italia"]),
    ("vodafone", "Vodafone", "Vodafone", []),
    ("windtre", "WindTre", "WindTre", ["Wind Tre", "Wind"]),
    ("iliad", "Iliad", "Iliad", []),
    ("fastweb", "Fastweb", "Fastweb", []),
    ("enel", "Enel", "Enel", ["Enel Energia", "Servizio Elettrico Nazionale"]),
    ("eni-plenitude", "Eni Plenitude", "Eni Plenitude", ["Eni", "Plenitude"]),
    ("dhl", "DHL", "DHL", []),
    ("brt", "BRT", "BRT", ["Bartolini"]),
    ("gls", "GLS", "GLS", []),
    ("sda", "SDA", "SDA", []),
    ("ups", "UPS", "UPS", []),
]  # fmt: skip


def seed(apps, schema_editor):
    Brand = apps.get_model("reports", "Brand")
    BrandAlias = apps.get_model("reports", "BrandAlias")
    ContactReport = apps.get_model("reports", "ContactReport")
    RollupChange = apps.get_model("insights", "RollupChange")
    for slug, name_it, name_en, aliases in BRANDS:
        brand, _created = Brand.objects.get_or_create(slug=slug, defaults={"name_it": name_it, "name_en": name_en})
        for text in (name_it, name_en, *aliases):
            BrandAlias.objects.get_or_create(key=brand_key(text), defaults={"brand": brand, "text": text})
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
