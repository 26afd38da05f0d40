import { and, desc, eq, inArray } from "drizzle-orm";
import type { Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { actionItemComments, actionItems, actionLists, agreements, auditEvents, memberships, organisations, users } from "../../db/schema";
import type { CommentEventPayload, EditAnswer, ItemEventPayload, PresencePayload } from "../../app/domain/actions/rooms";
import { tableDigest } from "../support/digest";
import { liveSockets } from "../support/live-socket";
import { startTestPortal, type TestPortal } from "../support/portal";
import { waitFor } from "../support/wait";

/**
 * A list's settings page (title, description, sharing) for the owning organisation's leads, and
 * what a change of sharing does to the people who have the list open: a partner whose
 * organisation is no longer shared is taken out of the live room at once and told, while everyone
 * else keeps receiving changes. Comments appear live for those who see the list, and only for them.
 */

const JOHAN = "johan.ek@demo.stockholm.se"; // admin of Järva stadsdelsnämnd, which owns the list
const ERIK = "erik.sandberg@demo.polisen.se"; // member of Lokalpolisområde Järva, which the list is shared with
const LENA = "lena.berg@demo.regionstockholm.se"; // Region Stockholm: the list is not shared with it
const SARA = { email: "sara.lind@demo.stockholm.se", name: "Sara Lind" }; // samordnare of Järva stadsdelsnämnd
const OLLE = { email: "olle.nord@demo.stockholm.se", name: "Olle Nord" }; // medlem of Järva stadsdelsnämnd
const FATIMA = { email: "fatima.ali@foreningsradet.example", name: "Fatima Ali" }; // member of Föreningsrådet Järva (demo)

let portal: TestPortal;
const db = () => portal.portal.db;
const live = liveSockets(() => portal.url);
const cookies = { johan: "", erik: "", lena: "", sara: "", olle: "", fatima: "" };
const org = { city: "", police: "", region: "", partner: "" };
let listId = "";
let itemId = "";

const TABLES = ["action_lists", "action_items", "action_item_comments", "audit_events"];
const digest = () => tableDigest(db(), TABLES);
const settingsPath = () => `/atgardslistor/${listId}/installningar`;

async function sharedWith() {
  const [list] = await db().select().from(actionLists).where(eq(actionLists.id, listId));
  return [...list.sharedWithOrganisationIds].sort();
}

/** The settings form as the page posts it: what it shows and what it showed when loaded. */
function settingsForm(shown: string[], checked: string[], extra: Record<string, string> = {}) {
  return { intent: "save", "o.title": "Trygghetslista Husby", title: "Trygghetslista Husby", "o.description": "", description: "", "o.shared": shown, shared: checked, ...extra };
}

async function joined(cookie: string) {
  const socket = await live.connectedAs(cookie);
  expect(await live.subscribe(socket, `action-list:${listId}`)).toEqual({ ok: true });
  return socket;
}

/** An edit over the socket on the field's current version. */
async function edit(socket: Socket, field: string, value: string) {
  const [item] = await db().select().from(actionItems).where(eq(actionItems.id, itemId));
  return socket.timeout(10_000).emitWithAck("action-item:edit", { itemId, field, value, version: item.fieldVersions[field] ?? 0 }) as Promise<EditAnswer>;
}

beforeAll(async () => {
  portal = await startTestPortal();
  const orgId = async (name: string) => (await db().select().from(organisations).where(eq(organisations.name, name)))[0].id;
  Object.assign(org, {
    city: await orgId("Järva stadsdelsnämnd"),
    police: await orgId("Lokalpolisområde Järva"),
    region: await orgId("Region Stockholm"),
    partner: await orgId("Föreningsrådet Järva (demo)"),
  });
  for (const [person, organisationId, role] of [
    [SARA, org.city, "samordnare"],
    [OLLE, org.city, "medlem"],
    [FATIMA, org.partner, "medlem"],
  ] as const) {
    const [user] = await db().insert(users).values({ email: person.email, name: person.name, status: "active" }).returning();
    await db().insert(memberships).values({ userId: user.id, organisationId, role });
  }
  for (const [key, email] of [["johan", JOHAN], ["erik", ERIK], ["lena", LENA], ["sara", SARA.email], ["olle", OLLE.email], ["fatima", FATIMA.email]] as const) {
    cookies[key] = await portal.signInAs(email);
  }
  const [list] = await db().insert(actionLists).values({ title: "Trygghetslista Husby", ownerOrganisationId: org.city, sharedWithOrganisationIds: [org.police] }).returning();
  listId = list.id;
  const [item] = await db().insert(actionItems).values({ listId, number: 1, title: "Belysning vid Husby torg", responsibleOrganisationId: org.city }).returning();
  itemId = item.id;
});

afterEach(() => live.closeAll());
afterAll(async () => {
  live.closeAll();
  await portal?.close();
});

describe("the settings page of an action list", () => {
  it("is offered to the owning organisation's admin and samordnare, refused to everyone else", async () => {
    for (const who of ["johan", "sara"] as const) {
      const page = await portal.fetch(settingsPath(), { cookie: cookies[who] });
      expect(page.status, who).toBe(200);
      const html = await page.text();
      expect(html).toContain("Inställningar för Trygghetslista Husby");
      expect(html).toContain("Lokalpolisområde Järva");
      expect(await (await portal.fetch(`/atgardslistor/${listId}`, { cookie: cookies[who] })).text()).toContain(`/atgardslistor/${listId}/installningar`);
    }
    // A member of the owner or of a shared organisation sees the list but not its settings.
    for (const who of ["olle", "erik"] as const) {
      expect((await portal.fetch(settingsPath(), { cookie: cookies[who] })).status, who).toBe(403);
      expect(await (await portal.fetch(`/atgardslistor/${listId}`, { cookie: cookies[who] })).text()).not.toContain("/installningar");
    }
    // Someone the list is not shared with is not told it exists.
    expect((await portal.fetch(settingsPath(), { cookie: cookies.lena })).status).toBe(404);
  });

  it("refuses bad input in Swedish and changes nothing", async () => {
    const before = await digest();
    const refusals: Array<[Record<string, string | string[]>, string, number]> = [
      [settingsForm([org.police], [org.police], { title: "x" }), "Ge listan ett namn (minst 3 tecken).", 400],
      [settingsForm([org.police], [org.police], { title: "A".repeat(201) }), "Namnet får vara högst 200 tecken.", 400],
      [settingsForm([org.police], [org.police], { description: "B".repeat(5001) }), "Beskrivningen får vara högst 5000 tecken.", 400],
      [settingsForm([org.police], [org.police, "3f2b8a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b"]), "En av de valda organisationerna finns inte.", 400],
      [settingsForm([org.police], [org.police, "inte-en-organisation"]), "En av de valda organisationerna finns inte.", 400],
      // An unknown organisation among the removed ones is refused as well, confirmed or not.
      [settingsForm([org.police, "3f2b8a4e-1c2d-4e5f-8a9b-0c1d2e3f4a5b"], [org.police], { confirm: "ja" }), "En av de valda organisationerna finns inte.", 400],
      [settingsForm([org.police, org.city], [org.police], { confirm: "ja" }), "Den ägande organisationen kan inte tas bort från listan.", 400],
      [{ intent: "radera-allt" }, "Okänd åtgärd i formuläret.", 400],
    ];
    for (const [fields, message, status] of refusals) {
      const response = await portal.post(settingsPath(), fields, { cookie: cookies.johan });
      expect(response.status, message).toBe(status);
      expect(await response.text()).toContain(message);
    }
    // Those who may not manage the list change nothing either.
    expect((await portal.post(settingsPath(), settingsForm([org.police], [org.police, org.region]), { cookie: cookies.erik })).status).toBe(403);
    expect((await portal.post(settingsPath(), settingsForm([org.police], [org.police, org.region]), { cookie: cookies.lena })).status).toBe(404);
    expect(await digest()).toEqual(before);
  });

  it("renames the list and shares it with a partner, with an audit entry in the same change", async () => {
    const response = await portal.post(
      settingsPath(),
      settingsForm([org.police], [org.police, org.partner], { title: "Trygghetslista Husby 2027", description: "Gemensamma åtgärder kring Husby torg." }),
      { cookie: cookies.sara },
    );
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`${settingsPath()}?sparad=1`);
    const [list] = await db().select().from(actionLists).where(eq(actionLists.id, listId));
    expect(list.title).toBe("Trygghetslista Husby 2027");
    expect(list.description).toBe("Gemensamma åtgärder kring Husby torg.");
    expect(await sharedWith()).toEqual([org.police, org.partner].sort());
    const [event] = await db().select().from(auditEvents).where(and(eq(auditEvents.entityType, "action_list"), eq(auditEvents.entityId, listId))).orderBy(desc(auditEvents.id)).limit(1);
    expect(event.action).toBe("actionList.update");
    expect(event.actorLabel).toBe(SARA.name);
    expect(event.summary).toContain("delade den med Föreningsrådet Järva (demo)");
    expect(event.changes.before).toMatchObject({ title: "Trygghetslista Husby", sharedWith: [org.police], sharedWithNames: ["Lokalpolisområde Järva"] });
    expect(event.changes.after).toMatchObject({ title: "Trygghetslista Husby 2027", sharedWith: [org.police, org.partner] });
    // The partner now sees the list.
    expect((await portal.fetch(`/atgardslistor/${listId}`, { cookie: cookies.fatima })).status).toBe(200);
    // Put the title back, for the forms of the other tests.
    await db().update(actionLists).set({ title: "Trygghetslista Husby", description: "" }).where(eq(actionLists.id, listId));
  });

  it("applies only what a lead changed, so two leads sharing at the same time both keep theirs", async () => {
    // Both loaded the page when the list was shared with the police and the partner.
    const shown = [org.police, org.partner];
    expect((await portal.post(settingsPath(), settingsForm(shown, [...shown, org.region]), { cookie: cookies.johan })).status).toBe(303);
    // Sara's form still shows the region unchecked: she did not touch it, so it stays shared.
    expect((await portal.post(settingsPath(), settingsForm(shown, shown, { title: "Trygghetslista Husby" }), { cookie: cookies.sara })).headers.get("location")).toContain("oforandrad=1");
    expect(await sharedWith()).toEqual([org.police, org.partner, org.region].sort());
    await db().update(actionLists).set({ sharedWithOrganisationIds: shown }).where(eq(actionLists.id, listId));
  });

  it("asks before removing sharing, and then drops the partner's open list at once while the others keep receiving changes", async () => {
    const owner = await joined(cookies.johan);
    const police = await joined(cookies.erik);
    const partner = await joined(cookies.fatima);
    const received = { owner: [] as ItemEventPayload[], police: [] as ItemEventPayload[], partner: [] as ItemEventPayload[] };
    const partnerEvents: string[] = [];
    const accessLost: unknown[] = [];
    owner.on("action-list:item", (payload: ItemEventPayload) => received.owner.push(payload));
    police.on("action-list:item", (payload: ItemEventPayload) => received.police.push(payload));
    partner.on("action-list:item", (payload: ItemEventPayload) => received.partner.push(payload));
    partner.onAny((event: string) => partnerEvents.push(event));
    partner.on("access-lost", (payload: unknown) => accessLost.push(payload));
    const presence: PresencePayload[] = [];
    owner.on("action-list:presence", (payload: PresencePayload) => presence.push(payload));
    // Before: the partner follows the list like everyone else, and is editing a row.
    expect((await edit(owner, "followUpComment", "Före ändringen")).ok).toBe(true);
    await waitFor(() => received.partner.length === 1 && received.police.length === 1, "the first change for everyone");
    partner.emit("action-list:focus", { listId, itemId, field: "title" });
    await waitFor(() => presence.some((p) => p.name === FATIMA.name && p.itemId === itemId), "the partner's presence");

    // Unchecking the partner asks first and changes nothing.
    const before = await digest();
    const asked = await portal.post(settingsPath(), settingsForm([org.police, org.partner], [org.police]), { cookie: cookies.johan });
    expect(asked.status).toBe(200);
    const question = await asked.text();
    expect(question).toContain("Sluta dela listan med Föreningsrådet Järva (demo)?");
    expect(question).toContain("förlorar genast tillgången");
    expect(await digest()).toEqual(before);
    expect(accessLost).toEqual([]);

    // Confirmed: the partner is out of the room before the command returns, and is told.
    const confirmed = await portal.post(settingsPath(), settingsForm([org.police, org.partner], [org.police], { confirm: "ja" }), { cookie: cookies.johan });
    expect(confirmed.status).toBe(303);
    expect(await sharedWith()).toEqual([org.police]);
    await waitFor(() => accessLost.length === 1, "the partner's access-lost notice");
    expect(accessLost).toEqual([{ room: `action-list:${listId}` }]);
    const eventsBeforeLoss = partnerEvents.length;
    expect(partnerEvents.at(-1)).toBe("access-lost");
    // The others no longer see the partner editing the row.
    await waitFor(() => presence.at(-1)?.name === FATIMA.name && presence.at(-1)?.itemId === null, "the partner's presence cleared");
    const [event] = await db().select().from(auditEvents).where(and(eq(auditEvents.entityType, "action_list"), eq(auditEvents.entityId, listId))).orderBy(desc(auditEvents.id)).limit(1);
    expect(event.summary).toContain("slutade dela den med Föreningsrådet Järva (demo)");
    expect(event.changes.before).toMatchObject({ sharedWith: [org.police, org.partner], sharedWithNames: expect.arrayContaining(["Föreningsrådet Järva (demo)"]) });
    expect(event.changes.after).toMatchObject({ sharedWith: [org.police], sharedWithNames: ["Lokalpolisområde Järva"] });

    // Later changes and comments reach the owner and the police, never the partner.
    expect((await edit(owner, "followUpComment", "Efter ändringen")).ok).toBe(true);
    expect((await edit(police, "judgementReason", "Polisen efter ändringen")).ok).toBe(true);
    expect((await portal.post(`/atgarder/${itemId}/kommentarer`, { intent: "comment", body: "Hemlig kommentar efter ändringen" }, { cookie: cookies.erik })).status).toBe(200);
    await waitFor(() => received.owner.length === 3 && received.police.length === 3, "the later changes for the owner and the police");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(received.partner).toHaveLength(1);
    expect(partnerEvents.slice(eventsBeforeLoss)).toEqual([]);
    // The partner's socket is still connected but can neither come back nor write.
    expect(partner.connected).toBe(true);
    expect(await live.subscribe(partner, `action-list:${listId}`)).toEqual({ ok: false, error: "forbidden" });
    expect(await edit(partner, "followUpComment", "Partnern skriver ändå")).toMatchObject({ ok: false, error: "not_found" });
    expect((await portal.fetch(`/atgardslistor/${listId}`, { cookie: cookies.fatima })).status).toBe(404);
    const [item] = await db().select().from(actionItems).where(eq(actionItems.id, itemId));
    expect(item.followUpComment).toBe("Efter ändringen");
  });

  it("asks before unsharing an organisation that items name; confirmed, the items drop it as edits seen live, and the list stops being shared", async () => {
    const [erik] = await db().select().from(users).where(eq(users.email, ERIK));
    await db()
      .update(actionItems)
      .set({ responsibleOrganisationId: org.police, contributingOrganisationIds: [org.city, org.police], contactUserId: erik.id })
      .where(eq(actionItems.id, itemId));
    const before = await digest();
    const [unchanged] = await db().select().from(actionItems).where(eq(actionItems.id, itemId));

    // The question names the items; nothing changes, even with the unsharing itself confirmed.
    const asked = await portal.post(settingsPath(), settingsForm([org.police], [], { confirm: "ja" }), { cookie: cookies.johan });
    expect(asked.status).toBe(200);
    const question = await asked.text();
    expect(question).toContain("Lokalpolisområde Järva är ansvarig, medverkande eller kontaktpersonens organisation i åtgärd 1.");
    expect(question).toContain("Ja, ta bort ur åtgärden och sluta dela");
    expect(await digest()).toEqual(before);

    const owner = await joined(cookies.olle);
    const police = await joined(cookies.erik);
    const ownerItems: ItemEventPayload[] = [];
    const policeEvents: string[] = [];
    owner.on("action-list:item", (payload: ItemEventPayload) => ownerItems.push(payload));
    police.onAny((event: string) => policeEvents.push(event));
    const confirmed = await portal.post(settingsPath(), settingsForm([org.police], [], { confirm: "ja", rensa: "ja" }), { cookie: cookies.johan });
    expect(confirmed.status).toBe(303);
    expect(await sharedWith()).toEqual([]);
    const [item] = await db().select().from(actionItems).where(eq(actionItems.id, itemId));
    expect(item).toMatchObject({ responsibleOrganisationId: null, contributingOrganisationIds: [org.city], contactUserId: null });
    // As edits: an editor who read the old values is asked to choose instead of overwriting.
    for (const field of ["responsibleOrganisationId", "contributingOrganisationIds", "contactUserId"]) {
      expect(item.fieldVersions[field], field).toBe((unchanged.fieldVersions[field] ?? 0) + 1);
    }
    const [audit] = await db().select().from(auditEvents).where(and(eq(auditEvents.entityType, "action_item"), eq(auditEvents.entityId, itemId))).orderBy(desc(auditEvents.id)).limit(1);
    expect(audit.summary).toContain("tog bort Lokalpolisområde Järva ur åtgärd 1");
    expect(audit.changes.before).toMatchObject({ responsibleOrganisationId: org.police, contactUserId: erik.id });
    await waitFor(() => ownerItems.length === 1, "the owner's open list gets the changed item");
    expect(ownerItems[0].fields.sort()).toEqual(["contactUserId", "contributingOrganisationIds", "responsibleOrganisationId"]);
    await waitFor(() => policeEvents.includes("access-lost"), "the police told that access is gone");
    expect(policeEvents).not.toContain("action-list:item");

    // Shared again for the tests below.
    expect((await portal.post(settingsPath(), settingsForm([], [org.police]), { cookie: cookies.johan })).status).toBe(303);
    await db().update(actionItems).set({ responsibleOrganisationId: org.city, contributingOrganisationIds: [] }).where(eq(actionItems.id, itemId));
  });
});

describe("live comments", () => {
  it("reach everyone who has the list open and may see it, and nobody else", async () => {
    const owner = await joined(cookies.johan);
    const police = await joined(cookies.erik);
    // Region Stockholm and the partner (no longer shared) cannot join the room, and listen anyway.
    const outsiders = [await live.connectedAs(cookies.lena), await live.connectedAs(cookies.fatima)];
    for (const outsider of outsiders) expect(await live.subscribe(outsider, `action-list:${listId}`)).toEqual({ ok: false, error: "forbidden" });
    const got = { owner: [] as CommentEventPayload[], police: [] as CommentEventPayload[], outsiders: [] as string[] };
    owner.on("action-item:comment", (payload: CommentEventPayload) => got.owner.push(payload));
    police.on("action-item:comment", (payload: CommentEventPayload) => got.police.push(payload));
    for (const outsider of outsiders) outsider.onAny((event: string) => got.outsiders.push(event));

    const posted = await portal.post(`/atgarder/${itemId}/kommentarer`, { intent: "comment", body: "Kan @Johan Ek ta med belysningen till mötet?" }, { cookie: cookies.erik });
    expect(posted.status).toBe(200);
    await waitFor(() => got.owner.length === 1 && got.police.length === 1, "the comment for the owner and the police");
    expect(got.owner[0]).toEqual(got.police[0]);
    expect(got.owner[0]).toMatchObject({
      listId,
      itemId,
      comment: { authorName: "Erik Sandberg", body: "Kan @Johan Ek ta med belysningen till mötet?", mentioned: ["Johan Ek"] },
    });
    // The thread the page loads has the same comment.
    expect(await (await portal.fetch(`/atgarder/${itemId}/kommentarer`, { cookie: cookies.johan })).text()).toContain("Kan @Johan Ek ta med belysningen till mötet?");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(got.outsiders).toEqual([]);
  });
});

describe("archiving a list", () => {
  it("is for the owner's leads, is refused for a list tied to an agreement, and a refusal changes nothing", async () => {
    const page = await (await portal.fetch(settingsPath(), { cookie: cookies.johan })).text();
    expect(page).toContain("Arkivera listan");
    const before = await digest();
    expect((await portal.post(settingsPath(), { intent: "archive" }, { cookie: cookies.erik })).status).toBe(403);
    expect((await portal.post(settingsPath(), { intent: "archive" }, { cookie: cookies.olle })).status).toBe(403);
    expect((await portal.post(settingsPath(), { intent: "archive" }, { cookie: cookies.lena })).status).toBe(404);
    const [agreement] = await db().select({ id: agreements.id }).from(agreements).limit(1);
    const [tied] = await db().insert(actionLists).values({ title: "Överenskommelsens uppföljning", ownerOrganisationId: org.city, agreementId: agreement.id }).returning();
    const tiedBefore = await digest();
    const refused = await portal.post(`/atgardslistor/${tied.id}/installningar`, { intent: "archive" }, { cookie: cookies.johan });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("Listan hör till en samverkansöverenskommelse och dess uppföljning och kan inte arkiveras.");
    expect(await digest()).toEqual(tiedBefore);
    // As is a list one of whose items belongs to the agreement.
    const [withTiedItem] = await db().insert(actionLists).values({ title: "Lista med en överenskommen åtgärd", ownerOrganisationId: org.city }).returning();
    await db().insert(actionItems).values({ listId: withTiedItem.id, number: 1, title: "Överenskommen åtgärd", agreementId: agreement.id });
    const itemBefore = await digest();
    expect(await (await portal.fetch(`/atgardslistor/${withTiedItem.id}/installningar`, { cookie: cookies.johan })).text()).toContain("kan inte arkiveras");
    expect((await portal.post(`/atgardslistor/${withTiedItem.id}/installningar`, { intent: "archive" }, { cookie: cookies.johan })).status).toBe(400);
    expect(await digest()).toEqual(itemBefore);
    await db().delete(actionLists).where(inArray(actionLists.id, [tied.id, withTiedItem.id]));
    expect(await digest()).toEqual(before);
  });

  it("freezes the items for everyone, open copies included, keeps the list readable and exportable, and restoring undoes it", async () => {
    const police = await joined(cookies.erik);
    const reloads: string[] = [];
    police.on("action-list:changed", (payload: { listId: string }) => reloads.push(payload.listId));
    expect(await (await portal.fetch("/", { cookie: cookies.johan })).text()).toContain("Belysning vid Husby torg");

    const archived = await portal.post(settingsPath(), { intent: "archive" }, { cookie: cookies.sara });
    expect(archived.status).toBe(303);
    expect(archived.headers.get("location")).toBe(`${settingsPath()}?arkiverad=1`);
    await waitFor(() => reloads.includes(listId), "the open copy reloads");
    const [event] = await db().select().from(auditEvents).where(and(eq(auditEvents.action, "actionList.archive"), eq(auditEvents.entityId, listId)));
    expect(event.summary).toBe("Sara Lind arkiverade åtgärdslistan Trygghetslista Husby");
    // Archiving again is no change.
    expect((await portal.post(settingsPath(), { intent: "archive" }, { cookie: cookies.johan })).headers.get("location")).toBe(`${settingsPath()}?oforandrad=1`);

    const before = await digest();
    const refusedEdit = await edit(police, "title", "Belysning vid hela Husby torg");
    expect(refusedEdit).toMatchObject({ ok: false, error: "forbidden" });
    expect(refusedEdit.ok ? "" : refusedEdit.message).toContain("Listan är arkiverad och kan inte ändras.");
    const refusedCreate = (await police.timeout(10_000).emitWithAck("action-item:create", { listId, title: "Ny åtgärd i arkivet" })) as { ok: boolean; message?: string };
    expect(refusedCreate).toMatchObject({ ok: false, message: expect.stringContaining("Listan är arkiverad") });
    const created = await portal.post(`/atgardslistor/${listId}`, { intent: "create", title: "Ny åtgärd i arkivet" }, { cookie: cookies.olle });
    expect(created.status).toBe(403);
    expect(await created.text()).toContain("Listan är arkiverad");
    expect((await portal.post(`/atgarder/${itemId}`, { intent: "remove" }, { cookie: cookies.johan })).status).toBe(403);
    expect((await portal.fetch(`/atgardslistor/${listId}/import`, { cookie: cookies.erik })).status).toBe(403);
    expect(await digest()).toEqual(before);

    // Still read and exported by everyone it is shared with, under the archived ones, and off the start page.
    const listPage = await (await portal.fetch(`/atgardslistor/${listId}`, { cookie: cookies.erik })).text();
    expect(listPage).toContain("Listan arkiverades");
    expect(listPage).toContain("Belysning vid Husby torg");
    expect(listPage).not.toContain("Importera från Excel eller CSV");
    const csv = await portal.fetch(`/atgardslistor/${listId}/export.csv`, { cookie: cookies.erik });
    expect(csv.status).toBe(200);
    expect(await csv.text()).toContain("Belysning vid Husby torg");
    expect(await (await portal.fetch("/atgardslistor", { cookie: cookies.erik })).text()).toMatch(/Arkiverade listor \(\d+\)/);
    expect(await (await portal.fetch(`/atgarder/${itemId}`, { cookie: cookies.johan })).text()).toContain("Listan är arkiverad: åtgärden går att läsa och kommentera men inte ändra.");
    expect(await (await portal.fetch("/", { cookie: cookies.johan })).text()).not.toContain("Belysning vid Husby torg");

    // Only a lead restores it; then the items change again.
    expect((await portal.post(settingsPath(), { intent: "restore" }, { cookie: cookies.erik })).status).toBe(403);
    const restored = await portal.post(settingsPath(), { intent: "restore" }, { cookie: cookies.johan });
    expect(restored.headers.get("location")).toBe(`${settingsPath()}?aterstalld=1`);
    const [back] = await db().select().from(auditEvents).where(and(eq(auditEvents.action, "actionList.restore"), eq(auditEvents.entityId, listId)));
    expect(back.summary).toBe("Johan Ek återställde åtgärdslistan Trygghetslista Husby");
    expect(await edit(police, "title", "Belysning vid Husby torg och tunneln")).toMatchObject({ ok: true });
    expect(await (await portal.fetch("/", { cookie: cookies.johan })).text()).toContain("Belysning vid Husby torg och tunneln");
  });
});

describe("removing a list", () => {
  it("is refused for a list tied to an agreement, whose follow-up reports on its items", async () => {
    const [agreement] = await db().select({ id: agreements.id }).from(agreements).limit(1);
    const [tied] = await db().insert(actionLists).values({ title: "Överenskommelsens åtgärder", ownerOrganisationId: org.city, agreementId: agreement.id }).returning();
    const before = await digest();
    const refused = await portal.post(`/atgardslistor/${tied.id}/installningar`, { intent: "delete" }, { cookie: cookies.johan });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("Listan hör till en samverkansöverenskommelse");
    expect(await digest()).toEqual(before);
  });

  it("asks first on the page, is only for the owner's leads, and closes the list for everyone who has it open", async () => {
    const page = await (await portal.fetch(settingsPath(), { cookie: cookies.johan })).text();
    expect(page).toContain("Ta bort listan");
    const before = await digest();
    expect((await portal.post(settingsPath(), { intent: "delete" }, { cookie: cookies.erik })).status).toBe(403);
    expect((await portal.post(settingsPath(), { intent: "delete" }, { cookie: cookies.lena })).status).toBe(404);
    expect(await digest()).toEqual(before);

    const owner = await joined(cookies.johan);
    const police = await joined(cookies.erik);
    const told: string[] = [];
    owner.on("access-lost", () => told.push("owner"));
    police.on("access-lost", () => told.push("police"));
    const removed = await portal.post(settingsPath(), { intent: "delete" }, { cookie: cookies.sara });
    expect(removed.status).toBe(303);
    expect(removed.headers.get("location")).toBe("/atgardslistor?borttagen=1");
    await waitFor(() => told.length === 2, "both open copies told");
    expect(told.sort()).toEqual(["owner", "police"]);
    expect(await db().select().from(actionLists).where(eq(actionLists.id, listId))).toEqual([]);
    expect(await db().select().from(actionItems).where(eq(actionItems.listId, listId))).toEqual([]);
    expect(await db().select().from(actionItemComments).where(eq(actionItemComments.itemId, itemId))).toEqual([]);
    const [event] = await db().select().from(auditEvents).where(and(eq(auditEvents.action, "actionList.delete"), eq(auditEvents.entityId, listId)));
    expect(event.summary).toBe("Sara Lind tog bort åtgärdslistan Trygghetslista Husby med 1 åtgärd");
    expect(event.changes.before).toMatchObject({ title: "Trygghetslista Husby", sharedWith: [org.police], items: 1 });
    expect((await portal.fetch(`/atgardslistor/${listId}`, { cookie: cookies.johan })).status).toBe(404);
    expect(await (await portal.fetch("/atgardslistor?borttagen=1", { cookie: cookies.sara })).text()).toContain("Åtgärdslistan är borttagen.");
  });
});
