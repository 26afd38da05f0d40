import type { Db } from "../../db/client";
import {
  actionItems,
  actionLists,
  agreementGoals,
  agreementIndicators,
  agreementProblems,
  agreements,
  citizenPromiseOccurrences,
  citizenPromises,
  agreementMeasurements,
  organisations,
  users,
} from "../../db/schema";

/**
 * A local agreement for Järva as the follow-up tests use it: two problems, two goals with one
 * indicator each, five åtgärder (plus a removed one and one of another agreement that must not
 * count) and two medborgarlöften for 2026. Owned by Järva stadsdelsnämnd, shared with
 * Lokalpolisområde Järva.
 */
export async function buildJarvaAgreement(db: Db) {
  const orgs = await db.select().from(organisations);
  const org = (name: string) => orgs.find((row) => row.name === name)!.id;
  const people = await db.select().from(users);
  const person = (email: string) => people.find((row) => row.email === email)!.id;
  const jarva = org("Järva stadsdelsnämnd");
  const lpo = org("Lokalpolisområde Järva");
  const slk = org("Stadsledningskontoret");
  const erik = person("erik.sandberg@demo.polisen.se");
  const johan = person("johan.ek@demo.stockholm.se");

  const [agreement] = await db
    .insert(agreements)
    .values({ title: "Samverkansöverenskommelse Järva 2024–2027", level: "lokal", status: "gallande", periodStartYear: 2024, periodEndYear: 2027, ownerOrganisationId: jarva, sharedWithOrganisationIds: [lpo] })
    .returning();
  const [other] = await db
    .insert(agreements)
    .values({ title: "Samverkansöverenskommelse Södermalm", level: "lokal", periodStartYear: 2024, periodEndYear: 2027, ownerOrganisationId: org("Södermalm stadsdelsnämnd") })
    .returning();
  const [otrygghet, skadegorelse] = await db
    .insert(agreementProblems)
    .values([
      { agreementId: agreement.id, title: "Otrygghet kvällstid kring Rinkeby torg", probableCauses: "Mörka gångstråk, öppen narkotikahandel", position: 0 },
      { agreementId: agreement.id, title: "Skadegörelse i offentlig miljö", probableCauses: "Få vuxna ute", position: 1 },
    ])
    .returning();
  const [trygghetsmal, skadegorelsemal] = await db
    .insert(agreementGoals)
    .values([
      { agreementId: agreement.id, problemId: otrygghet.id, title: "Fler känner sig trygga kvällstid", position: 0 },
      { agreementId: agreement.id, problemId: skadegorelse.id, title: "Mindre skadegörelse", position: 1 },
    ])
    .returning();
  const [trygghet, anmalda] = await db
    .insert(agreementIndicators)
    .values([
      { agreementId: agreement.id, goalId: trygghetsmal.id, name: "Andel trygga kvällstid", unit: "%", baselineValue: 60, baselinePeriod: "2023", targetValue: 70, direction: "hogre_ar_battre", position: 0 },
      { agreementId: agreement.id, goalId: skadegorelsemal.id, name: "Anmäld skadegörelse", unit: "anmälningar", baselineValue: 400, baselinePeriod: "2023", targetValue: 300, direction: "lagre_ar_battre", position: 0 },
    ])
    .returning();
  await db.insert(agreementMeasurements).values([
    { indicatorId: trygghet.id, period: "2025", value: 62.5 },
    { indicatorId: trygghet.id, period: "2026-T1", value: 66 },
    // After T1, and the whole of 2026: not in the T1 report.
    { indicatorId: trygghet.id, period: "2026-T2", value: 71 },
    { indicatorId: trygghet.id, period: "2026", value: 72 },
    { indicatorId: anmalda.id, period: "2025", value: 380 },
    { indicatorId: anmalda.id, period: "2026-T1", value: 290 },
  ]);
  const [list] = await db.insert(actionLists).values({ title: "Åtgärdsplan Järva 2026", ownerOrganisationId: jarva, sharedWithOrganisationIds: [lpo], agreementId: agreement.id }).returning();
  const [otherList] = await db.insert(actionLists).values({ title: "Åtgärdsplan Södermalm", ownerOrganisationId: org("Södermalm stadsdelsnämnd"), agreementId: other.id }).returning();
  const items = await db
    .insert(actionItems)
    .values([
      { listId: list.id, number: 1, title: "Trygghetsvandringar i Rinkeby", responsibleOrganisationId: jarva, contactUserId: erik, status: "pagar", judgement: "gul", judgementReason: "Färre deltagare än planerat", focusArea: "stadens_offentliga_miljo", perspectives: ["jamstalldhet", "barn"], agreementId: agreement.id, agreementProblemId: otrygghet.id, agreementGoalId: trygghetsmal.id },
      { listId: list.id, number: 2, title: "Föräldravandringar helgkvällar", responsibleOrganisationId: slk, contactUserId: null, status: "klar", judgement: "gron", focusArea: "forebyggande_arbete", perspectives: ["barn"], agreementId: agreement.id, agreementGoalId: trygghetsmal.id },
      { listId: list.id, number: 3, title: "Belysning i gångtunnlar", responsibleOrganisationId: jarva, contactUserId: johan, status: "ej_paborjad", judgement: "rod", judgementReason: "=Budget saknas", focusArea: "stadsutveckling", perspectives: ["jamstalldhet", "aldre"], agreementId: agreement.id, agreementGoalId: skadegorelsemal.id },
      { listId: list.id, number: 4, title: "Helginsats vid Rinkeby torg", responsibleOrganisationId: lpo, contactUserId: erik, status: "pagar", judgement: "gron", focusArea: "stadens_offentliga_miljo", perspectives: [], agreementId: agreement.id, agreementGoalId: skadegorelsemal.id },
      { listId: list.id, number: 5, title: "Samverkan mot välfärdsbrott", responsibleOrganisationId: jarva, contactUserId: johan, status: "stoppad", judgement: null, focusArea: "riktade_sociala_insatser", perspectives: ["funktionshinder"], agreementId: agreement.id },
      { listId: list.id, number: 6, title: "Borttagen åtgärd", responsibleOrganisationId: jarva, contactUserId: johan, status: "klar", judgement: "gron", focusArea: "stadsutveckling", agreementId: agreement.id, deletedAt: new Date() },
      { listId: otherList.id, number: 1, title: "Åtgärd på Södermalm", responsibleOrganisationId: org("Södermalm stadsdelsnämnd"), status: "klar", judgement: "gron", agreementId: other.id },
    ])
    .returning();
  const [helg, vandringar] = await db
    .insert(citizenPromises)
    .values([
      { agreementId: agreement.id, ownerOrganisationId: lpo, sharedWithOrganisationIds: [jarva], year: 2026, localArea: "Rinkeby-Kista", title: "Helginsats", targetCount: 40, targetUnit: "veckor", targetOf: 52 },
      { agreementId: agreement.id, ownerOrganisationId: jarva, sharedWithOrganisationIds: [lpo], year: 2026, localArea: "Rinkeby-Kista", title: "Trygghetsvandringar", targetCount: 3, targetUnit: "trygghetsvandringar" },
      { agreementId: agreement.id, ownerOrganisationId: jarva, year: 2025, localArea: "Rinkeby-Kista", title: "Löfte från 2025", targetCount: 5, targetUnit: "gånger" },
    ])
    .returning();
  const weekends = Array.from({ length: 17 }, (_, week) => new Date(Date.UTC(2026, 0, 3 + week * 7)).toISOString().slice(0, 10));
  await db.insert(citizenPromiseOccurrences).values([
    ...weekends.map((occurredOn) => ({ promiseId: helg.id, occurredOn })),
    // After T1, and the year before: neither counts in T1 2026.
    ...["2026-05-02", "2026-05-09", "2026-05-16", "2025-12-20", "2025-12-27"].map((occurredOn) => ({ promiseId: helg.id, occurredOn })),
    { promiseId: vandringar.id, occurredOn: "2026-03-12" },
    { promiseId: vandringar.id, occurredOn: "2026-04-20" },
  ]);
  return { agreement, other, items, goals: { trygghetsmal, skadegorelsemal }, orgs: { jarva, lpo, slk } };
}
