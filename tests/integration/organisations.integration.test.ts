import { and, desc, eq, sql } from "drizzle-orm";
import { DomUtils, parseDocument } from "htmlparser2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, emails, memberships, organisations, sessions, users } from "../../db/schema";
import { rows } from "../support/digest";
import { startTestPortal, type TestPortal } from "../support/portal";

let portal: TestPortal;
let jarva: string;
let johan: string;
beforeAll(async () => {
  portal = await startTestPortal();
  [{ id: jarva }] = await portal.portal.db.select({ id: organisations.id }).from(organisations).where(eq(organisations.name, "Järva stadsdelsnämnd"));
  johan = await portal.signInAs("johan.ek@demo.stockholm.se");
});
afterAll(async () => {
  await portal?.close();
});

const db = () => portal.portal.db;
const personByEmail = async (email: string) => (await db().select().from(users).where(eq(users.email, email)))[0];
type Document = ReturnType<typeof parseDocument>;
const byId = (document: Document, id: string) => DomUtils.findOne((element) => element.attribs.id === id, document.children);
const selectedOption = (select: ReturnType<typeof byId>) => DomUtils.findOne((option) => option.name === "option" && "selected" in option.attribs, select?.children ?? [])?.attribs.value;
/** What the page tells as an alert, wherever it stands. */
const alerts = (document: Document) => DomUtils.findAll((element) => element.attribs.role === "alert", document.children).map((element) => DomUtils.textContent(element));

describe("the organisation directory", () => {
  it("counts each organisation's members, leaving out anonymised people", async () => {
    const count = async (name: string) => {
      const html = await (await portal.fetch("/organisationer", { cookie: johan })).text();
      const row = html.slice(html.indexOf(`>${name}</a>`));
      return /data-label="Medlemmar">(\d+)</.exec(row)?.[1];
    };
    const [{ n }] = await rows<{ n: number }>(db(), sql`select count(*)::int as n from memberships m join users u on u.id = m.user_id join organisations o on o.id = m.organisation_id where o.name = 'Järva stadsdelsnämnd' and u.status <> 'anonymised'`);
    expect(n).toBeGreaterThan(0);
    expect(await count("Järva stadsdelsnämnd")).toBe(String(n));
  });
});

describe("organisation administration", () => {
  it("an organisation admin invites a person, who signs in through the invitation and becomes active", async () => {
    const response = await portal.post(`/organisationer/${jarva}`, { intent: "invite", email: "Sofia.Nyberg@Stockholm.se", name: "Sofia Nyberg", title: "Trygghetssamordnare", role: "samordnare" }, { cookie: johan });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("En inbjudan har skickats till sofia.nyberg@stockholm.se");
    const sofia = await personByEmail("sofia.nyberg@stockholm.se");
    expect(sofia.status).toBe("invited");
    const [membership] = await db().select().from(memberships).where(eq(memberships.userId, sofia.id));
    expect(membership).toMatchObject({ organisationId: jarva, role: "samordnare" });
    const [event] = await db().select().from(auditEvents).where(eq(auditEvents.action, "membership.invite")).orderBy(desc(auditEvents.id)).limit(1);
    expect(event).toMatchObject({ entityId: sofia.id, organisationId: jarva, actorLabel: "Johan Ek" });
    const [mail] = await db().select().from(emails).where(eq(emails.toAddress, "sofia.nyberg@stockholm.se"));
    expect(mail.subject).toBe("Inbjudan till Samverkansportalen");
    const page = await (await portal.fetch(`/dev/mail/${mail.id}`)).text();
    expect(page).toContain("Johan Ek har bjudit in dig");
    const token = decodeURIComponent(/token=([^"&<]+)/.exec(page)![1]);
    const signedIn = await portal.post("/logga-in/lank", { token });
    expect(signedIn.status).toBe(302);
    expect((await personByEmail("sofia.nyberg@stockholm.se")).status).toBe("active");
  });

  it("inviting someone who is already a member is refused beside the form, and nothing is stored twice", async () => {
    const response = await portal.post(`/organisationer/${jarva}`, { intent: "invite", email: "sofia.nyberg@stockholm.se", name: "Sofia Nyberg", role: "medlem" }, { cookie: johan });
    expect(response.status).toBe(409);
    expect(await response.text()).toContain("redan medlem");
    const sofia = await personByEmail("sofia.nyberg@stockholm.se");
    expect(await db().select().from(memberships).where(eq(memberships.userId, sofia.id))).toHaveLength(1);
  });

  it("an invitation with a too long title or an unknown role is refused with the error beside that field, and nobody is invited", async () => {
    const cases: Array<[Record<string, string>, string, string]> = [
      [{ title: "x".repeat(2000) }, "field-title", "Titeln får vara högst 120 tecken."],
      [{ role: "superadmin" }, "invite-role", "Välj en roll."],
    ];
    for (const [overrides, fieldId, message] of cases) {
      const response = await portal.post(`/organisationer/${jarva}`, { intent: "invite", email: "lang.titel@stockholm.se", name: "Lång Titel", title: "", role: "medlem", ...overrides }, { cookie: johan });
      expect(response.status).toBe(400);
      const html = await response.text();
      expect(html).toContain("Kontrollera de markerade fälten.");
      const document = parseDocument(html);
      const field = DomUtils.findOne((element) => element.attribs.id === fieldId, document.children);
      expect(field?.attribs["aria-invalid"], fieldId).toBe("true");
      expect(field?.attribs["aria-describedby"]).toContain(`${fieldId}-error`);
      const error = DomUtils.findOne((element) => element.attribs.id === `${fieldId}-error`, document.children);
      expect(error && DomUtils.textContent(error)).toBe(message);
    }
    expect(await personByEmail("lang.titel@stockholm.se")).toBeUndefined();
  });

  it("each member's role form is named after the person and has a status region for the answer", async () => {
    const sofia = await personByEmail("sofia.nyberg@stockholm.se");
    const document = parseDocument(await (await portal.fetch(`/organisationer/${jarva}`, { cookie: johan })).text());
    const form = DomUtils.findOne(
      (element) => element.name === "form" && DomUtils.findOne((input) => input.attribs.name === "userId" && input.attribs.value === sofia.id, element.children) !== null,
      document.children,
    );
    expect(form).not.toBeNull();
    const select = DomUtils.findOne((element) => element.name === "select" && element.attribs.name === "role", form!.children)!;
    const label = DomUtils.findOne((element) => element.name === "label" && element.attribs.for === select.attribs.id, document.children)!;
    expect(DomUtils.textContent(label)).toBe("Roll för Sofia Nyberg");
    const button = DomUtils.findOne((element) => element.name === "button", form!.children)!;
    expect(DomUtils.textContent(button)).toBe("Ändra roll för Sofia Nyberg");
    // The answer ("Rollen är ändrad.") is written into a status region that is there beforehand.
    const status = DomUtils.findOne((element) => element.attribs.role === "status", DomUtils.getSiblings(form!));
    expect(status).not.toBeNull();
  });

  it("a refused role change posted without JavaScript is told at that member's role form, not at the invitation, and nothing changes", async () => {
    const sofia = await personByEmail("sofia.nyberg@stockholm.se");
    const roleEvents = () => db().select().from(auditEvents).where(eq(auditEvents.action, "membership.role"));
    const eventsBefore = (await roleEvents()).length;
    // A plain form post, as a browser without JavaScript sends it; the answer is the whole page.
    const response = await portal.post(`/organisationer/${jarva}`, { intent: "role", userId: sofia.id, role: "superadmin" }, { cookie: johan });
    expect(response.status).toBe(400);
    const document = parseDocument(await response.text());
    const select = byId(document, `role-${sofia.id}`);
    expect(select?.attribs["aria-invalid"]).toBe("true");
    expect(select?.attribs["aria-describedby"]).toBe(`role-${sofia.id}-error`);
    expect(selectedOption(select)).toBe("samordnare");
    const error = byId(document, `role-${sofia.id}-error`);
    expect(error && DomUtils.textContent(error)).toBe("Välj en giltig roll.");
    expect(alerts(document)).toEqual(["Välj en giltig roll."]);
    const invitationRole = byId(document, "invite-role");
    expect(invitationRole).not.toBeNull();
    expect(invitationRole?.attribs["aria-invalid"]).toBeUndefined();
    expect(byId(document, "invite-role-error")).toBeNull();
    const [membership] = await db().select().from(memberships).where(and(eq(memberships.userId, sofia.id), eq(memberships.organisationId, jarva)));
    expect(membership.role).toBe("samordnare");
    expect(await roleEvents()).toHaveLength(eventsBefore);
  });

  it("a refused invitation posted without JavaScript comes back with everything that was typed, and nobody is invited", async () => {
    const count = async () => ({
      users: (await db().select({ id: users.id }).from(users)).length,
      memberships: (await db().select({ userId: memberships.userId }).from(memberships)).length,
      emails: (await db().select({ id: emails.id }).from(emails)).length,
      invitations: (await db().select({ id: auditEvents.id }).from(auditEvents).where(eq(auditEvents.action, "membership.invite"))).length,
    });
    const before = await count();
    const cases: Array<[Record<string, string>, number, string]> = [
      [{ email: "nils.holm@", name: "Nils Holm", title: "Fältassistent", role: "samordnare" }, 400, "field-email"],
      [{ email: "sofia.nyberg@stockholm.se", name: "Sofia N. & co", title: "Trygghetssamordnare <Järva>", role: "admin" }, 409, "field-email"],
      [{ email: "nils.holm@stockholm.se", name: "N", title: "Fältassistent", role: "medlem" }, 400, "field-name"],
    ];
    for (const [typed, status, invalidField] of cases) {
      const response = await portal.post(`/organisationer/${jarva}`, { intent: "invite", ...typed }, { cookie: johan });
      expect(response.status, typed.email).toBe(status);
      const document = parseDocument(await response.text());
      expect(byId(document, invalidField)?.attribs["aria-invalid"], invalidField).toBe("true");
      expect(byId(document, "field-email")?.attribs.value).toBe(typed.email);
      expect(byId(document, "field-name")?.attribs.value).toBe(typed.name);
      expect(byId(document, "field-title")?.attribs.value).toBe(typed.title);
      expect(selectedOption(byId(document, "invite-role"))).toBe(typed.role);
    }
    expect(await count()).toEqual(before);
  });

  it("changing a role is logged with before and after", async () => {
    const sofia = await personByEmail("sofia.nyberg@stockholm.se");
    const response = await portal.post(`/organisationer/${jarva}`, { intent: "role", userId: sofia.id, role: "medlem" }, { cookie: johan });
    expect(response.status).toBe(200);
    const [event] = await db().select().from(auditEvents).where(eq(auditEvents.action, "membership.role")).orderBy(desc(auditEvents.id)).limit(1);
    expect(event.changes).toEqual({ before: { role: "samordnare" }, after: { role: "medlem" } });
  });

  it("the last active admin cannot step down", async () => {
    const johanId = (await personByEmail("johan.ek@demo.stockholm.se")).id;
    const response = await portal.post(`/organisationer/${jarva}`, { intent: "role", userId: johanId, role: "medlem" }, { cookie: johan });
    expect(response.status).toBe(409);
    expect(await response.text()).toContain("minst en aktiv administratör");
    const [membership] = await db().select().from(memberships).where(and(eq(memberships.userId, johanId), eq(memberships.organisationId, jarva)));
    expect(membership.role).toBe("admin");
  });

  it("a deactivated person is signed out everywhere and cannot sign in", async () => {
    const sofia = await personByEmail("sofia.nyberg@stockholm.se");
    const sofiaCookie = await portal.signInAs("sofia.nyberg@stockholm.se");
    const response = await portal.post(`/organisationer/${jarva}`, { intent: "deactivate", userId: sofia.id }, { cookie: johan });
    expect(response.status).toBe(200);
    expect(await db().select().from(sessions).where(eq(sessions.userId, sofia.id))).toHaveLength(0);
    expect((await portal.fetch("/", { cookie: sofiaCookie })).status).toBe(302);
    const mailsBefore = (await db().select().from(emails).where(eq(emails.toAddress, sofia.email))).length;
    await portal.post("/logga-in", { email: sofia.email });
    expect(await db().select().from(emails).where(eq(emails.toAddress, sofia.email))).toHaveLength(mailsBefore);
  });

  it("an admin anonymises a person who has left; the log keeps what happened without the name", async () => {
    const sofia = await personByEmail("sofia.nyberg@stockholm.se");
    const response = await portal.post(`/organisationer/${jarva}`, { intent: "anonymise", userId: sofia.id }, { cookie: johan });
    expect(response.status).toBe(200);
    const [after] = await db().select().from(users).where(eq(users.id, sofia.id));
    expect(after).toMatchObject({ name: "Anonymiserad person", title: "", phone: "", status: "anonymised" });
    expect(after.email).not.toContain("sofia");
    expect(await db().select().from(memberships).where(eq(memberships.userId, sofia.id))).toHaveLength(0);
    const [event] = await db().select().from(auditEvents).where(eq(auditEvents.action, "person.anonymise"));
    expect(event.summary).not.toContain("Sofia");
    // The address can be invited again as a new person.
    const again = await portal.post(`/organisationer/${jarva}`, { intent: "invite", email: "sofia.nyberg@stockholm.se", name: "Sofia Nyberg", role: "medlem" }, { cookie: johan });
    expect(again.status).toBe(200);
  });

  it("a member of another organisation cannot manage Järva's members", async () => {
    const erik = await portal.signInAs("erik.sandberg@demo.polisen.se");
    const johanId = (await personByEmail("johan.ek@demo.stockholm.se")).id;
    const response = await portal.post(`/organisationer/${jarva}`, { intent: "remove", userId: johanId }, { cookie: erik });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("behörighet");
  });
});

describe("my profile", () => {
  it("a person updates their profile and notification settings, and the change is logged", async () => {
    const erik = await portal.signInAs("erik.sandberg@demo.polisen.se");
    const response = await portal.post("/profil", { name: "Erik Sandberg", title: "Kommunpolis, LPO Järva", phone: "+46 8 123 45 67", meetingReminders: "on" }, { cookie: erik });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Dina uppgifter är sparade");
    const person = await personByEmail("erik.sandberg@demo.polisen.se");
    expect(person).toMatchObject({ title: "Kommunpolis, LPO Järva", phone: "+46 8 123 45 67" });
    expect(person.notificationSettings).toEqual({ meetingReminders: true, actionDigest: false, mentions: false });
    const [event] = await db().select().from(auditEvents).where(eq(auditEvents.action, "person.profile")).orderBy(desc(auditEvents.id)).limit(1);
    expect(event.changes.after).toMatchObject({ title: "Kommunpolis, LPO Järva" });
  });

  it("a phone number with letters is refused with a Swedish message and nothing is saved", async () => {
    const erik = await portal.signInAs("erik.sandberg@demo.polisen.se");
    const response = await portal.post("/profil", { name: "Erik Sandberg", title: "", phone: "ring mig" }, { cookie: erik });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Telefonnumret får bara innehålla");
    expect((await personByEmail("erik.sandberg@demo.polisen.se")).phone).toBe("+46 8 123 45 67");
  });

  it("a person downloads everything the portal holds about them as JSON", async () => {
    const erik = await portal.signInAs("erik.sandberg@demo.polisen.se");
    const response = await portal.fetch("/profil/export", { cookie: erik });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toMatch(/attachment; filename="mina-uppgifter-\d{4}-\d{2}-\d{2}\.json"/);
    const data = await response.json();
    expect(data.person.email).toBe("erik.sandberg@demo.polisen.se");
    expect(data.organisations).toEqual([expect.objectContaining({ organisation: "Lokalpolisområde Järva", role: "medlem" })]);
    expect(data.networks).toEqual([expect.objectContaining({ network: "Trygghetsnätverket Järva" })]);
    expect(data.activity.length).toBeGreaterThan(0);
  });
});

describe("networks", () => {
  it("a coordinator creates a network shared with one organisation; only those organisations see it", async () => {
    const amina = await portal.signInAs("amina.hassan@demo.stockholm.se");
    const [owner] = await db().select().from(organisations).where(eq(organisations.name, "Stadsledningskontoret"));
    const [region] = await db().select().from(organisations).where(eq(organisations.name, "Region Stockholm"));
    const created = await portal.post("/natverk/nytt", { name: "Nätverket mot välfärdsbrott", purpose: "Samordning", ownerOrganisationId: owner.id, sharedWithOrganisationIds: region.id }, { cookie: amina });
    expect(created.status).toBe(302);
    const path = created.headers.get("location")!;
    expect(path).toMatch(/^\/natverk\/[0-9a-f-]{36}$/);
    const lena = await portal.signInAs("lena.berg@demo.regionstockholm.se");
    expect((await portal.fetch(path, { cookie: lena })).status).toBe(200);
    const erik = await portal.signInAs("erik.sandberg@demo.polisen.se");
    const hidden = await portal.fetch(path, { cookie: erik });
    expect(hidden.status).toBe(404);
    const list = await (await portal.fetch("/natverk?q=v%C3%A4lf%C3%A4rd", { cookie: erik })).text();
    expect(list).toContain("Inga nätverk matchar");
    const visible = await (await portal.fetch("/natverk?q=v%C3%A4lf%C3%A4rd", { cookie: lena })).text();
    expect(visible).toContain("Nätverket mot välfärdsbrott");
  });
});
