import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actionItems, actionLists, memberships, organisations, users } from "../../db/schema";
import type { EditAnswer, ItemEventPayload } from "../../app/domain/actions/rooms";
import { liveSockets } from "../support/live-socket";
import { startTestPortal, TEST_SECRET, type TestPortal } from "../support/portal";
import { startServerProcess, type ServerProcess } from "../support/server-process";
import { waitFor } from "../support/wait";

/**
 * A list stops being shared while a partner has it open on another instance: the partner's
 * socket there leaves the room at once, through Redis, and receives nothing more. Only meaningful
 * with PostgreSQL and Redis, so it runs in that pass of the suite.
 */
const withServices = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);

describe.runIf(withServices)("losing access to a list open on another instance", () => {
  let here: TestPortal;
  let there: ServerProcess;
  const onHere = liveSockets(() => here.url);
  const onThere = liveSockets(() => there.url);

  beforeAll(async () => {
    here = await startTestPortal();
    there = await startServerProcess({ DATABASE_URL: here.databaseUrl!, REDIS_URL: process.env.REDIS_URL!, APP_SECRET: TEST_SECRET, SEED_DEMO_DATA: "false" });
  });
  afterAll(async () => {
    onHere.closeAll();
    onThere.closeAll();
    await there?.stop();
    await here?.close();
  });

  it("takes the partner's socket on the other instance out of the room and tells it", async () => {
    const db = here.portal.db;
    const orgId = async (name: string) => (await db.select().from(organisations).where(eq(organisations.name, name)))[0].id;
    const [city, partnerOrg] = [await orgId("Järva stadsdelsnämnd"), await orgId("Föreningsrådet Järva (demo)")];
    const [partner] = await db.insert(users).values({ email: "fatima.ali@foreningsradet.example", name: "Fatima Ali", status: "active" }).returning();
    await db.insert(memberships).values({ userId: partner.id, organisationId: partnerOrg, role: "medlem" });
    const [list] = await db.insert(actionLists).values({ title: "Trygghetslista Rinkeby", ownerOrganisationId: city, sharedWithOrganisationIds: [partnerOrg] }).returning();
    const [item] = await db.insert(actionItems).values({ listId: list.id, number: 1, title: "Belysning i gångtunneln", responsibleOrganisationId: city }).returning();
    const room = `action-list:${list.id}`;

    const johanCookie = await here.signInAs("johan.ek@demo.stockholm.se");
    const owner = await onHere.connectedAs(johanCookie);
    const remotePartner = await onThere.connectedAs(await here.signInAs(partner.email));
    expect(await onHere.subscribe(owner, room)).toEqual({ ok: true });
    expect(await onThere.subscribe(remotePartner, room)).toEqual({ ok: true });
    const received: string[] = [];
    remotePartner.onAny((event: string) => received.push(event));
    const ownerItems: ItemEventPayload[] = [];
    owner.on("action-list:item", (payload: ItemEventPayload) => ownerItems.push(payload));

    const response = await here.post(
      `/atgardslistor/${list.id}/installningar`,
      { intent: "save", "o.title": list.title, title: list.title, "o.description": "", description: "", "o.shared": [partnerOrg], confirm: "ja" },
      { cookie: johanCookie },
    );
    expect(response.status).toBe(303);
    // The command returns after the other instance was asked to let the socket go.
    await waitFor(() => received.includes("access-lost"), "the access-lost notice on the other instance", 10_000);
    const before = received.length;

    const answer = (await owner.timeout(10_000).emitWithAck("action-item:edit", { itemId: item.id, field: "followUpComment", value: "Efter ändringen", version: 0 })) as EditAnswer;
    expect(answer.ok).toBe(true);
    await waitFor(() => ownerItems.length === 1, "the owner's own change");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(received.slice(before)).toEqual([]);
    expect(await onThere.subscribe(remotePartner, room)).toEqual({ ok: false, error: "forbidden" });
  });
});
