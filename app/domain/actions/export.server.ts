import { stringify } from "csv-stringify/sync";
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
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
} from "./columns";
import { loadListForActor } from "./action-lists.server";
import { matchesFilter, readFilter, type ItemFilter } from "./fields";

/** The table view's filters from the address, so that an export holds what the person sees. */
export function exportFiltersFrom(url: URL): ItemFilter {
  return readFilter(url.searchParams);
}

const HEADERS = ["Nr", ...IMPORT_COLUMNS.map((column) => column.label), "Kontaktperson", "Försenad"];

/** The list's items as rows of Swedish text, in list order, as stored (each format guards against formulas its own way). */
async function exportRows(db: Db, actor: Actor, listId: string, filters: ItemFilter) {
  const list = (await loadListForActor(db, actor, listId, "actionList.export")).list;
  const today = stockholmDate(new Date());
  const items = (await db.select().from(actionItems).where(and(eq(actionItems.listId, list.id), isNull(actionItems.deletedAt))).orderBy(asc(actionItems.number))).filter(
    (item) => matchesFilter(item, filters, today),
  );
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
    return [String(item.number), ...IMPORT_COLUMNS.map((column) => cells[column.key]), visibleContact?.name ?? "", overdue ? "Ja" : "Nej"];
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

/**
 * CSV with a byte-order mark so that Excel opens it as UTF-8, semicolon-separated as Swedish Excel
 * expects. Excel evaluates a CSV cell that starts like a formula, so such cells get an apostrophe.
 */
export async function actionListCsv(db: Db, actor: Actor, listId: string, filters: ItemFilter = {}) {
  const { rows, filename } = await exportRows(db, actor, listId, filters);
  const csv = "\uFEFF" + stringify([HEADERS, ...rows.map((row) => row.map(neutraliseFormula))], { delimiter: ";", record_delimiter: "\r\n" });
  return { csv, filename: `${filename}.csv` };
}

/**
 * An Excel workbook; every cell is written as a text value, which Excel never runs as a formula,
 * so the text is kept exactly as stored (an apostrophe would show up in the cell).
 */
export async function actionListXlsx(db: Db, actor: Actor, listId: string, filters: ItemFilter = {}) {
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
