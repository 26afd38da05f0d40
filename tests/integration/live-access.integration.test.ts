import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { memberships, networks, organisations, sessions, users } from "../../db/schema";
import { DEMO_NETWORK } from "../../db/seed";
import { liveSockets } from "../support/live-socket";
import { startTestPortal, type TestPortal } from "../support/portal";

/**
 * Live views follow a person's rights while they are open: signing out, deactivation and a lost
 * membership close the connections, and every subscription checks the session again.
 */
let portal: TestPortal;
let jarva: string;
let networkRoom: string;
let johan: string;
let maja: string;

const db = () => portal.portal.db;

beforeAll(async () => {
  portal = await startTestPortal();
  [{ id: jarva }] = await db().select({ id: organisations.id }).from(organisations).where(eq(organisations.name, "Järva stadsdelsnämnd"));
  // The demo network is seen by Järva stadsdelsnämnd's members (owned by or shared with it).
  const [network] = await db().select({ id: networks.id }).from(networks).where(eq(networks.name, DEMO_NETWORK));
  networkRoom = `network:${network.id}`;
  johan = await portal.signInAs("johan.ek@demo.stockholm.se");
  maja = await portal.signInAs("maja.lindqvist@demo.stockholm.se");
});

afterEach(() => closeAll());

afterAll(async () => {
  await portal?.close();
});

/** A new active person in Järva stadsdelsnämnd. */
async function järvaPerson(name: string, options: { isSystemAdmin?: boolean } = {}) {
  const email = `${name.toLowerCase().replace(/\s+/g, ".")}@live.stockholm.se`;
  const [person] = await db().insert(users).values({ email, name, status: "active", isSystemAdmin: options.isSystemAdmin ?? false }).returning();
  await db().insert(memberships).values({ userId: person.id, organisationId: jarva, role: "medlem" });
  return { ...person, cookie: await portal.signInAs(email) };
}

const { open, connection, subscribe, closed: closedByServer, closeAll } = liveSockets(() => portal.url);
const openSocket = (cookie: string) => open({ cookie });

async function subscribed(cookie: string) {
  const socket = openSocket(cookie);
  expect(await connection(socket)).toBe("connected");
  expect(await subscribe(socket, networkRoom)).toEqual({ ok: true });
  return socket;
}

describe("live connections follow the person's rights", () => {
  it("a person taken out of the organisation loses the network's live view at once", async () => {
    const pia = await järvaPerson("Pia Persson");
    const socket = await subscribed(pia.cookie);
    const closed = closedByServer(socket);
    const response = await portal.post(`/organisationer/${jarva}`, { intent: "remove", userId: pia.id }, { cookie: johan });
    expect(response.status).toBe(200);
    expect(await closed).toBe("io server disconnect");

    // The session is still valid, but the room is no longer hers.
    const again = openSocket(pia.cookie);
    expect(await connection(again)).toBe("connected");
    expect(await subscribe(again, networkRoom)).toEqual({ ok: false, error: "forbidden" });
  });

  it("signing out closes this session's live connections; signing out everywhere closes them all", async () => {
    const ola = await järvaPerson("Ola Olsson");
    const otherDevice = await portal.signInAs(ola.email);
    const here = await subscribed(ola.cookie);
    const there = await subscribed(otherDevice);
    const hereClosed = closedByServer(here);

    expect((await portal.post("/logga-ut", { intent: "this" }, { cookie: ola.cookie })).status).toBe(302);
    expect(await hereClosed).toBe("io server disconnect");
    // The other device is untouched and still gets its live view.
    expect(there.connected).toBe(true);
    expect(await subscribe(there, networkRoom)).toEqual({ ok: true });

    const thereClosed = closedByServer(there);
    expect((await portal.post("/logga-ut", { intent: "everywhere" }, { cookie: otherDevice })).status).toBe(302);
    expect(await thereClosed).toBe("io server disconnect");
    expect(await connection(openSocket(otherDevice))).toBe("unauthorized");
  });

  it("deactivating a person closes their live connections", async () => {
    const kim = await järvaPerson("Kim Karlsson");
    const socket = await subscribed(kim.cookie);
    const closed = closedByServer(socket);
    expect((await portal.post(`/organisationer/${jarva}`, { intent: "deactivate", userId: kim.id }, { cookie: johan })).status).toBe(200);
    expect(await closed).toBe("io server disconnect");
    expect(await connection(openSocket(kim.cookie))).toBe("unauthorized");
  });

  it("a session ended elsewhere is refused at the next subscription, and the connection closed", async () => {
    const eva = await järvaPerson("Eva Ek");
    const socket = await subscribed(eva.cookie);
    const closed = closedByServer(socket);
    // As when another instance ends the session: only the database knows.
    await db().delete(sessions).where(eq(sessions.userId, eva.id));
    expect(await subscribe(socket, networkRoom)).toEqual({ ok: false, error: "unauthorized" });
    expect(await closed).toBe("io server disconnect");
  });
});

describe("system administrators' accounts", () => {
  it("an organisation admin can neither deactivate nor anonymise a system administrator in the organisation", async () => {
    const sam = await järvaPerson("Sam Systemsson", { isSystemAdmin: true });
    for (const intent of ["deactivate", "anonymise"]) {
      const response = await portal.post(`/organisationer/${jarva}`, { intent, userId: sam.id }, { cookie: johan });
      expect(response.status).toBe(403);
      expect(await response.text()).toContain("behörighet");
    }
    const [after] = await db().select().from(users).where(eq(users.id, sam.id));
    expect(after).toMatchObject({ status: "active", isSystemAdmin: true, name: "Sam Systemsson" });
    // Another system administrator can.
    expect((await portal.post(`/organisationer/${jarva}`, { intent: "deactivate", userId: sam.id }, { cookie: maja })).status).toBe(200);
    const [locked] = await db().select().from(users).where(eq(users.id, sam.id));
    expect(locked.status).toBe("deactivated");
  });
});
