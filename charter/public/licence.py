"""The open data's licence, and the CSV on the Web metadata that carries it for a CSV file.

The register's and the impact figures' downloads are published under the same licence by the
same operator (``SERVICE_OPERATOR``): one place says so.
"""

from __future__ import annotations

from flask import current_app, jsonify

from charter.services.infrastructure.spreadsheets import csvw_metadata

LICENCE = "Open Government Licence v3.0"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


def csvw_response(csv_url: str, columns, *, title: str, description: str, documentation_url: str):
    """The CSVW metadata document for the CSV at ``csv_url``, as its own media type."""
    response = jsonify(
        csvw_metadata(
            csv_url,
            columns,
            title=title,
            description=description,
            licence_url=LICENCE_URL,
            publisher=current_app.config["SERVICE_OPERATOR"],
            documentation_url=documentation_url,
        )
    )
    response.mimetype = "application/csvm+json"
    return response
