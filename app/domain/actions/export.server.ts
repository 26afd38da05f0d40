import { stringify } from "csv-stringify/sync";
import { and, asc, eq, inArray, isNull, type SQL } from "drizzle-orm";
import ExcelJS from "exceljs";
import type { Db } from "../../../db/client";
import { actionItems, organisations, users } from "../../../db/schema";
import { recordAudit } from "../audit/audit.server";
import { stockholmDate } from "../meetings/time";
import type { Actor } from "../policy";
import {
  FINISHED_STATUSES,
  FOCUS_AREA_LABELS,
  IMPORT_COLUMNS,
  JUDGEMENT_LABELS,
  PERSPECTIVE_LABELS,
  PREVENTION_TYPE_LABELS,
  STATUS_LABELS,
  neutraliseFormula,
  type ActionStatus,
} from "./columns";
import { loadListFor } from "./shared-list.server";

/** Filters taken from the table view's address, so that an export holds what the person sees. */
export type ExportFilters = { status?: string; fokusomrade?: string; ansvarig?: string };

export function exportFiltersFrom(url: URL): ExportFilters {
  const pick = (name: string) => url.searchParams.get(name)?.slice(0, 100) || undefined;
  return { status: pick("status"), fokusomrade: pick("fokusomrade"), ansvarig: pick("ansvarig") };
}

const HEADERS = ["Nr", ...IMPORT_COLUMNS.map((column) => column.label), "Kontaktperson", "Försenad"];

/** The list's items as rows of Swedish text, in list order; every cell neutralised against formulas. */
async function exportRows(db: Db, actor: Actor, listId: string, filters: ExportFilters) {
  const list = await loadListFor(db, actor, listId, "actionList.export");
  const conditions: SQL[] = [eq(actionItems.listId, list.id), isNull(actionItems.deletedAt)];
  if (filters.status && filters.status in STATUS_LABELS) conditions.push(eq(actionItems.status, filters.status as ActionStatus));
  if (filters.fokusomrade && filters.fokusomrade in FOCUS_AREA_LABELS) conditions.push(eq(actionItems.focusArea, filters.fokusomrade as keyof typeof FOCUS_AREA_LABELS));
  if (filters.ansvarig && /^[0-9a-f-]{36}$/i.test(filters.ansvarig)) conditions.push(eq(actionItems.responsibleOrganisationId, filters.ansvarig));
  const items = await db.select().from(actionItems).where(and(...conditions)).orderBy(asc(actionItems.number));
  const orgIds = new Set<string>();
  for (const item of items) {
    if (item.responsibleOrganisationId) orgIds.add(item.responsibleOrganisationId);
    item.contributingOrganisationIds.forEach((id) => orgIds.add(id));
  }
  const orgNames = new Map(
    orgIds.size ? (await db.select({ id: organisations.id, name: organisations.name }).from(organisations).where(inArray(organisations.id, [...orgIds]))).map((o) => [o.id, o.name]) : [],
  );
  const contactIds = [...new Set(items.map((item) => item.contactUserId).filter((id): id is string => Boolean(id)))];
  const contacts = new Map(
    contactIds.length ? (await db.select({ id: users.id, name: users.name, email: users.email, status: users.status }).from(users).where(inArray(users.id, contactIds))).map((u) => [u.id, u]) : [],
  );
  const today = stockholmDate(new Date());
  const rows = items.map((item) => {
    const contact = item.contactUserId ? contacts.get(item.contactUserId) : undefined;
    const visibleContact = contact && contact.status !== "anonymised" ? contact : undefined;
    const overdue = Boolean(item.deadline && item.deadline < today && !FINISHED_STATUSES.includes(item.status));
    const cells: Record<(typeof IMPORT_COLUMNS)[number]["key"], string> = {
      cause: item.cause,
      title: item.title,
      description: item.description,
      operationalGoal: item.operationalGoal,
      startDate: item.startDate ?? "",
      deadline: item.deadline ?? "",
      responsibleOrganisation: item.responsibleOrganisationId ? (orgNames.get(item.responsibleOrganisationId) ?? "") : "",
      contactEmail: visibleContact?.email ?? "",
      contributingOrganisations: item.contributingOrganisationIds.map((id) => orgNames.get(id) ?? "").filter(Boolean).join("; "),
      followUpMethod: item.followUpMethod,
      followUpComment: item.followUpComment,
      status: STATUS_LABELS[item.status],
      judgement: item.judgement ? JUDGEMENT_LABELS[item.judgement] : "",
      judgementReason: item.judgementReason,
      focusArea: item.focusArea ? FOCUS_AREA_LABELS[item.focusArea] : "",
      perspectives: item.perspectives.map((p) => PERSPECTIVE_LABELS[p]).join("; "),
      preventionType: item.preventionType ? PREVENTION_TYPE_LABELS[item.preventionType] : "",
    };
    return [String(item.number), ...IMPORT_COLUMNS.map((column) => cells[column.key]), visibleContact?.name ?? "", overdue ? "Ja" : "Nej"].map(neutraliseFormula);
  });
  await recordAudit(db, {
    actor,
    action: "actionList.export",
    entityType: "actionList",
    entityId: list.id,
    organisationId: list.ownerOrganisationId,
    summary: `${actor.name} exporterade åtgärdslistan ${list.title} (${rows.length} åtgärder)`,
  });
  return { list, rows, filename: fileBase(list.title) };
}

function fileBase(title: string) {
  const slug = title
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 60);
  return `atgardslista-${slug || "export"}-${stockholmDate(new Date())}`;
}

/** CSV with a byte-order mark so that Excel opens it as UTF-8, semicolon-separated as Swedish Excel expects. */
export async function actionListCsv(db: Db, actor: Actor, listId: string, filters: ExportFilters = {}) {
  const { rows, filename } = await exportRows(db, actor, listId, filters);
  const csv = "\uFEFF" + stringify([HEADERS, ...rows], { delimiter: ";", record_delimiter: "\r\n" });
  return { csv, filename: `${filename}.csv` };
}

/** An Excel workbook; every cell is written as text so that nothing in it runs as a formula. */
export async function actionListXlsx(db: Db, actor: Actor, listId: string, filters: ExportFilters = {}) {
  const { list, rows, filename } = await exportRows(db, actor, listId, filters);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Åtgärder");
  sheet.addRow(HEADERS).font = { bold: true };
  for (const row of rows) sheet.addRow(row);
  sheet.columns.forEach((column) => {
    column.width = 24;
    column.numFmt = "@";
  });
  sheet.views = [{ state: "frozen", ySplit: 1 }];
  workbook.title = list.title;
  const buffer = await workbook.xlsx.writeBuffer();
  return { body: new Uint8Array(buffer as ArrayBuffer), filename: `${filename}.xlsx` };
}
