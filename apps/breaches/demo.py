"""Demo breaches: the INPS Servizi contest archive (synthetic), a telecom leak and a sensitive one.

The INPS Servizi breach gets a synthetic leaked dataset, imported through the real pipeline, so the demo
holds digests to match: row n has the e-mail demo_leaked_email(n) and the phone demo_leaked_phone(n). Its
first DEMO_MEMBERS_IN_LEAK rows use the demo members' addresses (member01@…, accounts' demo step), so
verifying them links those members to the breach.
"""

import csv
import random
import tempfile
from datetime import date
from pathlib import Path

from django.utils.translation import gettext_lazy

from apps.breaches.models import Breach, DataCategory, DatasetImport, Organisation
from apps.breaches.services import import_exposures
from apps.core.demo import DEMO_EMAIL_DOMAIN, DemoContext, demo_step

DEMO_LEAK_ROWS = 3000
DEMO_MEMBERS_IN_LEAK = 320  # of the 400 demo members of INPS Servizi (accounts' demo step): about 80%
# The file name carries the generator's version: a demo seeded by an older generator imports the new leak.
DEMO_LEAK_FILE = "inps-servizi-concorso-2022-demo-v2.csv"
_SURNAMES = ["Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco"]
_FIRST_NAMES = ["Luca", "Giulia", "Marco", "Francesca", "Sara", "Matteo", "Chiara", "Elena", "Paolo", "Anna"]
# Spellings found in real exports, so the demo import exercises the normaliser.
_PHONE_FORMATS = ["{a} {b} {c}", "+39 {a}-{b}{c}", "0039 {a}{b}{c}", "(+39) {a}.{b}.{c}", "{a}{b}{c}"]


def demo_leaked_email(n: int) -> str:
    """The e-mail address in row n (1-based) of the synthetic INPS Servizi leak."""
    if n <= DEMO_MEMBERS_IN_LEAK:
        return f"member{n:02d}@{DEMO_EMAIL_DOMAIN}"
    return f"candidato{n:04d}@{DEMO_EMAIL_DOMAIN}"


def demo_leaked_phone(n: int) -> str:
    """The phone number (E.164) in row n of the synthetic leak: the +39 310 range, which no operator holds in
    phonenumbers' carrier data, so the demo never points at a real person's mobile."""
    return f"+393100{n:06d}"


BREACHES = [
    {
        "organisation": ("inps-servizi-demo", "INPS Servizi S.p.A. (demo)"),
        "slug": "inps-servizi-concorso-2022",
        "title_it": "INPS Servizi: archivio del concorso di assunzione del 25 maggio 2022",
        "title_en": "INPS Servizi: archive of the 25 May 2022 hiring contest",
        "description_it": (
            "Scheda dimostrativa sintetica, ispirata al caso INPS Servizi. Un attacco informatico ha sottratto "
            "l'archivio del concorso pubblico del 25 maggio 2022: dati anagrafici, numeri di telefono e indirizzi "
            "e-mail dei candidati. La data dell'attacco (15 novembre 2024) approssima «novembre 2024»."
        ),
        "description_en": (
            "Synthetic demo record modelled on the INPS Servizi case. A cyberattack took the archive of the "
            "public hiring contest of 25 May 2022: personal details, phone numbers and e-mail addresses of the "
            "candidates. The date it occurred (15 November 2024) is a synthetic approximation of 'November 2024'."
        ),
        "occurred_on": date(2024, 11, 15),
        "discovered_on": date(2024, 11, 20),
        "disclosed_on": date(2025, 1, 31),
        "data_categories": [
            "name",
            "birth_date",
            "phone",
            "email",
            "tax_code",
            "address",
            "education",
            "contest_details",
        ],
        "approx_people": 3000,
        "sources": [],
        "is_verified": True,
        "is_sensitive": False,
    },
    {
        "organisation": ("telconova-demo", "TelcoNova S.p.A. (demo)"),
        "slug": "telconova-clienti-2025",
        "title_it": "TelcoNova: dati dei clienti esposti dal portale dei rivenditori",
        "title_en": "TelcoNova: customer records exposed by a reseller portal",
        "description_it": (
            "Scheda dimostrativa sintetica: un operatore telefonico immaginario il cui portale per i rivenditori "
            "ha esposto i dati dei clienti."
        ),
        "description_en": (
            "Synthetic demo record: a fictitious telecom operator whose reseller portal exposed customer records."
        ),
        "occurred_on": date(2025, 3, 2),
        "discovered_on": date(2025, 3, 20),
        "disclosed_on": date(2025, 4, 10),
        "data_categories": ["name", "phone", "address", "id_document", "other"],
        "approx_people": 120000,
        "sources": ["https://news.example.invalid/telconova-2025"],
        "is_verified": False,
        "is_sensitive": False,
    },
    {
        "organisation": ("centro-analisi-demo", "Centro Analisi Cliniche (demo)"),
        "slug": "centro-analisi-referti-2025",
        "title_it": "Centro Analisi Cliniche: archivio delle prenotazioni",
        "title_en": "Centro Analisi Cliniche: booking records",
        "description_it": (
            "Scheda dimostrativa sintetica di una violazione delicata: il solo fatto di esserci rivela "
            "informazioni sulla salute, quindi non è mai elencata pubblicamente ed è mostrata solo a chi ha "
            "verificato un recapito che contiene."
        ),
        "description_en": (
            "Synthetic demo record of a sensitive breach: membership alone reveals health information, so it "
            "is never listed publicly and only shown to people who verified an identifier it holds."
        ),
        "occurred_on": date(2025, 6, 8),
        "discovered_on": date(2025, 6, 9),
        "disclosed_on": None,
        "data_categories": ["name", "phone", "email", "other"],
        "approx_people": 800,
        "sources": [],
        "is_verified": True,
        "is_sensitive": True,
    },
]
assert all(set(spec["data_categories"]) <= set(DataCategory.values) for spec in BREACHES)


@demo_step(order=20, label=gettext_lazy("breaches and the synthetic leak"))
def breaches(context: DemoContext) -> dict:
    """The demo organisations and breaches (updated in place when seeded again), and the synthetic leak."""
    made = {}
    for spec in BREACHES:
        spec = dict(spec)
        slug, name = spec.pop("organisation")
        organisation, _ = Organisation.objects.update_or_create(slug=slug, defaults={"name": name})
        breach, _ = Breach.objects.update_or_create(
            slug=spec.pop("slug"), defaults={**spec, "organisation": organisation}
        )
        made[breach.slug] = breach
    context.made["organisation"] = made["inps-servizi-concorso-2022"].organisation
    context.made["telconova"] = made["telconova-clienti-2025"].organisation
    context.made["breaches"] = made
    leak = _import_demo_leak(made["inps-servizi-concorso-2022"], context)
    return {"breaches": sorted(made), "leak": leak}


def _import_demo_leak(breach: Breach, context: DemoContext) -> dict:
    # Drawn whether or not the file is written, so the steps after this one see the same random sequence.
    rng = random.Random(context.rng.getrandbits(64))
    latest = breach.imports.filter(status=DatasetImport.Status.SUCCEEDED).order_by("-finished_at").first()
    if latest is not None and latest.original_name != DEMO_LEAK_FILE:
        breach.exposed_identifiers.all().delete()  # an older demo's leak: replaced by this generator's
    if not breach.exposed_identifiers.exists():
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / DEMO_LEAK_FILE
            _write_demo_leak(path, rng)
            import_exposures(breach=breach, path=path, region="IT", delete_file=True)
    done = breach.imports.filter(status=DatasetImport.Status.SUCCEEDED).order_by("-finished_at").first()
    return {"rows": done.rows_read, "phones": done.phones_stored, "emails": done.emails_stored} if done else {}


def _write_demo_leak(path: Path, rng: random.Random) -> None:
    """A Latin-1, semicolon-separated export, as the contest's spreadsheet would have been."""
    with open(path, "w", encoding="cp1252", newline="") as file:
        writer = csv.writer(file, delimiter=";")
        writer.writerow(["Cognome", "Nome", "Data di nascita", "Cellulare", "E-mail", "Titolo di studio"])
        for n in range(1, DEMO_LEAK_ROWS + 1):
            national = demo_leaked_phone(n)[3:]
            phone = rng.choice(_PHONE_FORMATS).format(a=national[:3], b=national[3:6], c=national[6:])
            birth = date(1970 + rng.randrange(30), 1 + rng.randrange(12), 1 + rng.randrange(28))
            writer.writerow(
                [rng.choice(_SURNAMES), rng.choice(_FIRST_NAMES), birth.strftime("%d/%m/%Y"), phone,
                 demo_leaked_email(n).upper() if n % 7 == 0 else demo_leaked_email(n), "Laurea in Economia"]
            )  # fmt: skip
