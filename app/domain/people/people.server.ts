import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import { qualified } from "../../../db/qualified";
import { z } from "zod";
import type { Db } from "../../../db/client";
import {
  auditEvents,
  emails,
  meetingInvitees,
  removedMeetingInvitees,
  calendarFeeds,
  meetingSeriesInvitees,
  meetings,
  memberships,
  networkMembers,
  networks,
  organisations,
  sessions,
  signInTokens,
  users,
  type NotificationSettings,
} from "../../../db/schema";
import { invalidateAllSessions } from "../../auth/session.server";
import { personRoom } from "../../../realtime/rooms";
import { disconnectLive } from "../../server/portal.server";
import { changedFields, recordAudit } from "../audit/audit.server";
import { issueSignInToken } from "../auth/sign-in.server";
import { emailSchema } from "../email-address";
import { badRequest, conflict, notFound } from "../http-errors";
import { dispatchEmails } from "../mail/mail.server";
import { authorize, type Actor, type OrganisationRole } from "../policy";

export { roleLabels } from "../organisations/labels";
import { roleLabels } from "../organisations/labels";
import { anonymisePollParticipants, pollDataOf } from "../polls/polls.server";
const roleSchema = z.enum(["admin", "samordnare", "medlem"], { error: "Välj en roll." });
const text = (max: number, label: string) => z.string().trim().max(max, `${label} får vara högst ${max} tecken.`);

export const inviteSchema = z.object({
  email: emailSchema,
  name: text(120, "Namnet").min(2, "Ange personens namn."),
  title: text(120, "Titeln").default(""),
  role: roleSchema,
});

export const profileSchema = z.object({
  name: text(120, "Namnet").min(2, "Ange ditt namn."),
  title: text(120, "Titeln"),
  phone: text(40, "Telefonnumret").regex(/^[0-9 +()-]*$/, "Telefonnumret får bara innehålla siffror, mellanslag och + ( ) -."),
  meetingReminders: z.boolean(),
  actionDigest: z.boolean(),
  mentions: z.boolean(),
});

async function personResource(db: Db, userId: string) {
  const [person] = await db.select().from(users).where(eq(users.id, userId));
  if (!person) throw notFound("Personen finns inte.");
  const rows = await db.select({ organisationId: memberships.organisationId }).from(memberships).where(eq(memberships.userId, userId));
  return { person, resource: { type: "person" as const, id: userId, organisationIds: rows.map((row) => row.organisationId), isSystemAdmin: person.isSystemAdmin } };
}

/** Invites a person to an organisation: a new account, or a membership for someone already here. */
export async function inviteMember(db: Db, actor: Actor, organisationId: string, input: z.infer<typeof inviteSchema>) {
  authorize(actor, "organisation.invite", { type: "organisation", id: organisationId });
  const [organisation] = await db.select().from(organisations).where(eq(organisations.id, organisationId));
  if (!organisation) throw notFound("Organisationen finns inte.");
  const emailId = await db.transaction(async (tx) => {
    let [person] = await tx.select().from(users).where(and(eq(users.email, input.email), ne(users.status, "anonymised")));
    if (person) {
      const [existing] = await tx
        .select()
        .from(memberships)
        .where(and(eq(memberships.userId, person.id), eq(memberships.organisationId, organisationId)));
      if (existing) throw conflict(`${person.name} är redan medlem i ${organisation.name}.`, { email: "Personen är redan medlem." });
    } else {
      [person] = await tx.insert(users).values({ email: input.email, name: input.name, title: input.title, status: "invited" }).returning();
    }
    await tx.insert(memberships).values({ userId: person.id, organisationId, role: input.role });
    await recordAudit(tx, {
      actor,
      action: "membership.invite",
      entityType: "person",
      entityId: person.id,
      organisationId,
      summary: `${actor.name} bjöd in ${person.name} till ${organisation.name} som ${roleLabels[input.role].toLowerCase()}`,
      after: { organisation: organisation.name, role: input.role },
    });
    if (person.status === "active") return undefined;
    if (person.status === "deactivated") await tx.update(users).set({ status: "invited" }).where(eq(users.id, person.id));
    return issueSignInToken(tx, person, { purpose: "invitation", invitedBy: actor.name, organisationName: organisation.name });
  });
  await dispatchEmails([emailId]);
}

export async function changeRole(db: Db, actor: Actor, organisationId: string, userId: string, role: OrganisationRole) {
  authorize(actor, "organisation.manageMembers", { type: "organisation", id: organisationId });
  await db.transaction(async (tx) => {
    const [membership] = await tx
      .select({ role: memberships.role, name: users.name })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.userId, userId), eq(memberships.organisationId, organisationId)))
      .for("update");
    if (!membership) throw notFound("Personen är inte medlem i organisationen.");
    if (membership.role === role) return;
    if (membership.role === "admin") await assertAnotherAdmin(tx as unknown as Db, organisationId, userId);
    await tx.update(memberships).set({ role }).where(and(eq(memberships.userId, userId), eq(memberships.organisationId, organisationId)));
    await recordAudit(tx, {
      actor,
      action: "membership.role",
      entityType: "person",
      entityId: userId,
      organisationId,
      summary: `${actor.name} ändrade rollen för ${membership.name} till ${roleLabels[role].toLowerCase()}`,
      before: { role: membership.role },
      after: { role },
    });
  });
  // Open live views reconnect and are authorised again with the new role.
  disconnectLive(personRoom(userId));
}

async function assertAnotherAdmin(db: Db, organisationId: string, exceptUserId: string) {
  const [row] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.organisationId, organisationId),
        eq(memberships.role, "admin"),
        ne(memberships.userId, exceptUserId),
        eq(users.status, "active"),
      ),
    );
  if (row.count === 0) throw conflict("Organisationen måste ha minst en aktiv administratör. Utse en annan administratör först.");
}

/** Takes a person out of one organisation; the account stays for their other organisations. */
export async function removeMember(db: Db, actor: Actor, organisationId: string, userId: string) {
  authorize(actor, "organisation.manageMembers", { type: "organisation", id: organisationId });
  await db.transaction(async (tx) => {
    const [membership] = await tx
      .select({ role: memberships.role, name: users.name, organisationName: organisations.name })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
      .where(and(eq(memberships.userId, userId), eq(memberships.organisationId, organisationId)));
    if (!membership) throw notFound("Personen är inte medlem i organisationen.");
    if (membership.role === "admin") await assertAnotherAdmin(tx as unknown as Db, organisationId, userId);
    await tx.delete(memberships).where(and(eq(memberships.userId, userId), eq(memberships.organisationId, organisationId)));
    await recordAudit(tx, {
      actor,
      action: "membership.remove",
      entityType: "person",
      entityId: userId,
      organisationId,
      summary: `${actor.name} tog bort ${membership.name} från ${membership.organisationName}`,
      before: { role: membership.role },
      after: null,
    });
  });
  disconnectLive(personRoom(userId));
}

/** Locks an account (a person who left): no sign-in, every session ended. */
export async function setPersonActive(db: Db, actor: Actor, userId: string, active: boolean) {
  const { person, resource } = await personResource(db, userId);
  authorize(actor, "person.deactivate", resource);
  if (person.status === "anonymised") throw conflict("Personen är anonymiserad och kan inte ändras.");
  const next = active ? (person.lastSignInAt ? "active" : "invited") : "deactivated";
  if (person.status === next) return;
  if (!active) {
    for (const organisationId of resource.organisationIds) {
      const [membership] = await db
        .select({ role: memberships.role })
        .from(memberships)
        .where(and(eq(memberships.userId, userId), eq(memberships.organisationId, organisationId)));
      if (membership?.role === "admin") await assertAnotherAdmin(db, organisationId, userId);
    }
  }
  await db.transaction(async (tx) => {
    await tx.update(users).set({ status: next, updatedAt: new Date() }).where(eq(users.id, userId));
    if (!active) await invalidateAllSessions(tx, userId);
    await recordAudit(tx, {
      actor,
      action: active ? "person.reactivate" : "person.deactivate",
      entityType: "person",
      entityId: userId,
      organisationId: resource.organisationIds[0] ?? null,
      summary: `${actor.name} ${active ? "återaktiverade" : "inaktiverade"} kontot för ${person.name}`,
      before: { status: person.status },
      after: { status: next },
    });
  });
  if (!active) disconnectLive(personRoom(userId));
}

/**
 * GDPR erasure for a person who has left: personal data replaced, sessions, tokens and network
 * memberships removed. What they did stays in the audit log under "Anonymiserad person".
 */
export async function anonymisePerson(db: Db, actor: Actor, userId: string) {
  const { person, resource } = await personResource(db, userId);
  authorize(actor, "person.anonymise", resource);
  if (person.status === "anonymised") return;
  if (person.status !== "deactivated") throw conflict("Inaktivera kontot innan personen anonymiseras.");
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({
        name: "Anonymiserad person",
        email: `anonymiserad-${userId}@invalid`,
        title: "",
        phone: "",
        status: "anonymised",
        isSystemAdmin: false,
        updatedAt: new Date(),
      })
      .where(eq(users.id, userId));
    await tx.delete(sessions).where(eq(sessions.userId, userId));
    await tx.delete(signInTokens).where(eq(signInTokens.userId, userId));
    await tx.delete(networkMembers).where(eq(networkMembers.userId, userId));
    await tx.delete(memberships).where(eq(memberships.userId, userId));
    await tx
      .update(meetingInvitees)
      .set({ name: "Anonymiserad person", email: `anonymiserad-${userId}@invalid`, comment: "" })
      .where(eq(meetingInvitees.userId, userId));
    await tx
      .update(removedMeetingInvitees)
      .set({ name: "Anonymiserad person", email: `anonymiserad-${userId}@invalid` })
      .where(eq(removedMeetingInvitees.userId, userId));
    await tx.delete(calendarFeeds).where(eq(calendarFeeds.userId, userId));
    await anonymisePollParticipants(tx, userId);
    await tx
      .update(meetingSeriesInvitees)
      .set({ name: "Anonymiserad person", email: `anonymiserad-${userId}@invalid` })
      .where(eq(meetingSeriesInvitees.userId, userId));
    // Mail to the person keeps its status for the operators, not the address or the content.
    const mailTo = sql`lower(${emails.toAddress}) = lower(${person.email})`;
    await tx.update(emails).set({ status: "dead", lastError: "Mottagaren har anonymiserats", updatedAt: new Date() }).where(and(mailTo, inArray(emails.status, ["queued", "sending"])));
    await tx.update(emails).set({ toAddress: `anonymiserad-${userId}@invalid`, props: {} }).where(mailTo);
    await recordAudit(tx, {
      actor,
      action: "person.anonymise",
      entityType: "person",
      entityId: userId,
      organisationId: resource.organisationIds[0] ?? null,
      summary: `${actor.name} anonymiserade en person som lämnat`,
    });
  });
}

export async function updateProfile(db: Db, actor: Actor, input: z.infer<typeof profileSchema>) {
  const { person, resource } = await personResource(db, actor.userId);
  authorize(actor, "person.editProfile", resource);
  const notificationSettings: NotificationSettings = {
    meetingReminders: input.meetingReminders,
    actionDigest: input.actionDigest,
    mentions: input.mentions,
  };
  const next = { name: input.name, title: input.title, phone: input.phone, notificationSettings };
  const diff = changedFields(
    { name: person.name, title: person.title, phone: person.phone, notificationSettings: person.notificationSettings },
    next,
  );
  if (diff.changed.length === 0) return;
  await db.transaction(async (tx) => {
    await tx.update(users).set({ ...next, updatedAt: new Date() }).where(eq(users.id, actor.userId));
    await recordAudit(tx, {
      actor,
      action: "person.profile",
      entityType: "person",
      entityId: actor.userId,
      summary: `${input.name} uppdaterade sin profil (${diff.changed.join(", ")})`,
      before: diff.before,
      after: diff.after,
    });
  });
}

export async function getProfile(db: Db, actor: Actor) {
  const [person] = await db.select().from(users).where(eq(users.id, actor.userId));
  if (!person) throw notFound();
  const activeSessions = await db
    .select({ id: sessions.id, userAgent: sessions.userAgent, createdAt: sessions.createdAt, lastVerifiedAt: sessions.lastVerifiedAt })
    .from(sessions)
    .where(eq(sessions.userId, actor.userId))
    .orderBy(asc(sessions.createdAt));
  return { person, sessions: activeSessions };
}

/** Everything the portal holds about the person, for their own download (GDPR art. 15 and 20). */
export async function exportPersonData(db: Db, actor: Actor) {
  const { person, resource } = await personResource(db, actor.userId);
  authorize(actor, "person.exportData", resource);
  const [orgs, nets, sessionRows, actions, mails, invitations] = await Promise.all([
    db
      .select({ organisation: organisations.name, role: memberships.role, since: memberships.createdAt })
      .from(memberships)
      .innerJoin(organisations, eq(organisations.id, memberships.organisationId))
      .where(eq(memberships.userId, person.id)),
    db
      .select({ network: networks.name, role: networkMembers.role, since: networkMembers.createdAt })
      .from(networkMembers)
      .innerJoin(networks, eq(networks.id, networkMembers.networkId))
      .where(eq(networkMembers.userId, person.id)),
    db
      .select({ createdAt: sessions.createdAt, lastUsedAt: sessions.lastVerifiedAt, userAgent: sessions.userAgent })
      .from(sessions)
      .where(eq(sessions.userId, person.id)),
    db
      .select({ at: auditEvents.occurredAt, action: auditEvents.action, summary: auditEvents.summary })
      .from(auditEvents)
      .where(eq(auditEvents.actorUserId, person.id)),
    db
      .select({ subject: emails.subject, status: emails.status, createdAt: emails.createdAt, sentAt: emails.sentAt })
      .from(emails)
      .where(eq(emails.toAddress, person.email)),
    db
      .select({
        meeting: meetings.title,
        startsAt: meetings.startsAt,
        email: meetingInvitees.email,
        response: meetingInvitees.response,
        comment: meetingInvitees.comment,
        respondedAt: meetingInvitees.respondedAt,
      })
      .from(meetingInvitees)
      .innerJoin(meetings, eq(meetings.id, meetingInvitees.meetingId))
      .where(eq(meetingInvitees.userId, person.id))
      .orderBy(asc(meetings.startsAt)),
  ]);
  return {
    exportedAt: new Date().toISOString(),
    person: {
      name: person.name,
      email: person.email,
      title: person.title,
      phone: person.phone,
      status: person.status,
      notificationSettings: person.notificationSettings,
      createdAt: person.createdAt,
      lastSignInAt: person.lastSignInAt,
    },
    organisations: orgs,
    networks: nets,
    sessions: sessionRows,
    activity: actions,
    emails: mails,
    meetingInvitations: invitations,
    timePolls: await pollDataOf(db, person.id),
  };
}

export async function listOrganisations(db: Db) {
  return db
    .select({
      id: organisations.id,
      name: organisations.name,
      type: organisations.type,
      members: sql<number>`(select count(*)::int from memberships m join users u on u.id = m.user_id where m.organisation_id = ${qualified(organisations.id)} and u.status <> 'anonymised')`,
    })
    .from(organisations)
    .orderBy(asc(organisations.name));
}

export async function getOrganisation(db: Db, actor: Actor, organisationId: string) {
  authorize(actor, "organisation.view", { type: "organisation", id: organisationId });
  const [organisation] = await db.select().from(organisations).where(eq(organisations.id, organisationId));
  if (!organisation) throw notFound("Organisationen finns inte.");
  const members = await db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      title: users.title,
      phone: users.phone,
      status: users.status,
      isSystemAdmin: users.isSystemAdmin,
      role: memberships.role,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.organisationId, organisationId), ne(users.status, "anonymised")))
    .orderBy(asc(users.name));
  const otherOrgs = members.length
    ? await db
        .select({ userId: memberships.userId, organisationId: memberships.organisationId })
        .from(memberships)
        .where(inArray(memberships.userId, members.map((member) => member.id)))
    : [];
  return { organisation, members, memberOrganisations: otherOrgs };
}

export function parseRole(value: unknown) {
  const parsed = roleSchema.safeParse(value);
  if (!parsed.success) throw badRequest("Välj en giltig roll.", { role: "Välj en giltig roll." });
  return parsed.data;
}
