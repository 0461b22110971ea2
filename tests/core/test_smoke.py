import pytest


@pytest.mark.django_db
def test_login_page_is_served_in_french_by_default(client):
    response = client.get("/connexion/")
    assert response.status_code == 200
    assert 'lang="fr"' in response.content.decode()
