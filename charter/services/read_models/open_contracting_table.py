"""The open contracting file as a table (issue 22, docs/ocds.md): one row per contract, measure
and period, for people who join figures in a spreadsheet rather than read OCDS.

Written from the same grouped figures as the JSON release package
(``open_contracting.processes``, under ``open_contracting.published_clause``), so the two
publish the same figures and nothing else: each row names the release it is in (its ``id``),
and its parties' identifiers are the ones the release gives them. A figure is written as it is
stored (``1250.50``), where the JSON writes the number that reads back the same (``1250.5``).

Disclosure control is the JSON's: each figure is one organisation's own, published because it
consented and is on the public register, as its register page publishes its totals; no figure
adds up several organisations', so none is withheld here. /impact counts these figures as
known when it protects its small figures.
"""

from __future__ import annotations

from collections.abc import Iterator

from charter.services.infrastructure.spreadsheets import CsvColumn
from charter.services.read_models import open_contracting

OPEN_CONTRACTING_FIELDS = (
    CsvColumn(
        "ocid",
        "Open contracting id",
        "The ocid of the published notice the contract was recorded from: join on it to "
        "Find a Tender and Contracts Finder data.",
    ),
    CsvColumn(
        "release_id",
        "Release id",
        "The id of the release carrying this figure in the open contracting JSON file.",
    ),
    CsvColumn("award_id", "Award id", "The award's id in the published notice."),
    CsvColumn(
        "contract_id",
        "Contract id",
        "The contract's id in the open contracting JSON file (the charter's own).",
    ),
    CsvColumn("contract_title", "Contract", "The contract's title."),
    CsvColumn(
        "supplier_id",
        "Supplier identifier",
        "The organisation's identifier as an org-id (for example GB-COH-01234567 for a "
        "company), as the notice's supplier was matched by.",
    ),
    CsvColumn("supplier_name", "Supplier", "The organisation's name."),
    CsvColumn(
        "supplier_ppon",
        "Supplier PPON",
        "The organisation's Public Procurement Organisation Number, where it recorded one.",
    ),
    CsvColumn(
        "buyer_id",
        "Buyer identifier",
        "The commissioner's identifier as the notice gave it (else its org-id).",
    ),
    CsvColumn("buyer_name", "Commissioner", "The commissioner that let the contract."),
    CsvColumn(
        "measure_code", "Measure code", "The scheme's code for the measure (for example LE1)."
    ),
    CsvColumn("measure_title", "Measure", "What the measure counts."),
    CsvColumn("unit", "Unit", "GBP, FTE, weeks, hours, percent or count."),
    CsvColumn("period_start", "Period start", "The first day of the monitoring period.", "date"),
    CsvColumn("period_end", "Period end", "The last day of the monitoring period.", "date"),
    CsvColumn(
        "delivered",
        "Delivered",
        "The social value delivered on the contract in the period, in its unit: verified by "
        "an assessor and endorsed by the commissioner's contract manager.",
        "decimal",
    ),
)
OPEN_CONTRACTING_COLUMNS = tuple(column.name for column in OPEN_CONTRACTING_FIELDS)


def rows(charter_id: int, charter_slug: str, charter_name: str, charter_url: str) -> Iterator:
    """The table's rows as dicts of its columns, in the JSON file's order."""
    for process in open_contracting.processes(charter_id):
        release = open_contracting.release_of(process, charter_slug, charter_name, charter_url)
        for contract in process.contracts.values():
            supplier = contract.supplier
            ppon = next(
                (
                    i["id"]
                    for i in [
                        supplier.get("identifier"),
                        *supplier.get("additionalIdentifiers", []),
                    ]
                    if i and i["scheme"] == "GB-PPON"
                ),
                None,
            )
            for figure, amount in zip(contract.figures, contract.amounts, strict=True):
                yield {
                    "ocid": process.ocid,
                    "release_id": release["id"],
                    "award_id": contract.award_id,
                    "contract_id": open_contracting.contract_key(charter_slug, contract.id),
                    "contract_title": contract.title,
                    "supplier_id": supplier["id"],
                    "supplier_name": supplier["name"],
                    "supplier_ppon": ppon,
                    "buyer_id": process.buyer["id"],
                    "buyer_name": process.buyer["name"],
                    "measure_code": figure["measure"]["id"],
                    "measure_title": figure["measure"]["title"],
                    "unit": figure["measure"]["unit"],
                    "period_start": figure["period"]["startDate"],
                    "period_end": figure["period"]["endDate"],
                    "delivered": amount,
                }
