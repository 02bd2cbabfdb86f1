import click

from charter.cli import charter_cli
from workflows.lifecycle import mermaid


@charter_cli.command("diagram")
def diagram():
    """Print the organisation lifecycle as a Mermaid state diagram."""
    click.echo(mermaid(), nl=False)
