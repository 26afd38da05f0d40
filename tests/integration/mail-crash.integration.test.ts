import { describe, expect, it } from "vitest";
import { startResendStub } from "../support/resend-stub";
import { killablePortal } from "../support/server-process";
import { waitFor } from "../support/wait";

const MAILS = 20;

describe("durable e-mail", () => {
  it("a server killed with SIGKILL while sending delivers every mail exactly once after restart", async () => {
    // Slow answers keep several mails in flight when the process is killed.
    const stub = await startResendStub({ delayMs: 250 });
    const portal = await killablePortal("mail-crash", {
      resendUrl: stub.url,
      // Only the mail this test sends: no weekly digest of the demo action list.
      env: { SIGN_IN_LIMIT_PER_ADDRESS: "1000", SIGN_IN_LIMIT_PER_IP: "1000", ACTION_DIGEST: "false" },
    });
    try {
      const first = await portal.start();
      const base = portal.base;
      for (let i = 0; i < MAILS; i++) {
        const response = await fetch(`${base}/logga-in`, {
          method: "POST",
          headers: { origin: base, "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ email: "amina.hassan@demo.stockholm.se" }),
          redirect: "manual",
        });
        expect(response.status).toBe(302);
      }
      await waitFor(() => stub.requests.length >= 3, "the first mails to reach the stub", 30_000);
      await portal.stop(first);
      const deliveredBeforeCrash = stub.deliveries.size;
      expect(deliveredBeforeCrash).toBeLessThan(MAILS);

      const second = await portal.start();
      await waitFor(() => stub.deliveries.size >= MAILS, `all ${MAILS} mails (got ${stub.deliveries.size})`, 90_000);
      // Give any duplicate job a moment to show itself before counting.
      await new Promise((resolve) => setTimeout(resolve, 1500));

      expect(stub.requests.every((request) => request.idempotencyKey?.startsWith("sign-in:"))).toBe(true);
      const keys = new Set(stub.requests.map((request) => request.idempotencyKey));
      expect(keys.size).toBe(MAILS);
      expect(stub.deliveries.size).toBe(MAILS);
      for (const delivery of stub.deliveries.values()) {
        expect(delivery.to).toEqual(["amina.hassan@demo.stockholm.se"]);
        expect(delivery.text).toMatch(/\d{8}/);
      }
      await portal.stop(second, "SIGTERM");
    } finally {
      await stub.close();
    }
  }, 180_000);
});
