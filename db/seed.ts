import { sql } from "drizzle-orm";
import type { Db } from "./client";
import { actionItems, actionLists, memberships, networkMembers, networks, organisations, users } from "./schema";

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
    await seedDemoActionList(tx, { idOf, personId, networkId: network.id });
  });
  return true;
}

/** One joint action list of Järva stadsdelsnämnd and Lokalpolisområde Järva, with a handful of åtgärder. */
async function seedDemoActionList(
  tx: Parameters<Parameters<Db["transaction"]>[0]>[0],
  ids: { idOf: (name: string) => string; personId: (email: string) => string; networkId: string },
) {
  const city = ids.idOf("Järva stadsdelsnämnd");
  const police = ids.idOf("Lokalpolisområde Järva");
  const johan = ids.personId("johan.ek@demo.stockholm.se");
  const erik = ids.personId("erik.sandberg@demo.polisen.se");
  const [list] = await tx
    .insert(actionLists)
    .values({
      title: "Åtgärdslista Järva 2026",
      description: "Gemensamma åtgärder för stadsdelsnämnden och lokalpolisområdet enligt den lokala samverkansöverenskommelsen.",
      ownerOrganisationId: city,
      sharedWithOrganisationIds: [police],
      networkId: ids.networkId,
      createdBy: johan,
    })
    .returning({ id: actionLists.id });
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const rows = [
    { cause: "Otrygghet kvällstid vid Tensta centrum", title: "Trygghetsvandringar med boende", operationalGoal: "Minst 3 trygghetsvandringar under året", responsibleOrganisationId: city, contactUserId: johan, status: "pagar" as const, judgement: "gron" as const, focusArea: "stadens_offentliga_miljo" as const, preventionType: "situationell" as const, perspectives: ["jamstalldhet" as const], startDate: day(-60), deadline: day(45) },
    { cause: "Narkotikaförsäljning i gångtunnel", title: "Förbättrad belysning i gångtunneln", operationalGoal: "Belysningen åtgärdad före vintern", responsibleOrganisationId: city, contactUserId: johan, status: "ej_paborjad" as const, judgement: "gul" as const, judgementReason: "Väntar på beslut om budget", focusArea: "stadsutveckling" as const, preventionType: "situationell" as const, perspectives: [], startDate: day(-10), deadline: day(-3) },
    { cause: "Unga i riskzonen", title: "Helginsats med fältassistenter och kommunpolis", operationalGoal: "Helginsats minst 40 av 52 veckor", responsibleOrganisationId: police, contactUserId: erik, status: "pagar" as const, judgement: "gron" as const, focusArea: "riktade_sociala_insatser" as const, preventionType: "social" as const, perspectives: ["barn" as const], startDate: day(-120), deadline: day(200) },
    { cause: "Skadegörelse på skolgårdar", title: "Gemensam lägesbild varje vecka (EST)", operationalGoal: "Veckovis lägesbild delad med polisen", responsibleOrganisationId: police, contactUserId: erik, status: "klar" as const, judgement: "gron" as const, focusArea: "forebyggande_arbete" as const, preventionType: "social" as const, perspectives: [], startDate: day(-200), deadline: day(-30) },
    { cause: "Otillåten påverkan på handläggare", title: "Utbildning om otillåten påverkan", operationalGoal: "Alla handläggare utbildade", responsibleOrganisationId: city, contactUserId: johan, status: "ej_paborjad" as const, judgement: null, focusArea: "forebyggande_arbete" as const, preventionType: "social" as const, perspectives: [], startDate: null, deadline: day(90) },
  ];
  await tx.insert(actionItems).values(
    rows.map((row, index) => ({ ...row, listId: list.id, number: index + 1, contributingOrganisationIds: [row.responsibleOrganisationId === city ? police : city], createdBy: johan })),
  );
}
