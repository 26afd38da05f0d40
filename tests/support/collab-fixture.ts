import crypto from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { agendaItems, meetingInvitees, meetings, memberships, networks, organisations, users } from "../../db/schema";
import { DEMO_NETWORK } from "../../db/seed";

/** Demo people by what they may do with the notes of a meeting in the demo network (see the policy). */
export const NOTES_PEOPLE = {
  /** The network's coordinator: writes. */
  coordinator: "amina.hassan@demo.stockholm.se",
  /** A network member from the police: writes. */
  member: "erik.sandberg@demo.polisen.se",
  /** Region Stockholm sees the network's meetings through sharing only: reads. */
  reader: "lena.berg@demo.regionstockholm.se",
};

/** A meeting of the demo network with an agenda, the coordinator and the police member invited. */
export async function createNotesMeeting(db: Db, title = "Samverkansmöte Järva", agenda = ["Lägesbild", "Trygghetsvandring i Husby", "Övriga frågor"]) {
  const [network] = await db.select().from(networks).where(eq(networks.name, DEMO_NETWORK));
  const startsAt = new Date(Date.now() + 7 * 86_400_000);
  const [meeting] = await db
    .insert(meetings)
    .values({
      networkId: network.id,
      ownerOrganisationId: network.ownerOrganisationId,
      sharedWithOrganisationIds: network.sharedWithOrganisationIds,
      title,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 2 * 3_600_000),
      place: "Husby träff",
      nextReminderAt: null,
    })
    .returning();
  if (agenda.length > 0) await db.insert(agendaItems).values(agenda.map((item, position) => ({ meetingId: meeting.id, position, title: item })));
  await db.insert(meetingInvitees).values([
    { meetingId: meeting.id, email: NOTES_PEOPLE.coordinator, name: "Amina Hassan", response: "ja" as const },
    { meetingId: meeting.id, email: NOTES_PEOPLE.member, name: "Erik Sandberg", response: "ja" as const },
  ]);
  return meeting.id;
}

/** Someone with an account in an organisation the demo network is not shared with. */
export async function createOutsider(db: Db) {
  const suffix = crypto.randomBytes(3).toString("hex");
  const [organisation] = await db.insert(organisations).values({ name: `Utomstående förening ${suffix}`, type: "civilsamhalle" }).returning();
  const email = `utomstaende.${suffix}@example.se`;
  const [user] = await db.insert(users).values({ email, name: "Ulla Utomstående", status: "active" }).returning();
  await db.insert(memberships).values({ userId: user.id, organisationId: organisation.id, role: "medlem" });
  return email;
}
