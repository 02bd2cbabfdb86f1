def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_healthz_reports_an_unreachable_database(client, db, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"


def test_home_page_renders(client):
    response = client.get("/")
    assert response.status_code == 200
