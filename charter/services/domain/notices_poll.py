"""The scheduled poll of the Find a Tender API (issue 22; docs/ocds.md, "A scheduled poll").

``GET /api/1.0/ocdsReleasePackages`` answers release packages of at most 100 releases, for the
releases updated between ``updatedFrom`` and ``updatedTo`` (UK wall-clock times,
``YYYY-MM-DDTHH:MM:SS``) of one ``stages`` value (planning, tender or award), and names the
next page in the package's ``links.next`` (a whole URL carrying a ``cursor``). It has no
filter by buyer, and the feed holds every buyer in the country, so each page keeps only the
releases whose buyer is a commissioner on the managed list (by the commissioner's org-id or
one of its buyer identifiers, as matching does) or whose ``ocid`` was imported before; those
are imported by the ordinary import, one page one transaction, idempotently.

Where it has got to is a NoticePoll row per stage (models/notice_poll.py): a walk asks for the
window from the high-water mark (less an hour's overlap, for notices indexed late) to the time
it started, and follows ``links.next`` until a page names none; only then does the mark move
to the window's end. A run fetches at most ``FIND_A_TENDER_POLL_PAGES`` pages; a walk longer
than that, or broken off by a page that could not be fetched or imported (a 429 or 503, a
page that is not JSON), carries on from that page at the next run, so nothing is skipped and
nothing imported is lost. A next link to another host is not followed. A resumed page that the
API refuses outright (a 4xx other than 429: a cursor it no longer knows) starts the walk again
from the mark.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from charter.extensions import db
from charter.models.base import utcnow
from charter.models.notice_poll import NoticePoll
from charter.models.published_notice import NoticeEvent, NoticeRelease
from charter.models.user import User
from charter.services.domain import award_facts, award_matching, published_notices
from charter.services.domain.reviews import exclusive
from charter.web_addresses import split_web_address

SOURCE = "find-a-tender"
UK = ZoneInfo("Europe/London")
WALL_CLOCK = "%Y-%m-%dT%H:%M:%S"
PAGE_SIZE = 100  # the API's largest `limit`
# Each window starts this much before the last one ended: a notice indexed a little after the
# time it was updated is still asked for; importing it twice changes nothing.
OVERLAP = timedelta(hours=1)
FIRST_WINDOW = timedelta(days=1)  # the first walk, without FIND_A_TENDER_POLL_SINCE
DEFAULT_PAGES = 50
# An administrator's "poll now" waits for its pages in the request: a few, the rest next run.
NOW_PAGES = 5
POLLED_ACTION = "polled"
POLL_NOW_ACTOR = "an administrator's poll now"


class PollFailed(ValueError):
    """A page of the walk could not be fetched or imported; the message says which and why."""


# The PostgreSQL advisory lock one poll holds while it walks (the reviews hold another).
POLL_LOCK_KEY = 0x434852544D415250
ANOTHER_RUN = "another poll was running; it fetches what there is, so nothing was fetched now"


@dataclass
class PollResult:
    stage: str
    pages: int = 0
    releases: int = 0  # on the pages fetched
    kept: int = 0  # for a commissioner's buyer
    new_releases: int = 0
    finished: bool = False  # the walk reached its last page: the mark moved
    error: str | None = None

    def line(self) -> str:
        state = "up to date" if self.finished else "more to fetch next run"
        if self.error:
            state = f"stopped: {self.error}"
        return (
            f"Find a Tender ({self.stage}): {self.pages} pages, {self.releases} releases, "
            f"{self.kept} for commissioners' buyers, {self.new_releases} new; {state}"
        )


def wall_clock(moment: datetime) -> str:
    """A moment as the API reads its times: UK wall-clock time, to the second."""
    return moment.astimezone(UK).strftime(WALL_CLOCK)


def stages() -> list[str]:
    text = current_app.config.get("FIND_A_TENDER_POLL_STAGES") or "award"
    return [stage.strip() for stage in text.split(",") if stage.strip()]


def poll(now: datetime, *, actor_label: str, pages: int | None = None) -> list[PollResult]:
    """One run: each stage's walk, as far as the page limit allows (``pages``, else
    FIND_A_TENDER_POLL_PAGES). Commits page by page. One run at a time: an administrator's
    poll now and the scheduler's (or two administrators') would otherwise fetch the same page
    and each save its own next page as the walk's; the second is told so and fetches nothing."""
    with exclusive(POLL_LOCK_KEY) as alone:
        if not alone:
            return [PollResult(stage, error=ANOTHER_RUN) for stage in stages()]
        return [_walk(stage, now, actor_label, pages) for stage in stages()]


def enabled() -> bool:
    return bool(current_app.config.get("FIND_A_TENDER_POLL_URL"))


def poll_now(now: datetime, user: User) -> list[PollResult]:
    """An administrator's run, at most ``FIND_A_TENDER_POLL_NOW_PAGES`` pages a stage (a walk
    longer than that carries on at the next run, as a scheduled one does); audited with what
    it did, after the pages it imported were committed."""
    pages = int(current_app.config.get("FIND_A_TENDER_POLL_NOW_PAGES") or NOW_PAGES)
    results = poll(now, actor_label=POLL_NOW_ACTOR, pages=pages)
    db.session.add(
        NoticeEvent(
            action=POLLED_ACTION,
            actor_id=user.id,
            actor_label=user.full_name,
            detail="\n".join(result.line() for result in results),
        )
    )
    db.session.commit()
    return results


def _state(stage: str, now: datetime) -> NoticePoll:
    source = f"{SOURCE}/{stage}"
    state = db.session.scalar(select(NoticePoll).where(NoticePoll.source == source))
    if state is None:
        since = current_app.config.get("FIND_A_TENDER_POLL_SINCE")
        state = NoticePoll(source=source, updated_from=since or wall_clock(now - FIRST_WINDOW))
        db.session.add(state)
        db.session.commit()
    return state


def _first_page(stage: str, state: NoticePoll) -> str:
    base = current_app.config["FIND_A_TENDER_POLL_URL"]
    start = datetime.strptime(state.updated_from, WALL_CLOCK) - OVERLAP
    query = urlencode(
        {
            "stages": stage,
            "limit": PAGE_SIZE,
            "updatedFrom": start.strftime(WALL_CLOCK),
            "updatedTo": state.window_to,
        }
    )
    return f"{base}{'&' if '?' in base else '?'}{query}"


def _walk(stage: str, now: datetime, actor_label: str, pages: int | None) -> PollResult:
    result = PollResult(stage=stage)
    state = _state(stage, now)
    state_id = state.id
    if state.next_url is None:
        state.window_to = wall_clock(now)
        state.next_url = _first_page(stage, state)
    state.last_run_at = utcnow()
    _counted(state, result)
    db.session.commit()
    keep = _Keep()
    limit = pages or int(current_app.config.get("FIND_A_TENDER_POLL_PAGES") or DEFAULT_PAGES)
    while result.pages < limit:
        state = db.session.get(NoticePoll, state_id)
        url = state.next_url
        try:
            summary = published_notices.import_url(url, actor_label=actor_label, keep=keep)
            next_url = _checked_next(summary.next_link, url)
        except (published_notices.NoticesRefused, PollFailed) as refused:
            db.session.rollback()
            result.error = str(refused)
            _stopped(state_id, result.error, restart=_cursor_forgotten(refused, state))
            return result
        result.pages += 1
        result.releases += summary.releases
        result.kept += summary.kept or 0
        result.new_releases += summary.new_releases
        _counted(state, result)
        state.next_url = next_url
        if next_url is None:  # the last page: the whole window is in
            state.updated_from, state.window_to = state.window_to, None
            state.last_success_at, state.last_error = utcnow(), None
            result.finished = True
        db.session.commit()  # the page's releases and where the walk is, together
        if result.finished:
            return result
    return result


def _counted(state: NoticePoll, result: PollResult) -> None:
    """Keep the run's counts so far on its row, committed with each page it imports."""
    state.last_run_pages, state.last_run_releases = result.pages, result.releases
    state.last_run_kept, state.last_run_new_releases = result.kept, result.new_releases


def _checked_next(link: str | None, url: str) -> str | None:
    if not link:
        return None
    here, there = urlsplit(url), split_web_address(link)
    if there is None:
        raise PollFailed(f"{url}: names a next page that is not a web address ({link!r})")
    if (there.scheme, there.netloc) != (here.scheme, here.netloc):
        raise PollFailed(f"{url}: names a next page on another host ({link}); not followed")
    if link == url:
        raise PollFailed(f"{url}: names itself as its next page")
    return link


def _cursor_forgotten(refused: Exception, state: NoticePoll) -> bool:
    """A resumed page (not the window's first) that the API refuses outright."""
    status = getattr(refused.__cause__, "status", None)
    resumed = state.next_url != _first_page(state.source.split("/", 1)[1], state)
    return resumed and status is not None and 400 <= status < 500 and status != 429


def _stopped(state_id: int, error: str, *, restart: bool) -> None:
    state = db.session.get(NoticePoll, state_id)
    state.last_error = error
    if restart:  # ask for the window from its first page again at the next run
        state.next_url = None
        state.window_to = None
    db.session.commit()


class _Keep:
    """Which releases of a page are this service's business: its buyer is an active
    commissioner (award_matching.Directory's buyer keys), or its ocid was imported before."""

    def __init__(self) -> None:
        self.buyers = set(award_matching.Directory().commissioners)

    def __call__(self, release: dict[str, Any]) -> bool:
        if self.buyers.intersection(_buyer_keys(release)):
            return True
        ocid = release.get("ocid")
        return isinstance(ocid, str) and (
            db.session.scalar(select(NoticeRelease.id).where(NoticeRelease.ocid == ocid).limit(1))
            is not None
        )


def _buyer_keys(release: dict[str, Any]) -> list[str]:
    """The buyer's keys as matching reads them (award_facts.awards_in), from one release."""
    parties = {str(p.get("id")): p for p in release.get("parties") or [] if isinstance(p, dict)}
    buyer = release.get("buyer") if isinstance(release.get("buyer"), dict) else {}
    keys = award_facts.party_identifiers({**buyer, **parties.get(str(buyer.get("id")), {})})
    keys += award_facts.party_identifiers(buyer)
    keys += [award_facts.identifier_key(str(buyer["id"]))] if buyer.get("id") else []
    # And every party with the buyer role (a notice may name its buyers only there).
    for party in parties.values():
        if "buyer" in (party.get("roles") or []):
            keys += award_facts.party_identifiers(party)
            keys += [award_facts.identifier_key(str(party["id"]))] if party.get("id") else []
    return keys
