"""`flask charter ...` commands."""

from flask import Flask
from flask.cli import AppGroup

charter_cli = AppGroup("charter", help="Charter Mark administration commands.")


def register_cli(app: Flask) -> None:
    from charter.cli import (  # noqa: F401  (registers commands)
        demo,
        diagram,
        impact,
        mail,
        open_data,
        operations,
        privacy,
        published_notices,
        reviews,
        schemes,
        users,
    )

    app.cli.add_command(charter_cli)
