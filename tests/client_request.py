"""Requests by endpoint name that return the page parsed, in the spirit of notifications-admin's
``client_request``: a test says which view it means and what status it expects, then reads the
page as HTML (headings, error summaries, table cells) instead of searching the body for text.

    page = client_request.get("public.show_register")
    assert page.select_one("h1").get_text(strip=True) == "Register of signatories"

    page = client_request.post("auth.sign_in", _data={...}, _expected_status=200)
    assert client_request.error_summary(page) == ["Enter your email address"]

``post`` reads the form on the page it posts to (``_form_page`` if the form is elsewhere) and
sends its CSRF token, so tests follow forms as a browser would. ``sign_in`` changes who is asking.
"""

from __future__ import annotations

from bs4 import BeautifulSoup
from flask import url_for
from flask.testing import FlaskClient

from tests.factories import PASSWORD, csrf_token, sign_in


class ClientRequest:
    def __init__(self, client: FlaskClient):
        self.client = client

    def sign_in(self, user, password: str = PASSWORD) -> None:
        sign_in(self.client, user.email, password)

    def get(
        self,
        endpoint: str,
        *,
        _expected_status: int = 200,
        _follow_redirects: bool = False,
        _query: dict | None = None,
        **values,
    ) -> BeautifulSoup:
        url = url_for(endpoint, **values, **(_query or {}))
        response = self.client.get(url, follow_redirects=_follow_redirects)
        return self._page(response, "GET", url, _expected_status)

    def get_url(self, url: str, *, _expected_status: int = 200) -> BeautifulSoup:
        response = self.client.get(url)
        return self._page(response, "GET", url, _expected_status)

    def post(
        self,
        endpoint: str,
        *,
        _data: dict | None = None,
        _expected_status: int = 302,
        _expected_redirect: str | None = None,
        _follow_redirects: bool = False,
        _form_page: str | None = None,
        **values,
    ) -> BeautifulSoup:
        """Post ``_data`` (with the CSRF token of the form's page) to the endpoint. By default a
        redirect is expected (the service's post/redirect/get); ``_expected_redirect`` names
        where to, as a path."""
        url = url_for(endpoint, **values)
        data = dict(_data or {})
        data.setdefault("csrf_token", csrf_token(self.client, _form_page or url))
        response = self.client.post(url, data=data, follow_redirects=_follow_redirects)
        page = self._page(response, "POST", url, _expected_status)
        if _expected_redirect is not None:
            location = response.headers.get("Location", "")
            assert location.endswith(_expected_redirect), (
                f"POST {url} redirected to {location!r}, not {_expected_redirect!r}"
            )
        return page

    @staticmethod
    def _page(response, method: str, url: str, expected: int) -> BeautifulSoup:
        assert response.status_code == expected, (
            f"{method} {url} gave {response.status_code}, not {expected}: "
            f"{response.get_data(as_text=True)[:500]}"
        )
        return BeautifulSoup(response.get_data(as_text=True), "html.parser")

    # --- reading pages -------------------------------------------------------------------------

    @staticmethod
    def error_summary(page: BeautifulSoup) -> list[str]:
        """The GOV.UK error summary's messages, in order ([] when the page has none)."""
        return [
            item.get_text(" ", strip=True) for item in page.select(".govuk-error-summary__list li")
        ]

    @staticmethod
    def field_errors(page: BeautifulSoup) -> dict[str, str]:
        """Each field's inline error message by the field's id ("Error: " dropped)."""
        errors = {}
        for message in page.select(".govuk-error-message"):
            text = message.get_text(" ", strip=True).removeprefix("Error:").strip()
            errors[(message.get("id") or "").removesuffix("-error")] = text
        return errors

    @staticmethod
    def heading(page: BeautifulSoup) -> str:
        h1 = page.select_one("h1")
        assert h1 is not None, "the page has no h1"
        return " ".join(h1.get_text(" ", strip=True).split())

    @staticmethod
    def summary_list(page: BeautifulSoup) -> dict[str, str]:
        """A GOV.UK summary list as {key: value}, whitespace collapsed."""
        rows = {}
        for row in page.select(".govuk-summary-list__row"):
            key = row.select_one(".govuk-summary-list__key")
            value = row.select_one(".govuk-summary-list__value")
            if key is not None and value is not None:
                rows[" ".join(key.get_text(" ", strip=True).split())] = " ".join(
                    value.get_text(" ", strip=True).split()
                )
        return rows
