import { and, asc, eq, sql } from "drizzle-orm";
import { DomUtils, parseDocument } from "htmlparser2";
import type { Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { actionItems, actionLists, auditEvents, memberships, organisations, users } from "../../db/schema";
import type { EditAnswer, ItemEventPayload, PresencePayload } from "../../app/domain/actions/rooms";
import { rows, tableDigest } from "../support/digest";
import { liveSockets } from "../support/live-socket";
import { startTestPortal, type TestPortal } from "../support/portal";
import { mailSettled, waitFor } from "../support/wait";

/**
 * Joint action lists co-edited live: a city contact and a police contact write the same item over
 * the socket at the same moment, the same field at once (the later writer is told, not
 * overwritten), refused input of every kind leaves everything as it was, and each item's history
 * is read back from the audit log.
 */

const JOHAN = "johan.ek@demo.stockholm.se"; // admin of Järva stadsdelsnämnd, which owns the demo list
const ERIK = "erik.sandberg@demo.polisen.se"; // member of Lokalpolisområde Järva, the list is shared with it
const LENA = "lena.berg@demo.regionstockholm.se"; // Region Stockholm: the list is not shared with it

let portal: TestPortal;
const db = () => portal.portal.db;
const live = liveSockets(() => portal.url);
const cookies = { johan: "", erik: "", lena: "" };
let listId: string;
let itemId: string;
let lenaId: string;
let regionId: string;

const TABLES = ["action_lists", "action_items", "action_list_views", "audit_events"];
const digest = () => tableDigest(db(), TABLES);

function edit(socket: Socket, message: unknown) {
  return socket.timeout(10_000).emitWithAck("action-item:edit", message) as Promise<EditAnswer>;
}

async function item(id = itemId) {
  const [row] = await db().select().from(actionItems).where(eq(actionItems.id, id));
  return row;
}

/**
 * The fields a browser posts from the page's save form exactly as rendered: hidden and text
 * inputs, ticked boxes, each select's selected option (or its first), each textarea's text.
 */
function renderedSaveForm(html: string): Array<[string, string]> {
  const document = parseDocument(html);
  const isSaveIntent = (element: { name: string; attribs: Record<string, string> }) => element.name === "input" && element.attribs.name === "intent" && element.attribs.value === "save";
  const form = DomUtils.findOne((element) => element.name === "form" && DomUtils.findOne(isSaveIntent, element.children) !== null, document.children);
  if (!form) throw new Error("the page has no save form");
  const fields: Array<[string, string]> = [];
  for (const control of DomUtils.findAll((element) => ["input", "select", "textarea"].includes(element.name) && Boolean(element.attribs.name), form.children)) {
    const { name, type = "text", value } = control.attribs;
    if (control.name === "textarea") fields.push([name, DomUtils.textContent(control)]);
    else if (control.name === "select") {
      const options = DomUtils.findAll((element) => element.name === "option", control.children);
      const chosen = options.find((option) => "selected" in option.attribs) ?? options[0];
      if (chosen) fields.push([name, chosen.attribs.value ?? DomUtils.textContent(chosen)]);
    } else if (type === "checkbox" || type === "radio") {
      if ("checked" in control.attribs) fields.push([name, value ?? "on"]);
    } else if (!["submit", "button", "reset"].includes(type)) fields.push([name, value ?? ""]);
  }
  return fields;
}

function asPost(fields: Array<[string, string]>) {
  const body: Record<string, string[]> = {};
  for (const [name, value] of fields) (body[name] ??= []).push(value);
  return body;
}

async function joined(cookie: string) {
  const socket = await live.connectedAs(cookie);
  expect(await live.subscribe(socket, `action-list:${listId}`)).toEqual({ ok: true });
  return socket;
}

beforeAll(async () => {
  portal = await startTestPortal();
  cookies.johan = await portal.signInAs(JOHAN);
  cookies.erik = await portal.signInAs(ERIK);
  cookies.lena = await portal.signInAs(LENA);
  [{ id: listId }] = await db().select({ id: actionLists.id }).from(actionLists).where(eq(actionLists.title, "Åtgärdslista Järva 2026"));
  [{ id: itemId }] = await db().select({ id: actionItems.id }).from(actionItems).where(and(eq(actionItems.listId, listId), eq(actionItems.number, 1)));
  [{ id: lenaId }] = await db().select({ id: users.id }).from(users).where(eq(users.email, LENA));
  [{ id: regionId }] = await db().select({ id: organisations.id }).from(organisations).where(eq(organisations.name, "Region Stockholm"));
});

afterEach(() => live.closeAll());
afterAll(async () => {
  live.closeAll();
  await portal?.close();
});

describe("co-editing one item over the socket", () => {
  it("two people editing different fields of one item at the same moment, 200 times in a row, keep every edit", async () => {
    const city = await joined(cookies.johan);
    const police = await joined(cookies.erik);
    const start = await item();
    let cityVersion = start.fieldVersions.followUpComment ?? 0;
    let policeVersion = start.fieldVersions.judgementReason ?? 0;
    const auditBefore = (await rows<{ n: number }>(db(), sql`select count(*)::int as n from audit_events where entity_id = ${itemId}`))[0].n;
    for (let round = 1; round <= 200; round++) {
      const [fromCity, fromPolice] = await Promise.all([
        edit(city, { itemId, field: "followUpComment", value: `Staden runda ${round}`, version: cityVersion }),
        edit(police, { itemId, field: "judgementReason", value: `Polisen runda ${round}`, version: policeVersion }),
      ]);
      expect(fromCity.ok && fromPolice.ok, `round ${round}: ${JSON.stringify([fromCity, fromPolice])}`).toBe(true);
      if (fromCity.ok) cityVersion = fromCity.item.fieldVersions.followUpComment;
      if (fromPolice.ok) policeVersion = fromPolice.item.fieldVersions.judgementReason;
    }
    const end = await item();
    expect(end.followUpComment).toBe("Staden runda 200");
    expect(end.judgementReason).toBe("Polisen runda 200");
    expect(end.fieldVersions.followUpComment).toBe((start.fieldVersions.followUpComment ?? 0) + 200);
    expect(end.fieldVersions.judgementReason).toBe((start.fieldVersions.judgementReason ?? 0) + 200);
    // Every one of the 400 edits is in the item's history, each with its own before → after.
    const events = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.entityType, "action_item"), eq(auditEvents.entityId, itemId)))
      .orderBy(asc(auditEvents.id));
    expect(events.length - auditBefore).toBe(400);
    const cityAfters = events.filter((event) => event.actorLabel === "Johan Ek").map((event) => event.changes.after?.followUpComment);
    expect(cityAfters.slice(-200)).toEqual(Array.from({ length: 200 }, (_, index) => `Staden runda ${index + 1}`));
  }, 240_000);

  it("the same field written by two people at once: one is stored, the other is told with the current value and who wrote it", async () => {
    const city = await joined(cookies.johan);
    const police = await joined(cookies.erik);
    for (let round = 1; round <= 10; round++) {
      const version = (await item()).fieldVersions.operationalGoal ?? 0;
      const [fromCity, fromPolice] = await Promise.all([
        edit(city, { itemId, field: "operationalGoal", value: `Stadens mål ${round}`, version }),
        edit(police, { itemId, field: "operationalGoal", value: `Polisens mål ${round}`, version }),
      ]);
      const answers = [fromCity, fromPolice];
      const stored = answers.filter((answer) => answer.ok);
      const refused = answers.filter((answer) => !answer.ok);
      expect(stored).toHaveLength(1);
      expect(refused).toHaveLength(1);
      const conflict = refused[0];
      if (conflict.ok || conflict.error !== "conflict") throw new Error(`expected a conflict, got ${JSON.stringify(conflict)}`);
      const winner = fromCity.ok ? { value: `Stadens mål ${round}`, name: "Johan Ek" } : { value: `Polisens mål ${round}`, name: "Erik Sandberg" };
      const loserValue = fromCity.ok ? `Polisens mål ${round}` : `Stadens mål ${round}`;
      expect(conflict.conflicts).toEqual([
        expect.objectContaining({ field: "operationalGoal", label: "Operativt mål", yourValue: loserValue, currentValue: winner.value, currentVersion: version + 1, changedBy: winner.name }),
      ]);
      expect(conflict.message).toMatch(/Någon annan har ändrat operativt mål/);
      expect((await item()).operationalGoal).toBe(winner.value);
    }
  });

  it("after a conflict the writer can keep their own value by writing again on the version they were shown", async () => {
    const city = await joined(cookies.johan);
    const police = await joined(cookies.erik);
    const version = (await item()).fieldVersions.cause ?? 0;
    expect((await edit(city, { itemId, field: "cause", value: "Stadens orsak", version })).ok).toBe(true);
    // Written while offline on the old version, sent on reconnect: reported, not stored.
    const stale = await edit(police, { itemId, field: "cause", value: "Polisens orsak", version });
    if (stale.ok || stale.error !== "conflict") throw new Error("expected a conflict");
    expect((await item()).cause).toBe("Stadens orsak");
    const kept = await edit(police, { itemId, field: "cause", value: "Polisens orsak", version: stale.conflicts[0].currentVersion });
    expect(kept.ok).toBe(true);
    expect((await item()).cause).toBe("Polisens orsak");
    // A stale write of the value that is already there is no conflict: nothing would be lost.
    expect((await edit(city, { itemId, field: "cause", value: "Polisens orsak", version })).ok).toBe(true);
  });

  it("everyone in the list's room sees new items and changes live, and who is editing which row until they leave", async () => {
    const city = await joined(cookies.johan);
    const viewer = await joined(cookies.erik);
    const seen: ItemEventPayload[] = [];
    const presence: PresencePayload[] = [];
    viewer.on("action-list:item", (payload: ItemEventPayload) => seen.push(payload));
    viewer.on("action-list:presence", (payload: PresencePayload) => presence.push(payload));

    const created = (await city.timeout(5000).emitWithAck("action-item:create", { listId, title: "Ny åtgärd från staden" })) as { ok: boolean; item: { id: string; number: number } };
    expect(created.ok).toBe(true);
    await waitFor(() => seen.find((event) => event.kind === "created" && event.item.id === created.item.id), "the new item to reach the viewer");
    expect(created.item.number).toBeGreaterThan(5);

    city.emit("action-list:focus", { listId, itemId: created.item.id, field: "status" });
    await waitFor(() => presence.find((event) => event.itemId === created.item.id && event.name === "Johan Ek" && event.field === "status"), "the presence to reach the viewer");
    const who = (await viewer.timeout(5000).emitWithAck("action-list:who", { listId })) as { ok: boolean; editors: PresencePayload[] };
    expect(who.editors).toEqual([expect.objectContaining({ name: "Johan Ek", itemId: created.item.id, field: "status" })]);

    const answer = await edit(city, { itemId: created.item.id, field: "status", value: "pagar", version: 0 });
    expect(answer.ok).toBe(true);
    await waitFor(() => seen.find((event) => event.kind === "changed" && event.item.id === created.item.id && event.item.status === "pagar"), "the change to reach the viewer");
    expect(seen.find((event) => event.kind === "changed")).toMatchObject({ fields: ["status"], by: { name: "Johan Ek" } });

    city.disconnect();
    await waitFor(() => presence.find((event) => event.name === "Johan Ek" && event.itemId === null), "the presence to be cleared on disconnect");
  });

  it("a focus naming something that is not a field of an item reaches the others as the row alone", async () => {
    const city = await joined(cookies.johan);
    const viewer = await joined(cookies.erik);
    const presence: PresencePayload[] = [];
    viewer.on("action-list:presence", (payload: PresencePayload) => presence.push(payload));
    for (const field of ["constructor", "__proto__", "toString", "hasOwnProperty"]) city.emit("action-list:focus", { listId, itemId, field });
    city.emit("action-list:focus", { listId, itemId, field: "deadline" });
    await waitFor(() => presence.find((event) => event.name === "Johan Ek" && event.field === "deadline"), "the last presence to reach the viewer");
    const fromCity = presence.filter((event) => event.name === "Johan Ek");
    expect(fromCity.map((event) => [event.itemId, event.field])).toEqual([[itemId, null], [itemId, null], [itemId, null], [itemId, null], [itemId, "deadline"]]);
    city.emit("action-list:focus", { listId, itemId, field: "constructor" });
    await waitFor(() => presence.filter((event) => event.name === "Johan Ek").length === 6, "the presence with an odd field");
    const who = (await viewer.timeout(5000).emitWithAck("action-list:who", { listId })) as { ok: boolean; editors: PresencePayload[] };
    expect(who.editors).toEqual([expect.objectContaining({ name: "Johan Ek", itemId, field: null })]);
  });

  it("someone whose organisation the list is not shared with can neither join its room nor edit or add items", async () => {
    const outsider = await live.connectedAs(cookies.lena);
    expect(await live.subscribe(outsider, `action-list:${listId}`)).toEqual({ ok: false, error: "forbidden" });
    const before = await digest();
    const answer = await edit(outsider, { itemId, field: "title", value: "Inte min", version: (await item()).fieldVersions.title ?? 0 });
    expect(answer).toMatchObject({ ok: false, error: "not_found" });
    const created = (await outsider.timeout(5000).emitWithAck("action-item:create", { listId, title: "Inte min" })) as { ok: boolean; error: string };
    expect(created).toMatchObject({ ok: false, error: "not_found" });
    expect(await digest()).toEqual(before);
  });
});

describe("bad input leaves everything unchanged", () => {
  const badEdits: Array<[string, () => Record<string, unknown>, RegExp]> = [
    ["an unknown field", () => ({ itemId, field: "listId", value: "x", version: 0 }), /Okänt fält/],
    ["no version", () => ({ itemId, field: "title", value: "Ny" }), /version/],
    ["a version that is not a number", () => ({ itemId, field: "title", value: "Ny", version: "1" }), /version/],
    ["an empty title", () => ({ itemId, field: "title", value: "   ", version: 1 }), /rubrik/],
    ["a title that is not text", () => ({ itemId, field: "title", value: { $ne: 1 }, version: 1 }), /text/],
    ["a huge description", () => ({ itemId, field: "description", value: "x".repeat(6000), version: 0 }), /högst 5000 tecken/],
    ["a date that is not a date", () => ({ itemId, field: "deadline", value: "31/12/2026", version: 0 }), /ÅÅÅÅ-MM-DD/],
    ["a date that does not exist", () => ({ itemId, field: "deadline", value: "2026-02-30", version: 0 }), /inte ett giltigt datum/],
    ["a start after the deadline", () => ({ itemId, field: "startDate", value: "2099-01-01", version: 1 }), /Start kan inte vara efter/],
    ["an unknown status", () => ({ itemId, field: "status", value: "avslutad", version: 0 }), /status/],
    ["a fifth focus area", () => ({ itemId, field: "focusArea", value: "brottsofferstod", version: 0 }), /fyra fokusområdena/],
    ["an unknown perspective", () => ({ itemId, field: "perspectives", value: ["ungdom"], version: 0 }), /perspektiv/i],
    ["a responsible organisation outside the list", () => ({ itemId, field: "responsibleOrganisationId", value: regionId, version: 1 }), /listans organisationer/],
    ["a contact person outside the list's organisations", () => ({ itemId, field: "contactUserId", value: lenaId, version: 1 }), /Kontaktpersonen/],
    ["an item id that is not an id", () => ({ itemId: "../../etc", field: "title", value: "Ny", version: 1 }), /finns inte/],
    ["an item id of 36 characters that is not an id", () => ({ itemId: "a".repeat(36), field: "title", value: "Ny", version: 1 }), /finns inte/],
    ["an item that does not exist", () => ({ itemId: "00000000-0000-4000-8000-000000000000", field: "title", value: "Ny", version: 1 }), /finns inte/],
  ];

  it.each(badEdits)("an edit with %s is refused in Swedish", async (_name, message, expected) => {
    await mailSettled(db());
    const socket = await joined(cookies.johan);
    const before = await digest();
    const current = await item();
    const built = message();
    // Tests that need a real version get the current one, so only the named fault is wrong.
    if (typeof built.version === "number" && built.version === 1 && typeof built.field === "string") built.version = current.fieldVersions[built.field] ?? 0;
    const answer = await edit(socket, built);
    expect(answer.ok).toBe(false);
    if (!answer.ok) expect(answer.message).toMatch(expected);
    expect(await digest()).toEqual(before);
  });

  it("messages that are not objects at all are refused", async () => {
    const socket = await joined(cookies.johan);
    const before = await digest();
    for (const message of [null, "title", 42, [], { itemId }]) {
      const answer = await edit(socket, message);
      expect(answer.ok).toBe(false);
    }
    const created = (await socket.timeout(5000).emitWithAck("action-item:create", { listId, title: "" })) as { ok: boolean; message: string };
    expect(created).toMatchObject({ ok: false, message: expect.stringMatching(/rubrik/) });
    expect(await digest()).toEqual(before);
  });
});

describe("pages", () => {
  it("the list's table shows its items to a shared organisation and is missing for others", async () => {
    const page = await portal.fetch(`/atgardslistor/${listId}`, { cookie: cookies.erik });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Åtgärdslista Järva 2026");
    expect(html).toContain("Helginsats med fältassistenter och kommunpolis");
    const refused = await portal.fetch(`/atgardslistor/${listId}`, { cookie: cookies.lena });
    expect(refused.status).toBe(404);
    expect(await refused.text()).not.toContain("Helginsats");
  });

  it("a filter by status and focus area narrows the table, and a saved view keeps it", async () => {
    // Malformed filter values are ignored, never an error.
    const odd = await portal.fetch(`/atgardslistor/${listId}?status=avslutad&deadlineBefore=2026-02-30&organisation=x&person=%27--`, { cookie: cookies.erik });
    expect(odd.status).toBe(200);
    expect(await odd.text()).toContain("Helginsats med fältassistenter och kommunpolis");
    const page = await (await portal.fetch(`/atgardslistor/${listId}?status=klar`, { cookie: cookies.erik })).text();
    expect(page).toContain("Gemensam lägesbild varje vecka");
    expect(page).not.toContain("Förbättrad belysning i gångtunneln");
    const saved = await portal.post(`/atgardslistor/${listId}?status=klar`, { intent: "save-view", name: "Klara", status: "klar" }, { cookie: cookies.erik });
    expect(saved.status).toBe(303);
    const withView = await (await portal.fetch(`/atgardslistor/${listId}`, { cookie: cookies.erik })).text();
    expect(withView).toContain("Klara");
    // Views are personal.
    expect(await (await portal.fetch(`/atgardslistor/${listId}`, { cookie: cookies.johan })).text()).not.toContain(">Klara<");
  });

  it("the history page shows who changed which field from what to what", async () => {
    const target = (await db().select().from(actionItems).where(and(eq(actionItems.listId, listId), eq(actionItems.number, 2))))[0];
    const socket = await joined(cookies.erik);
    const answer = await edit(socket, { itemId: target.id, field: "status", value: "pagar", version: target.fieldVersions.status ?? 0 });
    expect(answer.ok).toBe(true);
    const html = await (await portal.fetch(`/atgarder/${target.id}/historik`, { cookie: cookies.johan })).text();
    expect(html).toContain("Erik Sandberg");
    expect(html).toMatch(/Status[\s\S]*Ej påbörjad[\s\S]*→[\s\S]*Pågår/);
    expect((await portal.fetch(`/atgarder/${target.id}/historik`, { cookie: cookies.lena })).status).toBe(404);
  });

  it("the detail form refuses a stale write of a field and shows both values, storing nothing", async () => {
    const target = (await db().select().from(actionItems).where(and(eq(actionItems.listId, listId), eq(actionItems.number, 3))))[0];
    const socket = await joined(cookies.johan);
    const version = target.fieldVersions.followUpMethod ?? 0;
    expect((await edit(socket, { itemId: target.id, field: "followUpMethod", value: "Månadsvis rapport", version })).ok).toBe(true);
    const before = await digest();
    const response = await portal.post(`/atgarder/${target.id}`, { intent: "save", "f.followUpMethod": "Kvartalsvis rapport", "o.followUpMethod": JSON.stringify(target.followUpMethod), "v.followUpMethod": String(version) }, { cookie: cookies.erik });
    expect(response.status).toBe(409);
    const html = await response.text();
    expect(html).toContain("Månadsvis rapport");
    expect(html).toContain("Kvartalsvis rapport");
    expect(html).toContain("Johan Ek");
    expect(await digest()).toEqual(before);
  });

  it("deleting a saved view by an id that only looks like one is answered as missing, in Swedish", async () => {
    for (const viewId of ["a".repeat(36), "-".repeat(36), "00000000-0000-4000-8000-000000000000"]) {
      const response = await portal.post(`/atgardslistor/${listId}`, { intent: "delete-view", viewId }, { cookie: cookies.erik });
      expect(response.status, viewId).toBe(404);
      expect(await response.text()).toContain("Vyn finns inte.");
    }
  });

  describe("the detail form keeps what it cannot offer as a choice", () => {
    let ninaId: string;
    let policeId: string;
    let cityId: string;

    beforeAll(async () => {
      const [list] = await db().select().from(actionLists).where(eq(actionLists.id, listId));
      cityId = list.ownerOrganisationId;
      [policeId] = list.sharedWithOrganisationIds;
      // Invited into the owning organisation, not yet signed in (an import names such people as contacts).
      const [nina] = await db().insert(users).values({ email: "nina.nyberg@demo.stockholm.se", name: "Nina Nyberg", status: "invited" }).returning();
      await db().insert(memberships).values({ userId: nina.id, organisationId: cityId, role: "medlem" });
      ninaId = nina.id;
    });

    async function itemNamingOutsiders(title: string) {
      const [{ next }] = await db().select({ next: sql<number>`coalesce(max(${actionItems.number}), 0)::int + 1` }).from(actionItems).where(eq(actionItems.listId, listId));
      const [created] = await db()
        .insert(actionItems)
        .values({ listId, number: next, title, status: "ej_paborjad", contactUserId: ninaId, contributingOrganisationIds: [policeId, regionId] })
        .returning();
      return created;
    }

    it("saving only the status keeps an invited contact person and an organisation the list is no longer shared with", async () => {
      const target = await itemNamingOutsiders("Skolvärdar i Husby");
      const page = await portal.fetch(`/atgarder/${target.id}`, { cookie: cookies.johan });
      expect(page.status).toBe(200);
      const html = await page.text();
      const fields = renderedSaveForm(html).map(([name, value]): [string, string] => (name === "f.status" ? [name, "pagar"] : [name, value]));
      const saved = await portal.post(`/atgarder/${target.id}`, asPost(fields), { cookie: cookies.johan });
      expect(saved.status).toBe(303);
      const after = await item(target.id);
      expect(after.status).toBe("pagar");
      expect(after.contactUserId).toBe(ninaId);
      expect([...after.contributingOrganisationIds].sort()).toEqual([policeId, regionId].sort());
      const history = await (await portal.fetch(`/atgarder/${target.id}/historik`, { cookie: cookies.johan })).text();
      expect(history).toContain('<th scope="row">Status</th>');
      expect(history).not.toContain('<th scope="row">Kontaktperson</th>');
      expect(history).not.toContain('<th scope="row">Medverkande organisationer</th>');
      // The form showed them as chosen, marked for what they are.
      expect(html).toMatch(/<option value="[^"]+" selected="">Nina Nyberg \(har inte loggat in än\)<\/option>/);
      expect(html).toMatch(/checked="" value="[^"]+"\/>Region Stockholm \(ser inte listan\)<\/label>/);
    });

    it("ticking another contributing organisation keeps the one the list is no longer shared with", async () => {
      const target = await itemNamingOutsiders("Läxhjälp i Rinkeby");
      const html = await (await portal.fetch(`/atgarder/${target.id}`, { cookie: cookies.johan })).text();
      const fields = [...renderedSaveForm(html), ["f.contributingOrganisationIds", cityId] as [string, string]];
      const saved = await portal.post(`/atgarder/${target.id}`, asPost(fields), { cookie: cookies.johan });
      expect(saved.status).toBe(303);
      const after = await item(target.id);
      expect([...after.contributingOrganisationIds].sort()).toEqual([cityId, policeId, regionId].sort());
      expect(after.contactUserId).toBe(ninaId);
    });
  });

  it("the start page lists my unfinished åtgärder by deadline with the overdue one marked", async () => {
    const html = await (await portal.fetch("/", { cookie: cookies.johan })).text();
    expect(html).toContain("Mina åtgärder");
    expect(html).toContain("Förbättrad belysning i gångtunneln");
    expect(html).toMatch(/Förbättrad belysning i gångtunneln[\s\S]{0,400}Försenad/);
    // Finished items are not listed.
    expect(html).not.toContain("Gemensam lägesbild varje vecka");
    const lena = await (await portal.fetch("/", { cookie: cookies.lena })).text();
    expect(lena).not.toContain("Förbättrad belysning");
  });
});
