import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actionItemMeetings, actionItems, actionLists, auditEvents, memberships, networks, notesDocuments, organisations, users } from "../../db/schema";
import { DEMO_NETWORK } from "../../db/seed";
import { tableDigest } from "../support/digest";
import { startTestPortal, type TestPortal } from "../support/portal";
import { mailSettled, stockholmDay } from "../support/wait";

/**
 * From meeting notes to åtgärder: a task line of a meeting's notes becomes an item of an action
 * list in one request; the item records the meeting, its page lists the meetings it was discussed
 * at, and the notes read the item's status back. Someone who may write the notes but not the list
 * is refused, as is every kind of bad input, and nothing is stored.
 */

const AMINA = "amina.hassan@demo.stockholm.se"; // the demo network's coordinator (Stadsledningskontoret): the Järva list is not shared with her organisation
const ERIK = "erik.sandberg@demo.polisen.se"; // network member (Lokalpolisområde Järva): edits the notes and the Järva list
const LENA = "lena.berg@demo.regionstockholm.se"; // invited by address (Region Stockholm): edits the notes, not the list
const JOHAN = "johan.ek@demo.stockholm.se"; // Järva stadsdelsnämnd, which owns the list
const FIA = "fia.farsta@demo.stockholm.se"; // Farsta: not invited, does not see the meeting

let portal: TestPortal;
const db = () => portal.portal.db;
const cookies = { amina: "", erik: "", lena: "", johan: "", fia: "" };
const ids = { network: "", meeting: "", list: "", otherList: "", item: "" };

const TABLES = ["action_lists", "action_items", "action_item_meetings", "audit_events"];
const digest = async () => {
  await mailSettled(db());
  return tableDigest(db(), TABLES);
};

const convertPath = () => `/moten/${ids.meeting}/anteckningar/atgarder`;

async function convert(cookie: string, fields: Record<string, string>, origin?: string | null) {
  const response = await portal.post(convertPath(), fields, { cookie, origin });
  return { status: response.status, body: (await response.json().catch(() => ({}))) as { ok?: boolean; message?: string; item?: { id: string; number: number; title: string } } };
}

async function statuses(cookie: string, itemIds: string[]) {
  const query = itemIds.map((id) => `id=${encodeURIComponent(id)}`).join("&");
  const response = await portal.fetch(`${convertPath()}?${query}`, { cookie });
  return { status: response.status, body: (await response.json()) as { ok: boolean; message?: string; statuses: Array<Record<string, unknown>>; lists: Array<{ id: string; title: string }> } };
}

beforeAll(async () => {
  portal = await startTestPortal();
  [{ id: ids.network }] = await db().select({ id: networks.id }).from(networks).where(eq(networks.name, DEMO_NETWORK));
  [{ id: ids.list }] = await db().select({ id: actionLists.id }).from(actionLists).where(eq(actionLists.title, "Åtgärdslista Järva 2026"));
  const [farsta] = await db().select().from(organisations).where(eq(organisations.name, "Farsta stadsdelsnämnd"));
  const [fia] = await db().insert(users).values({ email: FIA, name: "Fia Farsta", status: "active" }).returning();
  await db().insert(memberships).values({ userId: fia.id, organisationId: farsta.id, role: "medlem" });
  // A list of Farsta's own, which nobody else here may edit.
  const [farstaList] = await db().insert(actionLists).values({ title: "Farstas egna åtgärder", ownerOrganisationId: farsta.id }).returning();
  ids.otherList = farstaList.id;
  for (const [key, email] of [["amina", AMINA], ["erik", ERIK], ["lena", LENA], ["johan", JOHAN], ["fia", FIA]] as const) cookies[key] = await portal.signInAs(email);
  const planned = await portal.post(
    `/natverk/${ids.network}/moten/nytt`,
    { title: "Samverkansmöte Husby", date: stockholmDay(5), startTime: "09:00", endTime: "10:30", place: "Husby träff", extraEmails: LENA, inviteNetwork: "on" },
    { cookie: cookies.amina },
  );
  expect(planned.status).toBe(302);
  ids.meeting = planned.headers.get("location")!.split("/").pop()!;
});

afterAll(async () => {
  await portal?.close();
});

describe("turning a task line of the notes into an åtgärd", () => {
  it("offers only the lists the person may add to", async () => {
    const asErik = await statuses(cookies.erik, []);
    expect(asErik.status).toBe(200);
    expect(asErik.body.lists.map((list) => list.title)).toContain("Åtgärdslista Järva 2026");
    expect(asErik.body.lists.map((list) => list.title)).not.toContain("Farstas egna åtgärder");
    const asLena = await statuses(cookies.lena, []);
    expect(asLena.status).toBe(200);
    expect(asLena.body.lists.map((list) => list.title)).not.toContain("Åtgärdslista Järva 2026");
  });

  it("someone who writes the notes but may not edit the list is refused, and nothing is stored", async () => {
    const before = await digest();
    for (const cookie of [cookies.lena, cookies.amina]) {
      const answer = await convert(cookie, { listId: ids.list, title: "Bättre belysning vid Husby centrum" });
      // The list is not shared with their organisations: to them it does not exist.
      expect(answer.status).toBe(404);
      expect(answer.body.message).toContain("Åtgärdslistan finns inte");
    }
    // A list the person may not even see is answered as missing.
    const unseen = await convert(cookies.erik, { listId: ids.otherList, title: "Bättre belysning vid Husby centrum" });
    expect(unseen.status).toBe(404);
    expect(unseen.body.message).toContain("Åtgärdslistan finns inte");
    // Someone who does not see the meeting learns nothing about it.
    const outsider = await convert(cookies.fia, { listId: ids.otherList, title: "Bättre belysning" });
    expect(outsider.status).toBe(404);
    expect(outsider.body.message).toBe("Mötet finns inte.");
    expect(await digest()).toEqual(before);
  });

  it("refuses bad input with a Swedish message and stores nothing", async () => {
    const before = await digest();
    const cases: Array<[Record<string, string>, number, string]> = [
      [{ listId: ids.list, title: "   " }, 400, "Åtgärden behöver en rubrik."],
      [{ listId: ids.list }, 400, ""],
      [{ listId: ids.list, title: "x".repeat(301) }, 400, "Åtgärden"],
      [{ listId: "'; drop table action_items; --", title: "Belysning" }, 400, "Välj en åtgärdslista."],
      [{ title: "Belysning" }, 400, "Välj en åtgärdslista."],
      [{ listId: "00000000-0000-4000-8000-000000000000", title: "Belysning" }, 404, "Åtgärdslistan finns inte"],
    ];
    for (const [fields, status, message] of cases) {
      const answer = await convert(cookies.erik, fields);
      expect(answer.status, JSON.stringify(fields)).toBe(status);
      expect(answer.body.ok).toBe(false);
      expect(answer.body.message).toContain(message);
    }
    // A write from another site is stopped before it reaches the route.
    const forged = await portal.post(convertPath(), { listId: ids.list, title: "Belysning" }, { cookie: cookies.erik, origin: "https://evil.example" });
    expect(forged.status).toBe(403);
    expect(await digest()).toEqual(before);
  });

  it("a network member turns a task into an item of the list, linked to the meeting, in one request", async () => {
    const answer = await convert(cookies.erik, { listId: ids.list, title: "  Bättre   belysning vid Husby centrum " });
    expect(answer.status).toBe(200);
    expect(answer.body.ok).toBe(true);
    ids.item = answer.body.item!.id;
    const [item] = await db().select().from(actionItems).where(eq(actionItems.id, ids.item));
    expect(item).toMatchObject({ listId: ids.list, title: "Bättre belysning vid Husby centrum", status: "ej_paborjad" });
    const [erik] = await db().select({ id: users.id }).from(users).where(eq(users.email, ERIK));
    const links = await db().select().from(actionItemMeetings).where(eq(actionItemMeetings.actionItemId, ids.item));
    expect(links).toEqual([expect.objectContaining({ meetingId: ids.meeting, createdBy: erik.id })]);
    const audit = await db().select().from(auditEvents).where(and(eq(auditEvents.entityId, ids.item), eq(auditEvents.action, "actionItem.linkMeeting")));
    expect(audit).toHaveLength(1);
    expect(audit[0].summary).toContain("Samverkansmöte Husby");
    // The list's page shows the new item to those who see the list.
    expect(await (await portal.fetch(`/atgardslistor/${ids.list}`, { cookie: cookies.johan })).text()).toContain("Bättre belysning vid Husby centrum");
  });

  it("the notes read the item's status, and only for those who may see the item", async () => {
    await db().update(actionItems).set({ status: "pagar", judgement: "gul" }).where(eq(actionItems.id, ids.item));
    const missing = "00000000-0000-4000-8000-000000000000";
    const asErik = await statuses(cookies.erik, [ids.item, missing]);
    expect(asErik.status).toBe(200);
    expect(asErik.body.statuses).toEqual([
      { id: ids.item, visible: true, number: expect.any(Number), title: "Bättre belysning vid Husby centrum", status: "pagar", statusLabel: "Pågår", judgement: "gul", judgementLabel: "Gul" },
      { id: missing, visible: false },
    ]);
    // Lena writes the notes but the list is not shared with Region Stockholm: she learns nothing of the item.
    const asLena = await statuses(cookies.lena, [ids.item]);
    expect(asLena.body.statuses).toEqual([{ id: ids.item, visible: false }]);
    expect(JSON.stringify(asLena.body)).not.toContain("Bättre belysning");
    // Not seeing the meeting: no answer at all; a malformed id: a Swedish refusal.
    const asFia = await statuses(cookies.fia, [ids.item]);
    expect(asFia.status).toBe(404);
    const malformed = await statuses(cookies.erik, ["not-an-id"]);
    expect(malformed.status).toBe(400);
    expect(malformed.body.message).toBe("Ogiltig åtgärd.");
  });

  it("the item's page lists the meeting it was discussed at, for those who see that meeting", async () => {
    const asJohan = await (await portal.fetch(`/atgarder/${ids.item}`, { cookie: cookies.johan })).text();
    expect(asJohan).toContain("Diskuterad på möten");
    expect(asJohan).toContain(`href="/moten/${ids.meeting}/anteckningar"`);
    expect(asJohan).toContain("Samverkansmöte Husby");
    // Once the list is shared with Farsta, Fia sees the item but still not the meeting: it stays hidden.
    const [farsta] = await db().select().from(organisations).where(eq(organisations.name, "Farsta stadsdelsnämnd"));
    await db().update(actionLists).set({ sharedWithOrganisationIds: sql`array_append(${actionLists.sharedWithOrganisationIds}, ${farsta.id}::uuid)` }).where(eq(actionLists.id, ids.list));
    const asFia = await portal.fetch(`/atgarder/${ids.item}`, { cookie: cookies.fia });
    expect(asFia.status).toBe(200);
    const fiaPage = await asFia.text();
    expect(fiaPage).toContain("Diskuterad på möten");
    expect(fiaPage).not.toContain("Samverkansmöte Husby");
    expect(fiaPage).toContain("inte kopplad till något möte som du kan se");
  });

  it("the item's history tells in Swedish that it came from the meeting's notes, without internal codes or ids", async () => {
    const history = await (await portal.fetch(`/atgarder/${ids.item}/historik`, { cookie: cookies.johan })).text();
    expect(history).toContain("gjorde en punkt i mötesanteckningarna till den här åtgärden");
    for (const internal of ["actionItem.", "meetingId", ids.meeting]) expect(history).not.toContain(internal);
  });

  it("approved notes can no longer turn tasks into åtgärder, even for someone who edits the list", async () => {
    await db().insert(notesDocuments).values({ meetingId: ids.meeting, status: "approved" }).onConflictDoUpdate({ target: notesDocuments.meetingId, set: { status: "approved" } });
    const before = await digest();
    const answer = await convert(cookies.erik, { listId: ids.list, title: "Ännu en punkt" });
    expect(answer.status).toBe(403);
    expect(answer.body.message).toBe("Du har inte behörighet att göra det här.");
    expect(await digest()).toEqual(before);
  });
});
