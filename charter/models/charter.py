"""A charter is data: the service hosts several, side by side (issue 20).

Each council or partnership that asks organisations to commit to social value runs its own
charter: Shropshire's "Social Value Charter for Shropshire", Worcestershire's Commercial Social
Value Charter, and so on. Until now the one charter the service hosted lived in configuration
(the header's service name) and in the scheme file's ``[issuer]`` table; as rows, several can sit
side by side, each with its own words, without a deployment per council.

The vocabulary:

- a charter is run by a **running body**: the council, or a partnership such as Shropshire's
  Social Value Group, that issues its Charter Marks (``running_body``, and who it is made up
  of, ``running_body_members``). Certificates name it: each scheme version records the running
  body as it stood when that version was loaded (``Scheme.issuer_name``), so a certificate keeps
  printing what it printed when the Mark was awarded;
- a charter covers an **area** (a county, a city region), which lies in a **region** (one of
  the ONS's, charter.services.domain.regions) whose charters the combined pages show together;
- a charter has a **scheme**, versioned: every ``Scheme`` row is a version of the scheme of one
  charter, and organisations keep the version they signed under.

The first charter (the lowest id) is the *default* one: the URLs that existed before charters
were data keep serving it (``charter.services.domain.charters.default_charter``).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from charter.extensions import db
from charter.models.base import utcnow

if TYPE_CHECKING:
    from charter.models.scheme import Scheme

# Column sizes, which the scheme file's [charter] table is checked against (charter_file.py).
SLUG_LENGTH = 50
NAME_LENGTH = 200
SERVICE_NAME_LENGTH = 100
AREA_LENGTH = 200
DESCRIPTION_LENGTH = 1000
EMAIL_LENGTH = 254
WEBSITE_LENGTH = 500
REGION_LENGTH = 40


class Charter(db.Model):
    """A charter hosted by the service: its words and who runs it. Its scheme's versions are
    ``Scheme`` rows pointing here."""

    __tablename__ = "charters"

    id: Mapped[int] = mapped_column(primary_key=True)
    # In URLs (/c/<slug>/): lower-case letters, digits and single hyphens.
    slug: Mapped[str] = mapped_column(String(SLUG_LENGTH), unique=True)
    # "Social Value Charter for Shropshire"
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    # The service name in the GOV.UK header while this charter is the one shown.
    service_name: Mapped[str] = mapped_column(String(SERVICE_NAME_LENGTH))
    # The council or partnership that runs it and issues its Charter Marks, and its members.
    running_body: Mapped[str] = mapped_column(String(NAME_LENGTH))
    running_body_members: Mapped[str | None] = mapped_column(Text)
    area: Mapped[str] = mapped_column(String(AREA_LENGTH))
    # The ONS region its area is in ("west-midlands", charter.services.domain.regions), for the
    # combined pages of a region's charters; None: in no region's.
    region: Mapped[str | None] = mapped_column(String(REGION_LENGTH), index=True)
    description: Mapped[str] = mapped_column(Text)
    # None until the running body gives one: the service's SERVICE_CONTACT_EMAIL stands in.
    contact_email: Mapped[str | None] = mapped_column(String(EMAIL_LENGTH))
    website: Mapped[str | None] = mapped_column(String(WEBSITE_LENGTH))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    schemes: Mapped[list[Scheme]] = relationship(back_populates="charter", lazy="raise")

    def __repr__(self) -> str:
        return f"<Charter {self.slug}>"
