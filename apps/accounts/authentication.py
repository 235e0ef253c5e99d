"""API authentication by token (`Authorization: Token <key>`), the scheme phone apps use.

DRF's TokenAuthentication reads the token and its user with an ORM query compiled anew for every request;
under load that took about a fifth of the time of a whole POST /api/v1/reports/ (bench/report_api_load.py).
This one runs the same lookup as one SQL statement written once per process. What a token proves is read
from the database every time, never from a cache: a token deleted or replaced on /me/api-token/, or an
account deactivated, stops working on the next request, in every process.
"""

import functools
from dataclasses import dataclass

from django.db import connection
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from apps.accounts.models import User
from apps.core.db import prepared_cursor


@dataclass(frozen=True)
class _Lookup:
    sql: str
    token_fields: list[str]  # attnames of the selected columns, the token's first, then the user's
    user_fields: list[str]
    conversions: list[tuple]  # per column: (Col, converters), what the ORM does to a value read back


@functools.cache
def _lookup(vendor: str) -> _Lookup:
    """The statement for a database vendor. Only names from the models are interpolated (S608)."""
    q = connection.ops.quote_name
    token_fields, user_fields = Token._meta.concrete_fields, User._meta.concrete_fields
    cols = [f.get_col("t") for f in token_fields] + [f.get_col("u") for f in user_fields]
    select = ", ".join(f"{col.alias}.{q(col.target.column)}" for col in cols)
    user_id = Token._meta.get_field("user").column
    sql = (
        f"SELECT {select} FROM {q(Token._meta.db_table)} t JOIN {q(User._meta.db_table)} u "  # noqa: S608
        f"ON u.{q(User._meta.pk.column)} = t.{q(user_id)} WHERE t.{q(Token._meta.pk.column)} = %s"
    )
    return _Lookup(
        sql=sql,
        token_fields=[f.attname for f in token_fields],
        user_fields=[f.attname for f in user_fields],
        conversions=[(col, connection.ops.get_db_converters(col) + col.get_db_converters(connection)) for col in cols],
    )


def token_user(key: str) -> tuple[User, Token] | None:
    """The user a token key belongs to, and the token; None for an unknown key."""
    lookup = _lookup(connection.vendor)
    with prepared_cursor() as cursor:
        cursor.execute(lookup.sql, [key])
        row = cursor.fetchone()
    if row is None:
        return None
    values = []
    for value, (col, converters) in zip(row, lookup.conversions, strict=True):
        for converter in converters:
            value = converter(value, col, connection)
        values.append(value)
    split = len(lookup.token_fields)
    token = Token.from_db(connection.alias, lookup.token_fields, values[:split])
    user = User.from_db(connection.alias, lookup.user_fields, values[split:])
    token.user = user  # already read: nothing queries it again
    return user, token


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication, same header and same 401 answers (the OpenAPI schema names it tokenAuth),
    with the lookup above."""

    def authenticate_credentials(self, key):
        found = token_user(key)
        if found is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        user, token = found
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return user, token
