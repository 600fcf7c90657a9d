/** Health, the OpenAPI document, unknown paths, wrong methods, CORS, security headers and request ids. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TEST_ORIGIN } from "./global-setup";
import { API_PREFIX, body, request } from "./helpers";

describe("platform", () => {
  it("reports health with the database", async () => {
    const response = await request("GET", "/api/health");
    expect(response.status).toBe(200);
    expect(await body(response)).toEqual({ status: "ok", database: "ok" });
  });

  it("serves src/openapi.json as the OpenAPI document", async () => {
    const response = await request("GET", "/api/openapi.json");
    expect(response.status).toBe(200);
    const served = await body<{ openapi: string; paths: Record<string, unknown> }>(response);
    expect(served).toEqual(JSON.parse(readFileSync("src/openapi.json", "utf8")));
    expect(served.openapi).toMatch(/^3\.1/);
    expect(Object.keys(served.paths)).toContain(`${API_PREFIX}/auth/login`);
  });

  it.each(["GET", "POST", "DELETE"])("answers %s on an unknown path with a 404 problem", async (method) => {
    const response = await request(method, `${API_PREFIX}/no-such-route`);
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(await body(response)).toMatchObject({
      status: 404,
      title: "Not Found",
      instance: `${API_PREFIX}/no-such-route`,
    });
  });

  it.each([
    ["POST", "/api/health", "GET, HEAD, OPTIONS"],
    ["DELETE", "/api/openapi.json", "GET, HEAD, OPTIONS"],
    ["GET", `${API_PREFIX}/auth/login`, "POST, OPTIONS"],
    ["PATCH", `${API_PREFIX}/users/me`, "GET, HEAD, OPTIONS"],
  ])("answers %s %s with a 405 problem naming the allowed methods", async (method, path, allow) => {
    const response = await request(method, path);
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe(allow);
    expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    expect(await body(response)).toMatchObject({ status: 405, title: "Method Not Allowed", instance: path });
  });

  it("answers a plain OPTIONS with the allowed methods", async () => {
    const response = await request("OPTIONS", `${API_PREFIX}/auth/register`);
    expect(response.status).toBe(204);
    expect(response.headers.get("allow")).toBe("POST, OPTIONS");
  });

  it("sets the security headers and a request id, keeping the caller's", async () => {
    const response = await request("GET", "/api/health", { headers: { "x-request-id": "trace-123" } });
    expect(response.headers.get("x-request-id")).toBe("trace-123");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
    const generated = (await request("GET", "/api/health")).headers.get("x-request-id");
    expect(generated).toMatch(/^[0-9a-f]{32}$/);
  });

  it("answers CORS preflights for the configured origins only", async () => {
    const preflight = {
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization",
    };
    const allowed = await request("OPTIONS", `${API_PREFIX}/users/me`, {
      headers: { origin: TEST_ORIGIN, ...preflight },
    });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("access-control-allow-origin")).toBe(TEST_ORIGIN);
    expect(allowed.headers.get("access-control-allow-methods")).toContain("PATCH");
    const refused = await request("OPTIONS", `${API_PREFIX}/users/me`, {
      headers: { origin: "http://evil.example", ...preflight },
    });
    expect(refused.status).toBe(400);
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
    const simple = await request("GET", "/api/health", { headers: { origin: TEST_ORIGIN } });
    expect(simple.headers.get("access-control-allow-origin")).toBe(TEST_ORIGIN);
  });
});
