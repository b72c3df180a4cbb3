"""A file's rows as records: its header names the API fields, each row is loaded by the create's own schema.

Columns are the fields `POST /persons` (or `/companies`) takes, `address.street`, `address.city`,
`address.postal_code` and `address.country` for the address. A cell of a list field (`emails`,
`phones`, `tags`, `groups`) holds its items separated by `;` or `,`. An empty cell is a field
not given. A column the create does not know is a 422 naming it, before any row is read.
"""
from __future__ import annotations

import re
from typing import Any

from marshmallow import Schema, ValidationError, fields

from crm_shared.errors import ValidationFailed
from crm_shared.hostile_input import text_problem
from crm_shared.problems import flatten_validation_messages

from crm_contacts.domain.imports import ImportRow
from crm_contacts.imports.reader import FORMULA, Table

ADDRESS = "address"
LIST_SEPARATORS = re.compile(r"[;,]")
FORMULA_MESSAGE = "A formula is not imported: the cell must hold the value itself."


def columns_of(schema: Schema) -> dict[str, str]:
    """Return the column names a file may use for `schema`'s fields: column → field (`address.city` → address)."""
    names: dict[str, str] = {}
    for name, field in schema.fields.items():
        if name == ADDRESS and isinstance(field, fields.Nested):
            names.update({f"{ADDRESS}.{part}": ADDRESS for part in field.schema.fields})
        elif not field.dump_only:
            names[name] = name
    return names


def rows_of(table: Table, schema: Schema) -> list[ImportRow]:
    """Return every row of the table loaded by `schema`, or with its errors named by column."""
    header = checked_header(table.header, schema)
    lists = {name for name, field in schema.fields.items() if isinstance(field, fields.List)}
    return [row_of(number, cells, header, lists, schema) for number, cells in table.rows]


def checked_header(header: list[str], schema: Schema) -> list[str]:
    """Return the header's column names, refusing unknown, unnamed and repeated columns (422 on `file`)."""
    names = [name.strip() for name in header]
    known = columns_of(schema)
    problems = [f"Column {index} has no name." for index, name in enumerate(names, start=1) if not name]
    unknown = [name for name in names if name and name not in known]
    if unknown:
        problems.append(f"Unknown columns: {', '.join(unknown)}. The columns are the record's fields: "
                        f"{', '.join(known)}.")
    repeated = sorted({name for name in names if name and names.count(name) > 1})
    if repeated:
        problems.append(f"Repeated columns: {', '.join(repeated)}.")
    if problems:
        raise ValidationFailed({"file": problems}, detail="The file's header names columns that cannot be imported.")
    return names


def row_of(number: int, cells: list[Any], header: list[str], lists: set[str], schema: Schema) -> ImportRow:
    """Load one row, or return it with the reasons it cannot be a record, named by column."""
    errors: dict[str, list[str]] = {}
    raw: dict[str, Any] = {}
    extra = [cell for cell in cells[len(header):] if cell != ""]
    if extra:
        errors["_row"] = [f"The row has {len(header) + len(extra)} cells; the header names {len(header)} columns."]
    for column, cell in zip(header, cells):
        if cell is FORMULA:
            errors[column] = [FORMULA_MESSAGE]
        elif (problem := text_problem(cell)) is not None:
            errors[column] = [problem]
        elif cell.strip():
            _put(raw, column, cell, lists)
    if errors:
        return ImportRow(number, errors=errors)
    try:
        return ImportRow(number, values=schema.load(raw))
    except ValidationError as error:
        return ImportRow(number, errors=flatten_validation_messages({"row": error.messages}))


def _put(raw: dict[str, Any], column: str, cell: str, lists: set[str]) -> None:
    if column.startswith(f"{ADDRESS}."):
        raw.setdefault(ADDRESS, {})[column.split(".", 1)[1]] = cell
    elif column in lists:
        raw[column] = [item.strip() for item in LIST_SEPARATORS.split(cell) if item.strip()]
    else:
        raw[column] = cell
