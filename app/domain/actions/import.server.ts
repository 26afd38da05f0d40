import { parse } from "csv-parse/sync";
import { and, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import ExcelJS from "exceljs";
import type { Db, Queryable } from "../../../db/client";
import { actionImports, actionItems, actionLists, memberships, organisations, users, type ImportMapping } from "../../../db/schema";
import { recordAudit } from "../audit/audit.server";
import { emailSchema } from "../email-address";
import { badRequest, notFound } from "../http-errors";
import type { Actor } from "../policy";
import {
  FOCUS_AREA_LABELS,
  IMPORT_COLUMNS,
  JUDGEMENT_LABELS,
  PERSPECTIVE_LABELS,
  PREVENTION_TYPE_LABELS,
  STATUS_LABELS,
  looksLikeFormula,
  normaliseHeader,
  valueForLabel,
  type ImportColumnKey,
  IMPORT_LIMITS,
} from "./columns";

export { IMPORT_LIMITS };
import { portal } from "../../server/portal.server";
import { itemView, loadListForActor } from "./action-lists.server";
import { actionListRoom, ITEM_EVENT, type ItemEventPayload } from "./rooms";

/**
 * Import of an existing Excel or CSV action list in three steps: the upload is read and kept
 * server-side under a token (the `action_imports` row), the person checks the column mapping and
 * a preview with every row's problems, and only their confirmation writes the rows, all in one
 * transaction. A file with any row in error is not imported at all.
 */



const ROW_FIELD_LIMIT = IMPORT_LIMITS.cellChars + 1;

export type ParsedFile = { headers: string[]; rows: string[][]; notes: string[] };

function columnLetter(index: number) {
  let name = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

// ---------------------------------------------------------------------------------------------
// Reading the file.

function decodeCsv(bytes: Uint8Array): { text: string; notes: string[] } {
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, ""), notes: [] };
  } catch {
    // Excel on Windows saves "CSV" in Windows-1252 (Latin-1): read it so, and say so.
    return {
      text: new TextDecoder("windows-1252").decode(bytes),
      notes: ["Filen var inte sparad som UTF-8 och lästes som Windows-1252 (Latin-1). Kontrollera att å, ä och ö ser rätt ut i förhandsgranskningen."],
    };
  }
}

function parseCsv(bytes: Uint8Array): ParsedFile {
  const { text, notes } = decodeCsv(bytes);
  if (/\u0000/.test(text)) throw badRequest("Filen verkar inte vara en textfil (CSV). Ladda upp en CSV-fil eller en Excel-fil (.xlsx).");
  const firstLine = text.split(/\r?\n/, 1)[0] ?? "";
  const delimiter = [";", ",", "\t"].reduce((best, candidate) => (firstLine.split(candidate).length > firstLine.split(best).length ? candidate : best), ";");
  let records: string[][];
  try {
    records = parse(text, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, bom: true }) as string[][];
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw badRequest(`Filen kunde inte läsas som CSV${line ? ` (fel vid rad ${line})` : ""}. Kontrollera citattecknen eller spara om filen från Excel.`);
  }
  return { ...splitHeader(records), notes };
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "object") {
    if ("formula" in value || "sharedFormula" in value) {
      // A formula is shown as typed, so that the preview can refuse it.
      const formula = (value as { formula?: string; sharedFormula?: string }).formula ?? (value as { sharedFormula?: string }).sharedFormula ?? "";
      return `=${formula}`;
    }
    if ("richText" in value) return value.richText.map((part) => part.text).join("");
    if ("text" in value) return String((value as { text: unknown }).text);
    if ("error" in value) return String((value as { error: unknown }).error);
    return "";
  }
  return String(value);
}

async function parseXlsx(bytes: Uint8Array): Promise<ParsedFile> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  } catch {
    throw badRequest("Excel-filen kunde inte läsas. Spara om den som .xlsx i Excel och försök igen.");
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw badRequest("Excel-filen innehåller inget kalkylblad.");
  if (sheet.rowCount > IMPORT_LIMITS.rows + 1) throw tooManyRows(sheet.rowCount - 1);
  if (sheet.columnCount > IMPORT_LIMITS.columns) throw tooManyColumns(sheet.columnCount);
  const records: string[][] = [];
  for (let r = 1; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const cells: string[] = [];
    for (let c = 1; c <= sheet.columnCount; c++) cells.push(cellText(row.getCell(c).value));
    records.push(cells);
  }
  return { ...splitHeader(records), notes: [] };
}

function tooManyRows(count: number) {
  return badRequest(`Filen har ${count} rader; högst ${IMPORT_LIMITS.rows.toLocaleString("sv-SE")} rader kan importeras åt gången. Dela upp filen.`);
}

function tooManyColumns(count: number) {
  return badRequest(`Filen har ${count} kolumner; högst ${IMPORT_LIMITS.columns} kan läsas. Ta bort kolumner som inte hör till åtgärdslistan.`);
}

/** The first non-empty row is the header; duplicate headers are refused, since a column could not be told apart. */
function splitHeader(records: string[][]): { headers: string[]; rows: string[][] } {
  const nonEmpty = (record: string[]) => record.some((cell) => cell.trim() !== "");
  const headerIndex = records.findIndex(nonEmpty);
  if (headerIndex === -1) throw badRequest("Filen är tom: den innehåller varken rubriker eller rader.");
  const width = Math.max(...records.map((record) => record.length));
  if (width > IMPORT_LIMITS.columns) throw tooManyColumns(width);
  const headers = Array.from({ length: width }, (_, i) => (records[headerIndex][i] ?? "").trim().slice(0, 200) || `Kolumn ${columnLetter(i)}`);
  const seen = new Map<string, number>();
  headers.forEach((header, index) => {
    const key = normaliseHeader(header);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw badRequest(`Rubriken ”${header}” finns två gånger (kolumn ${columnLetter(earlier)} och ${columnLetter(index)}). Byt namn på den ena och ladda upp filen igen.`);
    }
    seen.set(key, index);
  });
  const rows = records.slice(headerIndex + 1).map((record) => Array.from({ length: width }, (_, i) => (record[i] ?? "").slice(0, ROW_FIELD_LIMIT)));
  // Trailing empty rows are not rows; empty rows in between are kept so that row numbers match the file.
  while (rows.length && !nonEmpty(rows[rows.length - 1])) rows.pop();
  if (rows.length === 0) throw badRequest("Filen innehåller bara rubriker och inga rader att importera.");
  if (rows.length > IMPORT_LIMITS.rows) throw tooManyRows(rows.length);
  return { headers, rows };
}

/** Reads an uploaded file by its content (not only its name): XLSX or CSV, anything else refused. */
export async function readImportFile(fileName: string, bytes: Uint8Array): Promise<ParsedFile> {
  if (bytes.byteLength === 0) throw badRequest("Filen är tom. Välj en CSV- eller Excel-fil med åtgärder.");
  if (bytes.byteLength > IMPORT_LIMITS.fileBytes) throw badRequest(`Filen är för stor (högst ${Math.round(IMPORT_LIMITS.fileBytes / 1024)} kB).`);
  const extension = fileName.toLowerCase().split(".").pop() ?? "";
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
  const isOldExcel = bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
  if (isOldExcel || extension === "xls") throw badRequest("Gamla Excel-filer (.xls) kan inte läsas. Spara filen som .xlsx eller CSV i Excel och försök igen.");
  if (extension === "xlsx") {
    if (!isZip) throw badRequest("Filen heter .xlsx men är ingen Excel-fil. Spara om den från Excel och försök igen.");
    return parseXlsx(bytes);
  }
  if (extension === "csv" || extension === "txt") {
    if (isZip) throw badRequest("Filen heter .csv men är en Excel-fil. Byt filändelse till .xlsx eller spara den som CSV.");
    return parseCsv(bytes);
  }
  throw badRequest("Filtypen stöds inte. Ladda upp en CSV-fil (.csv) eller en Excel-fil (.xlsx).");
}

/** The mapping guessed from the headers: each column to the first header that matches its Swedish name. */
export function guessMapping(headers: readonly string[]): ImportMapping {
  const normalised = headers.map(normaliseHeader);
  const mapping: ImportMapping = {};
  const taken = new Set<number>();
  for (const column of IMPORT_COLUMNS) {
    const names = [column.label, column.key, ...column.aliases].map(normaliseHeader);
    const index = normalised.findIndex((header, i) => !taken.has(i) && names.includes(header));
    mapping[column.key] = index === -1 ? null : index;
    if (index !== -1) taken.add(index);
  }
  return mapping;
}

// ---------------------------------------------------------------------------------------------
// Checking the rows.

type ItemValues = Omit<typeof actionItems.$inferInsert, "listId" | "number">;
export type PreviewRow = { rowNumber: number; title: string; errors: string[]; empty: boolean };
export type Preview = {
  blockers: string[];
  rows: PreviewRow[];
  valid: number;
  invalid: number;
  skipped: number;
};

type Lookup = {
  organisationsByName: Map<string, { id: string; name: string }>;
  listOrganisationIds: Set<string>;
  peopleByEmail: Map<string, { id: string; status: string; organisationIds: string[] }>;
};

function parseDate(value: string): { date: string | null; error: string | null } {
  const trimmed = value.trim();
  if (!trimmed) return { date: null, error: null };
  const match = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(trimmed);
  if (!match) return { date: null, error: "är inte ett datum (skriv ÅÅÅÅ-MM-DD, t.ex. 2026-03-31)" };
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return { date: null, error: "är ett datum som inte finns" };
  if (year < 2000 || year > 2100) return { date: null, error: "ligger utanför åren 2000–2100" };
  return { date: `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`, error: null };
}

const PERSONAL_IDENTITY_NUMBER = /\b(19|20)?\d{6}[-+]?\d{4}\b/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

function splitList(value: string) {
  return value
    .split(/[;,\n]/)
    .map((part) => part.trim())
    .filter(Boolean);
}

/** One row → the item's values, or the Swedish reasons it cannot be imported. */
function checkRow(cells: Record<ImportColumnKey, string>, lookup: Lookup): { errors: string[]; values: ItemValues | null } {
  const errors: string[] = [];
  const label = (key: ImportColumnKey) => IMPORT_COLUMNS.find((column) => column.key === key)!.label;
  for (const column of IMPORT_COLUMNS) {
    const value = cells[column.key];
    if (value.length > IMPORT_LIMITS.cellChars) errors.push(`${column.label}: texten är för lång (över ${IMPORT_LIMITS.cellChars.toLocaleString("sv-SE")} tecken).`);
    if (looksLikeFormula(value)) errors.push(`${column.label}: börjar med ”${JSON.stringify(value[0]).slice(1, -1)}” och skulle kunna köras som en formel i Excel. Ta bort tecknet i början.`);
    if (CONTROL_CHARACTERS.test(value)) errors.push(`${column.label}: innehåller osynliga styrtecken som inte kan sparas.`);
    if (PERSONAL_IDENTITY_NUMBER.test(value)) errors.push(`${column.label}: ser ut att innehålla ett personnummer. Uppgifter om enskilda personer hör inte hemma i åtgärdslistan.`);
  }
  const title = cells.title.trim();
  if (!title) errors.push(`${label("title")} saknas: varje rad behöver en åtgärd.`);
  else if (title.length > IMPORT_LIMITS.titleChars) errors.push(`${label("title")}: högst ${IMPORT_LIMITS.titleChars} tecken (raden har ${title.length}).`);

  const start = parseDate(cells.startDate);
  if (start.error) errors.push(`${label("startDate")}: ”${cells.startDate.trim().slice(0, 40)}” ${start.error}.`);
  const deadline = parseDate(cells.deadline);
  if (deadline.error) errors.push(`${label("deadline")}: ”${cells.deadline.trim().slice(0, 40)}” ${deadline.error}.`);
  if (start.date && deadline.date && deadline.date < start.date) errors.push(`${label("deadline")} (${deadline.date}) ligger före start (${start.date}).`);

  let responsibleOrganisationId: string | null = null;
  const responsibleName = cells.responsibleOrganisation.trim();
  if (responsibleName) {
    const organisation = lookup.organisationsByName.get(normaliseHeader(responsibleName));
    if (!organisation) errors.push(`${label("responsibleOrganisation")}: ”${responsibleName.slice(0, 80)}” finns inte i portalen. Skriv organisationens namn som i organisationslistan.`);
    else if (!lookup.listOrganisationIds.has(organisation.id)) errors.push(`${label("responsibleOrganisation")}: ${organisation.name} har inte tillgång till listan. Dela listan med organisationen först.`);
    else responsibleOrganisationId = organisation.id;
  }
  const contributingOrganisationIds: string[] = [];
  for (const name of splitList(cells.contributingOrganisations)) {
    const organisation = lookup.organisationsByName.get(normaliseHeader(name));
    if (!organisation) errors.push(`${label("contributingOrganisations")}: ”${name.slice(0, 80)}” finns inte i portalen.`);
    else if (!lookup.listOrganisationIds.has(organisation.id)) errors.push(`${label("contributingOrganisations")}: ${organisation.name} har inte tillgång till listan. Dela listan med organisationen först.`);
    else if (!contributingOrganisationIds.includes(organisation.id) && organisation.id !== responsibleOrganisationId) contributingOrganisationIds.push(organisation.id);
  }

  let contactUserId: string | null = null;
  const contact = cells.contactEmail.trim();
  if (contact) {
    const email = emailSchema.safeParse(contact);
    if (!email.success) errors.push(`${label("contactEmail")}: ”${contact.slice(0, 80)}” är ingen giltig e-postadress.`);
    else {
      const person = lookup.peopleByEmail.get(email.data);
      if (!person || person.status === "deactivated" || person.status === "anonymised") errors.push(`${label("contactEmail")}: det finns ingen aktiv person med adressen ${email.data} i portalen.`);
      else if (!person.organisationIds.some((id) => lookup.listOrganisationIds.has(id))) errors.push(`${label("contactEmail")}: ${email.data} hör inte till någon organisation som listan delas med, och kan inte vara kontaktperson.`);
      else contactUserId = person.id;
    }
  }

  const enumCell = <T extends string>(key: ImportColumnKey, labels: Record<T, string>, choices: string): T | null => {
    const value = cells[key].trim();
    if (!value) return null;
    const found = valueForLabel(labels, value);
    if (!found) errors.push(`${label(key)}: ”${value.slice(0, 60)}” finns inte. Välj ${choices}.`);
    return found;
  };
  const status = enumCell("status", STATUS_LABELS, "Ej påbörjad, Pågår, Klar eller Stoppad");
  const judgement = enumCell("judgement", JUDGEMENT_LABELS, "Grön, Gul eller Röd");
  const focusArea = enumCell("focusArea", FOCUS_AREA_LABELS, "ett av de fyra fokusområdena: Förebyggande arbete, Riktade sociala insatser, Stadens offentliga miljö eller Stadsutveckling");
  const preventionType = enumCell("preventionType", PREVENTION_TYPE_LABELS, "Social prevention eller Situationell prevention");
  const perspectives: Array<keyof typeof PERSPECTIVE_LABELS> = [];
  for (const part of splitList(cells.perspectives)) {
    const found = valueForLabel(PERSPECTIVE_LABELS, part);
    if (!found) errors.push(`${label("perspectives")}: ”${part.slice(0, 60)}” finns inte. Välj bland Jämställdhet, Barn, Funktionshinder, Hbtqi och Äldre.`);
    else if (!perspectives.includes(found)) perspectives.push(found);
  }

  if (errors.length) return { errors, values: null };
  return {
    errors,
    values: {
      cause: cells.cause.trim(),
      title,
      description: cells.description.trim(),
      operationalGoal: cells.operationalGoal.trim(),
      startDate: start.date,
      deadline: deadline.date,
      responsibleOrganisationId,
      contactUserId,
      contributingOrganisationIds,
      followUpMethod: cells.followUpMethod.trim(),
      followUpComment: cells.followUpComment.trim(),
      status: status ?? "ej_paborjad",
      judgement,
      judgementReason: cells.judgementReason.trim(),
      focusArea,
      perspectives,
      preventionType,
    },
  };
}

async function buildLookup(db: Queryable, list: typeof actionLists.$inferSelect, rows: Array<Record<ImportColumnKey, string>>): Promise<Lookup> {
  const allOrganisations = await db.select({ id: organisations.id, name: organisations.name }).from(organisations);
  const emails = [...new Set(rows.map((row) => emailSchema.safeParse(row.contactEmail.trim())).filter((r) => r.success).map((r) => r.data!))];
  const people = emails.length ? await db.select({ id: users.id, email: users.email, status: users.status }).from(users).where(inArray(users.email, emails)) : [];
  const personMemberships = people.length
    ? await db.select({ userId: memberships.userId, organisationId: memberships.organisationId }).from(memberships).where(inArray(memberships.userId, people.map((p) => p.id)))
    : [];
  return {
    organisationsByName: new Map(allOrganisations.map((organisation) => [normaliseHeader(organisation.name), organisation])),
    listOrganisationIds: new Set([list.ownerOrganisationId, ...list.sharedWithOrganisationIds]),
    peopleByEmail: new Map(
      people.map((person) => [person.email, { id: person.id, status: person.status, organisationIds: personMemberships.filter((m) => m.userId === person.id).map((m) => m.organisationId) }]),
    ),
  };
}

function cellsOf(row: string[], mapping: ImportMapping) {
  const cells = {} as Record<ImportColumnKey, string>;
  for (const column of IMPORT_COLUMNS) {
    const index = mapping[column.key];
    cells[column.key] = index === null || index === undefined ? "" : (row[index] ?? "");
  }
  return cells;
}

/** Every row checked against the mapping; also the values ready to insert for the rows without errors. */
async function check(db: Queryable, list: typeof actionLists.$inferSelect, upload: typeof actionImports.$inferSelect) {
  const blockers: string[] = [];
  for (const column of IMPORT_COLUMNS) {
    if ("required" in column && column.required && (upload.mapping[column.key] ?? null) === null) {
      blockers.push(`Kolumnen ${column.label} saknas: välj vilken kolumn i filen som innehåller den.`);
    }
  }
  const used = Object.values(upload.mapping).filter((index): index is number => index !== null);
  if (new Set(used).size !== used.length) blockers.push("Samma kolumn i filen är vald för flera fält. Välj en kolumn per fält.");
  const allCells = upload.rows.map((row) => cellsOf(row, upload.mapping));
  const lookup = await buildLookup(db, list, allCells);
  const rows: PreviewRow[] = [];
  const values: ItemValues[] = [];
  const seen = new Map<string, number>();
  allCells.forEach((cells, index) => {
    const rowNumber = index + 2;
    const raw = upload.rows[index];
    if (raw.every((cell) => cell.trim() === "")) {
      rows.push({ rowNumber, title: "", errors: [], empty: true });
      return;
    }
    const result = checkRow(cells, lookup);
    const fingerprint = JSON.stringify(raw.map((cell) => cell.trim()));
    const earlier = seen.get(fingerprint);
    if (earlier !== undefined) result.errors.push(`Raden är en kopia av rad ${earlier}.`);
    else seen.set(fingerprint, rowNumber);
    rows.push({ rowNumber, title: cells.title.trim().slice(0, 120), errors: result.errors, empty: false });
    if (result.values && result.errors.length === 0) values.push(result.values);
  });
  const invalid = rows.filter((row) => row.errors.length > 0).length;
  const skipped = rows.filter((row) => row.empty).length;
  const preview: Preview = { blockers, rows, valid: values.length, invalid, skipped };
  return { preview, values };
}

// ---------------------------------------------------------------------------------------------
// Commands.

/** Keeps an uploaded file for preview; nothing is added to the list yet. Returns the token. */
export async function startImport(db: Db, actor: Actor, listId: string, file: { name: string; bytes: Uint8Array }) {
  const list = (await loadListForActor(db, actor, listId, "actionList.import")).list;
  const parsed = await readImportFile(file.name, file.bytes);
  const [row] = await db
    .insert(actionImports)
    .values({
      listId: list.id,
      userId: actor.userId,
      fileName: file.name.slice(0, 200),
      fileNotes: parsed.notes,
      headers: parsed.headers,
      rows: parsed.rows,
      mapping: guessMapping(parsed.headers),
      rowCount: parsed.rows.length,
    })
    .returning({ id: actionImports.id });
  return row.id;
}

async function loadUpload(db: Queryable, actor: Actor, listId: string, importId: string) {
  const [upload] = await db
    .select()
    .from(actionImports)
    .where(
      and(
        eq(actionImports.id, importId),
        eq(actionImports.listId, listId),
        eq(actionImports.userId, actor.userId),
        isNull(actionImports.confirmedAt),
        gt(actionImports.createdAt, new Date(Date.now() - IMPORT_LIMITS.maxAgeMs)),
      ),
    );
  if (!upload) throw notFound("Importen finns inte längre. Ladda upp filen igen.");
  return upload;
}

/** The preview of an upload, for the person who made it. */
export async function getImportPreview(db: Db, actor: Actor, listId: string, importId: string) {
  const list = (await loadListForActor(db, actor, listId, "actionList.import")).list;
  const upload = await loadUpload(db, actor, list.id, importId);
  const { preview } = await check(db, list, upload);
  return { list, upload, preview };
}

/** Changes which file column feeds which field; unknown fields or columns are refused. */
export async function changeImportMapping(db: Db, actor: Actor, listId: string, importId: string, input: Record<string, string>) {
  const list = (await loadListForActor(db, actor, listId, "actionList.import")).list;
  const upload = await loadUpload(db, actor, list.id, importId);
  const mapping: ImportMapping = {};
  for (const column of IMPORT_COLUMNS) {
    const value = input[`map_${column.key}`] ?? "";
    if (value === "") {
      mapping[column.key] = null;
      continue;
    }
    const index = Number(value);
    if (!Number.isInteger(index) || index < 0 || index >= upload.headers.length) throw badRequest(`Kolumnvalet för ${column.label} är ogiltigt. Ladda om sidan och försök igen.`);
    mapping[column.key] = index;
  }
  await db.update(actionImports).set({ mapping }).where(eq(actionImports.id, upload.id));
}

export async function cancelImport(db: Db, actor: Actor, listId: string, importId: string) {
  const list = (await loadListForActor(db, actor, listId, "actionList.import")).list;
  await db.delete(actionImports).where(and(eq(actionImports.id, importId), eq(actionImports.listId, list.id), eq(actionImports.userId, actor.userId)));
}

/**
 * Adds every row of the upload to the list in one transaction, numbered after the list's last
 * item. Refused, with nothing written, while any row has an error or a required column is unmapped.
 */
export async function confirmImport(db: Db, actor: Actor, listId: string, importId: string) {
  const { inserted, listId: id } = await db.transaction(async (tx) => {
    const visible = (await loadListForActor(tx, actor, listId, "actionList.import")).list;
    // The list row is locked so that two imports (or an import and a new row) number in turn.
    const [list] = await tx.select().from(actionLists).where(eq(actionLists.id, visible.id)).for("update");
    const upload = await loadUpload(tx, actor, list.id, importId);
    const [claimed] = await tx
      .update(actionImports)
      .set({ confirmedAt: new Date() })
      .where(and(eq(actionImports.id, upload.id), isNull(actionImports.confirmedAt)))
      .returning({ id: actionImports.id });
    if (!claimed) throw notFound("Importen är redan genomförd.");
    const { preview, values } = await check(tx, list, upload);
    if (preview.blockers.length) throw badRequest(preview.blockers[0]);
    if (preview.invalid > 0) throw badRequest(`${preview.invalid} ${preview.invalid === 1 ? "rad har" : "rader har"} fel. Rätta filen och ladda upp den igen; inget har importerats.`);
    if (values.length === 0) throw badRequest("Det finns inga rader att importera.");
    const [{ last }] = await tx
      .select({ last: sql<number>`coalesce(max(${actionItems.number}), 0)::int` })
      .from(actionItems)
      .where(eq(actionItems.listId, list.id));
    const inserted = await tx
      .insert(actionItems)
      .values(values.map((value, index) => ({ ...value, listId: list.id, number: last + index + 1, createdBy: actor.userId })))
      .returning();
    await tx.update(actionLists).set({ updatedAt: new Date() }).where(eq(actionLists.id, list.id));
    await recordAudit(tx, {
      actor,
      action: "actionList.import",
      entityType: "actionList",
      entityId: list.id,
      organisationId: list.ownerOrganisationId,
      summary: `${actor.name} importerade ${values.length} åtgärder till ${list.title} från ${upload.fileName}`,
      after: { fileName: upload.fileName, items: values.length, firstNumber: last + 1 },
    });
    return { inserted, listId: list.id };
  });
  // Everyone with the list open sees the new rows arrive, as when a row is added by hand.
  const by = { userId: actor.userId, name: actor.name };
  for (const row of inserted) {
    const payload: ItemEventPayload = { listId: id, kind: "created", item: itemView(row), fields: [], by };
    portal().publish(actionListRoom(id), ITEM_EVENT, payload);
  }
  return { imported: inserted.length };
}
