import { describe, expect, it } from "vitest";
import { loadConfig } from "../../app/server/config.server";

describe("configuration at start-up", () => {
  it("a fresh machine needs no settings: local outbox and demo data", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ baseUrl: "http://localhost:3000", mailOutboxEnabled: true, SEED_DEMO_DATA: true });
  });

  it("a public address without a mail provider is refused, because the outbox would show sign-in links to anyone", () => {
    expect(() => loadConfig({ BASE_URL: "https://samverkan.stockholm.se" })).toThrow(/RESEND_API_KEY: krävs/);
  });

  it("a public demo server opts in to the outbox explicitly", () => {
    const config = loadConfig({ BASE_URL: "https://demo.samverkan.example", MAIL_OUTBOX: "true" });
    expect(config).toMatchObject({ mailOutboxEnabled: true, SEED_DEMO_DATA: true });
  });

  it("with a mail provider there is no outbox and no demo data unless asked for", () => {
    const config = loadConfig({ BASE_URL: "https://samverkan.stockholm.se", RESEND_API_KEY: "re_live", MAIL_OUTBOX: "true" });
    expect(config).toMatchObject({ mailOutboxEnabled: false, SEED_DEMO_DATA: false });
    expect(loadConfig({ RESEND_API_KEY: "re_live", SEED_DEMO_DATA: "true" }).SEED_DEMO_DATA).toBe(true);
  });

  it("wrong values are listed in Swedish, one line per setting", () => {
    expect(() => loadConfig({ DATABASE_URL: "mysql://x", PORT: "http", APP_SECRET: "kort" })).toThrow(
      /Felaktig konfiguration:\n(.*\n)*.*DATABASE_URL: DATABASE_URL måste börja med postgres/,
    );
    expect(() => loadConfig({ NODE_ENV: "production", DATABASE_URL: "postgresql://db/samverkan" })).toThrow(/APP_SECRET: krävs i produktion/);
  });
});
