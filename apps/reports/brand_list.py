"""The first curated brand list: what the migration seeds, and what an emptied list is seeded with again
(after `manage.py flush`, or a transactional test's flush: the receiver in apps.reports.apps)."""

from apps.reports.brands import brand_key

# (slug, Italian name, English name, more aliases): the bodies and companies Italian scam callers claim to be.
BRANDS = [
    ("inps", "INPS", "INPS", ["Istituto Nazionale della Previdenza Sociale", "Istituto Nazionale Previdenza Sociale"]),
    ("inail", "INAIL", "INAIL", ["Istituto Nazionale Assicurazione Infortuni sul Lavoro"]),
    ("agenzia-entrate", "Agenzia delle Entrate", "Italian Revenue Agency", ["Agenzia Entrate", "Agenzia dell'Entrate",
     "Agenzia delle Entrate Riscossione", "Equitalia"]),
    ("ministero-lavoro", "Ministero del Lavoro", "Ministry of Labour",
     ["Ministero del Lavoro e delle Politiche Sociali", "Ministry of Labor"]),
    ("ministero-interno", "Ministero dell'Interno", "Ministry of the Interior",
     ["Viminale", "Ministero degli Interni"]),
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


def brands_seed(brand_model, alias_model) -> None:
    """Add the brands above and their aliases where missing (the models may be a migration's historical ones)."""
    for slug, name_it, name_en, aliases in BRANDS:
        brand, _created = brand_model.objects.get_or_create(
            slug=slug, defaults={"name_it": name_it, "name_en": name_en}
        )
        for text in (name_it, name_en, *aliases):  # an alias another brand holds stays that brand's
            alias_model.objects.get_or_create(key=brand_key(text), defaults={"brand": brand, "text": text})


def seed_an_empty_list(sender, using="default", **kwargs) -> None:
    """post_migrate: an empty brand list (a fresh flush) gets the first list again; an edited one is left alone."""
    from apps.reports.models import Brand, BrandAlias

    if not Brand.objects.using(using).exists():
        brands_seed(Brand, BrandAlias)
