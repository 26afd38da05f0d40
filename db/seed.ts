import { sql } from "drizzle-orm";
import type { Db } from "./client";
import { workingSnapshot } from "../app/domain/agreements/agreements.server";
import { FIVE_STEPS } from "../app/domain/agreements/labels";
import {
  agreementContent,
  agreementGoals,
  agreementIndicators,
  agreementMeasurements,
  agreementProblems,
  agreementRevisions,
  agreements,
  agreementSignatories,
  agreementStepCriteria,
  citizenPromiseOccurrences,
  citizenPromises,
  memberships,
  networkMembers,
  networks,
  organisations,
  users,
} from "./schema";

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
    await seedAgreements(tx, idOf, personId);
  });
  return true;
}

type SeedTx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/**
 * The city-wide agreement 2024–2027 (decided) and a local one for Järva under it (decided, with
 * indicators, measurements and a published medborgarlöfte).
 */
async function seedAgreements(tx: SeedTx, idOf: (name: string) => string, personId: (email: string) => string) {
  const central = idOf("Stadsledningskontoret");
  const admin = personId("maja.lindqvist@demo.stockholm.se");
  async function agreement(input: {
    title: string;
    level: "stadsovergripande" | "lokal";
    owner: string;
    parties: string[];
    parentAgreementId?: string;
    localArea: string;
    situationSummary: string;
    problems: Array<{ title: string; probableCauses: string; goals: string[] }>;
    signatories: Array<{ organisationId: string; name: string; title: string }>;
    doneSteps: number;
  }) {
    const [row] = await tx
      .insert(agreements)
      .values({
        title: input.title,
        level: input.level,
        status: "gallande",
        periodStartYear: 2024,
        periodEndYear: 2027,
        parentAgreementId: input.parentAgreementId ?? null,
        ownerOrganisationId: input.owner,
        sharedWithOrganisationIds: input.parties,
        createdBy: admin,
      })
      .returning();
    await tx.insert(agreementContent).values({
      agreementId: row.id,
      localArea: input.localArea,
      situationSummary: input.situationSummary,
      sourceLinks: [
        { label: "Trygghet på karta", url: "https://start.stockholm/trygghet-pa-karta" },
        { label: "Stockholms stads trygghetsundersökning", url: "https://start.stockholm/trygghetsundersokning" },
      ],
      documentationMethod: "Åtgärderna dokumenteras i den gemensamma åtgärdslistan i Samverkansportalen med ansvarig, tid och uppföljning.",
      followUpMethod: "Veckovis lägesbild enligt EST, kvartalsvis analys och uppföljning per tertial (T1, T2 och verksamhetsberättelse).",
    });
    const goalIds: string[] = [];
    for (const [position, problem] of input.problems.entries()) {
      const [problemRow] = await tx
        .insert(agreementProblems)
        .values({ agreementId: row.id, title: problem.title, probableCauses: problem.probableCauses, position })
        .returning();
      for (const goal of problem.goals) {
        const [goalRow] = await tx
          .insert(agreementGoals)
          .values({ agreementId: row.id, problemId: problemRow.id, title: goal, position: goalIds.length })
          .returning();
        goalIds.push(goalRow.id);
      }
    }
    await tx.insert(agreementSignatories).values(input.signatories.map((signatory, position) => ({ agreementId: row.id, ...signatory, position })));
    await tx.insert(agreementStepCriteria).values(
      FIVE_STEPS.flatMap((step) =>
        step.criteria.map((text, position) => ({
          agreementId: row.id,
          step: step.step,
          position,
          text,
          completedAt: step.step <= input.doneSteps ? new Date("2024-03-01T09:00:00Z") : null,
        })),
      ),
    );
    await tx.insert(agreementRevisions).values({
      agreementId: row.id,
      number: 1,
      snapshot: await workingSnapshot(tx, row),
      createdBy: admin,
      submittedAt: new Date("2024-02-15T09:00:00Z"),
      decidedAt: new Date("2024-03-01T09:00:00Z"),
      decidedBy: admin,
      decisionNote: "Fastställd av parterna i mars 2024.",
    });
    return { id: row.id, goalIds };
  }

  const cityWide = await agreement({
    title: "Samverkansöverenskommelse mellan Stockholms stad och Polisregion Stockholm 2024–2027",
    level: "stadsovergripande",
    owner: central,
    parties: [idOf("Polisregion Stockholm")],
    localArea: "Hela staden",
    situationSummary:
      "Den gemensamma lägesbilden bygger på stadens trygghetsundersökning, polisens anmälda brott och händelser, skjutningar och bränder som brandförsvaret registrerat.",
    problems: [
      { title: "Unga i riskzonen", probableCauses: "Tidig skolfrånvaro, rekrytering till kriminella nätverk, brist på meningsfull fritid.", goals: ["Färre unga rekryteras till kriminalitet"] },
      { title: "Kriminella miljöer och otrygga platser", probableCauses: "Öppen narkotikahandel, dålig belysning och nedskräpning.", goals: ["Fler känner sig trygga i sitt närområde"] },
      { title: "Psykisk ohälsa", probableCauses: "Bristande samordning mellan socialtjänst, vård och polis.", goals: [] },
      { title: "Särskilt utsatta individer och brottsoffer", probableCauses: "Svag samordning av stöd till brottsutsatta.", goals: [] },
      { title: "Systemhotande brottslighet", probableCauses: "Otillåten påverkan på tjänstepersoner.", goals: [] },
      { title: "Brott mot välfärdssystemen", probableCauses: "Brister i kontroll vid utbetalningar och upphandling.", goals: [] },
    ],
    signatories: [
      { organisationId: central, name: "Stadsdirektören (demo)", title: "Stadsdirektör" },
      { organisationId: idOf("Polisregion Stockholm"), name: "Regionpolischefen (demo)", title: "Regionpolischef" },
    ],
    doneSteps: 3,
  });

  const jarva = await agreement({
    title: "Lokal samverkansöverenskommelse Järva 2024–2027",
    level: "lokal",
    owner: idOf("Järva stadsdelsnämnd"),
    parties: [idOf("Lokalpolisområde Järva")],
    parentAgreementId: cityWide.id,
    localArea: "Järva",
    situationSummary: "Otryggheten kvällstid kring centrumen i Rinkeby och Tensta är hög, och ungdomar rekryteras till kriminella nätverk.",
    problems: [
      { title: "Otrygghet kvällstid i centrummiljöer", probableCauses: "Öppen narkotikahandel, dålig belysning, få vuxna i rörelse på kvällarna.", goals: ["Tryggheten kvällstid i centrumen ska öka"] },
      { title: "Unga som rekryteras till kriminalitet", probableCauses: "Skolfrånvaro och brist på fritidsaktiviteter.", goals: ["Färre unga ska misstänkas för brott"] },
    ],
    signatories: [
      { organisationId: idOf("Järva stadsdelsnämnd"), name: "Stadsdelsdirektören (demo)", title: "Stadsdelsdirektör" },
      { organisationId: idOf("Lokalpolisområde Järva"), name: "Lokalpolisområdeschefen (demo)", title: "Lokalpolisområdeschef" },
    ],
    doneSteps: 2,
  });

  const [safety] = await tx
    .insert(agreementIndicators)
    .values({
      agreementId: jarva.id,
      goalId: jarva.goalIds[0],
      name: "Andel som känner sig trygga i centrum kvällstid",
      unit: "procent",
      baselineValue: 42,
      baselinePeriod: "2023",
      targetValue: 55,
      direction: "hogre_ar_battre",
      source: "Stockholms stads trygghetsundersökning",
    })
    .returning();
  const [suspects] = await tx
    .insert(agreementIndicators)
    .values({
      agreementId: jarva.id,
      goalId: jarva.goalIds[1],
      name: "Unga 15–20 år misstänkta för brott",
      unit: "personer",
      baselineValue: 310,
      baselinePeriod: "2023",
      targetValue: 250,
      direction: "lagre_ar_battre",
      source: "Polisens statistik",
    })
    .returning();
  await tx.insert(agreementMeasurements).values([
    { indicatorId: safety.id, period: "2024", value: 45 },
    { indicatorId: safety.id, period: "2025", value: 49 },
    { indicatorId: suspects.id, period: "2024-T1", value: 301 },
    { indicatorId: suspects.id, period: "2024-T2", value: 288 },
    { indicatorId: suspects.id, period: "2024-T3", value: 279 },
  ]);

  const year = new Date().getFullYear();
  const [weekends] = await tx
    .insert(citizenPromises)
    .values({
      agreementId: jarva.id,
      year,
      localArea: "Järva",
      title: "Helginsats i centrum",
      description: "Polisen och stadsdelens fältassistenter är på plats i Rinkeby och Tensta centrum fredags- och lördagskvällar.",
      targetCount: 40,
      targetUnit: "veckor",
      targetOf: 52,
      ownerOrganisationId: idOf("Lokalpolisområde Järva"),
      sharedWithOrganisationIds: [idOf("Järva stadsdelsnämnd")],
      publishedAt: new Date(),
      createdBy: admin,
    })
    .returning();
  await tx.insert(citizenPromises).values({
    agreementId: jarva.id,
    year,
    localArea: "Järva",
    title: "Trygghetsvandringar",
    description: "Trygghetsvandringar med boende, fastighetsägare och föreningar.",
    targetCount: 3,
    targetUnit: "trygghetsvandringar",
    ownerOrganisationId: idOf("Järva stadsdelsnämnd"),
    sharedWithOrganisationIds: [idOf("Lokalpolisområde Järva")],
    createdBy: admin,
  });
  await tx.insert(citizenPromiseOccurrences).values(
    Array.from({ length: 12 }, (_, index) => ({
      promiseId: weekends.id,
      occurredOn: `${year}-${String(1 + Math.floor(index / 4)).padStart(2, "0")}-${String(3 + (index % 4) * 7).padStart(2, "0")}`,
      quantity: 1,
      recordedBy: admin,
    })),
  );
}
