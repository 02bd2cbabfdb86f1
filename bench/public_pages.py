"""What ``make bench`` (``bench/run.py``) asks for: the public pages it measures, with real values
from the generated register, and, for the fresh rows, genuinely different requests (other pages,
new searches, other organisations, cursors and certificates), so that nothing a worker has
rendered or counted before is asked again."""

from __future__ import annotations

import random
from urllib.parse import quote_plus

from sqlalchemy import func, select

from bench.generate import PLACES, TRADES
from charter.extensions import db
from charter.models import CharterMark, Organisation, Signing
from charter.services.domain.charters import default_charter_id
from charter.services.domain.register_entries import on_register_clause
from charter.services.read_models.register import MAX_DIRECT_OFFSET, PAGE_SIZE
from charter.services.read_models.register_query import encode_cursor


def public_entries():
    """(sort key, id, slug) of every organisation on the default charter's register."""
    return select(func.lower(Organisation.name), Organisation.id, Organisation.slug).where(
        on_register_clause(default_charter_id())
    )


def public_count() -> int:
    """Entries on the default charter's public register, as the register itself counts them."""
    return db.session.scalar(select(func.count()).select_from(public_entries().subquery()))


def last_page(public: int) -> int:
    """The register's last page number with ``public`` entries."""
    return max(1, -(-public // PAGE_SIZE))


def pages_to_measure() -> dict[str, str]:
    """The issue's pages, with real values from the data: the last page, a deep cursor, a holder's
    page, certificate and badge."""
    public = public_count()
    last = last_page(public)
    middle = db.session.execute(
        public_entries()
        .order_by(func.lower(Organisation.name), Organisation.id)
        .offset(public // 2)
        .limit(1)
    ).first()
    holder = db.session.execute(
        select(Organisation.slug, CharterMark.certificate_number)
        .join(CharterMark, CharterMark.organisation_id == Organisation.id)
        .join(Signing, Signing.id == CharterMark.signing_id)
        .where(Signing.mark_status == "accredited")
        .order_by(Organisation.id.desc())
        .limit(1)
    ).first()
    return {
        "register": "/c/shropshire/register",
        "last page": f"/c/shropshire/register?page={last}",
        "search": "/c/shropshire/register?q=severn",
        "filtered": "/c/shropshire/register?q=severn&district=Shrewsbury",
        "holders": "/c/shropshire/register?standing=holders",
        "api": "/api/v1/organisations",
        "api holders": "/api/v1/organisations?standing=holders",
        "api cursor": f"/api/v1/organisations?cursor={encode_cursor((middle[0], middle[1]))}",
        "entry": f"/c/shropshire/register/{middle[2]}",
        "verify": f"/c/shropshire/verify/{holder[1]}",
        "badge": f"/c/shropshire/badge/{holder[1]}.svg",
    }


def search_terms(rng: random.Random, count: int) -> list[str]:
    """Name searches nobody has made yet in this run, as people type them: a common word (at most
    1,001 are counted), a place and a trade together (about one name in 900), and part of a
    name's number (a handful of names)."""
    words = [word.lower() for word in PLACES + TRADES]
    pairs = [f"{place.lower()} {trade.lower()}" for place in PLACES for trade in TRADES]
    numbers = [f"{rng.randrange(10**5):05d}" for _ in range(count)]
    terms = list(dict.fromkeys(words + rng.sample(pairs, len(pairs)) + numbers))
    return terms[:count]


def numbered_pages(last: int) -> list[int]:
    """The register's pages a number opens directly (``register.MAX_DIRECT_OFFSET``)."""
    reach = MAX_DIRECT_OFFSET // PAGE_SIZE
    return sorted({*range(1, min(last, reach) + 1), *range(max(1, last - reach + 1), last + 1)})


def fresh_paths(count: int = 3000) -> dict[str, list[str]]:
    """For each page measured fresh, genuinely different requests from the data (wrk adds a
    counter to each as well): other pages of the register, new searches, other
    organisations, cursors and certificates. Nothing a worker has rendered or counted before."""
    rng = random.Random(23)
    last = last_page(public_count())
    entries = db.session.execute(public_entries()).all()
    entries = rng.sample(entries, min(len(entries), count))
    certificates = db.session.scalars(
        select(CharterMark.certificate_number)
        .join(Signing, Signing.id == CharterMark.signing_id)
        .where(Signing.mark_status == "accredited")
    ).all()
    certificates = rng.sample(certificates, min(len(certificates), count))
    terms = search_terms(rng, count)
    districts = ["Shrewsbury", "Oswestry", "Bridgnorth", "North Shropshire", "South Shropshire"]
    register = "/c/shropshire/register"
    return {
        # Every page a link can open by number: 50 from each end (deeper pages are reached by
        # the keyset links, as the "api" cursors are).
        "register": [f"{register}?page={page}" for page in numbered_pages(last)],
        "search": [f"{register}?q={quote_plus(term)}" for term in terms],
        "filtered": [
            f"{register}?q={quote_plus(term)}&district={quote_plus(rng.choice(districts))}"
            for term in terms
        ],
        "api": [
            f"/api/v1/organisations?cursor={encode_cursor((name, oid))}" for name, oid, _ in entries
        ],
        "entry": [f"{register}/{slug}" for _name, _oid, slug in entries],
        "verify": [f"/c/shropshire/verify/{number}" for number in certificates],
        "badge": [f"/c/shropshire/badge/{number}.svg" for number in certificates],
    }
