import csv
from datetime import date
from pathlib import Path

import pytest

from apps.accounts.models import User
from apps.breaches.models import Breach, Organisation


@pytest.fixture
def organisation(db):
    return Organisation.objects.create(name="INPS Servizi S.p.A. (test)", slug="inps-servizi-test")


@pytest.fixture
def breach(organisation):
    return Breach.objects.create(
        organisation=organisation,
        title="Contest archive",
        slug="contest-archive",
        occurred_on=date(2024, 11, 15),
        data_categories=["name", "phone", "email"],
    )


@pytest.fixture
def person(db):
    return User.objects.create_user("person@example.invalid", "correct horse battery staple")


@pytest.fixture
def write_csv(tmp_path):
    """write_csv(rows, name="leak.csv", encoding="utf-8", delimiter=";") -> Path; rows include the header."""

    def write(rows, *, name="leak.csv", encoding="utf-8", delimiter=";") -> Path:
        path = tmp_path / name
        with open(path, "w", encoding=encoding, newline="") as file:
            csv.writer(file, delimiter=delimiter).writerows(rows)
        return path

    return write
