import pytest

from workflows.lifecycle import DUTIES, DUTY_STATES, MARK, MARK_STATES, TRIGGERS


def _diagram(app, *args) -> tuple[str, list[str]]:
    result = app.test_cli_runner().invoke(args=["charter", "diagram", *args])
    assert result.exit_code == 0, result.output
    return result.output, result.output.splitlines()


@pytest.mark.parametrize(
    ("args", "machine", "states", "initial"),
    [
        ((), DUTIES, DUTY_STATES, "registered"),
        (("--lifecycle", MARK), MARK, MARK_STATES, "no_mark"),
    ],
)
def test_diagram_prints_every_state_and_trigger_as_mermaid(app, args, machine, states, initial):
    output, lines = _diagram(app, *args)
    assert lines[0] == "stateDiagram-v2"
    assert f"[*] --> {initial}" in output
    for state in states:
        assert f" {state} -->" in output or f"--> {state}:" in output, state
    for trigger in (t for t in TRIGGERS.values() if t.machine == machine):
        assert f": {trigger.name} (" in output, trigger.name


def test_an_unknown_lifecycle_is_refused_with_the_choices(app):
    result = app.test_cli_runner().invoke(args=["charter", "diagram", "--lifecycle", "plan"])
    assert result.exit_code == 2
    assert "'duties'" in result.output and "'mark'" in result.output


def test_the_diagram_and_how_it_works_show_the_corrected_lifecycle(app, client, scheme):
    _, lines = _diagram(app, "--lifecycle", MARK)
    # An expired Mark leaves a signatory (its duties untouched), and a holder's renewal keeps
    # the Mark held while it is assessed.
    assert "    renewal_due --> mark_expired: expire_mark (system)" in lines
    assert "    renewal_due --> renewal_under_assessment: apply_for_renewal (member)" in lines
    assert "    renewal_under_assessment --> under_assessment: expire_mark (system)" in lines
    assert "    accredited --> mark_suspended: suspend_mark (system)" in lines
    assert "    mark_suspended --> accredited: reinstate_mark (system)" in lines
    assert "    mark_suspended --> renewal_due: reinstate_mark (system)" in lines
    _, duties = _diagram(app)
    assert not [line for line in duties if "expire_mark" in line or "lapsed: expire" in line]
    page = client.get("/c/shropshire/how-it-works").get_data(as_text=True)
    assert "Charter Mark suspended" in page
    assert "goes back to monitoring: it is still a charter signatory" in page
    assert "renewal_under_assessment --&gt; under_assessment: expire_mark" in page
