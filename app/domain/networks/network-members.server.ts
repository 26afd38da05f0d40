import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { qualified } from "../../../db/qualified";
import { z } from "zod";
import type { Db, Queryable } from "../../../db/client";
import { memberships, networkContacts, networkLinks, networkMembers, networks, users } from "../../../db/schema";
import { disconnectLive } from "../../server/portal.server";
import { personRoom } from "../../../realtime/rooms";
import { recordAudit } from "../audit/audit.server";
import { afterWithdrawals, withdrawNetworkInvitations } from "../meetings/meeting-invitees.server";
import { emailSchema } from "../email-address";
import { conflict, notFound } from "../http-errors";
import { authorize, can, organisationIdsOf, type Actor, type NetworkResource } from "../policy";
import { loadNetworkResource } from "./networks.server";

/**
 * Who belongs to a network and what it keeps: members with accounts (coordinators or plain
 * members), external contacts (name and e-mail, no account) and a list of titled links.
 * Every command checks the policy, writes its audit event in the same transaction and, when
 * someone's rights shrink, closes their live connections so that every room is authorised again.
 */

const NETWORK_NOT_FOUND = "Nätverket finns inte.";
const MAX_CONTACTS = 500;
const MAX_LINKS = 50;

type LoadedNetwork = NetworkResource & { id: string; name: string };

/** The network for a command, or 404 for one the person may not see (its existence does not leak). */
async function visibleNetwork(db: Db, actor: Actor, networkId: string): Promise<LoadedNetwork> {
  const network = await loadNetworkResource(db, networkId);
  if (!network || !can(actor, "network.view", network)) throw notFound(NETWORK_NOT_FOUND);
  return network;
}

/** Locks the network row, so that two changes to its coordinators cannot both take the last one. */
async function lockNetwork(tx: Queryable, networkId: string) {
  await tx.select({ id: networks.id }).from(networks).where(eq(networks.id, networkId)).for("update");
}

async function coordinatorCount(tx: Queryable, networkId: string) {
  const [row] = await tx
    .select({ count: sql<number>`count(*)::int` })
    .from(networkMembers)
    .where(and(eq(networkMembers.networkId, networkId), eq(networkMembers.role, "samordnare")));
  return row.count;
}

async function memberRow(tx: Queryable, networkId: string, userId: string) {
  const [row] = await tx
    .select({ userId: networkMembers.userId, role: networkMembers.role, name: users.name })
    .from(networkMembers)
    .innerJoin(users, eq(users.id, networkMembers.userId))
    .where(and(eq(networkMembers.networkId, networkId), eq(networkMembers.userId, userId)));
  return row;
}

// ---------------------------------------------------------------------------------------------
// Input.

const id = (message: string) => z.uuid(message).transform((value) => value.toLowerCase());

export const networkMemberIntents = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("addMember"), userId: id("Välj en person i listan.") }),
    z.object({ intent: z.literal("removeMember"), userId: id("Ogiltig medlem.") }),
    z.object({ intent: z.literal("setRole"), userId: id("Ogiltig medlem."), role: z.enum(["samordnare", "medlem"], { error: "Välj samordnare eller medlem." }) }),
    z.object({ intent: z.literal("leave") }),
    z.object({
      intent: z.literal("addContact"),
      name: z.string({ error: "Ange kontaktens namn." }).trim().min(2, "Ange kontaktens namn (minst 2 tecken).").max(120, "Namnet får vara högst 120 tecken."),
      email: emailSchema,
    }),
    z.object({ intent: z.literal("removeContact"), contactId: id("Ogiltig kontakt.") }),
    z.object({
      intent: z.literal("addLink"),
      title: z.string({ error: "Ge länken en rubrik." }).trim().min(2, "Ge länken en rubrik (minst 2 tecken).").max(200, "Rubriken får vara högst 200 tecken."),
      url: z
        .string({ error: "Ange en webbadress." })
        .trim()
        .max(1000, "Webbadressen får vara högst 1000 tecken.")
        .refine((value) => /^https?:\/\/[^\s<>"]+$/i.test(value) && URL.canParse(value), "Ange en webbadress som börjar med https://."),
    }),
    z.object({ intent: z.literal("removeLink"), linkId: id("Ogiltig länk.") }),
  ],
  { error: "Okänd åtgärd. Ladda om sidan och försök igen." },
);

export type NetworkMemberCommand = z.infer<typeof networkMemberIntents>;

// ---------------------------------------------------------------------------------------------
// Queries.

const likePattern = (search: string) => `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * People a coordinator can add: active or invited accounts that are not members yet, found by
 * name, or by e-mail address. The directory of names is open to everyone; an address matches in
 * part only among the actor's colleagues (whose contact details the policy shows), otherwise
 * only in full, so the search does not reveal addresses.
 */
export async function searchPeopleToAdd(db: Db, actor: Actor, networkId: string, query: string) {
  const network = await visibleNetwork(db, actor, networkId);
  authorize(actor, "network.manageMembers", network);
  const search = query.trim().slice(0, 100);
  if (search.length < 2) return [];
  const colleagueOrganisations = `{${organisationIdsOf(actor).join(",")}}`;
  const rows = await db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      colleague: sql<boolean>`(${actor.isSystemAdmin}::boolean or exists (select 1 from ${memberships} where ${memberships.userId} = ${qualified(users.id)} and ${memberships.organisationId} = any(${colleagueOrganisations}::uuid[])))`,
      organisations: sql<string>`coalesce((select string_agg(o.name, ', ' order by o.name) from memberships m join organisations o on o.id = m.organisation_id where m.user_id = ${qualified(users.id)}), '')`,
    })
    .from(users)
    .where(
      and(
        inArray(users.status, ["active", "invited"]),
        sql`not exists (select 1 from ${networkMembers} where ${networkMembers.networkId} = ${networkId} and ${networkMembers.userId} = ${users.id})`,
        sql`(${users.name} ilike ${likePattern(search)}
          or lower(${users.email}) = lower(${search})
          or (${users.email} ilike ${likePattern(search)} and (${actor.isSystemAdmin}::boolean or exists (select 1 from ${memberships} where ${memberships.userId} = ${users.id} and ${memberships.organisationId} = any(${colleagueOrganisations}::uuid[])))))`,
      ),
    )
    .orderBy(asc(users.name))
    .limit(20);
  return rows.map(({ colleague, email, ...person }) => ({ ...person, email: colleague || email.toLowerCase() === search.toLowerCase() ? email : null }));
}

/** A network's external contacts and links; contacts' addresses only to those who manage members. */
export async function networkDetails(db: Db, actor: Actor, network: NetworkResource & { id: string }) {
  const showAddresses = can(actor, "network.manageMembers", network);
  const contacts = await db
    .select({ id: networkContacts.id, name: networkContacts.name, email: networkContacts.email })
    .from(networkContacts)
    .where(eq(networkContacts.networkId, network.id))
    .orderBy(asc(networkContacts.name), asc(networkContacts.email));
  const links = await db
    .select({ id: networkLinks.id, title: networkLinks.title, url: networkLinks.url })
    .from(networkLinks)
    .where(eq(networkLinks.networkId, network.id))
    .orderBy(asc(networkLinks.createdAt));
  return { contacts: contacts.map((contact) => ({ ...contact, email: showAddresses ? contact.email : null })), links };
}

/** The external contacts as invitees of a meeting for the whole network (accounts matched by address). */
export async function networkContactInvitees(tx: Queryable, networkId: string) {
  const contacts = await tx
    .select({ email: networkContacts.email, name: networkContacts.name })
    .from(networkContacts)
    .where(eq(networkContacts.networkId, networkId))
    .orderBy(asc(networkContacts.name));
  if (contacts.length === 0) return [];
  const known = await tx
    .select({ id: users.id, email: users.email, name: users.name })
    .from(users)
    .where(and(inArray(users.email, contacts.map((contact) => contact.email)), inArray(users.status, ["active", "invited"])));
  return contacts.map((contact) => {
    const person = known.find((row) => row.email === contact.email);
    return person ? { userId: person.id, email: person.email, name: person.name } : { userId: null, email: contact.email, name: contact.name };
  });
}

// ---------------------------------------------------------------------------------------------
// Commands.

/** Runs one of the network page's member, contact and link commands; answers with a Swedish message. */
export async function changeNetworkMembers(db: Db, actor: Actor, networkId: string, command: NetworkMemberCommand): Promise<string> {
  const network = await visibleNetwork(db, actor, networkId);
  switch (command.intent) {
    case "addMember":
      return addMember(db, actor, network, command.userId);
    case "removeMember":
      return removeMember(db, actor, network, command.userId);
    case "setRole":
      return setMemberRole(db, actor, network, command.userId, command.role);
    case "leave":
      return leaveNetwork(db, actor, network);
    case "addContact":
      return addContact(db, actor, network, command);
    case "removeContact":
      return removeContact(db, actor, network, command.contactId);
    case "addLink":
      return addLink(db, actor, network, command);
    case "removeLink":
      return removeLink(db, actor, network, command.linkId);
  }
}

async function addMember(db: Db, actor: Actor, network: LoadedNetwork, userId: string) {
  authorize(actor, "network.manageMembers", network);
  const name = await db.transaction(async (tx) => {
    const [person] = await tx
      .select({ id: users.id, name: users.name })
      .from(users)
      .where(and(eq(users.id, userId), inArray(users.status, ["active", "invited"])));
    if (!person) throw notFound("Personen finns inte eller har inget aktivt konto.");
    const inserted = await tx.insert(networkMembers).values({ networkId: network.id, userId, role: "medlem" }).onConflictDoNothing().returning();
    if (inserted.length === 0) throw conflict(`${person.name} är redan medlem i nätverket.`);
    await recordAudit(tx, {
      actor,
      action: "network.addMember",
      entityType: "network",
      entityId: network.id,
      organisationId: network.ownerOrganisationId,
      summary: `${actor.name} lade till ${person.name} i nätverket ${network.name}`,
      after: { userId, role: "medlem" },
    });
    return person.name;
  });
  return `${name} är nu medlem i nätverket.`;
}

/**
 * Takes a member out of the network. Their invitations to its coming meetings are withdrawn in the
 * same change (each with a cancellation for their calendar): the network invited them as a member.
 */
async function removeMember(db: Db, actor: Actor, network: LoadedNetwork, userId: string) {
  authorize(actor, "network.manageMembers", network);
  const { name, withdrawn } = await db.transaction(async (tx) => {
    await lockNetwork(tx, network.id);
    const member = await memberRow(tx, network.id, userId);
    if (!member) throw notFound("Personen är inte medlem i nätverket.");
    if (member.role === "samordnare" && (await coordinatorCount(tx, network.id)) <= 1) {
      throw conflict(`${member.name} är nätverkets enda samordnare. Gör någon annan till samordnare först.`);
    }
    await tx.delete(networkMembers).where(and(eq(networkMembers.networkId, network.id), eq(networkMembers.userId, userId)));
    const withdrawn = await withdrawNetworkInvitations(tx, actor, network.id, userId);
    const count = withdrawn.meetingIds.length;
    await recordAudit(tx, {
      actor,
      action: "network.removeMember",
      entityType: "network",
      entityId: network.id,
      organisationId: network.ownerOrganisationId,
      summary: `${actor.name} tog bort ${member.name} ur nätverket ${network.name}${count ? ` och drog tillbaka inbjudan till ${meetingsWord(count)}` : ""}`,
      before: { userId, role: member.role },
      after: count ? { withdrawnFromMeetings: withdrawn.meetingIds } : null,
    });
    return { name: member.name, withdrawn };
  });
  await afterWithdrawals(withdrawn.mailIds, withdrawn.meetingIds, userId);
  // Their open live views reconnect and are authorised again without the membership.
  disconnectLive(personRoom(userId));
  const count = withdrawn.meetingIds.length;
  return `${name} är borttagen ur nätverket.${count ? ` Inbjudan till ${meetingsWord(count)} är tillbakadragen, med en avbokning till ${name}.` : ""}`;
}

const meetingsWord = (count: number) => (count === 1 ? "1 kommande möte" : `${count} kommande möten`);

async function setMemberRole(db: Db, actor: Actor, network: LoadedNetwork, userId: string, role: "samordnare" | "medlem") {
  authorize(actor, "network.manageMembers", network);
  const result = await db.transaction(async (tx) => {
    await lockNetwork(tx, network.id);
    const member = await memberRow(tx, network.id, userId);
    if (!member) throw notFound("Personen är inte medlem i nätverket.");
    if (member.role === role) return { name: member.name, changed: false };
    if (member.role === "samordnare" && (await coordinatorCount(tx, network.id)) <= 1) {
      throw conflict(`${member.name} är nätverkets enda samordnare. Gör någon annan till samordnare först.`);
    }
    await tx.update(networkMembers).set({ role }).where(and(eq(networkMembers.networkId, network.id), eq(networkMembers.userId, userId)));
    await recordAudit(tx, {
      actor,
      action: "network.memberRole",
      entityType: "network",
      entityId: network.id,
      organisationId: network.ownerOrganisationId,
      summary: `${actor.name} gjorde ${member.name} till ${role === "samordnare" ? "samordnare" : "medlem"} i nätverket ${network.name}`,
      before: { userId, role: member.role },
      after: { userId, role },
    });
    return { name: member.name, changed: true };
  });
  if (result.changed) disconnectLive(personRoom(userId));
  return role === "samordnare" ? `${result.name} är samordnare i nätverket.` : `${result.name} är medlem (inte samordnare) i nätverket.`;
}

/**
 * A member leaves on their own. As when a coordinator takes them out, their invitations to the
 * network's coming meetings are withdrawn in the same change, each with a cancellation for their
 * calendar.
 */
async function leaveNetwork(db: Db, actor: Actor, network: LoadedNetwork) {
  authorize(actor, "network.leave", network);
  const withdrawn = await db.transaction(async (tx) => {
    await lockNetwork(tx, network.id);
    const member = await memberRow(tx, network.id, actor.userId);
    if (!member) throw notFound("Du är inte medlem i nätverket.");
    if (member.role === "samordnare" && (await coordinatorCount(tx, network.id)) <= 1) {
      throw conflict("Du är nätverkets enda samordnare och kan inte lämna det. Gör någon annan till samordnare först.");
    }
    await tx.delete(networkMembers).where(and(eq(networkMembers.networkId, network.id), eq(networkMembers.userId, actor.userId)));
    const withdrawn = await withdrawNetworkInvitations(tx, actor, network.id, actor.userId);
    const count = withdrawn.meetingIds.length;
    await recordAudit(tx, {
      actor,
      action: "network.leave",
      entityType: "network",
      entityId: network.id,
      organisationId: network.ownerOrganisationId,
      summary: `${actor.name} lämnade nätverket ${network.name}${count ? ` och drog tillbaka ${count === 1 ? "sin inbjudan" : "sina inbjudningar"} till ${meetingsWord(count)}` : ""}`,
      before: { userId: actor.userId, role: member.role },
      after: count ? { withdrawnFromMeetings: withdrawn.meetingIds } : null,
    });
    return withdrawn;
  });
  await afterWithdrawals(withdrawn.mailIds, withdrawn.meetingIds, actor.userId);
  disconnectLive(personRoom(actor.userId));
  const left = `Du har lämnat nätverket ${network.name}.`;
  const count = withdrawn.meetingIds.length;
  if (count === 0) return left;
  if (count === 1) return `${left} Din inbjudan till ${meetingsWord(count)} är tillbakadragen, med en avbokning till din e-post.`;
  return `${left} Dina inbjudningar till ${meetingsWord(count)} är tillbakadragna, med en avbokning för vart och ett till din e-post.`;
}

async function addContact(db: Db, actor: Actor, network: LoadedNetwork, input: { name: string; email: string }) {
  authorize(actor, "network.manageMembers", network);
  await db.transaction(async (tx) => {
    const [{ count }] = await tx.select({ count: sql<number>`count(*)::int` }).from(networkContacts).where(eq(networkContacts.networkId, network.id));
    if (count >= MAX_CONTACTS) throw conflict(`Ett nätverk kan ha högst ${MAX_CONTACTS} externa kontakter.`);
    const inserted = await tx
      .insert(networkContacts)
      .values({ networkId: network.id, name: input.name, email: input.email, createdBy: actor.userId })
      .onConflictDoNothing()
      .returning({ id: networkContacts.id });
    if (inserted.length === 0) throw conflict(`${input.email} finns redan bland nätverkets externa kontakter.`, { email: "Adressen finns redan bland kontakterna." });
    await recordAudit(tx, {
      actor,
      action: "network.addContact",
      entityType: "network",
      entityId: network.id,
      organisationId: network.ownerOrganisationId,
      summary: `${actor.name} lade till den externa kontakten ${input.name} i nätverket ${network.name}`,
      after: { contactId: inserted[0].id, name: input.name, email: input.email },
    });
  });
  return `${input.name} är tillagd som extern kontakt och får nätverkets mötesinbjudningar.`;
}

async function removeContact(db: Db, actor: Actor, network: LoadedNetwork, contactId: string) {
  authorize(actor, "network.manageMembers", network);
  const name = await db.transaction(async (tx) => {
    const [contact] = await tx
      .delete(networkContacts)
      .where(and(eq(networkContacts.id, contactId), eq(networkContacts.networkId, network.id)))
      .returning();
    if (!contact) throw notFound("Kontakten finns inte i nätverket.");
    await recordAudit(tx, {
      actor,
      action: "network.removeContact",
      entityType: "network",
      entityId: network.id,
      organisationId: network.ownerOrganisationId,
      summary: `${actor.name} tog bort den externa kontakten ${contact.name} ur nätverket ${network.name}`,
      before: { contactId, name: contact.name, email: contact.email },
    });
    return contact.name;
  });
  return `${name} är borttagen ur nätverkets kontakter.`;
}

async function addLink(db: Db, actor: Actor, network: LoadedNetwork, input: { title: string; url: string }) {
  authorize(actor, "network.manageLinks", network);
  await db.transaction(async (tx) => {
    await lockNetwork(tx, network.id);
    const [{ count }] = await tx.select({ count: sql<number>`count(*)::int` }).from(networkLinks).where(eq(networkLinks.networkId, network.id));
    if (count >= MAX_LINKS) throw conflict(`Ett nätverk kan ha högst ${MAX_LINKS} länkar. Ta bort en först.`);
    const [link] = await tx.insert(networkLinks).values({ networkId: network.id, title: input.title, url: input.url, createdBy: actor.userId }).returning();
    await recordAudit(tx, {
      actor,
      action: "network.addLink",
      entityType: "network",
      entityId: network.id,
      organisationId: network.ownerOrganisationId,
      summary: `${actor.name} lade till länken ${input.title} i nätverket ${network.name}`,
      after: { linkId: link.id, title: input.title, url: input.url },
    });
  });
  return `Länken ${input.title} är tillagd.`;
}

async function removeLink(db: Db, actor: Actor, network: LoadedNetwork, linkId: string) {
  authorize(actor, "network.manageLinks", network);
  const title = await db.transaction(async (tx) => {
    const [link] = await tx
      .delete(networkLinks)
      .where(and(eq(networkLinks.id, linkId), eq(networkLinks.networkId, network.id)))
      .returning();
    if (!link) throw notFound("Länken finns inte i nätverket.");
    await recordAudit(tx, {
      actor,
      action: "network.removeLink",
      entityType: "network",
      entityId: network.id,
      organisationId: network.ownerOrganisationId,
      summary: `${actor.name} tog bort länken ${link.title} ur nätverket ${network.name}`,
      before: { linkId, title: link.title, url: link.url },
    });
    return link.title;
  });
  return `Länken ${title} är borttagen.`;
}

/** Where a person is sent after leaving a network they can no longer see. */
export function stillSeesNetwork(actor: Actor, network: NetworkResource) {
  return can(actor, "network.view", { ...network, members: network.members.filter((member) => member.userId !== actor.userId) });
}

