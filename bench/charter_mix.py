"""The charter dimension of the bench's generated register (issue 20; ``generate.grow_to``
with ``charters=True``), shaped like the demo's: several charters side by side, organisations
that signed two or three, commissioners that take part in two charters and a contract with one
of them that counts in both.

Which charters an organisation signs is a function of its place in the register alone
(``charters_of``), so a test can count what a size must give: nine organisations in ten sign the
first (default) charter, the tenth one of the others; then, by its place in a cycle of 40,
45% sign one more charter and 7.5% two more: 1.6 signings an organisation, 160,000 at 100,000.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from charter.extensions import db
from charter.models import Scheme

ROOT = Path(__file__).resolve().parents[1]
# The shipped scheme files, in the order `make db` loads them (the first is the default charter).
SCHEME_FILES = (
    "schemes/supporting-the-local-economy.toml",
    "schemes/worcestershire.toml",
    "schemes/cheshire-west-and-chester.toml",
    "schemes/warwickshire.toml",
)
# Where in a cycle of 40 organisations one signs one more charter (18 of 40: 45%) or two more
# (3 of 40: 7.5%): 0.45 + 2 x 0.075 = 0.6 further signings an organisation.
EXTRA = {**dict.fromkeys(range(18), 1), **dict.fromkeys(range(18, 21), 2)}
# Every tenth organisation's first signing is with another charter than the default one.
ELSEWHERE = 10
# A further signing's id: its place (1 or 2) times this, plus the organisation's id.
SIGNING_ID_STRIDE = 10_000_000
COMMISSIONERS_PER_CHARTER = 8


def charters_of(n: int, charters: int) -> list[int]:
    """Which charters (indexes into the current schemes, 0 the default) organisation ``n``
    signs, its first signing first."""
    if charters <= 1:
        return [0]
    others = charters - 1
    home = 1 + (n // ELSEWHERE) % others if n % ELSEWHERE == ELSEWHERE - 1 else 0
    rest = [c for c in range(charters) if c != home]
    start = (n // 40) % len(rest)
    more = [rest[(start + k) % len(rest)] for k in range(EXTRA.get(n % 40, 0))]
    return [home, *more]


def shared_pairs(charters: int) -> list[tuple[int, int]]:
    """The pairs of neighbouring charters (by index) that share a commissioner."""
    return [(i, (i + 1) % charters) for i in range(charters if charters > 2 else charters - 1)]


def commissioner_id(places: list[int], charters: int, n: int) -> int:
    """A commissioner of the organisation's first charter; one it shares with the second, where
    the organisation signed a second charter that shares one (so the contract counts in both)."""
    if len(places) > 1:
        for number, pair in enumerate(shared_pairs(charters)):
            if set(pair) == set(places[:2]):
                return charters * COMMISSIONERS_PER_CHARTER + number + 1
    return places[0] * COMMISSIONERS_PER_CHARTER + n % COMMISSIONERS_PER_CHARTER + 1


def contract(oid: int, places: list[int], charters: int, now: datetime) -> tuple:
    start = (now - timedelta(days=200 + oid % 300)).date()
    return (
        oid,
        oid,
        commissioner_id(places, charters, oid),
        f"Bench contract {oid}",
        10_000 + oid % 90_000,
        start,
        start + timedelta(days=730),
        now,
        "confirmed",
        1,
    )


def commissioner_rows(schemes: list[Scheme]) -> tuple[list[tuple], list[tuple]]:
    """Each charter's own commissioners, and one shared by each pair of neighbouring charters,
    with the charters each takes part in."""
    now = datetime(2026, 11, 1, 9)
    commissioners, taking_part = [], []
    for index, scheme in enumerate(schemes):
        for k in range(COMMISSIONERS_PER_CHARTER):
            cid = index * COMMISSIONERS_PER_CHARTER + k + 1
            commissioners.append((cid, f"Bench commissioner {cid}", None, True, now))
            taking_part.append((scheme.charter_id, cid, now))
    for number, pair in enumerate(shared_pairs(len(schemes))):
        cid = len(schemes) * COMMISSIONERS_PER_CHARTER + number + 1
        commissioners.append((cid, f"Bench shared commissioner {cid}", None, True, now))
        taking_part += [(schemes[index].charter_id, cid, now) for index in pair]
    return commissioners, taking_part


def current_schemes() -> list[Scheme]:
    """Each charter's current scheme, the default charter's first."""
    return list(
        db.session.scalars(select(Scheme).where(Scheme.is_current).order_by(Scheme.charter_id))
    )


def load_charters() -> None:
    """The shipped scheme files not loaded yet (each makes its charter), in `make db`'s order."""
    from charter.services.domain.schemes import load_scheme_file

    for name in SCHEME_FILES:
        load_scheme_file(ROOT / name)
    db.session.commit()
