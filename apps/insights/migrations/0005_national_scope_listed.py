"""The national scope is listed in ContributorScope from now on (only proven people count in it).

Living people's scopes are recomputed by the next rebuild (`manage.py rebuild_insights`, nightly by beat),
which also fills the new cell keys. Anonymous contributors (erased people) are never recomputed: those that
were in a breach or an organisation were proven, so they keep counting for everyone too.
"""

from django.db import migrations


def list_national_scope(apps, schema_editor):
    Scope = apps.get_model("insights", "Scope")
    ContributorScope = apps.get_model("insights", "ContributorScope")
    anonymous = set(ContributorScope.objects.filter(contributor__lt=0).values_list("contributor", flat=True))
    if not anonymous:
        return
    national, _ = Scope.objects.get_or_create(kind="all", breach=None, organisation=None)
    ContributorScope.objects.bulk_create(
        [ContributorScope(contributor=c, scope_id=national.pk) for c in sorted(anonymous)], ignore_conflicts=True
    )


class Migration(migrations.Migration):
    dependencies = [("insights", "0004_cell_keys")]

    operations = [migrations.RunPython(list_national_scope, migrations.RunPython.noop)]
