import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { startTestPortal, type TestPortal } from "../support/portal";

let portal: TestPortal;
beforeAll(async () => {
  portal = await startTestPortal();
});
afterAll(async () => {
  await portal?.close();
});

describe("sessions", () => {
  it("a signed-in person sees the start page, a stranger is sent to sign in", async () => {
    const cookie = await portal.signInAs("amina.hassan@demo.stockholm.se");
    const page = await portal.fetch("/", { cookie });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Välkommen, Amina Hassan");
    const anonymous = await portal.fetch("/");
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toBe("/logga-in");
  });

  it("the healthz route reports database and queue", async () => {
    const response = await portal.fetch("/healthz");
    expect(await response.json()).toMatchObject({ status: "ok", database: "ok", queue: "ok" });
    void sql;
  });
});
