import { and, eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, meetingInvitees, memberships, networkContacts, networkLinks, networkMembers, networks, organisations, users } from "../../db/schema";
import { comingYears } from "../support/calendar";
import { liveSockets } from "../support/live-socket";
import { rows, tableDigest } from "../support/digest";
import { startTestPortal, type TestPortal } from "../support/portal";

/** The dates below stay ahead of today (tests/support/calendar.ts). */
const coming = comingYears("2026-12-10");

/**
 * Who belongs to a network: coordinators add and remove members and external contacts, make a
 * member coordinator, and keep a list of links; a member leaves on their own. Every change is
 * audited, a removed member loses the network's live room at once, and refused input changes
 * nothing.
 */

const ERIK = "erik.sandberg@demo.polisen.se"; // Lokalpolisområde Järva, no tie to Farsta
const LENA = "lena.berg@demo.regionstockholm.se"; // Region Stockholm
const FIA = "fia.farsta@demo.stockholm.se"; // admin in Farsta stadsdelsnämnd, created below
const FRANS = "frans.farsta@demo.stockholm.se"; // a colleague of Fia's in Farsta
const CONTACT = { name: "Kim Föreningsliv", email: "kim@farstaforeningar.example" };
const NETWORK_NAME = "Trygghetsrådet Farsta";

let portal: TestPortal;
const db = () => portal.portal.db;
let networkId = "";
const people = { erik: "", lena: "", fia: "", frans: "" };
const cookies = { erik: "", lena: "", fia: "", frans: "" };

const TABLES = ["networks", "network_members", "network_contacts", "network_links", "audit_events", "meetings", "meeting_invitees", "emails", "users"];
/** The tables after the mail workers have finished, so that a sent mail does not count as a change. */
async function digest() {
  const until = Date.now() + 15_000;
  while ((await rows<{ n: number }>(db(), sql`select count(*)::int as n from emails where status in ('queued', 'sending')`))[0].n > 0) {
    if (Date.now() > until) throw new Error("timed out waiting for the mail queue to settle");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return tableDigest(db(), TABLES);
}

const post = (cookie: string, fields: Record<string, string>, path = `/natverk/${networkId}`) => portal.post(path, fields, { cookie });
const page = async (cookie: string, path = `/natverk/${networkId}`) => {
  const response = await portal.fetch(path, { cookie });
  return { status: response.status, text: await response.text() };
};

async function role(userId: string) {
  const [row] = await db().select().from(networkMembers).where(and(eq(networkMembers.networkId, networkId), eq(networkMembers.userId, userId)));
  return row?.role ?? null;
}

async function auditActions(action: string) {
  return db().select().from(auditEvents).where(and(eq(auditEvents.action, action), eq(auditEvents.entityId, networkId)));
}

const { connectedAs, subscribe, closed, closeAll } = liveSockets(() => portal.url);
afterEach(() => closeAll());

beforeAll(async () => {
  portal = await startTestPortal();
  const [farsta] = await db().select().from(organisations).where(eq(organisations.name, "Farsta stadsdelsnämnd"));
  const [fia] = await db().insert(users).values({ email: FIA, name: "Fia Farsta", status: "active" }).returning();
  const [frans] = await db().insert(users).values({ email: FRANS, name: "Frans Farsta", status: "active" }).returning();
  await db().insert(memberships).values([
    { userId: fia.id, organisationId: farsta.id, role: "admin" },
    { userId: frans.id, organisationId: farsta.id, role: "medlem" },
  ]);
  for (const [key, email] of [["erik", ERIK], ["lena", LENA], ["fia", FIA], ["frans", FRANS]] as const) {
    const [person] = await db().select().from(users).where(eq(users.email, email));
    people[key] = person.id;
    cookies[key] = await portal.signInAs(email);
  }
  // A network only Farsta sees: the police officer's access to it can come only from membership.
  const created = await portal.post("/natverk/nytt", { name: NETWORK_NAME, purpose: "Lokal samverkan i Farsta.", ownerOrganisationId: farsta.id }, { cookie: cookies.fia });
  expect(created.status).toBe(302);
  networkId = created.headers.get("location")!.split("/").pop()!;
});

afterAll(async () => {
  closeAll();
  await portal?.close();
});

describe("adding members", () => {
  it("a coordinator finds people by name; an address matches in part only among colleagues, otherwise only in full", async () => {
    const byName = await page(cookies.fia, `/natverk/${networkId}?sok=Sandberg`);
    expect(byName.status).toBe(200);
    expect(byName.text).toContain("Lägg till Erik Sandberg");
    // Each person with their organisation, so that two of the same name can be told apart.
    expect(byName.text).toMatch(/Erik Sandberg<span class="hint">Lokalpolisområde Järva<\/span>/);
    // Not a colleague: the address is not shown, and part of it finds nobody.
    expect(byName.text).not.toContain(ERIK);
    expect((await page(cookies.fia, `/natverk/${networkId}?sok=erik.sand`)).text).not.toContain("Lägg till Erik Sandberg");
    expect((await page(cookies.fia, `/natverk/${networkId}?sok=${encodeURIComponent(ERIK)}`)).text).toContain("Lägg till Erik Sandberg");
    // A colleague is found by part of the address, with the address shown.
    const colleague = await page(cookies.fia, `/natverk/${networkId}?sok=frans.far`);
    expect(colleague.text).toContain("Lägg till Frans Farsta");
    expect(colleague.text).toContain(FRANS);
    expect(colleague.text).toMatch(/Frans Farsta<span class="hint">Farsta stadsdelsnämnd · /);
    // Existing members are not offered again.
    expect((await page(cookies.fia, `/natverk/${networkId}?sok=Fia`)).text).not.toContain("Lägg till Fia Farsta");
  });

  it("a coordinator adds a person from another organisation, who then sees the network; the change is audited", async () => {
    expect((await page(cookies.erik)).status).toBe(404);
    // Posted from the search results, as a browser without JavaScript does: the page comes back
    // with the outcome above the results, which no longer offer him.
    const response = await post(cookies.fia, { intent: "addMember", userId: people.erik }, `/natverk/${networkId}?sok=Sandberg`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toMatch(/<p class="muted" role="status">Erik Sandberg är nu medlem i nätverket.<\/p><p class="empty">Ingen som inte redan är medlem matchar &quot;Sandberg&quot;/);
    expect(await role(people.erik)).toBe("medlem");
    const asErik = await page(cookies.erik);
    expect(asErik.status).toBe(200);
    expect(asErik.text).toContain("Lämna nätverket");
    expect(asErik.text).not.toContain("Lägg till medlem");
    const [event] = await auditActions("network.addMember");
    expect(event.summary).toBe(`Fia Farsta lade till Erik Sandberg i nätverket ${NETWORK_NAME}`);
  });

  it("the network page groups members by organisation", async () => {
    const { text } = await page(cookies.fia);
    expect(text).toMatch(/<h3>Farsta stadsdelsnämnd<\/h3>[\s\S]*Fia Farsta/);
    expect(text).toMatch(/<h3>Lokalpolisområde Järva<\/h3>[\s\S]*Erik Sandberg/);
    expect(text).toContain("Medlemmar (<!-- -->2<!-- -->)");
  });

  it("adding someone twice is refused with a clear message and changes nothing", async () => {
    const before = await digest();
    const response = await post(cookies.fia, { intent: "addMember", userId: people.erik });
    expect(response.status).toBe(409);
    expect(await response.text()).toContain('role="alert">Erik Sandberg är redan medlem i nätverket.</p>');
    expect(await digest()).toEqual(before);
  });
});

describe("coordinators", () => {
  it("a coordinator makes a member coordinator, who may then manage members; and back", async () => {
    expect((await post(cookies.fia, { intent: "setRole", userId: people.erik, role: "samordnare" })).status).toBe(200);
    expect(await role(people.erik)).toBe("samordnare");
    expect((await page(cookies.erik)).text).toContain("Lägg till medlem");
    const [event] = await auditActions("network.memberRole");
    expect(event.summary).toBe(`Fia Farsta gjorde Erik Sandberg till samordnare i nätverket ${NETWORK_NAME}`);
    expect((await post(cookies.erik, { intent: "setRole", userId: people.erik, role: "medlem" })).status).toBe(200);
    expect(await role(people.erik)).toBe("medlem");
  });

  it("a plain member may not add, remove or promote anyone: 403 and nothing changes", async () => {
    const before = await digest();
    const attempts: Array<Record<string, string>> = [
      { intent: "addMember", userId: people.lena },
      { intent: "removeMember", userId: people.fia },
      { intent: "setRole", userId: people.erik, role: "samordnare" },
      { intent: "addContact", name: "Någon", email: "nagon@example.org" },
      { intent: "addLink", title: "Elak länk", url: "https://elak.example" },
    ];
    for (const fields of attempts) {
      const response = await post(cookies.erik, fields);
      expect(response.status, JSON.stringify(fields)).toBe(403);
      expect(await response.text()).toContain("Du har inte behörighet att göra det här.");
    }
    expect(await digest()).toEqual(before);
  });

  it("someone who does not see the network is told it does not exist", async () => {
    const before = await digest();
    const response = await post(cookies.lena, { intent: "addMember", userId: people.lena });
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("Nätverket finns inte.");
    expect(await digest()).toEqual(before);
  });

  it("the last coordinator can neither leave, be removed nor step down: a clear error, nothing changed", async () => {
    const before = await digest();
    const leave = await post(cookies.fia, { intent: "leave" });
    expect(leave.status).toBe(409);
    expect(await leave.text()).toContain("Du är nätverkets enda samordnare och kan inte lämna det. Gör någon annan till samordnare först.");
    const stepDown = await post(cookies.fia, { intent: "setRole", userId: people.fia, role: "medlem" });
    expect(stepDown.status).toBe(409);
    expect(await stepDown.text()).toContain("Fia Farsta är nätverkets enda samordnare.");
    expect(await digest()).toEqual(before);
  });
});

describe("removing and leaving", () => {
  it("a removed member loses the network's live room at once and can no longer open the network", async () => {
    const socket = await connectedAs(cookies.erik);
    expect(await subscribe(socket, `network:${networkId}`)).toEqual({ ok: true });
    const gone = closed(socket);
    const response = await post(cookies.fia, { intent: "removeMember", userId: people.erik });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Erik Sandberg är borttagen ur nätverket.");
    expect(await gone).toBe("io server disconnect");
    const again = await connectedAs(cookies.erik);
    expect(await subscribe(again, `network:${networkId}`)).toEqual({ ok: false, error: "forbidden" });
    expect((await page(cookies.erik)).status).toBe(404);
    expect(await role(people.erik)).toBeNull();
    const [event] = await auditActions("network.removeMember");
    expect(event.summary).toBe(`Fia Farsta tog bort Erik Sandberg ur nätverket ${NETWORK_NAME}`);
  });

  it("a member leaves on their own and is sent to the network list", async () => {
    await post(cookies.fia, { intent: "addMember", userId: people.erik });
    const socket = await connectedAs(cookies.erik);
    expect(await subscribe(socket, `network:${networkId}`)).toEqual({ ok: true });
    const gone = closed(socket);
    const response = await post(cookies.erik, { intent: "leave" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/natverk");
    expect(await gone).toBe("io server disconnect");
    expect(await role(people.erik)).toBeNull();
    const [event] = await auditActions("network.leave");
    expect(event.summary).toBe(`Erik Sandberg lämnade nätverket ${NETWORK_NAME}`);
  });

  it("a coordinator who is not the last one may leave", async () => {
    await post(cookies.fia, { intent: "addMember", userId: people.frans });
    await post(cookies.fia, { intent: "setRole", userId: people.frans, role: "samordnare" });
    const response = await post(cookies.frans, { intent: "leave" });
    // Frans still sees the network through Farsta, so he stays on its page.
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(`Du har lämnat nätverket ${NETWORK_NAME}.`);
    expect(await role(people.frans)).toBeNull();
  });
});

describe("removing a member who is invited to coming meetings", () => {
  /** A meeting for the whole network `days` from now, planned by Fia: its id, and who is invited to it. */
  async function planNetworkMeeting(title: string, days: number) {
    const date = new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
    const created = await post(
      cookies.fia,
      { title, date, startTime: "09:00", endTime: "10:00", place: "Farsta centrum", inviteNetwork: "on", extraEmails: "" },
      `/natverk/${networkId}/moten/nytt`,
    );
    expect(created.status).toBe(302);
    const meetingId = created.headers.get("location")!.split("/").pop()!;
    const invited = async () => (await db().select().from(meetingInvitees).where(eq(meetingInvitees.meetingId, meetingId))).map((row) => row.email).sort();
    return { meetingId, invited };
  }

  it("withdraws those invitations in the same change, each with a cancellation for their calendar", async () => {
    await post(cookies.fia, { intent: "addMember", userId: people.erik });
    const { meetingId, invited } = await planNetworkMeeting("Trygghetsråd om en månad", 30);
    expect(await invited()).toEqual([ERIK, FIA].sort());

    const response = await post(cookies.fia, { intent: "removeMember", userId: people.erik });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Erik Sandberg är borttagen ur nätverket. Inbjudan till 1 kommande möte är tillbakadragen, med en avbokning till Erik Sandberg.");
    expect(await invited()).toEqual([FIA]);
    const [removed] = await rows<{ email: string }>(db(), sql`select email from removed_meeting_invitees where meeting_id = ${meetingId}`);
    expect(removed.email).toBe(ERIK);
    const [{ n }] = await rows<{ n: number }>(db(), sql`select count(*)::int as n from emails where template = 'meeting-removed' and to_address = ${ERIK} and props->>'meetingId' = ${meetingId}`);
    expect(n).toBe(1);
    const [withdrawal] = await db().select().from(auditEvents).where(and(eq(auditEvents.action, "meeting.removeInvitee"), eq(auditEvents.entityId, meetingId)));
    expect(withdrawal.summary).toBe("Fia Farsta tog bort Erik Sandberg från mötet Trygghetsråd om en månad");
    expect((await auditActions("network.removeMember")).map((event) => event.summary)).toContain(
      `Fia Farsta tog bort Erik Sandberg ur nätverket ${NETWORK_NAME} och drog tillbaka inbjudan till 1 kommande möte`,
    );
    expect((await page(cookies.erik, `/moten/${meetingId}`)).status).toBe(404);
  });

  it("a member who leaves on their own gives up those invitations in the same change, each with a cancellation", async () => {
    await post(cookies.fia, { intent: "addMember", userId: people.frans });
    const { meetingId, invited } = await planNetworkMeeting("Trygghetsråd om fem veckor", 40);
    expect(await invited()).toContain(FRANS);

    const response = await post(cookies.frans, { intent: "leave" });
    // Frans still sees the network through Farsta, so he stays on its page and reads what happened.
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(`Du har lämnat nätverket ${NETWORK_NAME}. Din inbjudan till 1 kommande möte är tillbakadragen, med en avbokning till din e-post.`);
    expect(await invited()).not.toContain(FRANS);
    expect(await role(people.frans)).toBeNull();
    const [{ n }] = await rows<{ n: number }>(db(), sql`select count(*)::int as n from emails where template = 'meeting-removed' and to_address = ${FRANS} and props->>'meetingId' = ${meetingId}`);
    expect(n).toBe(1);
    const [withdrawal] = await db().select().from(auditEvents).where(and(eq(auditEvents.action, "meeting.removeInvitee"), eq(auditEvents.entityId, meetingId)));
    expect(withdrawal.summary).toBe("Frans Farsta drog tillbaka sin inbjudan till mötet Trygghetsråd om fem veckor");
    expect((await auditActions("network.leave")).map((event) => event.summary)).toContain(
      `Frans Farsta lämnade nätverket ${NETWORK_NAME} och drog tillbaka sin inbjudan till 1 kommande möte`,
    );
  });

  it("tells a member who leaves how many invitations went when there were several", async () => {
    await post(cookies.fia, { intent: "addMember", userId: people.frans });
    const planned = [await planNetworkMeeting("Trygghetsråd i januari", 45), await planNetworkMeeting("Trygghetsråd i februari", 75)];
    const response = await post(cookies.frans, { intent: "leave" });
    expect(await response.text()).toContain(`Du har lämnat nätverket ${NETWORK_NAME}. Dina inbjudningar till 2 kommande möten är tillbakadragna, med en avbokning för vart och ett till din e-post.`);
    for (const { invited } of planned) expect(await invited()).not.toContain(FRANS);
    expect((await auditActions("network.leave")).map((event) => event.summary)).toContain(
      `Frans Farsta lämnade nätverket ${NETWORK_NAME} och drog tillbaka sina inbjudningar till 2 kommande möten`,
    );
  });
});

describe("external contacts", () => {
  it("a coordinator adds an external contact, whose address only coordinators see", async () => {
    const response = await post(cookies.fia, { intent: "addContact", name: CONTACT.name, email: ` ${CONTACT.email.toUpperCase()} ` });
    expect(response.status).toBe(200);
    const [contact] = await db().select().from(networkContacts).where(eq(networkContacts.networkId, networkId));
    expect(contact).toMatchObject({ name: CONTACT.name, email: CONTACT.email });
    expect((await page(cookies.fia)).text).toContain(CONTACT.email);
    await post(cookies.fia, { intent: "addMember", userId: people.erik });
    const asErik = (await page(cookies.erik)).text;
    expect(asErik).toContain(CONTACT.name);
    expect(asErik).not.toContain(CONTACT.email);
    expect(await auditActions("network.addContact")).toHaveLength(1);
  });

  it("the same address twice is refused and changes nothing", async () => {
    const before = await digest();
    const response = await post(cookies.fia, { intent: "addContact", name: "Kim igen", email: CONTACT.email });
    expect(response.status).toBe(409);
    expect(await response.text()).toContain("finns redan bland nätverkets externa kontakter");
    expect(await digest()).toEqual(before);
  });

  it("a meeting for the whole network invites the members and the external contacts", async () => {
    const created = await post(
      cookies.fia,
      { title: "Trygghetsråd december", date: coming("2026-12-10"), startTime: "13:00", endTime: "14:00", place: "Farsta centrum", inviteNetwork: "on", extraEmails: "" },
      `/natverk/${networkId}/moten/nytt`,
    );
    expect(created.status).toBe(302);
    const meetingId = created.headers.get("location")!.split("/").pop()!;
    const invitees = await db().select().from(meetingInvitees).where(eq(meetingInvitees.meetingId, meetingId));
    expect(invitees.map((row) => row.email).sort()).toEqual([ERIK, CONTACT.email, FIA].sort());
    expect(invitees.find((row) => row.email === CONTACT.email)).toMatchObject({ userId: null, name: CONTACT.name });
    const [{ n }] = await rows<{ n: number }>(db(), sql`select count(*)::int as n from emails where props->>'meetingId' = ${meetingId} and to_address = ${CONTACT.email}`);
    expect(n).toBe(1);
  });

  it("a coordinator removes the contact", async () => {
    const [contact] = await db().select().from(networkContacts).where(eq(networkContacts.networkId, networkId));
    const response = await post(cookies.fia, { intent: "removeContact", contactId: contact.id });
    expect(response.status).toBe(200);
    expect(await db().select().from(networkContacts).where(eq(networkContacts.networkId, networkId))).toHaveLength(0);
    expect(await auditActions("network.removeContact")).toHaveLength(1);
  });
});

describe("links and documents", () => {
  it("a coordinator adds a titled link that every member sees, and removes it", async () => {
    const response = await post(cookies.fia, { intent: "addLink", title: "Lägesbild Farsta 2026", url: "https://dokument.example/lagesbild" });
    expect(response.status).toBe(200);
    const asErik = (await page(cookies.erik)).text;
    expect(asErik).toContain("Lägesbild Farsta 2026");
    expect(asErik).toContain('href="https://dokument.example/lagesbild"');
    expect(asErik).not.toContain("Ta bort länken Lägesbild Farsta 2026");
    const [link] = await db().select().from(networkLinks).where(eq(networkLinks.networkId, networkId));
    expect((await post(cookies.fia, { intent: "removeLink", linkId: link.id })).status).toBe(200);
    expect((await page(cookies.erik)).text).not.toContain("Lägesbild Farsta 2026");
    expect((await auditActions("network.addLink")).length + (await auditActions("network.removeLink")).length).toBe(2);
  });
});

describe("bad input", () => {
  const cases: Array<[string, () => Record<string, string>, number, string]> = [
    ["an unknown intent", () => ({ intent: "deleteEverything" }), 400, "Okänd åtgärd"],
    ["no intent", () => ({ userId: people.lena }), 400, "Okänd åtgärd"],
    ["a member id that is not an id", () => ({ intent: "addMember", userId: "1 or 1=1" }), 400, "Välj en person i listan."],
    ["a person who does not exist", () => ({ intent: "addMember", userId: "00000000-0000-4000-8000-000000000000" }), 404, "Personen finns inte"],
    ["removing someone who is not a member", () => ({ intent: "removeMember", userId: people.lena }), 404, "Personen är inte medlem i nätverket."],
    ["a role that does not exist", () => ({ intent: "setRole", userId: people.erik, role: "admin" }), 400, "Välj samordnare eller medlem."],
    ["a contact without a name", () => ({ intent: "addContact", name: " ", email: "a@example.org" }), 400, "Ange kontaktens namn"],
    ["a contact with a broken address", () => ({ intent: "addContact", name: "Kim", email: "kim@@example" }), 400, "e-postadress"],
    ["a javascript: link", () => ({ intent: "addLink", title: "Klicka", url: "javascript:alert(1)" }), 400, "Ange en webbadress som börjar med https://."],
    ["a link title that is too long", () => ({ intent: "addLink", title: "x".repeat(201), url: "https://a.example" }), 400, "högst 200 tecken"],
    ["removing a link that does not exist", () => ({ intent: "removeLink", linkId: "00000000-0000-4000-8000-000000000000" }), 404, "Länken finns inte i nätverket."],
    ["removing a contact by a bad id", () => ({ intent: "removeContact", contactId: "abc" }), 400, "Ogiltig kontakt."],
  ];

  it.each(cases)("%s → a Swedish message and nothing changed", async (_name, fields, status, message) => {
    const before = await digest();
    const response = await post(cookies.fia, fields());
    expect(response.status).toBe(status);
    expect(await response.text()).toContain(message);
    expect(await digest()).toEqual(before);
  });

  it("a network id that is not an id is answered like a missing page", async () => {
    const before = await digest();
    expect((await portal.post("/natverk/inte-ett-id", { intent: "leave" }, { cookie: cookies.fia })).status).toBe(404);
    expect(await digest()).toEqual(before);
  });
});

describe("the list of networks", () => {
  it("is searchable by name, purpose and owner, and shows only what the person may see", async () => {
    expect((await page(cookies.fia, "/natverk?q=trygghetsr%C3%A5det")).text).toContain(NETWORK_NAME);
    expect((await page(cookies.fia, "/natverk?q=lokal%20samverkan")).text).toContain(NETWORK_NAME);
    expect((await page(cookies.fia, "/natverk?q=Farsta%20stadsdelsn")).text).toContain(NETWORK_NAME);
    const other = (await page(cookies.lena, "/natverk?q=Farsta")).text;
    expect(other).not.toContain(NETWORK_NAME);
    expect(other).toContain("Inga nätverk matchar");
    const [network] = await db().select().from(networks).where(eq(networks.id, networkId));
    expect(network.name).toBe(NETWORK_NAME);
  });
});
