import click

from charter.cli import charter_cli
from workflows.lifecycle import DUTIES, MARK, mermaid


@charter_cli.command("diagram")
@click.option(
    "--lifecycle",
    "machine",
    type=click.Choice([DUTIES, MARK]),
    default=DUTIES,
    show_default=True,
    help="The signatory's duties, or the Charter Mark's lifecycle.",
)
def diagram(machine: str):
    """Print a signing's lifecycle as a Mermaid state diagram: its duties, or its Mark's."""
    click.echo(mermaid(machine), nl=False)
