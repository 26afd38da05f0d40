import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { liveSockets } from "../support/live-socket";
import { startTestPortal, type TestPortal } from "../support/portal";
import { startServerProcess, type ServerProcess } from "../support/server-process";

/**
 * Two instances on one PostgreSQL database, joined by Redis: stopping one of them (a rolling
 * deploy) lets its own clients go and leaves the other instance's clients connected. Only
 * meaningful with both services, so it runs in the PostgreSQL + Redis pass of the suite.
 */
const withServices = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);

describe.runIf(withServices)("several instances behind one Redis", () => {
  let staying: TestPortal;
  let leaving: ServerProcess;
  const { connectedAs, closeAll } = liveSockets(() => staying.url);

  beforeAll(async () => {
    staying = await startTestPortal();
    leaving = await startServerProcess({ DATABASE_URL: staying.databaseUrl!, REDIS_URL: process.env.REDIS_URL!, APP_SECRET: "another-instance-secret-long-enough-0123" });
  });
  afterAll(async () => {
    closeAll();
    await leaving?.stop();
    await staying?.close();
  });

  it("an instance that shuts down does not disconnect the clients of the others", async () => {
    const cookie = await staying.signInAs("maja.lindqvist@demo.stockholm.se");
    const socket = await connectedAs(cookie);
    const reasons: string[] = [];
    socket.on("disconnect", (reason) => reasons.push(reason));
    await leaving.stop();
    // Give a broadcast from the stopped instance time to arrive.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(reasons).toEqual([]);
    expect(socket.connected).toBe(true);
  });
});
