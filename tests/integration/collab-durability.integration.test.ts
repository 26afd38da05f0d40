import type { ChildProcess } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { notesDocName } from "../../app/domain/notes/state.server";
import { CollabClient } from "../support/collab-client";
import { prepareCollabDatabase } from "../support/collab-server";
import { spawnPortal } from "../support/server-process";
import { waitFor } from "../support/wait";

const UPDATES = 2000;
const IN_FLIGHT = 20;

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

describe("durable notes", () => {
  it("every acknowledged update survives kill -9 of the server, and the unacknowledged ones lost are counted", { timeout: 240_000 }, async () => {
    const prepared = await prepareCollabDatabase();
    try {
      const env = await prepared.env();
      const url = `http://localhost:${env.PORT}`;
      const first = spawnPortal(env);
      children.push(first.child);
      await first.ready;
      const docName = notesDocName(prepared.meetingId);
      const client = await CollabClient.connect(url, prepared.cookies.coordinator, docName);

      const acked: string[] = [];
      const sent: string[] = [];
      let killed = false;
      const killAt = 800 + Math.floor(Math.random() * 600);
      const exited = new Promise((resolve) => first.child.once("exit", resolve));
      // A window of updates in flight, as a client typing fast on a slow line has.
      const inFlight = new Set<Promise<unknown>>();
      for (let i = 0; i < UPDATES && !killed; i++) {
        const mark = `u${i}`;
        sent.push(mark);
        const answer = client.change((doc) => doc.getArray<string>("marks").push([mark])).then((reply) => {
          if (reply.ok) acked.push(mark);
          if (!killed && acked.length >= killAt) {
            killed = true;
            first.child.kill("SIGKILL");
          }
        });
        inFlight.add(answer);
        void answer.finally(() => inFlight.delete(answer));
        if (inFlight.size >= IN_FLIGHT) await Promise.race([Promise.race(inFlight), exited]);
      }
      // A fast client can meet the server's rate limit, so that fewer than killAt are acknowledged
      // by the time all are sent: the server is then killed now, with the last ones in flight.
      if (!killed) {
        killed = true;
        first.child.kill("SIGKILL");
      }
      await exited;
      const ackedAtKill = [...acked];
      client.close();
      expect(ackedAtKill.length).toBeGreaterThan(0);

      const second = spawnPortal(await prepared.env({ PORT: env.PORT! }));
      children.push(second.child);
      await second.ready;
      const reader = await CollabClient.connect(url, prepared.cookies.member, docName);
      const stored = new Set(reader.doc.getArray<string>("marks").toArray());
      const lostAcked = ackedAtKill.filter((mark) => !stored.has(mark));
      const unacked = sent.filter((mark) => !ackedAtKill.includes(mark));
      const lostUnacked = unacked.filter((mark) => !stored.has(mark));
      console.info(
        `kill -9 after ${ackedAtKill.length} acknowledged of ${sent.length} sent: ${lostAcked.length} acknowledged lost, ` +
          `${lostUnacked.length} of ${unacked.length} unacknowledged lost`,
      );
      expect(lostAcked).toEqual([]);
      // The starting content is there once as well.
      expect(reader.doc.getXmlFragment("default").length).toBeGreaterThan(0);
      reader.close();
      second.child.kill("SIGTERM");
      await waitFor(() => second.child.exitCode !== null || second.child.signalCode !== null, "the second portal to stop", 30_000);
    } finally {
      await prepared.drop();
    }
  });
});
