"""A breach's title and description in Italian and English.

The single title and description written so far move into the field of the language they are written in:
the demo and most early records were written in English, officers' later ones in Italian. The language is
told by counting common words that only one of the two languages uses; a tie (a bare name) counts as Italian,
the site's own language.
"""

import re

from django.db import migrations, models

_ENGLISH = {"the", "and", "of", "by", "with", "from", "records", "customer", "archive", "booking", "is", "was"}
_ITALIAN = {"il", "lo", "la", "gli", "le", "di", "del", "della", "dei", "e", "con", "da", "per", "archivio", "è"}


def _looks_english(text: str) -> bool:
    words = re.findall(r"[^\W\d_]+", text.lower())
    return sum(w in _ENGLISH for w in words) > sum(w in _ITALIAN for w in words)


def split_by_language(apps, schema_editor):
    Breach = apps.get_model("breaches", "Breach")
    for breach in Breach.objects.all():
        if _looks_english(f"{breach.title_it} {breach.description_it}"):
            breach.title_en, breach.title_it = breach.title_it, ""
            breach.description_en, breach.description_it = breach.description_it, ""
            breach.save(update_fields=["title_it", "title_en", "description_it", "description_en"])


def join_languages(apps, schema_editor):
    Breach = apps.get_model("breaches", "Breach")
    for breach in Breach.objects.all():
        breach.title_it = breach.title_it or breach.title_en
        breach.description_it = breach.description_it or breach.description_en
        breach.save(update_fields=["title_it", "description_it"])


class Migration(migrations.Migration):
    dependencies = [("breaches", "0004_exposure_people_index")]

    operations = [
        migrations.RenameField("breach", "title", "title_it"),
        migrations.RenameField("breach", "description", "description_it"),
        migrations.AlterField(
            "breach", "title_it", models.CharField(blank=True, max_length=200, verbose_name="title (Italian)")
        ),
        migrations.AlterField(
            "breach", "description_it", models.TextField(blank=True, verbose_name="description (Italian)")
        ),
        migrations.AddField(
            "breach",
            "title_en",
            models.CharField(blank=True, max_length=200, verbose_name="title (English)"),
        ),
        migrations.AddField(
            "breach", "description_en", models.TextField(blank=True, verbose_name="description (English)")
        ),
        migrations.AlterModelOptions(
            name="breach",
            options={
                "ordering": ["-occurred_on", "title_it", "title_en"],
                "verbose_name": "breach",
                "verbose_name_plural": "breaches",
            },
        ),
        migrations.RunPython(split_by_language, join_languages),
        migrations.AddConstraint(
            "breach",
            models.CheckConstraint(
                condition=~models.Q(title_it="", title_en=""), name="breach_has_a_title_in_some_language"
            ),
        ),
    ]
