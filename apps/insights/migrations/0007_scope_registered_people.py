"""Each scope keeps its registered people and the sum of their record keys (Scope.people, Scope.people_ckey),
so that selectors.registered_people() reads one row instead of computing one HMAC per person. Filled here from
the living contributors ContributorScope lists; both writers of ContributorScope keep them up to date after."""

from collections import defaultdict

from django.db import migrations, models


def fill(apps, schema_editor):
    from apps.insights.perturbation import KEY_SPACE, record_key

    Scope = apps.get_model("insights", "Scope")
    ContributorScope = apps.get_model("insights", "ContributorScope")
    totals = defaultdict(lambda: [0, 0])
    keys = {}
    rows = ContributorScope.objects.filter(contributor__gt=0).values_list("contributor", "scope_id").iterator(10_000)
    for contributor, scope_id in rows:
        if contributor not in keys:
            keys[contributor] = record_key(contributor)
        totals[scope_id][0] += 1
        totals[scope_id][1] += keys[contributor]
    for scope_id, (people, key_sum) in totals.items():
        Scope.objects.filter(pk=scope_id).update(people=people, people_ckey=key_sum % KEY_SPACE)


class Migration(migrations.Migration):
    dependencies = [("insights", "0006_breach_evidence")]

    operations = [
        migrations.AddField(model_name="scope", name="people", field=models.PositiveIntegerField(default=0)),
        migrations.AddField(model_name="scope", name="people_ckey", field=models.BigIntegerField(default=0)),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
