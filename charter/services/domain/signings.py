"""An organisation's signings (charter.models.signing): the one place that finds them.

``signing_of(organisation)`` is how every view and service reaches the scheme an organisation
signed under, its route and its consent to publish figures. It reads the organisation's
signings once (one query, or none when they were loaded with it) and keeps them on the
organisation for the rest of the request, so asking again costs nothing.

Until pages and reviews name the charter they act in, an organisation signs one charter:
``signing_of`` answers for that one, and when an organisation can hold several it will take the
charter the page acts in.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, case, false, func, literal, or_, select, true
from sqlalchemy.orm import aliased

from charter.extensions import db
from charter.models import AuditEvent, Charter, Organisation, Scheme, Signing
from charter.models.base import utcnow
from charter.models.signing import REGISTERED, acting_charter, acting_signing, signings_held
from charter.services.domain.refusals import Refused
from charter.services.infrastructure.bulk_insert import among
from workflows import lifecycle
from workflows.states import split_stage


def signings_of(organisation: Organisation) -> list[Signing]:
    return signings_held(organisation)


def signing_of(organisation: Organisation) -> Signing | None:
    """The organisation's signing of the charter acting now (``acting_charter``; with none, its
    first), or None where it has not signed it."""
    return acting_signing(organisation)


def in_acting_charter() -> ColumnElement[bool]:
    """SQL: the signing joined is of the charter acting now (any, with none acting): how a
    scheduled review run for one charter keeps to its signings."""
    charter_id = acting_charter.get()
    return true() if charter_id is None else Signing.charter_id == charter_id


def of_acting_charter(signing_id_column) -> ColumnElement[bool]:
    """SQL: the row whose signing is ``signing_id_column`` (a plan's, a return's, an
    application's, an audit's) is of the charter acting now (any, with none acting): a staff
    list without a join to the signings (a probe of their primary key)."""
    charter_id = acting_charter.get()
    if charter_id is None:
        return true()
    return (
        select(Signing.id)
        .where(Signing.id == signing_id_column, Signing.charter_id == charter_id)
        .exists()
    )


def in_acting_charter_row(row) -> bool:
    """Whether ``row`` (a plan, return, application, Mark or audit: an ``OfSigning``) belongs to
    a signing of the charter acting now: a staff page opened by id shows nothing of another
    charter's (one primary-key read, usually already in the session)."""
    charter_id = acting_charter.get()
    if charter_id is None:
        return True
    signing = db.session.get(Signing, row.signing_id) if row.signing_id is not None else None
    return signing is not None and signing.charter_id == charter_id


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
        organisation_id=organisation.id,
        charter_id=scheme.charter_id,
        scheme_id=scheme.id,
        status=REGISTERED,
        status_changed_at=utcnow(),
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


def join_signing(query, charter_id: int | None = None):
    """``query`` over organisations joined to each one's signing (of ``charter_id``, or the one
    it holds): read its ``Signing.status``. An organisation with no signing drops out."""
    on = Signing.organisation_id == Organisation.id
    if charter_id is not None:
        on = and_(on, Signing.charter_id == charter_id)
    return query.join(Signing, on)


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
    # Of the acting charter; with none acting, each organisation's first signing (the last
    # row read for it). One array parameter, not one per organisation: a review's batch of
    # 1,000 spent longer having its thousand parameters planned than reading the rows.
    rows = db.session.execute(
        select(Signing.organisation_id, column)
        .where(among(Signing.organisation_id, ids), in_acting_charter())
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


ANY_CHARTER = 0


def as_charter_param(charter_id) -> ColumnElement:
    """A charter id in SQL: a bound parameter as given, a plain id as a literal."""
    return charter_id if isinstance(charter_id, ColumnElement) else literal(charter_id)


def of_signing_charter(charter_id) -> ColumnElement[bool]:
    """SQL: the signing joined is of charter ``charter_id`` (a bound parameter or an id);
    ``ANY_CHARTER`` (0, written as a plain 0) puts no condition at all, so the planner is not
    left with an OR it cannot use an index for (a statement for any charter is its own)."""
    if isinstance(charter_id, int) and charter_id == ANY_CHARTER:
        return true()
    return Signing.charter_id == as_charter_param(charter_id)


def at_stage(state: str) -> ColumnElement[bool]:
    """SQL: the signing joined is at ``state`` as people are shown it (workflows.states.stage):
    a Mark's state is a monitored signatory's, and "monitoring" one with no Mark in play."""
    duties, mark = split_stage(state)
    if duties != lifecycle.MONITORING:
        return Signing.status == duties
    marks = lifecycle.NOT_HELD if state == lifecycle.MONITORING else (mark,)
    return and_(Signing.status == duties, Signing.mark_status.in_(marks))


def status_of_row(charter_id, column=None) -> ColumnElement[str]:
    """SQL: the lifecycle state (``column``: the duties' ``Signing.status`` unless told,
    or ``Signing.mark_status``) of the enclosing row's organisation under charter
    ``charter_id`` (``ANY_CHARTER``: its signing of the oldest charter it signed), as a
    correlated probe of the signings' ``(organisation_id, charter_id, …)`` index. Ordered by
    the charter, which that index holds in order: ordered by the signing's id, PostgreSQL
    walked the primary key for each row instead (an API page took 190 ms, not 16)."""
    return (
        select(Signing.status if column is None else column)
        .where(Signing.organisation_id == Organisation.id, of_signing_charter(charter_id))
        .order_by(Signing.charter_id)
        .limit(1)
        .correlate(Organisation)
        .scalar_subquery()
    )


def of_charter(scheme_id_column, charter_id) -> ColumnElement[bool]:
    """SQL: a row with a scheme version (a Mark, a measure) is of charter ``charter_id`` (an id
    or a bound parameter; 0 for any charter): its scheme's. The charter's scheme versions are a
    handful of ids, read once per statement."""
    if isinstance(charter_id, int) and charter_id == ANY_CHARTER:
        return true()
    # Its own alias, never correlated: the enclosing query may join the schemes table itself.
    versions = aliased(Scheme, name="charter_schemes")
    charter = as_charter_param(charter_id)
    return scheme_id_column.in_(select(versions.id).where(versions.charter_id == charter))


def belongs(model, organisation: Organisation) -> ColumnElement[bool]:
    """SQL: a row of ``model`` (a plan, return, application, Mark, confirmation or audit: an
    ``OfSigning``) belongs to the organisation's signing of the charter acting now. None of it
    does where the organisation has not signed that charter."""
    signing = signing_of(organisation)
    if signing is None:
        return false()
    return of_signing(model, organisation.id, signing.id)


def row_of_signing(model, organisation: Organisation, id_of):
    """The row of ``model`` that ``id_of(organisation_id, signing_id)`` (SQL: its id) picks for
    the organisation's signing of the charter acting now; None without that signing or row."""
    signing = signing_of(organisation)
    if signing is None:
        return None
    return db.session.scalar(select(model).where(model.id == id_of(organisation.id, signing.id)))


def of_signing(model, organisation_id, signing_id) -> ColumnElement[bool]:
    """SQL: a row of ``model`` belongs to the organisation's signing ``signing_id`` (ids, or
    bound parameters in a statement built once: ``read_models.organisation_page``)."""
    return and_(model.organisation_id == organisation_id, model.signing_id == signing_id)


def events_of(organisation: Organisation) -> ColumnElement[bool]:
    """SQL: an audit event about the organisation's signing of the charter acting now, or about
    the organisation as a whole: one charter's record never shows what happened under
    another's (``events_of_signing``)."""
    signing = signing_of(organisation)
    if signing is None:
        return false()
    return events_of_signing(organisation.id, signing.id)


def events_of_signing(organisation_id, signing_id) -> ColumnElement[bool]:
    """SQL: an audit event of the organisation about its signing ``signing_id``, or about the
    organisation as a whole (no signing). Ids, or bound parameters."""
    return and_(
        AuditEvent.organisation_id == organisation_id,
        or_(AuditEvent.signing_id == signing_id, AuditEvent.signing_id.is_(None)),
    )


def event_in_charter(charter_id) -> ColumnElement[bool]:
    """SQL: the audit event is about a signing of charter ``charter_id`` (an id or a bound
    parameter), or about its organisation as a whole: a charter's feed of the public record."""
    return or_(
        AuditEvent.signing_id.is_(None),
        AuditEvent.signing_id.in_(select(Signing.id).where(Signing.charter_id == charter_id)),
    )


class SigningRefused(Refused):
    pass


def charters_to_sign(organisation: Organisation) -> list[Charter]:
    """The charters the organisation could sign next: open for signing (a published scheme),
    not signed yet, and open to its district (``covers``). One query."""
    signed = {signing.charter_id for signing in signings_of(organisation)}
    rows = db.session.execute(
        select(Charter, Scheme.districts)
        .join(Scheme, and_(Scheme.charter_id == Charter.id, Scheme.is_current.is_(True)))
        .order_by(Charter.name, Charter.id)
    ).all()
    offered: dict[int, Charter] = {}
    for charter, districts in rows:
        if charter.id in signed or charter.id in offered:
            continue
        if not covers(districts, organisation.district):
            continue
        offered[charter.id] = charter
    return list(offered.values())


def covers(districts: list[str] | None, district: str) -> bool:
    """Whether a scheme with these districts takes a signatory based in ``district``: one it
    lists, or anywhere when it lists none or has an "Outside …" entry (a council's suppliers
    come from anywhere: Worcestershire lists "Outside Worcestershire")."""
    if not districts or district in districts:
        return True
    return any(entry.lower().startswith("outside ") for entry in districts)


def join(organisation: Organisation, charter_id: int) -> Signing:
    """Register the organisation with a further charter: a signing, in the registered state,
    under that charter's current scheme; not committed. Signing the charter itself is the
    signing journey that follows. An organisation already registered with it keeps its
    signing."""
    for signing in signings_of(organisation):
        if signing.charter_id == charter_id:
            return signing
    offered = {charter.id for charter in charters_to_sign(organisation)}
    if charter_id not in offered:
        raise SigningRefused(
            "This charter does not cover your organisation's district, or is not open for "
            "signing yet."
        )
    scheme = db.session.scalar(
        select(Scheme)
        .where(Scheme.charter_id == charter_id, Scheme.is_current.is_(True))
        .order_by(Scheme.loaded_at.desc(), Scheme.id.desc())
        .limit(1)
    )
    return start(organisation, scheme)
