"""Who may see a contract on the contract managers' pages.

A contract is visible to the current contract managers of its commissioner; anyone else gets a
404 (another commissioner's contracts are not disclosed). A contract manager who is also a
member of the supplier gets a 403 that says why: they may not judge their own organisation's
records. Administrators and assessors follow the same rules: the role gives nothing here.
"""

from __future__ import annotations

from flask import abort, make_response, render_template
from flask_login import current_user

from charter.extensions import db
from charter.models import Contract, Organisation
from charter.models.base import INTEGER_COLUMN_MAX
from charter.services.domain.contract_managers import commissioner_ids_managed_by
from charter.services.domain.lifecycle import is_member
from charter.services.read_models.contract_monitoring import contract_with_people


def managed_ids() -> list[int]:
    return commissioner_ids_managed_by(current_user)


def contract_for_manager(contract_id: int) -> tuple[Contract, Organisation]:
    if not 0 < contract_id <= INTEGER_COLUMN_MAX:
        abort(404)
    ids = managed_ids()
    if not ids:
        abort(404)
    contract = contract_with_people(contract_id)
    if contract is None or contract.commissioner_id not in ids:
        abort(404)
    organisation = db.session.get(Organisation, contract.organisation_id)
    if is_member(current_user, organisation):
        abort(
            make_response(
                render_template(
                    "commissioner/conflict-of-interest.html",
                    contract=contract,
                    organisation=organisation,
                ),
                403,
            )
        )
    return contract, organisation
