from workflows.lifecycle import STATES, TRIGGERS


def test_diagram_prints_every_state_and_trigger_as_mermaid(app):
    result = app.test_cli_runner().invoke(args=["charter", "diagram"])

    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "stateDiagram-v2"
    assert "[*] --> registered" in result.output
    for state in STATES:
        assert f" {state} -->" in result.output or f"--> {state}:" in result.output, state
    for trigger in TRIGGERS:
        assert f": {trigger} (" in result.output, trigger
    assert "    accredited --> renewal_due: open_renewal (system)" in lines
