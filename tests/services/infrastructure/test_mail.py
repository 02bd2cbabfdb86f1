from sqlalchemy import func, select

from charter.models import OutboxEmail


def test_send_emails_delivers_each_queued_email_once(app, db):
    db.session.add_all(
        [
            OutboxEmail(to_address=f"p{i}@example.com", subject="Hello", body="Body")
            for i in range(3)
        ]
    )
    db.session.commit()
    runner = app.test_cli_runner()

    first = runner.invoke(args=["charter", "send-emails"])
    second = runner.invoke(args=["charter", "send-emails"])

    assert first.exit_code == 0 and "Sent 3 emails." in first.output
    assert "Sent 0 emails." in second.output
    unsent = db.session.scalar(
        select(func.count()).select_from(OutboxEmail).where(OutboxEmail.sent_at.is_(None))
    )
    assert unsent == 0
