/** Register, log in, refresh rotation (and reuse detection), logout, the current user and error shapes. */
import { SignJWT } from "jose";
import { describe, expect, inject, it } from "vitest";
import { API_PREFIX, api, body, tokens } from "./helpers";

type Pair = { access_token: string; refresh_token: string; token_type: string; expires_in: number };

async function register(email = "new@example.com", password = "a-long-password"): Promise<Response> {
  return api("POST", "/auth/register", { json: { email, password } });
}

async function login(email = "new@example.com", password = "a-long-password"): Promise<Response> {
  return api("POST", "/auth/login", { form: { username: email, password } });
}

async function registerAndLogin(): Promise<Pair> {
  expect((await register()).status).toBe(201);
  const response = await login();
  expect(response.status).toBe(200);
  return body<Pair>(response);
}

const refresh = (token: string) => api("POST", "/auth/refresh", { json: { refresh_token: token } });

describe("register and login", () => {
  it("registers a user, logs in and reads /users/me", async () => {
    const created = await register();
    expect(created.status).toBe(201);
    const user = await body(created);
    expect(user).toMatchObject({ email: "new@example.com", is_admin: false, is_active: true });
    expect(user).not.toHaveProperty("hashed_password");
    const pair = await registerAndLoginExisting();
    expect(pair.token_type).toBe("bearer");
    expect(pair.expires_in).toBeGreaterThan(0);
    const me = await api("GET", "/users/me", { token: pair.access_token });
    expect(me.status).toBe(200);
    expect(await body(me)).toMatchObject({ id: user.id, email: "new@example.com" });
  });

  it("keeps the optional full name", async () => {
    const named = await api("POST", "/auth/register", {
      json: { email: "named@example.com", password: "a-long-password", full_name: "Ada Lovelace" },
    });
    expect(named.status).toBe(201);
    expect(await body(named)).toMatchObject({ email: "named@example.com", full_name: "Ada Lovelace" });
    expect(await body(await register())).toMatchObject({ full_name: null });
  });

  it("refuses a second account with the same e-mail, whatever its case", async () => {
    await register();
    const response = await register("NEW@example.com", "another-password");
    expect(response.status).toBe(409);
  });

  it("answers 422 with every invalid field located in the body", async () => {
    const response = await api("POST", "/auth/register", {
      json: { email: "not-an-email", password: "short" },
    });
    expect(response.status).toBe(422);
    expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    const problem = await body<{ status: number; title: string; errors: { loc: string[]; type: string }[] }>(
      response,
    );
    expect(problem.status).toBe(422);
    expect(problem.errors.map((error) => error.loc)).toEqual(
      expect.arrayContaining([
        ["body", "email"],
        ["body", "password"],
      ]),
    );
  });

  it("answers 422 for a body that is not JSON and for unknown fields", async () => {
    const broken = await api("POST", "/auth/register", {
      headers: { "content-type": "application/json" },
      raw: '{"email": ',
    });
    expect(broken.status).toBe(422);
    const extra = await api("POST", "/auth/register", {
      json: { email: "x@example.com", password: "a-long-password", is_admin: true },
    });
    expect(extra.status).toBe(422);
  });

  it("rejects a wrong password and an unknown e-mail alike", async () => {
    await register();
    const wrong = await login("new@example.com", "wrong-password");
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("www-authenticate")).toBe("Bearer");
    expect((await login("nobody@example.com", "wrong-password")).status).toBe(401);
  });

  it("answers 422 when the login form lacks a field", async () => {
    const response = await api("POST", "/auth/login", { form: { username: "new@example.com" } });
    expect(response.status).toBe(422);
    const problem = await body<{ errors: { loc: string[] }[] }>(response);
    expect(problem.errors.map((error) => error.loc)).toContainEqual(["body", "password"]);
  });
});

async function registerAndLoginExisting(): Promise<Pair> {
  return body<Pair>(await login());
}

describe("refresh tokens", () => {
  it("rotates: the new token works, the old one does not", async () => {
    const pair = await registerAndLogin();
    const response = await refresh(pair.refresh_token);
    expect(response.status).toBe(200);
    const rotated = await body<Pair>(response);
    expect(rotated.refresh_token).not.toBe(pair.refresh_token);
    expect((await api("GET", "/users/me", { token: rotated.access_token })).status).toBe(200);
    expect((await refresh(pair.refresh_token)).status).toBe(401);
  });

  it("revokes the whole family when a rotated token is presented again, and only that family", async () => {
    const first = await registerAndLogin();
    const otherSession = await registerAndLoginExisting();
    const rotated = await body<Pair>(await refresh(first.refresh_token));
    expect((await refresh(first.refresh_token)).status).toBe(401);
    // The leak ends the newest token of that family too ...
    expect((await refresh(rotated.refresh_token)).status).toBe(401);
    // ... but not the user's other login.
    expect((await refresh(otherSession.refresh_token)).status).toBe(200);
  });

  it("rejects an unknown refresh token", async () => {
    expect((await refresh("rt_made-up")).status).toBe(401);
  });

  it("logout revokes the refresh token and ignores unknown ones", async () => {
    const pair = await registerAndLogin();
    const response = await api("POST", "/auth/logout", { json: { refresh_token: pair.refresh_token } });
    expect(response.status).toBe(204);
    expect((await refresh(pair.refresh_token)).status).toBe(401);
    expect((await api("POST", "/auth/logout", { json: { refresh_token: "rt_unknown" } })).status).toBe(204);
  });
});

describe("access tokens", () => {
  it("answers 401 as a problem without credentials", async () => {
    const response = await api("GET", "/users/me");
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(response.headers.get("www-authenticate")).toBe("Bearer");
    expect(await body(response)).toEqual({
      type: "about:blank",
      title: "Unauthorized",
      status: 401,
      detail: "Missing, invalid or expired credentials.",
      instance: `${API_PREFIX}/users/me`,
    });
  });

  it("rejects forged, expired and malformed tokens", async () => {
    const { user } = await tokens();
    // Accepted first, so the server has it among its verified tokens: a forgery of its claims must not pass for it.
    expect((await api("GET", "/users/me", { token: user })).status).toBe(200);
    const [header, payload] = user.split(".");
    const forged = `${header}.${payload}.${"A".repeat(43)}`;
    const key = new TextEncoder().encode(inject("secretKey"));
    const past = Math.floor(Date.now() / 1000) - 60;
    const expired = await new SignJWT({ is_admin: false, type: "access" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("1")
      .setIssuedAt(past - 60)
      .setExpirationTime(past)
      .sign(key);
    for (const token of [forged, expired, "not-a-jwt"]) {
      expect((await api("GET", "/users/me", { token })).status).toBe(401);
    }
    expect((await api("GET", "/users/me", { token: user })).status).toBe(200);
  });

  it("carries the admin flag", async () => {
    const { admin } = await tokens();
    const me = await body(await api("GET", "/users/me", { token: admin }));
    expect(me).toMatchObject({ email: "admin@example.com", is_admin: true });
  });
});
