import { describe, expect, it } from "vitest";
import { stockholmDate, stockholmTime } from "../../app/domain/meetings/time";
import { startResendStub } from "../support/resend-stub";
import { killablePortal } from "../support/server-process";
import { waitFor } from "../support/wait";

/**
 * The reminder job on the real clock in a real server process: a meeting whose 2-hour reminder
 * comes due a minute or two after it is planned, the server killed with SIGKILL while the
 * reminders are being sent, restarted, and every invitee has exactly one reminder at the stub.
 */

const EXTERNALS = Array.from({ length: 30 }, (_, i) => `deltagare-${String(i + 1).padStart(2, "0")}@forening.example`);
const NETWORK = ["amina.hassan@demo.stockholm.se", "erik.sandberg@demo.polisen.se", "johan.ek@demo.stockholm.se"];
const AMINA = NETWORK[0];

const isReminder = (key: string | null) => Boolean(key?.startsWith("meeting-reminder:"));

describe("durable meeting reminders", () => {
  it("a server killed with SIGKILL while sending reminders gives every invitee the reminder exactly once after restart", async () => {
    const stub = await startResendStub({ delayMs: 250 });
    const portal = await killablePortal("reminder-crash", {
      resendUrl: stub.url,
      // Only the mail this test sends: no weekly digest of the demo action list.
      env: { SIGN_IN_LIMIT_PER_ADDRESS: "1000", SIGN_IN_LIMIT_PER_IP: "1000", ACTION_DIGEST: "false" },
    });
    try {
      const first = await portal.start();
      const base = portal.base;
      const post = (urlPath: string, fields: Record<string, string | string[]>, cookie = "") => {
        const body = new URLSearchParams();
        for (const [key, value] of Object.entries(fields)) for (const item of ([] as string[]).concat(value)) body.append(key, item);
        return fetch(`${base}${urlPath}`, { method: "POST", headers: { origin: base, "content-type": "application/x-www-form-urlencoded", cookie }, body, redirect: "manual" });
      };

      // Sign in as the coordinator with the code from the mail, as a person would.
      expect((await post("/logga-in", { email: AMINA })).status).toBe(302);
      // Other mail may reach the stub first: take the sign-in mail, and the code from its own line
      // (the link above it may hold eight digits in a row too).
      const signInMail = await waitFor(
        () => [...stub.deliveries.values()].find((mail) => mail.to.includes(AMINA) && Boolean(mail.idempotencyKey?.startsWith("sign-in:"))),
        "the sign-in mail",
        30_000,
      );
      const code = /^(\d{8})$/m.exec(signInMail.text)![1];
      const signedIn = await post("/logga-in/kod", { email: AMINA, code });
      const cookie = /sv_session=[^;]+/.exec(signedIn.headers.get("set-cookie") ?? "")![0];
      const networks = await (await fetch(`${base}/natverk`, { headers: { cookie } })).text();
      const networkId = /\/natverk\/([0-9a-f-]{36})/.exec(networks)![1];

      // Starts 2 hours and 1–2 minutes from now: its 2-hour reminder comes due in a minute or two.
      const startsAt = new Date(Math.ceil((Date.now() + 2 * 60 * 60_000 + 60_000) / 60_000) * 60_000);
      const endsAt = new Date(startsAt.getTime() + 30 * 60_000);
      const created = await post(
        `/natverk/${networkId}/moten/nytt`,
        {
          title: "Avstämning inför helgen",
          date: stockholmDate(startsAt),
          startTime: stockholmTime(startsAt),
          endTime: stockholmDate(endsAt) === stockholmDate(startsAt) ? stockholmTime(endsAt) : "23:59",
          place: "Rinkeby medborgarkontor",
          inviteNetwork: "on",
          extraEmails: EXTERNALS.join("\n"),
          reminders: ["", "120"],
        },
        cookie,
      );
      expect(created.status, await created.text()).toBe(302);

      // The scan runs every minute; kill the server once the first reminders have reached the stub.
      await waitFor(() => stub.requests.filter((request) => isReminder(request.idempotencyKey)).length >= 3, "the first reminders at the stub", 200_000);
      await portal.stop(first);
      const remindedBeforeCrash = [...stub.deliveries.keys()].filter(isReminder).length;
      const everyone = [...NETWORK, ...EXTERNALS].sort();
      expect(remindedBeforeCrash).toBeLessThan(everyone.length);

      const second = await portal.start();
      await waitFor(() => [...stub.deliveries.keys()].filter(isReminder).length >= everyone.length, `all ${everyone.length} reminders`, 120_000);
      // Give any duplicate a moment to show itself before counting.
      await new Promise((resolve) => setTimeout(resolve, 2000));

      const reminders = [...stub.deliveries.entries()].filter(([key]) => isReminder(key));
      expect(reminders.map(([, delivery]) => delivery.to[0]).sort()).toEqual(everyone);
      for (const [key, delivery] of reminders) {
        expect(key).toContain(`:${startsAt.toISOString()}:120:`);
        expect(delivery.subject).toMatch(/^Påminnelse: Avstämning inför helgen/);
      }
      // Requests repeated after the crash carried the same key, so nobody got a second reminder.
      const reminderRequests = stub.requests.filter((request) => isReminder(request.idempotencyKey));
      expect(new Set(reminderRequests.map((request) => request.idempotencyKey)).size).toBe(everyone.length);
      await portal.stop(second, "SIGTERM");
    } finally {
      await stub.close();
    }
  }, 420_000);
});
