"""Register, log in, refresh rotation, logout and the current user."""

from app.core.config import get_settings

API = get_settings().API_PREFIX


async def register_and_login(client, email="new@example.com", password="a-long-password"):
    response = await client.post(f"{API}/auth/register", json={"email": email, "password": password})
    assert response.status_code == 201, response.text
    response = await client.post(f"{API}/auth/login", data={"username": email, "password": password})
    assert response.status_code == 200, response.text
    return response.json()


async def test_register_login_and_me(client):
    tokens = await register_and_login(client)
    assert tokens["token_type"] == "bearer" and tokens["expires_in"] > 0
    me = await client.get(f"{API}/users/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert me.status_code == 200
    assert me.json()["email"] == "new@example.com"
    assert "hashed_password" not in me.json()


async def test_register_twice_is_409(client):
    await register_and_login(client)
    response = await client.post(f"{API}/auth/register", json={"email": "NEW@example.com", "password": "another-password"})
    assert response.status_code == 409


async def test_register_validates_input(client):
    response = await client.post(f"{API}/auth/register", json={"email": "not-an-email", "password": "short"})
    assert response.status_code == 422
    fields = {error["loc"][-1] for error in response.json()["errors"]}
    assert {"email", "password"} <= fields


async def test_wrong_password_is_401(client):
    await register_and_login(client)
    response = await client.post(f"{API}/auth/login", data={"username": "new@example.com", "password": "wrong-password"})
    assert response.status_code == 401
    response = await client.post(f"{API}/auth/login", data={"username": "nobody@example.com", "password": "wrong-password"})
    assert response.status_code == 401


async def test_refresh_rotates_and_rejects_the_old_token(client):
    tokens = await register_and_login(client)
    response = await client.post(f"{API}/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert response.status_code == 200
    rotated = response.json()
    assert rotated["refresh_token"] != tokens["refresh_token"]
    reused = await client.post(f"{API}/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert reused.status_code == 401
    # Reusing a rotated token revokes the whole family, including the newest token.
    assert (await client.post(f"{API}/auth/refresh", json={"refresh_token": rotated["refresh_token"]})).status_code == 401


async def test_logout_revokes_the_refresh_token(client):
    tokens = await register_and_login(client)
    assert (await client.post(f"{API}/auth/logout", json={"refresh_token": tokens["refresh_token"]})).status_code == 204
    response = await client.post(f"{API}/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert response.status_code == 401


async def test_unknown_refresh_token_is_401(client):
    response = await client.post(f"{API}/auth/refresh", json={"refresh_token": "rt_made-up"})
    assert response.status_code == 401
