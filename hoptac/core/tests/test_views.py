"""The liveness check a load balancer polls."""


def test_livez_answers_without_login_or_database(client):
    # No django_db mark: any database access here would raise.
    response = client.get("/livez")
    assert response.status_code == 200 and response.content == b"ok"
