import { eq } from "drizzle-orm";
import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actionItems, actionLists, memberships, networks, organisations, users } from "../../db/schema";
import { loadListForActor, visibleListIds } from "../../app/domain/actions/action-lists.server";
import type { EditAnswer, ItemEventPayload } from "../../app/domain/actions/rooms";
import type { Actor } from "../../app/domain/policy";
import { liveSockets } from "../support/live-socket";
import { startTestPortal, type TestPortal } from "../support/portal";
import { waitFor } from "../support/wait";

/**
 * Who sees which action list, live included: a civil-society partner receives the items of lists
 * shared with its organisation and never those of other lists, on the pages, on the start page,
 * through the domain helpers that exports and mentions use, and in the live rooms.
 */

const JOHAN = "johan.ek@demo.stockholm.se"; // admin of Järva stadsdelsnämnd: owns all three lists
const PARTNER = { email: "fatima.ali@foreningsradet.example", name: "Fatima Ali" }; // member of Föreningsrådet Järva (demo)

let portal: TestPortal;
const db = () => portal.portal.db;
const live = liveSockets(() => portal.url);
const cookies = { johan: "", partner: "" };
const lists = { police: "", partner: "", closed: "" };
const items = { police: "", partner: "", closed: "" };
let partnerId = "";
let partnerOrg = "";

beforeAll(async () => {
  portal = await startTestPortal();
  const orgId = async (name: string) => (await db().select().from(organisations).where(eq(organisations.name, name)))[0].id;
  const city = await orgId("Järva stadsdelsnämnd");
  const police = await orgId("Lokalpolisområde Järva");
  partnerOrg = await orgId("Föreningsrådet Järva (demo)");
  const [partner] = await db().insert(users).values({ email: PARTNER.email, name: PARTNER.name, status: "active" }).returning();
  partnerId = partner.id;
  await db().insert(memberships).values({ userId: partner.id, organisationId: partnerOrg, role: "medlem" });
  cookies.johan = await portal.signInAs(JOHAN);
  cookies.partner = await portal.signInAs(PARTNER.email);
  const add = async (title: string, sharedWith: string[], itemTitle: string) => {
    const [list] = await db().insert(actionLists).values({ title, ownerOrganisationId: city, sharedWithOrganisationIds: sharedWith }).returning();
    // Every item names the partner's organisation as responsible, so only the list's sharing decides.
    const [item] = await db().insert(actionItems).values({ listId: list.id, number: 1, title: itemTitle, responsibleOrganisationId: partnerOrg, deadline: "2020-01-01" }).returning();
    return { list: list.id, item: item.id };
  };
  const a = await add("Lista med polisen", [police], "Åtgärd bara för polisen");
  const b = await add("Lista med föreningsrådet", [partnerOrg], "Åtgärd delad med föreningsrådet");
  const c = await add("Stadens egen lista", [], "Åtgärd bara för staden");
  Object.assign(lists, { police: a.list, partner: b.list, closed: c.list });
  Object.assign(items, { police: a.item, partner: b.item, closed: c.item });
});

afterAll(async () => {
  live.closeAll();
  await portal?.close();
});

describe("a civil-society partner", () => {
  it("sees only the list shared with its organisation in the list index and on its pages", async () => {
    const index = await (await portal.fetch("/atgardslistor", { cookie: cookies.partner })).text();
    expect(index).toContain("Lista med föreningsrådet");
    expect(index).not.toContain("Lista med polisen");
    expect(index).not.toContain("Stadens egen lista");
    expect((await portal.fetch(`/atgardslistor/${lists.partner}`, { cookie: cookies.partner })).status).toBe(200);
    for (const scope of ["police", "closed"] as const) {
      const page = await portal.fetch(`/atgardslistor/${lists[scope]}`, { cookie: cookies.partner });
      expect(page.status).toBe(404);
      expect(await page.text()).not.toContain("Åtgärd bara för");
      expect((await portal.fetch(`/atgarder/${items[scope]}`, { cookie: cookies.partner })).status).toBe(404);
      expect((await portal.fetch(`/atgarder/${items[scope]}/historik`, { cookie: cookies.partner })).status).toBe(404);
    }
  });

  it("does not learn the name of a network that the list belongs to but that is not shared with it; nor is a list tied to a network its creator does not see", async () => {
    const orgId = async (name: string) => (await db().select().from(organisations).where(eq(organisations.name, name)))[0].id;
    const [hidden] = await db().insert(networks).values({ name: "Polisens interna samordningsnätverk", ownerOrganisationId: await orgId("Lokalpolisområde Järva") }).returning();
    await db().update(actionLists).set({ networkId: hidden.id }).where(eq(actionLists.id, lists.partner));
    try {
      const index = await (await portal.fetch("/atgardslistor", { cookie: cookies.partner })).text();
      expect(index).toContain("Lista med föreningsrådet");
      expect(index).not.toContain("Polisens interna samordningsnätverk");

      // The city's admin does not see the police's network either.
      const before = await db().select({ id: actionLists.id }).from(actionLists);
      const response = await portal.post(
        "/atgardslistor/ny",
        { title: "Lista i polisens nätverk", description: "", ownerOrganisationId: await orgId("Järva stadsdelsnämnd"), networkId: hidden.id },
        { cookie: cookies.johan },
      );
      expect(response.status).toBe(400);
      expect(await response.text()).toContain("Nätverket finns inte.");
      expect(await db().select({ id: actionLists.id }).from(actionLists)).toEqual(before);
    } finally {
      await db().update(actionLists).set({ networkId: null }).where(eq(actionLists.id, lists.partner));
    }
  });

  it("finds on the start page only the items of shared lists, even where its organisation is named responsible", async () => {
    const html = await (await portal.fetch("/", { cookie: cookies.partner })).text();
    expect(html).toContain("Åtgärd delad med föreningsrådet");
    expect(html).not.toContain("Åtgärd bara för polisen");
    expect(html).not.toContain("Åtgärd bara för staden");
  });

  it("gets only shared lists from the helpers that exports and mentions use", async () => {
    const actor: Actor = { userId: partnerId, name: PARTNER.name, isSystemAdmin: false, memberships: [{ organisationId: partnerOrg, role: "medlem" }] };
    expect((await visibleListIds(db(), actor)).sort()).toEqual([lists.partner]);
    await expect(loadListForActor(db(), actor, lists.partner)).resolves.toMatchObject({ list: { id: lists.partner } });
    for (const id of [lists.police, lists.closed]) {
      const refusal = await loadListForActor(db(), actor, id).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(Response);
      expect((refusal as Response).status).toBe(404);
    }
  });

  it("receives live changes of the shared list only, and cannot join or write the others", async () => {
    const owner = await live.connectedAs(cookies.johan);
    const partner = await live.connectedAs(cookies.partner);
    for (const scope of ["police", "partner", "closed"] as const) expect(await live.subscribe(owner, `action-list:${lists[scope]}`)).toEqual({ ok: true });
    expect(await live.subscribe(partner, `action-list:${lists.partner}`)).toEqual({ ok: true });
    expect(await live.subscribe(partner, `action-list:${lists.police}`)).toEqual({ ok: false, error: "forbidden" });
    expect(await live.subscribe(partner, `action-list:${lists.closed}`)).toEqual({ ok: false, error: "forbidden" });

    const received: ItemEventPayload[] = [];
    const ownerReceived: ItemEventPayload[] = [];
    partner.on("action-list:item", (payload: ItemEventPayload) => received.push(payload));
    owner.on("action-list:item", (payload: ItemEventPayload) => ownerReceived.push(payload));
    const edit = (socket: Socket, itemId: string, value: string) =>
      socket.timeout(5000).emitWithAck("action-item:edit", { itemId, field: "followUpComment", value, version: 0 }) as Promise<EditAnswer>;
    for (const scope of ["police", "closed", "partner"] as const) expect((await edit(owner, items[scope], `Ändrat i ${scope}`)).ok).toBe(true);
    for (const scope of ["police", "closed"] as const) {
      await owner.timeout(5000).emitWithAck("action-item:create", { listId: lists[scope], title: `Ny hemlig åtgärd ${scope}` });
    }
    // The owner, in all three rooms, gets all five events; by then the partner has had theirs.
    await waitFor(() => ownerReceived.length >= 5, "the owner's five events");
    await waitFor(() => received.length >= 1, "the partner's event");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received.map((event) => event.item.id)).toEqual([items.partner]);
    expect(JSON.stringify(received)).not.toMatch(/hemlig|bara för/);

    // Writing into a list that is not shared is answered like a missing item and changes nothing.
    expect(await edit(partner, items.police, "Inte min")).toMatchObject({ ok: false, error: "not_found" });
    const created = (await partner.timeout(5000).emitWithAck("action-item:create", { listId: lists.closed, title: "Inte min" })) as { ok: boolean; error: string };
    expect(created).toMatchObject({ ok: false, error: "not_found" });
    const [police] = await db().select().from(actionItems).where(eq(actionItems.id, items.police));
    expect(police.followUpComment).toBe("Ändrat i police");
    // Presence cannot be announced in a room the partner was not admitted to.
    const presence: unknown[] = [];
    owner.on("action-list:presence", (payload) => presence.push(payload));
    partner.emit("action-list:focus", { listId: lists.closed, itemId: items.closed, field: "title" });
    partner.emit("action-list:focus", { listId: lists.partner, itemId: items.partner, field: "title" });
    await waitFor(() => presence.length >= 1, "the partner's presence in the shared list");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(presence).toEqual([expect.objectContaining({ listId: lists.partner, name: PARTNER.name })]);
  });

  it("loses the live room when its organisation is no longer shared on the list", async () => {
    const partner = await live.connectedAs(cookies.partner);
    await db().update(actionLists).set({ sharedWithOrganisationIds: [] }).where(eq(actionLists.id, lists.partner));
    expect(await live.subscribe(partner, `action-list:${lists.partner}`)).toEqual({ ok: false, error: "forbidden" });
    expect((await portal.fetch(`/atgardslistor/${lists.partner}`, { cookie: cookies.partner })).status).toBe(404);
    await db().update(actionLists).set({ sharedWithOrganisationIds: [partnerOrg] }).where(eq(actionLists.id, lists.partner));
  });
});
