import { and, eq, ne } from "drizzle-orm";
import { migrateDatabase } from "../../db/client";
import { memberships, organisations, users } from "../../db/schema";
import { recordAudit, SYSTEM_ACTOR } from "../domain/audit/audit.server";
import { emailSchema, issueSignInToken } from "../domain/auth/sign-in.server";
import { anonymisePerson, setPersonActive } from "../domain/people/people.server";
import { organisationTypeLabels } from "../domain/organisations/labels";
import { config } from "./config.server";
import { openPortalDatabase } from "./start.server";

const usage = `Användning: npm run admin -- <kommando>

  invite <e-post> <namn> <organisation> [admin|samordnare|medlem]
      Bjuder in en person till en organisation (mejlet skickas när portalen körs).
  create-admin <e-post> <namn> [organisation]
      Skapar eller uppgraderar en systemadministratör (aktiv direkt).
  anonymise <e-post>
      Inaktiverar och anonymiserar en person som har slutat.
  organisations
      Listar organisationerna.
  create-organisation <namn> <typ>
      Lägger till en organisation. Typer: ${Object.keys(organisationTypeLabels).join(", ")}.

Kör kommandona när portalen är stoppad om den använder PGlite (./data).`;

async function main() {
  const [command, ...args] = process.argv.slice(2);
  if (!command || command === "help" || command === "--help") {
    console.log(usage);
    return;
  }
  const database = await openPortalDatabase(config());
  const db = database.db;
  try {
    await migrateDatabase(database);
    switch (command) {
      case "organisations": {
        for (const org of await db.select().from(organisations).orderBy(organisations.name)) console.log(`${org.name}`);
        break;
      }
      case "create-organisation": {
        const [name, type] = args.map((arg) => arg?.trim());
        if (!name || !type) throw new Error(usage);
        if (!(type in organisationTypeLabels)) throw new Error(`Okänd typ "${type}". Typer: ${Object.keys(organisationTypeLabels).join(", ")}.`);
        await db.transaction(async (tx) => {
          const [existing] = await tx.select().from(organisations).where(eq(organisations.name, name));
          if (existing) throw new Error(`Organisationen "${name}" finns redan.`);
          const [org] = await tx.insert(organisations).values({ name, type: type as "stadsdelsnamnd" }).returning();
          await recordAudit(tx, {
            actor: SYSTEM_ACTOR,
            action: "organisation.create",
            entityType: "organisation",
            entityId: org.id,
            organisationId: org.id,
            summary: `Driftkommandot lade till organisationen ${name} (${organisationTypeLabels[type].toLowerCase()})`,
          });
        });
        console.log(`Organisationen ${name} är tillagd.`);
        break;
      }
      case "invite": {
        const [rawEmail, name, organisationName, role = "medlem"] = args;
        const email = emailSchema.parse(rawEmail ?? "");
        if (!name || !organisationName) throw new Error(usage);
        if (!["admin", "samordnare", "medlem"].includes(role)) throw new Error("Rollen ska vara admin, samordnare eller medlem.");
        const [org] = await db.select().from(organisations).where(eq(organisations.name, organisationName));
        if (!org) throw new Error(`Organisationen "${organisationName}" finns inte (se: npm run admin -- organisations).`);
        await db.transaction(async (tx) => {
          let [person] = await tx.select().from(users).where(and(eq(users.email, email), ne(users.status, "anonymised")));
          person ??= (await tx.insert(users).values({ email, name, status: "invited" }).returning())[0];
          await tx
            .insert(memberships)
            .values({ userId: person.id, organisationId: org.id, role: role as "medlem" })
            .onConflictDoUpdate({ target: [memberships.userId, memberships.organisationId], set: { role: role as "medlem" } });
          await recordAudit(tx, {
            actor: SYSTEM_ACTOR,
            action: "membership.invite",
            entityType: "person",
            entityId: person.id,
            organisationId: org.id,
            summary: `Driftkommandot bjöd in ${name} till ${org.name} som ${role}`,
          });
          if (person.status !== "active") await issueSignInToken(tx, person, { purpose: "invitation", invitedBy: "Portalens förvaltning", organisationName: org.name });
        });
        console.log(`${email} är inbjuden till ${org.name}. Mejlet skickas när portalen körs.`);
        break;
      }
      case "create-admin": {
        const [rawEmail, name, organisationName] = args;
        const email = emailSchema.parse(rawEmail ?? "");
        if (!name) throw new Error(usage);
        await db.transaction(async (tx) => {
          let [person] = await tx.select().from(users).where(and(eq(users.email, email), ne(users.status, "anonymised")));
          if (person) await tx.update(users).set({ isSystemAdmin: true, status: "active" }).where(eq(users.id, person.id));
          else person = (await tx.insert(users).values({ email, name, status: "active", isSystemAdmin: true }).returning())[0];
          if (organisationName) {
            const [org] = await tx.select().from(organisations).where(eq(organisations.name, organisationName));
            if (!org) throw new Error(`Organisationen "${organisationName}" finns inte.`);
            await tx.insert(memberships).values({ userId: person.id, organisationId: org.id, role: "admin" }).onConflictDoNothing();
          }
          await recordAudit(tx, { actor: SYSTEM_ACTOR, action: "person.system_admin", entityType: "person", entityId: person.id, summary: `Driftkommandot gjorde ${name} till systemadministratör` });
        });
        console.log(`${email} är systemadministratör. Logga in med adressen på /logga-in.`);
        break;
      }
      case "anonymise": {
        const email = emailSchema.parse(args[0] ?? "");
        const [person] = await db.select().from(users).where(eq(users.email, email));
        if (!person) throw new Error(`Ingen person med adressen ${email}.`);
        if (person.status !== "deactivated") await setPersonActive(db, SYSTEM_ACTOR, person.id, false);
        await anonymisePerson(db, SYSTEM_ACTOR, person.id);
        console.log(`${email} är anonymiserad.`);
        break;
      }
      default:
        throw new Error(`Okänt kommando "${command}".\n\n${usage}`);
    }
  } finally {
    await database.close();
  }
}

main().catch(async (error) => {
  const message = error instanceof Response ? ((await error.json()) as { message: string }).message : error instanceof Error ? error.message : String(error);
  console.error(message);
  process.exit(1);
});
