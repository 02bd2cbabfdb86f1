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


def test_the_diagram_and_how_it_works_show_the_corrected_lifecycle(app, client, scheme):
    lines = app.test_cli_runner().invoke(args=["charter", "diagram"]).output.splitlines()
    assert "    renewal_due --> monitoring: expire_mark (system)" in lines
    assert "    renewal_due --> lapsed: expire_mark (system)" not in lines
    assert "    accredited --> mark_suspended: suspend_mark (system)" in lines
    assert "    mark_suspended --> accredited: reinstate_mark (system)" in lines
    assert "    mark_suspended --> renewal_due: reinstate_mark (system)" in lines
    page = client.get("/c/shropshire/how-it-works").get_data(as_text=True)
    assert "Charter Mark suspended" in page
    assert "goes back to monitoring: it is still a charter signatory" in page
