"""The synthetic leaked dataset of the import benchmark: a Latin-1, ";"-separated export with Italian
headers, messy phone formats, 2% invalid rows, 5% duplicates and fictitious people (e-mails under the
reserved .invalid domain). It also returns what a correct import must find."""

import csv
import random
import re
from pathlib import Path

HEADER = ["Cognome", "Nome", "Data di nascita", "Codice fiscale", "Cellulare", "E-mail", "Titolo di studio"]
SURNAMES = [
    "Rossi",
    "Russo",
    "Ferrari",
    "Esposito",
    "Bianchi",
    "Romano",
    "Colombo",
    "Ricci",
    "Marino",
    "Greco",
    "Bruno",
    "Gallo",
    "Conti",
    "De Luca",
    "Mancini",
    "Costa",
    "Giordano",
    "Rizzo",
    "Lombardi",
    "Dell'Orto",
]
NAMES = [
    "Luca",
    "Giulia",
    "Marco",
    "Francesca",
    "Niccolò",
    "Sara",
    "Matteo",
    "Chiara",
    "Giosuè",
    "Elena",
    "Simone",
    "Martina",
    "Andrea",
    "Valentina",
    "Federico",
    "Alessia",
    "Lorenzo",
    "Silvia",
    "Paolo",
    "Anna",
]
STUDIES = [
    "Laurea in Economia",
    "Diploma di maturità",
    "Laurea in Giurisprudenza",
    "Laurea magistrale",
    "Diploma tecnico",
]
MOBILE_PREFIXES = [
    "320",
    "328",
    "329",
    "333",
    "334",
    "338",
    "339",
    "340",
    "347",
    "348",
    "349",
    "350",
    "351",
    "366",
    "370",
    "377",
    "380",
    "388",
    "389",
    "391",
    "392",
    "393",
]
LANDLINE_PREFIXES = ["02", "06", "011", "051", "055", "081"]
PHONE_FORMATS = ["{a} {b} {c}", "+39 {a}-{b}{c}", "0039 {a}{b}{c}", "(+39) {a}.{b}.{c}", "{a}{b}{c}"]
INVALID_PHONES = ["333 12", "12345", "nd", "000", "+39 999 1", "tel. ufficio"]
INVALID_EMAILS = ["mario.rossi@", "nessuna", "rossi.example.invalid", "@example.invalid", "a b@c.d"]  # fmt: skip


def generate(path: Path, rows: int, seed: int, sample_size: int) -> dict:
    """Write the CSV; return what the import must find: distinct valid E.164 / e-mails, counts and a sample."""
    rng = random.Random(seed)
    phones, emails = set(), set()
    earlier = []  # (phone E.164 digits, email) of some earlier rows, to duplicate
    sample_lines = set(rng.sample(range(2, rows + 2), min(sample_size, rows)))
    sample, invalid_rows = [], 0
    with open(path, "w", encoding="cp1252", newline="") as file:
        writer = csv.writer(file, delimiter=";")
        writer.writerow(HEADER)
        for line in range(2, rows + 2):
            surname, name = rng.choice(SURNAMES), rng.choice(NAMES)
            roll = rng.random()
            if roll < 0.02:  # invalid row: neither identifier is usable
                phone, email, e164, valid_email = rng.choice(INVALID_PHONES), rng.choice(INVALID_EMAILS), None, None
                invalid_rows += 1
            elif roll < 0.07 and earlier:  # a duplicate of an earlier person, typed differently
                e164, valid_email = rng.choice(earlier)
                phone = _format(rng, e164)
                email = valid_email.upper() if rng.random() < 0.5 else f" {valid_email} "
            else:
                if rng.random() < 0.05:  # a landline: phonenumbers' full path
                    prefix = rng.choice(LANDLINE_PREFIXES)
                    e164 = "+39" + prefix + "".join(rng.choices("0123456789", k=10 - len(prefix)))
                else:
                    e164 = "+39" + rng.choice(MOBILE_PREFIXES) + "".join(rng.choices("0123456789", k=7))
                phone = _format(rng, e164)
                valid_email = f"{_ascii(name)}.{_ascii(surname)}.{line}@example.invalid"
                email = valid_email.title() if rng.random() < 0.1 else valid_email
                if len(earlier) < 50_000:
                    earlier.append((e164, valid_email))
                elif rng.random() < 0.05:
                    earlier[rng.randrange(len(earlier))] = (e164, valid_email)
            if e164:
                phones.add(e164)
                emails.add(valid_email)
            birth = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1960, 2000)}"
            tax_code = f"{surname[:3].upper()}{name[:3].upper()}{rng.randint(60, 99)}A01H501{rng.choice('ABCXYZ')}"
            writer.writerow([surname, name, birth, tax_code, phone, email, rng.choice(STUDIES)])
            if line in sample_lines:
                sample.append({"line": line, "phone": phone, "email": email, "valid": e164 is not None})
    return {
        "phones": len(phones),
        "emails": len(emails),
        "valid_identifiers": 2 * (rows - invalid_rows),
        "invalid_rows": invalid_rows,
        "sample": sample,
        "some_person": next(((p, e) for p, e in earlier if p.startswith("+393")), None),
    }


def _format(rng, e164: str) -> str:
    national = e164[3:]
    if not national.startswith("3"):
        return rng.choice(["{n}", "+39 {n}", "0039 {n}"]).format(n=national[:3] + " " + national[3:])
    return rng.choice(PHONE_FORMATS).format(a=national[:3], b=national[3:6], c=national[6:])


def _ascii(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower().replace("ò", "o").replace("è", "e"))
