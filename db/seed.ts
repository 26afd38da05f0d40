import { sql } from "drizzle-orm";
import type { Db } from "./client";
import { memberships, networkMembers, networks, organisations, users } from "./schema";

type OrgType = (typeof organisations.$inferInsert)["type"];

const districts = [
  "Bromma",
  "Enskede-Årsta-Vantör",
  "Farsta",
  "Hägersten-Älvsjö",
  "Hässelby-Vällingby",
  "Järva",
  "Kungsholmen",
  "Norra innerstaden",
  "Skarpnäck",
  "Skärholmen",
  "Södermalm",
];

const policeAreas = [
  "Norra innerstaden",
  "Södermalm",
  "Järva",
  "Vällingby",
  "Globen",
  "Farsta",
  "Skärholmen",
];

export const DEMO_ACCOUNTS = [
  { email: "maja.lindqvist@demo.stockholm.se", name: "Maja Lindqvist", title: "Systemförvaltare", org: "Stadsledningskontoret", role: "admin", systemAdmin: true, label: "systemadministratör" },
  { email: "johan.ek@demo.stockholm.se", name: "Johan Ek", title: "Avdelningschef", org: "Järva stadsdelsnämnd", role: "admin", systemAdmin: false, label: "organisationsadministratör" },
  { email: "amina.hassan@demo.stockholm.se", name: "Amina Hassan", title: "Nätverkssamordnare", org: "Stadsledningskontoret", role: "samordnare", systemAdmin: false, label: "samordnare" },
  { email: "erik.sandberg@demo.polisen.se", name: "Erik Sandberg", title: "Kommunpolis", org: "Lokalpolisområde Järva", role: "medlem", systemAdmin: false, label: "medlem (polisen)" },
  { email: "lena.berg@demo.regionstockholm.se", name: "Lena Berg", title: "Folkhälsostrateg", org: "Region Stockholm", role: "medlem", systemAdmin: false, label: "medlem (regionen)" },
] as const;

export const DEMO_NETWORK = "Trygghetsnätverket Järva";

/** Demo data for a new installation: runs only when there are no organisations yet. */
export async function seedDemoData(db: Db) {
  const result = (await db.execute(sql`select count(*)::int as count from organisations`)) as unknown as { rows: Array<{ count: number }> };
  const [{ count }] = result.rows;
  if (count > 0) return false;
  await db.transaction(async (tx) => {
    const orgRows: Array<{ name: string; type: OrgType; description?: string; parent?: string }> = [
      { name: "Stadsledningskontoret", type: "stad_central", description: "Kommunstyrelsens förvaltning; välfärdsavdelningen och säkerhetsavdelningen samordnar det brottsförebyggande arbetet." },
      ...districts.map((name) => ({ name: `${name} stadsdelsnämnd`, type: "stadsdelsnamnd" as const })),
      { name: "Trafiknämnden", type: "facknamnd_bolag" },
      { name: "Polisregion Stockholm", type: "polis" },
      ...policeAreas.map((name) => ({ name: `Lokalpolisområde ${name}`, type: "polis" as const, parent: "Polisregion Stockholm" })),
      { name: "Region Stockholm", type: "region_stat" },
      { name: "Länsstyrelsen i Stockholm", type: "region_stat" },
      { name: "Föreningsrådet Järva (demo)", type: "civilsamhalle", description: "Paraplyorganisation för föreningar, trossamfund och idrottsklubbar." },
      { name: "Fastighetsägare i samverkan (demo)", type: "naringsliv", description: "Fastighetsägare och näringsidkare i ytterstaden." },
    ];
    const inserted = await tx
      .insert(organisations)
      .values(orgRows.map(({ name, type, description }) => ({ name, type, description: description ?? "" })))
      .returning({ id: organisations.id, name: organisations.name });
    const idOf = (name: string) => inserted.find((row) => row.name === name)!.id;
    for (const row of orgRows.filter((row) => row.parent)) {
      await tx.update(organisations).set({ parentId: idOf(row.parent!) }).where(sql`${organisations.id} = ${idOf(row.name)}`);
    }
    const people = await tx
      .insert(users)
      .values(
        DEMO_ACCOUNTS.map((account) => ({
          email: account.email,
          name: account.name,
          title: account.title,
          status: "active" as const,
          isSystemAdmin: account.systemAdmin,
        })),
      )
      .returning({ id: users.id, email: users.email });
    const personId = (email: string) => people.find((row) => row.email === email)!.id;
    await tx.insert(memberships).values(
      DEMO_ACCOUNTS.map((account) => ({ userId: personId(account.email), organisationId: idOf(account.org), role: account.role })),
    );
    const [network] = await tx
      .insert(networks)
      .values({
        name: DEMO_NETWORK,
        purpose: "Samordning av det trygghetsskapande arbetet i Järva mellan staden, polisen, regionen och civilsamhället.",
        ownerOrganisationId: idOf("Stadsledningskontoret"),
        sharedWithOrganisationIds: [idOf("Järva stadsdelsnämnd"), idOf("Lokalpolisområde Järva"), idOf("Region Stockholm"), idOf("Föreningsrådet Järva (demo)")],
      })
      .returning({ id: networks.id });
    await tx.insert(networkMembers).values([
      { networkId: network.id, userId: personId("amina.hassan@demo.stockholm.se"), role: "samordnare" },
      { networkId: network.id, userId: personId("johan.ek@demo.stockholm.se"), role: "medlem" },
      { networkId: network.id, userId: personId("erik.sandberg@demo.polisen.se"), role: "medlem" },
    ]);
  });
  return true;
}
