import { and, asc, eq, sql } from "drizzle-orm";
import JSZip from "jszip";
import { PDFParse } from "pdf-parse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, meetingInvitees, memberships, networks, notesApprovalRounds, notesApprovers, notesDocuments, notesVersions, organisations, users } from "../../db/schema";
import { DEMO_NETWORK } from "../../db/seed";
import { takeMeetingEndVersions } from "../../app/domain/notes/versions.server";
import { appendNotesUpdate, notesContentOf, readNotesState } from "../../app/domain/notes/state.server";
import { notesToMarkdown } from "../../app/domain/notes/export/markdown.server";
import { rows, tableDigest } from "../support/digest";
import { doc, notesUpdateFrom, paragraph, sampleNotes, text } from "../support/notes-content";
import { formField, NO_FIELD_ERROR } from "../support/html";
import { startTestPortal, type TestPortal } from "../support/portal";
import { startResendStub } from "../support/resend-stub";
import { CollabClient, notesLines } from "../support/collab-client";
import * as Y from "yjs";
import { notesDocName } from "../../app/domain/notes/state.server";
import { mailSettled, stockholmDay, waitFor } from "../support/wait";

/**
 * Approval (justering) of meeting notes: the coordinator sends them to chosen justerare, who
 * approve or comment; the last approval locks the notes, freezes a version and mails the
 * minutes as a PDF to every invitee. Reopening needs a reason. Versions are taken at the
 * meeting's end and by hand, and restored as a new change. Exports carry the notes' text.
 */

const AMINA = "amina.hassan@demo.stockholm.se"; // the demo network's coordinator
const ERIK = "erik.sandberg@demo.polisen.se"; // network member, chosen as justerare
const LENA = "lena.berg@demo.regionstockholm.se"; // invited by address, chosen as justerare
const JOHAN = "johan.ek@demo.stockholm.se"; // network member, invited, not a justerare
const MAJA = "maja.lindqvist@demo.stockholm.se"; // system administrator
const FIA = "fia.farsta@demo.stockholm.se"; // Farsta: not invited, does not see the meeting
const EXTERNAL = "extern.kontakt@forening.example";

let portal: TestPortal;
const clients: CollabClient[] = [];
async function collab(cookie: string) {
  const client = await CollabClient.connect(portal.url, cookie, notesDocName(ids.meeting));
  clients.push(client);
  return client;
}
function addParagraph(doc: Y.Doc, value: string) {
  const fragment = doc.getXmlFragment("default");
  const element = new Y.XmlElement("paragraph");
  fragment.insert(fragment.length, [element]);
  element.insert(0, [new Y.XmlText(value)]);
}
let stub: Awaited<ReturnType<typeof startResendStub>>;
const previousBaseUrl = process.env.RESEND_BASE_URL;
const db = () => portal.portal.db;
const cookies = { amina: "", erik: "", lena: "", johan: "", maja: "", fia: "" };
const ids = { network: "", meeting: "", other: "", document: "", erik: "", lena: "", fia: "" };

// The plain-text/JSON copy of a document is refreshed by the notes server a moment after each
// edit (a cache for search and export), so the digest reads the document rows without it.
const TABLES = ["(select id, meeting_id, status, snapshot, snapshot_through_update_id, created_at from notes_documents)", "notes_updates", "notes_versions", "notes_approval_rounds", "notes_approvers", "audit_events", "emails", "meeting_invitees"];

async function digest() {
  await mailSettled(db());
  return tableDigest(db(), TABLES);
}

async function planMeeting(title: string, date: string, extraEmails: string) {
  const response = await portal.post(
    `/natverk/${ids.network}/moten/nytt`,
    { title, date, startTime: "09:00", endTime: "10:30", place: "Rinkeby medborgarkontor", extraEmails, inviteNetwork: "on" },
    { cookie: cookies.amina },
  );
  expect(response.status).toBe(302);
  return response.headers.get("location")!.split("/").pop()!;
}

const approvalPath = () => `/moten/${ids.meeting}/anteckningar/justering`;

async function status() {
  const [row] = await db().select({ status: notesDocuments.status }).from(notesDocuments).where(eq(notesDocuments.id, ids.document));
  return row.status;
}

async function currentMarkdown() {
  const { json } = notesContentOf(await readNotesState(db(), ids.document));
  return notesToMarkdown({ title: "", when: "", networkName: "", status: "" }, json);
}

async function pdfText(base64OrBuffer: string | Buffer) {
  const data = typeof base64OrBuffer === "string" ? Buffer.from(base64OrBuffer, "base64") : base64OrBuffer;
  const parser = new PDFParse({ data: new Uint8Array(data) });
  try {
    return (await parser.getText()).text;
  } finally {
    await parser.destroy();
  }
}

/** The id of the document's newest approval round. */
async function roundId() {
  const rounds = await db().select().from(notesApprovalRounds).where(eq(notesApprovalRounds.documentId, ids.document));
  return rounds.sort((a, b) => b.round - a.round)[0].id;
}

beforeAll(async () => {
  stub = await startResendStub();
  process.env.RESEND_BASE_URL = stub.url;
  portal = await startTestPortal({ RESEND_API_KEY: "re_test_key", MAIL_RETRY_DELAY_SECONDS: "1" });
  [{ id: ids.network }] = await db().select({ id: networks.id }).from(networks).where(eq(networks.name, DEMO_NETWORK));
  const [farsta] = await db().select().from(organisations).where(eq(organisations.name, "Farsta stadsdelsnämnd"));
  const [fia] = await db().insert(users).values({ email: FIA, name: "Fia Farsta", status: "active" }).returning();
  await db().insert(memberships).values({ userId: fia.id, organisationId: farsta.id, role: "medlem" });
  ids.fia = fia.id;
  for (const [key, email] of [["amina", AMINA], ["erik", ERIK], ["lena", LENA], ["johan", JOHAN], ["maja", MAJA], ["fia", FIA]] as const) cookies[key] = await portal.signInAs(email);
  ids.meeting = await planMeeting("Samverkansmöte Järva", stockholmDay(10), `${LENA} ${EXTERNAL}`);
  ids.other = await planMeeting("Ett annat möte", stockholmDay(11), "");
  [{ id: ids.erik }] = await db().select({ id: users.id }).from(users).where(eq(users.email, ERIK));
  [{ id: ids.lena }] = await db().select({ id: users.id }).from(users).where(eq(users.email, LENA));
  // Opening the approval page creates the notes document; the notes are then written into it.
  expect((await portal.fetch(approvalPath(), { cookie: cookies.amina })).status).toBe(200);
  [{ id: ids.document }] = await db().select({ id: notesDocuments.id }).from(notesDocuments).where(eq(notesDocuments.meetingId, ids.meeting));
  await appendNotesUpdate(db(), ids.document, notesUpdateFrom(sampleNotes), null);
  await mailSettled(db());
});

afterAll(async () => {
  for (const client of clients) client.close();
  await portal?.close();
  await stub?.close();
  if (previousBaseUrl === undefined) delete process.env.RESEND_BASE_URL;
  else process.env.RESEND_BASE_URL = previousBaseUrl;
});

describe("sending the notes for approval", () => {
  it("the approval page shows the notes read-only and lets only the coordinator choose justerare among invitees with an account", async () => {
    const page = await (await portal.fetch(approvalPath(), { cookie: cookies.amina })).text();
    expect(page).toContain("Trygghetsvandring i Rinkeby");
    expect(page).toContain("Skicka för justering");
    // The justerare are chosen among invitees with an account: not the external contact, whom the
    // notes' list of participants names by address.
    const approvers = /<legend>Välj justerare bland de inbjudna<\/legend>([\s\S]*?)<\/fieldset>/.exec(page)?.[1] ?? "";
    expect(approvers).toContain("Lena Berg");
    expect(approvers).not.toContain("extern.kontakt");
    const asMember = await (await portal.fetch(approvalPath(), { cookie: cookies.erik })).text();
    expect(asMember).toContain("Trygghetsvandring i Rinkeby");
    expect(asMember).not.toContain("Skicka för justering");
    expect((await portal.fetch(approvalPath(), { cookie: cookies.fia })).status).toBe(404);
  });

  it("a member who does not run the meeting may not send the notes for approval, and nothing changes", async () => {
    const before = await digest();
    const response = await portal.post(approvalPath(), { intent: "send", approverIds: [ids.erik] }, { cookie: cookies.erik });
    expect(response.status).toBe(403);
    expect(await digest()).toEqual(before);
  });

  it("refuses a justerare who is not invited, a made-up id, a malformed id and no choice at all, with a Swedish message and nothing changed", async () => {
    const before = await digest();
    const cases: Array<[string | string[], string]> = [
      [[ids.erik, ids.fia], "Justerare väljs bland mötets inbjudna"],
      ["00000000-0000-4000-8000-000000000000", "Justerare väljs bland mötets inbjudna"],
      ["'; drop table notes_documents; --", "Ogiltig justerare."],
      [[], "Välj minst en justerare."],
    ];
    for (const [approverIds, message] of cases) {
      const response = await portal.post(approvalPath(), { intent: "send", approverIds }, { cookie: cookies.amina });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain(message);
    }
    expect(await digest()).toEqual(before);
    expect(await status()).toBe("open");
  });

  it("the coordinator sends the notes to two justerare, who each get a mail with a link to the approval page, and the notes turn read-only meanwhile", async () => {
    const editor = await collab(cookies.johan);
    expect(editor.readOnly).toBe(false);
    const accessChange = new Promise((resolve) => editor.socket.once("access", (...args: unknown[]) => resolve(args)));
    const response = await portal.post(approvalPath(), { intent: "send", approverIds: [ids.erik, ids.lena] }, { cookie: cookies.amina });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Anteckningarna är skickade för justering till");
    expect(await status()).toBe("for_approval");
    // The justerare approve the text they read: someone already in the document turns read-only at
    // once, the server refuses their updates, and a new join is read-only.
    expect(await accessChange).toEqual([notesDocName(ids.meeting), { ok: true, readOnly: true }]);
    const before = await digest();
    expect(await editor.change((doc) => addParagraph(doc, "Skrivet under justeringen"))).toEqual({ ok: false, error: "read_only" });
    expect(await digest()).toEqual(before);
    expect((await collab(cookies.erik)).readOnly).toBe(true);
    await mailSettled(db());
    for (const address of [ERIK, LENA]) {
      const mail = stub.requests.find((request) => request.to.includes(address) && request.subject === "Justera minnesanteckningarna: Samverkansmöte Järva");
      expect(mail, address).toBeTruthy();
      expect(mail!.text).toContain(approvalPath());
    }
    expect(stub.requests.some((request) => request.to.includes(JOHAN) && request.subject.startsWith("Justera"))).toBe(false);
    const [event] = await db().select().from(auditEvents).where(eq(auditEvents.action, "notes.sentForApproval"));
    expect(event.summary).toContain("Erik Sandberg");
  });

  it("notes already out for approval cannot be sent again", async () => {
    const before = await digest();
    const response = await portal.post(approvalPath(), { intent: "send", approverIds: [ids.erik] }, { cookie: cookies.amina });
    expect(response.status).toBe(409);
    expect(await digest()).toEqual(before);
  });
});

describe("approving", () => {
  it("someone who is not a justerare cannot approve, not even a system administrator, and nothing changes", async () => {
    const before = await digest();
    const round = await roundId();
    for (const cookie of [cookies.johan, cookies.maja]) {
      const response = await portal.post(approvalPath(), { intent: "answer", roundId: round, decision: "approve" }, { cookie });
      expect(response.status).toBe(403);
    }
    expect((await portal.post(approvalPath(), { intent: "answer", roundId: round, decision: "approve" }, { cookie: cookies.fia })).status).toBe(404);
    expect(await digest()).toEqual(before);
  });

  it("a comment needs text, and an answer to a round that is not the current one is refused, with nothing changed", async () => {
    const before = await digest();
    const empty = await portal.post(approvalPath(), { intent: "answer", roundId: await roundId(), decision: "comment", comment: "  " }, { cookie: cookies.lena });
    expect(empty.status).toBe(400);
    // Drawn on the page, as a browser without JavaScript shows it: at the comment field, and above the form.
    const refusedPage = await empty.text();
    expect(formField(refusedPage, "justering-kommentar")).toMatchObject({ invalid: "true", pointsToError: true, error: "Skriv vad som behöver ändras." });
    expect(refusedPage).toContain('role="alert">Skriv vad som behöver ändras.</div>');
    const stale = await portal.post(approvalPath(), { intent: "answer", roundId: "00000000-0000-4000-8000-000000000000", decision: "approve" }, { cookie: cookies.lena });
    expect(stale.status).toBe(409);
    const unknown = await portal.post(approvalPath(), { intent: "answer", roundId: await roundId(), decision: "maybe" }, { cookie: cookies.lena });
    expect(unknown.status).toBe(400);
    expect(await digest()).toEqual(before);
  });

  it("a justerare's comment is stored and shown to the coordinator, not to the other members", async () => {
    const response = await portal.post(approvalPath(), { intent: "answer", roundId: await roundId(), decision: "comment", comment: "Punkt 2: lampan gäller tunneln vid Rinkebystråket." }, { cookie: cookies.lena });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('role="status">Din kommentar är sparad och syns för mötets samordnare.</div>');
    expect(await (await portal.fetch(approvalPath(), { cookie: cookies.amina })).text()).toContain("Punkt 2: lampan gäller tunneln vid Rinkebystråket.");
    expect(await (await portal.fetch(approvalPath(), { cookie: cookies.johan })).text()).not.toContain("lampan gäller tunneln");
    expect(await status()).toBe("for_approval");
  });

  it("one approval of two leaves the notes out for approval, and approving twice is refused with nothing changed", async () => {
    const first = await portal.post(approvalPath(), { intent: "answer", roundId: await roundId(), decision: "approve" }, { cookie: cookies.erik });
    expect(first.status).toBe(200);
    // The answer form has gone; the page tells what was done in its place.
    expect(await first.text()).toMatch(/class="alert alert--ok"[^>]*>Du har justerat anteckningarna\. De andra justerarna har inte justerat ännu\.</);
    expect(await status()).toBe("for_approval");
    const before = await digest();
    const again = await portal.post(approvalPath(), { intent: "answer", roundId: await roundId(), decision: "approve" }, { cookie: cookies.erik });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("Du har redan justerat");
    expect(await digest()).toEqual(before);
  });

  it("the last approval locks the notes, freezes a version and mails every invitee the approved minutes with a PDF whose text contains the notes", async () => {
    const editor = await collab(cookies.erik);
    const response = await portal.post(approvalPath(), { intent: "answer", roundId: await roundId(), decision: "approve" }, { cookie: cookies.lena });
    expect(response.status).toBe(200);
    expect(await status()).toBe("approved");
    // Read-only since the sending, and so it stays.
    expect(editor.readOnly).toBe(true);
    expect(await editor.change((doc) => addParagraph(doc, "Skrivet efter justeringen"))).toEqual({ ok: false, error: "read_only" });
    expect(await currentMarkdown()).not.toContain("Skrivet efter justeringen");
    const versions = await db().select().from(notesVersions).where(and(eq(notesVersions.documentId, ids.document), eq(notesVersions.kind, "approval")));
    expect(versions).toHaveLength(1);
    expect(versions[0].plainText).toContain("Trygghetsvandring i Rinkeby");

    await mailSettled(db());
    const invitees = await db().select({ email: meetingInvitees.email }).from(meetingInvitees).where(eq(meetingInvitees.meetingId, ids.meeting));
    expect(invitees.map((invitee) => invitee.email)).toContain(EXTERNAL);
    for (const { email } of invitees) {
      const mails = stub.requests.filter((request) => request.to.includes(email) && request.subject === "Justerade minnesanteckningar: Samverkansmöte Järva");
      expect(mails, email).toHaveLength(1);
      expect(mails[0].text).toContain(`/moten/${ids.meeting}/anteckningar`);
      const [attachment] = mails[0].attachments ?? [];
      expect(attachment.filename).toBe("minnesanteckningar-samverkansmote-jarva.pdf");
      expect(attachment.content_type).toBe("application/pdf");
      if (email === ERIK) {
        const content = await pdfText(attachment.content!);
        for (const expected of ["Samverkansmöte Järva", "Justerade", "Erik Sandberg", "Lena Berg", "Trygghetsvandring i Rinkeby", "@Åsa Öberg", "Klipp buskar vid gångvägen", "Boka lokal", "Järvafältet"]) {
          expect(content).toContain(expected);
        }
      }
    }
  });

  it("approved notes cannot be changed: restoring a version and sending again are refused with nothing changed", async () => {
    const before = await digest();
    const [version] = await db().select().from(notesVersions).where(eq(notesVersions.documentId, ids.document));
    const restore = await portal.post(`/moten/${ids.meeting}/anteckningar/versioner/${version.id}`, { intent: "restore" }, { cookie: cookies.amina });
    expect(restore.status).toBe(409);
    expect(await restore.text()).toContain("Öppna dem igen först");
    expect((await portal.post(approvalPath(), { intent: "send", approverIds: [ids.erik] }, { cookie: cookies.amina })).status).toBe(409);
    expect(await digest()).toEqual(before);
  });
});

describe("reopening", () => {
  it("needs a reason and a coordinator; a refusal changes nothing", async () => {
    const before = await digest();
    const noReason = await portal.post(approvalPath(), { intent: "reopen", reason: " " }, { cookie: cookies.amina });
    expect(noReason.status).toBe(400);
    const refusedPage = await noReason.text();
    expect(formField(refusedPage, "oppna-anledning")).toMatchObject({ invalid: "true", pointsToError: true });
    expect(formField(refusedPage, "oppna-anledning").error).toContain("Skriv varför anteckningarna öppnas igen");
    expect((await portal.post(approvalPath(), { intent: "reopen", reason: "Jag vill ändra något." }, { cookie: cookies.erik })).status).toBe(403);
    expect(await digest()).toEqual(before);
    expect(await status()).toBe("approved");
  });

  it("the coordinator reopens approved notes with a reason, which is logged and shown", async () => {
    const reason = "Fel datum för trygghetsvandringen, rättas och justeras på nytt.";
    const response = await portal.post(approvalPath(), { intent: "reopen", reason }, { cookie: cookies.amina });
    expect(response.status).toBe(200);
    expect(await status()).toBe("open");
    const [event] = await db().select().from(auditEvents).where(eq(auditEvents.action, "notes.reopened"));
    expect(event.summary).toContain(reason);
    expect(event.changes).toMatchObject({ before: { status: "approved" }, after: { status: "open", reason } });
    expect(await (await portal.fetch(approvalPath(), { cookie: cookies.erik })).text()).toContain(reason);
    // Editable again: a new join is not read-only and an update is stored.
    const editor = await collab(cookies.johan);
    expect(editor.readOnly).toBe(false);
    // The approved version stays.
    expect(await db().select().from(notesVersions).where(and(eq(notesVersions.documentId, ids.document), eq(notesVersions.kind, "approval")))).toHaveLength(1);
  });
});

describe("versions", () => {
  it("a version taken by hand is listed, and restoring it brings its content back as a new change, keeping what was there as a version", async () => {
    const take = await portal.post(`/moten/${ids.meeting}/anteckningar/versioner`, { intent: "take", name: "Före rättelsen" }, { cookie: cookies.amina });
    expect(take.status).toBe(200);
    const saved = await currentMarkdown();
    const editor = await collab(cookies.johan);
    expect(await editor.change((doc) => addParagraph(doc, "Tillägg efter mötet"))).toEqual({ ok: true });
    expect(await currentMarkdown()).toContain("Tillägg efter mötet");
    const list = await (await portal.fetch(`/moten/${ids.meeting}/anteckningar/versioner`, { cookie: cookies.erik })).text();
    expect(list).toContain("Före rättelsen");
    expect(list).not.toContain("Spara version");

    const [version] = await db().select().from(notesVersions).where(and(eq(notesVersions.documentId, ids.document), eq(notesVersions.name, "Före rättelsen")));
    const view = await (await portal.fetch(`/moten/${ids.meeting}/anteckningar/versioner/${version.id}`, { cookie: cookies.erik })).text();
    expect(view).toContain("Trygghetsvandring i Rinkeby");
    expect(view).not.toContain("Tillägg efter mötet");

    const updatesBefore = (await rows<{ n: number }>(db(), sql`select count(*)::int as n from notes_updates where document_id = ${ids.document}`))[0].n;
    expect((await portal.post(`/moten/${ids.meeting}/anteckningar/versioner/${version.id}`, { intent: "restore" }, { cookie: cookies.erik })).status).toBe(403);
    const restore = await portal.post(`/moten/${ids.meeting}/anteckningar/versioner/${version.id}`, { intent: "restore" }, { cookie: cookies.amina });
    expect(restore.status).toBe(200);
    expect(await currentMarkdown()).toBe(saved);
    // Someone with the notes open receives the restored content as an ordinary change.
    await waitFor(() => !notesLines(editor.doc).includes("Tillägg efter mötet") && notesLines(editor.doc).includes("Trygghetsvandring i Rinkeby"), "the restored content in the open editor", 10_000);
    const updatesAfter = (await rows<{ n: number }>(db(), sql`select count(*)::int as n from notes_updates where document_id = ${ids.document}`))[0].n;
    expect(updatesAfter).toBe(updatesBefore + 1);
    const [kept] = await db().select().from(notesVersions).where(and(eq(notesVersions.documentId, ids.document), eq(notesVersions.kind, "restore")));
    expect(kept.plainText).toContain("Tillägg efter mötet");
  });

  it("naming a version without JavaScript is told at the form: a blank name is refused at its field with nothing stored, a good one is confirmed", async () => {
    const versionsNow = async () => (await db().select().from(notesVersions).where(eq(notesVersions.documentId, ids.document))).length;
    const before = await versionsNow();
    const refused = await portal.post(`/moten/${ids.meeting}/anteckningar/versioner`, { intent: "take", name: "   " }, { cookie: cookies.amina });
    expect(refused.status).toBe(400);
    const refusedPage = await refused.text();
    expect(formField(refusedPage, "version-namn")).toMatchObject({ invalid: "true", pointsToError: true, error: "Ge versionen ett namn." });
    expect(await versionsNow()).toBe(before);

    const saved = await portal.post(`/moten/${ids.meeting}/anteckningar/versioner`, { intent: "take", name: "Efter genomgången" }, { cookie: cookies.amina });
    expect(saved.status).toBe(200);
    const savedPage = await saved.text();
    expect(savedPage).toContain('role="status">Versionen &quot;Efter genomgången&quot; är sparad.</div>');
    expect(formField(savedPage, "version-namn")).toMatchObject({ ...NO_FIELD_ERROR, value: undefined });
    expect(await versionsNow()).toBe(before + 1);
  });

  it("a change that reached the notes a moment before a restore is kept in the version saved before it, and the restore removes it", async () => {
    const [version] = await db().select().from(notesVersions).where(and(eq(notesVersions.documentId, ids.document), eq(notesVersions.name, "Före rättelsen")));
    const editor = await collab(cookies.johan);
    const watcher = await collab(cookies.amina);
    // Sent, and restored as soon as another editor has it, without waiting for it to be stored.
    const stored = editor.change((doc) => addParagraph(doc, "Skrivet precis före återställningen"));
    await waitFor(() => notesLines(watcher.doc).includes("Skrivet precis före återställningen"), "the change at the other editor", 10_000);
    const restore = await portal.post(`/moten/${ids.meeting}/anteckningar/versioner/${version.id}`, { intent: "restore" }, { cookie: cookies.amina });
    expect(restore.status).toBe(200);
    expect(await restore.text()).toContain("Anteckningarna är återställda till");
    expect(await stored).toEqual({ ok: true });
    await waitFor(() => !notesLines(watcher.doc).includes("Skrivet precis före återställningen"), "the restore at the other editor", 10_000);
    expect(await currentMarkdown()).not.toContain("Skrivet precis före återställningen");
    const kept = await db().select().from(notesVersions).where(and(eq(notesVersions.documentId, ids.document), eq(notesVersions.kind, "restore"))).orderBy(asc(notesVersions.createdAt));
    expect(kept.at(-1)!.plainText).toContain("Skrivet precis före återställningen");
  });

  it("a version id from another meeting, a made-up one or a malformed one is not found, and a nameless version is refused, with nothing changed", async () => {
    await portal.fetch(`/moten/${ids.other}/anteckningar/justering`, { cookie: cookies.amina });
    const [otherDocument] = await db().select().from(notesDocuments).where(eq(notesDocuments.meetingId, ids.other));
    const [foreign] = await db().insert(notesVersions).values({ documentId: otherDocument.id, kind: "manual", name: "Annat mötes version", state: notesUpdateFrom(doc(paragraph(text("Hemligt")))) }).returning();
    const before = await digest();
    for (const versionId of [foreign.id, "00000000-0000-4000-8000-000000000000", "inte-ett-id"]) {
      expect((await portal.fetch(`/moten/${ids.meeting}/anteckningar/versioner/${versionId}`, { cookie: cookies.amina })).status).toBe(404);
      expect((await portal.post(`/moten/${ids.meeting}/anteckningar/versioner/${versionId}`, { intent: "restore" }, { cookie: cookies.amina })).status).toBe(404);
      expect((await portal.fetch(`/moten/${ids.meeting}/anteckningar.md?version=${versionId}`, { cookie: cookies.amina })).status).toBe(404);
    }
    const nameless = await portal.post(`/moten/${ids.meeting}/anteckningar/versioner`, { intent: "take", name: "" }, { cookie: cookies.amina });
    expect(nameless.status).toBe(400);
    expect(await nameless.text()).toContain("Ge versionen ett namn.");
    expect(await digest()).toEqual(before);
  });

  // The meetings lie ahead of the real clock, so only the scans called here with a later clock take versions.
  it("a version is taken once when a meeting has ended, by the periodic scan on the clock it is given", async () => {
    const [meeting] = await rows<{ ends_at: Date }>(db(), sql`select ends_at from meetings where id = ${ids.meeting}`);
    const endsAt = new Date(meeting.ends_at);
    const endVersions = () => db().select().from(notesVersions).where(and(eq(notesVersions.documentId, ids.document), eq(notesVersions.kind, "meeting_end")));
    await db().execute(sql`delete from notes_versions where kind = 'meeting_end'`);
    await takeMeetingEndVersions(db(), new Date(endsAt.getTime() - 60_000));
    expect(await endVersions()).toHaveLength(0);
    await takeMeetingEndVersions(db(), new Date(endsAt.getTime() + 60_000));
    await takeMeetingEndVersions(db(), new Date(endsAt.getTime() + 120_000));
    const taken = await endVersions();
    expect(taken).toHaveLength(1);
    expect(taken[0].name).toMatch(/^Vid mötets slut /);
  });
});

describe("exports", () => {
  it("an invitee downloads the notes as PDF, Word and Markdown with the notes' text; someone who does not see the meeting gets 404", async () => {
    const markdown = await portal.fetch(`/moten/${ids.meeting}/anteckningar.md`, { cookie: cookies.johan });
    expect(markdown.status).toBe(200);
    expect(markdown.headers.get("content-type")).toContain("text/markdown");
    const md = await markdown.text();
    expect(md).toContain("# Samverkansmöte Järva");
    expect(md).toContain("Utkast, inte justerat");
    expect(md).toContain("- [x] Boka lokal");

    const pdf = await portal.fetch(`/moten/${ids.meeting}/anteckningar.pdf`, { cookie: cookies.johan });
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(pdf.headers.get("content-disposition")).toContain("minnesanteckningar-samverkansmote-jarva.pdf");
    expect(await pdfText(Buffer.from(await pdf.arrayBuffer()))).toContain("Trygghetsvandring i Rinkeby");

    const word = await portal.fetch(`/moten/${ids.meeting}/anteckningar.docx`, { cookie: cookies.johan });
    const xml = await (await JSZip.loadAsync(await word.arrayBuffer())).file("word/document.xml")!.async("string");
    expect(xml).toContain("Trygghetsvandring i Rinkeby");
    expect(xml).toContain("Järvafältet");

    const [approved] = await db().select().from(notesVersions).where(and(eq(notesVersions.documentId, ids.document), eq(notesVersions.kind, "approval")));
    const ofVersion = await (await portal.fetch(`/moten/${ids.meeting}/anteckningar.md?version=${approved.id}`, { cookie: cookies.johan })).text();
    expect(ofVersion).toContain(`Version "${approved.name}"`);

    for (const format of ["pdf", "docx", "md"]) {
      expect((await portal.fetch(`/moten/${ids.meeting}/anteckningar.${format}`, { cookie: cookies.fia })).status).toBe(404);
      expect((await portal.fetch(`/moten/${ids.meeting}/anteckningar.${format}`)).status).not.toBe(200);
    }
  });
});

describe("approvers' rows", () => {
  it("keep each justerare's answer of the finished round", async () => {
    await waitFor(async () => (await db().select().from(notesApprovers)).length >= 2, "approvers");
    const answers = await db().select({ status: notesApprovers.status, comment: notesApprovers.comment }).from(notesApprovers).orderBy(asc(notesApprovers.comment));
    expect(answers).toEqual([
      { status: "approved", comment: "" },
      { status: "approved", comment: "Punkt 2: lampan gäller tunneln vid Rinkebystråket." },
    ]);
  });
});
