"""Accepting an invitation to be a commissioner's contract manager: the one invitation page
(charter/auth/invitations.py) at the URL these emails have always linked to.

The link opens without signing in, so a person with no account is told to create one with the
invited address and come back; accepting needs a signed-in, confirmed account with that address.
Once they have an account, signing in takes a person with nothing else to do to their work
list, which lists their open invitations.
"""

from __future__ import annotations

from charter.auth import invitations as invitation_page
from charter.commissioner import bp
from charter.models.invitation import CONTRACT_MANAGER


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    return invitation_page.accept_page(token, CONTRACT_MANAGER)
