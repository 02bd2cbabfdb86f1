"""An organisation's signings (charter.models.signing): the one place that finds them.

``signing_of(organisation)`` is how every view and service reaches the scheme an organisation
signed under, its route and its consent to publish figures. It reads the organisation's
signings once (one query, or none when they were loaded with it) and keeps them on the
organisation for the rest of the request, so asking again costs nothing.

Until the lifecycle status moves to the signing, an organisation signs one charter:
``signing_of`` answers for that one, and when an organisation can hold several it will take the
charter the page acts in.
"""

from __future__ import annotations

from sqlalchemy import and_, case, func, inspect, select
from sqlalchemy.orm import aliased
from sqlalchemy.orm.attributes import set_committed_value

from charter.extensions import db
from charter.models import Organisation, Scheme, Signing


def signings_of(organisation: Organisation) -> list[Signing]:
    if "signings" not in inspect(organisation).dict:
        if organisation.id is None:
            return []
        rows = list(
            db.session.scalars(
                select(Signing)
                .where(Signing.organisation_id == organisation.id)
                .order_by(Signing.id)
            )
        )
        set_committed_value(organisation, "signings", rows)
    return organisation.signings


def signing_of(organisation: Organisation) -> Signing | None:
    """The organisation's signing, or None for one registered with no charter yet."""
    rows = signings_of(organisation)
    return rows[0] if rows else None


def scheme_id_of(organisation: Organisation) -> int | None:
    signing = signing_of(organisation)
    return signing.scheme_id if signing else None


def start(organisation: Organisation, scheme: Scheme) -> Signing:
    """Register ``organisation`` with the charter of ``scheme``, under that version; not
    committed. An organisation already registered with that charter keeps its signing."""
    for signing in signings_of(organisation):
        if signing.charter_id == scheme.charter_id:
            return signing
    signing = Signing(
        organisation_id=organisation.id, charter_id=scheme.charter_id, scheme_id=scheme.id
    )
    organisation.signings.append(signing)
    db.session.add(signing)
    return signing


def join_consent(query, organisation_id, measure_scheme_id):
    """``query`` joined to the signing whose consent governs a figure: the organisation's
    signing of the charter whose scheme the figure's measure belongs to. Read its
    ``Signing.publishes_figures``; a figure with no such signing drops out."""
    scheme = aliased(Scheme)
    return query.join(scheme, scheme.id == measure_scheme_id).join(
        Signing,
        and_(Signing.organisation_id == organisation_id, Signing.charter_id == scheme.charter_id),
    )


def publishes_figures_column():
    """Whether an organisation consents to publish its figures, as a column of a query over
    organisations (the register's exports): its signing's answer, false without one."""
    # An aggregate over the organisation's signings (one, today), so each row is one probe of
    # the signings' organisation index: an ORDER BY ... LIMIT 1 here let PostgreSQL walk the
    # primary key instead, a scan of every signing for each row of an export.
    consent = (
        select(func.max(case((Signing.publishes_figures.is_(True), 1), else_=0)))
        .where(Signing.organisation_id == Organisation.id)
        .scalar_subquery()
    )
    return (func.coalesce(consent, 0) == 1).label("publishes_figures")


def join_signed_scheme(query):
    """``query`` over organisations joined to each one's signing and the scheme version it
    signed under (the reviews read their periods and windows from it)."""
    return query.join(Signing, Signing.organisation_id == Organisation.id).join(
        Scheme, Scheme.id == Signing.scheme_id
    )


def scheme_ids_of(organisation_ids) -> dict[int, int]:
    """Each organisation's signed scheme version, for a batch in one query."""
    return _per_organisation(Signing.scheme_id, organisation_ids)


def signing_ids_of(organisation_ids) -> dict[int, int]:
    """Each organisation's signing id, for a batch in one query (bulk inserts of the rows that
    belong to a signing)."""
    return _per_organisation(Signing.id, organisation_ids)


def _per_organisation(column, organisation_ids) -> dict[int, int]:
    ids = list(organisation_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Signing.organisation_id, column)
        .where(Signing.organisation_id.in_(ids))
        .order_by(Signing.id.desc())
    )
    return dict(rows.all())


def required_signing_of(organisation: Organisation) -> Signing:
    """The organisation's signing where there must be one (its consent, its register entry, a
    row that belongs to it): one registered with no charter has none to change."""
    signing = signing_of(organisation)
    if signing is None:
        raise ValueError(f"{organisation.slug} has registered with no charter")
    return signing


def signing_id_of(organisation: Organisation) -> int:
    """The id of the organisation's signing, for a row that belongs to it."""
    return required_signing_of(organisation).id
