# The identifier table's final shape, measured in bench/RESULTS.md: the composite primary key (digest, kind,
# breach) replaces the id, the unique constraint and the lookup index, and the breach column keeps an index
# but no database foreign-key constraint (its per-row trigger doubled import time). Django cannot change a
# primary key into a composite one in place; the table only ever held digests re-creatable by re-importing.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('breaches', '0002_breach_registry_and_imports'),
    ]

    operations = [
        migrations.DeleteModel(
            name='ExposedIdentifier',
        ),
        migrations.CreateModel(
            name='ExposedIdentifier',
            fields=[
                ('pk', models.CompositePrimaryKey('digest', 'kind', 'breach', blank=True, editable=False, primary_key=True, serialize=False)),
                ('digest', models.BinaryField(max_length=32)),
                ('kind', models.CharField(choices=[('phone', 'phone number'), ('email', 'e-mail address')], max_length=5)),
                ('breach', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.CASCADE, related_name='exposed_identifiers', to='breaches.breach')),
            ],
            options={
                'verbose_name': 'exposed identifier',
                'verbose_name_plural': 'exposed identifiers',
            },
        ),
    ]
