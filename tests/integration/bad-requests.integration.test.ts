import crypto from "node:crypto";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { desc, eq, sql } from "drizzle-orm";
import { emails, networks, organisations, signInTokens, users } from "../../db/schema";
import { signInLink } from "../../app/domain/auth/sign-in.server";
import { liveSockets } from "../support/live-socket";
import { rows, tableDigest } from "../support/digest";
import { startTestPortal, type TestPortal } from "../support/portal";

/**
 * Every kind of bad request the portal can be sent is refused with a 4xx and a Swedish
 * explanation, and leaves every stored record exactly as it was.
 */

let portal: TestPortal;

const ids = {
  stadsledningskontoret: "",
  jarva: "",
  polisJarva: "",
  sodermalm: "",
  maja: "",
  johan: "",
  amina: "",
  erik: "",
  lena: "",
  trygghetsnatverket: "",
  sodermalmsnatverket: "",
  sentEmail: "",
};
const cookies = { maja: "", johan: "", amina: "", erik: "", lena: "" };
const tokens = { replayed: "", expired: "" };

/** Application tables whose contents must not change on a refused request (rate_limits may). */
const TABLES = [
  "organisations",
  "users",
  "memberships",
  "networks",
  "network_members",
  "audit_events",
  "emails",
  "sessions",
  "sign_in_tokens",
] as const;

type Digest = Record<string, string>;

/** An md5 of every row of every application table, plus sign-in tokens without their attempt counter. */
async function digest(): Promise<Digest> {
  const out = await tableDigest(portal.portal.db, TABLES);
  const [tokensWithoutAttempts] = await rows<{ digest: string }>(
    portal.portal.db, sql.raw(
      `select md5(coalesce(string_agg((to_jsonb(t) - 'attempts')::text, ',' order by t.id), '')) as digest from sign_in_tokens t`,
    ),
  );
  out["sign_in_tokens without attempts"] = tokensWithoutAttempts.digest;
  return out;
}

async function totalCodeAttempts() {
  const [row] = await rows<{ total: number }>(portal.portal.db, sql`select coalesce(sum(attempts), 0)::int as total from sign_in_tokens`);
  return row.total;
}

/** Waits until the mail workers have delivered everything queued (they write to the emails table). */
async function mailSettled() {
  for (let i = 0; i < 200; i++) {
    const [row] = await rows<{ pending: number }>(
      portal.portal.db, sql`select count(*)::int as pending from emails where status in ('queued', 'sending')`,
    );
    if (row.pending === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("mail queue did not settle");
}

/** A request sent byte for byte as written: fetch would normalise dot segments away. */
function rawRequest(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  const { port, host } = new URL(portal.url);
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const request = http.request(
      { host: "127.0.0.1", port: Number(port), path, method: options.method ?? "GET", headers: { host, ...options.headers }, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") });
          // A refused body that was never sent would keep the connection waiting.
          request.destroy();
        });
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    if (options.body) request.write(options.body);
    request.end();
  });
}

async function answer(response: Response) {
  return { status: response.status, text: await response.text() };
}

const randomUuid = () => crypto.randomUUID();
const FORBIDDEN = "Du har inte behörighet att göra det här.";
const BAD_ORIGIN = "Begäran kom inte från portalen";
const BAD_PATH = "Adressen är ogiltig.";

type HttpCase = {
  name: string;
  request: () => Promise<{ status: number; text: string }>;
  status: number;
  phrase: string;
  /** A wrong code counts against the token's attempt limit, like a rate limit; nothing else changes. */
  countsAttempt?: boolean;
};

const profileFields = { name: "Amina Hassan", title: "", phone: "", meetingReminders: "on" };

const httpCases: HttpCase[] = [
  // Cross-site request forgery guards.
  {
    name: "a POST with a forged Origin header",
    request: async () => answer(await portal.post("/profil", { ...profileFields, name: "Förfalskad" }, { cookie: cookies.amina, origin: "https://evil.example" })),
    status: 403,
    phrase: BAD_ORIGIN,
  },
  {
    name: "a POST with neither Origin nor Sec-Fetch-Site",
    request: async () => answer(await portal.post("/profil", { ...profileFields, name: "Utan ursprung" }, { cookie: cookies.amina, origin: null })),
    status: 403,
    phrase: BAD_ORIGIN,
  },
  {
    name: "a POST without Origin marked Sec-Fetch-Site: cross-site",
    request: async () =>
      answer(
        await portal.fetch("/profil", {
          method: "POST",
          body: new URLSearchParams({ ...profileFields, name: "Annan sajt" }),
          cookie: cookies.amina,
          origin: null,
          headers: { "sec-fetch-site": "cross-site" },
        }),
      ),
    status: 403,
    phrase: BAD_ORIGIN,
  },
  {
    name: "a POST with the opaque Origin null",
    request: async () => answer(await portal.post("/profil", { ...profileFields, name: "Null" }, { cookie: cookies.amina, origin: "null" })),
    status: 403,
    phrase: BAD_ORIGIN,
  },
  {
    name: "a POST whose Origin only imitates the portal's host as a subdomain",
    request: async () =>
      answer(await portal.post("/profil", { ...profileFields, name: "Subdomän" }, { cookie: cookies.amina, origin: `http://${new URL(portal.url).host}.evil.example` })),
    status: 403,
    phrase: BAD_ORIGIN,
  },
  // Size and shape of the body.
  {
    name: "a body over 1 MiB",
    request: async () =>
      answer(
        await portal.fetch("/profil", {
          method: "POST",
          cookie: cookies.amina,
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: `name=${"a".repeat(1024 * 1024 + 10)}`,
        }),
      ),
    status: 413,
    phrase: "Det du skickade är för stort.",
  },
  {
    name: "a declared Content-Length over 1 MiB",
    request: () =>
      rawRequest("/profil", {
        method: "POST",
        headers: {
          origin: portal.url,
          cookie: cookies.amina,
          "content-type": "application/x-www-form-urlencoded",
          "content-length": String(2 * 1024 * 1024),
        },
      }),
    status: 413,
    phrase: "Det du skickade är för stort.",
  },
  {
    name: "a JSON body where a form is expected",
    request: async () =>
      answer(
        await portal.fetch("/profil", {
          method: "POST",
          cookie: cookies.amina,
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ name: "Json" }),
        }),
      ),
    status: 400,
    phrase: "Formuläret kunde inte läsas.",
  },
  {
    name: "a file uploaded to the profile form",
    request: async () => {
      const form = new FormData();
      form.set("name", "Med fil");
      form.set("title", new Blob(["hej"]), "fil.txt");
      return answer(await portal.fetch("/profil", { method: "POST", cookie: cookies.amina, body: form }));
    },
    status: 400,
    phrase: "Filer kan inte skickas här.",
  },
  // Field validation.
  {
    name: "a malformed e-mail address on the sign-in form",
    request: async () => answer(await portal.post("/logga-in", { email: "inte-en-adress" })),
    status: 400,
    phrase: "Ange en giltig e-postadress",
  },
  {
    name: "a sign-in form without an e-mail field",
    request: async () => answer(await portal.post("/logga-in", {})),
    status: 400,
    phrase: "Ange en e-postadress.",
  },
  {
    name: "an e-mail address over 254 characters",
    request: async () => answer(await portal.post("/logga-in", { email: `${"a".repeat(250)}@demo.stockholm.se` })),
    status: 400,
    phrase: "E-postadressen är för lång.",
  },
  {
    name: "a profile without a name",
    request: async () => answer(await portal.post("/profil", { title: "Titel", phone: "" }, { cookie: cookies.amina })),
    status: 400,
    phrase: "Kontrollera de markerade fälten.",
  },
  {
    name: "a profile name over 120 characters",
    request: async () => answer(await portal.post("/profil", { ...profileFields, name: "N".repeat(121) }, { cookie: cookies.amina })),
    status: 400,
    phrase: "Namnet får vara högst 120 tecken.",
  },
  {
    name: "a phone number with letters",
    request: async () => answer(await portal.post("/profil", { ...profileFields, phone: "ring mig" }, { cookie: cookies.amina })),
    status: 400,
    phrase: "Telefonnumret får bara innehålla",
  },
  {
    name: "a network name over 120 characters",
    request: async () =>
      answer(await portal.post("/natverk/nytt", { name: "N".repeat(121), ownerOrganisationId: ids.stadsledningskontoret }, { cookie: cookies.amina })),
    status: 400,
    phrase: "Namnet får vara högst 120 tecken.",
  },
  {
    name: "a network shared with something that is not an organisation id",
    request: async () =>
      answer(
        await portal.post(
          "/natverk/nytt",
          { name: "Delat med skräp", ownerOrganisationId: ids.stadsledningskontoret, sharedWithOrganisationIds: ["abc", ids.jarva] },
          { cookie: cookies.amina },
        ),
      ),
    status: 400,
    phrase: "Kontrollera de markerade fälten.",
  },
  // Organisation member commands.
  {
    name: "an invalid role value",
    request: async () => answer(await portal.post(`/organisationer/${ids.jarva}`, { intent: "role", userId: ids.johan, role: "kung" }, { cookie: cookies.johan })),
    status: 400,
    phrase: "Välj en giltig roll.",
  },
  {
    name: "an invitation with an invalid role value",
    request: async () =>
      answer(
        await portal.post(
          `/organisationer/${ids.jarva}`,
          { intent: "invite", email: "ny.person@demo.stockholm.se", name: "Ny Person", role: "superadmin" },
          { cookie: cookies.johan },
        ),
      ),
    status: 400,
    phrase: "Kontrollera de markerade fälten.",
  },
  {
    name: "an invitation with a malformed e-mail address",
    request: async () =>
      answer(
        await portal.post(`/organisationer/${ids.jarva}`, { intent: "invite", email: "ny.person@", name: "Ny Person", role: "medlem" }, { cookie: cookies.johan }),
      ),
    status: 400,
    phrase: "Kontrollera de markerade fälten.",
  },
  {
    name: "an unknown intent",
    request: async () => answer(await portal.post(`/organisationer/${ids.jarva}`, { intent: "promote", userId: ids.johan }, { cookie: cookies.johan })),
    status: 400,
    phrase: "Okänd åtgärd.",
  },
  {
    name: "a member command without intent or person",
    request: async () => answer(await portal.post(`/organisationer/${ids.jarva}`, {}, { cookie: cookies.johan })),
    status: 400,
    phrase: "Ogiltig person.",
  },
  {
    name: "a member command with a malformed person id",
    request: async () => answer(await portal.post(`/organisationer/${ids.jarva}`, { intent: "remove", userId: "1 or 1=1" }, { cookie: cookies.johan })),
    status: 400,
    phrase: "Ogiltig person.",
  },
  {
    name: "demoting an organisation's last administrator",
    request: async () => answer(await portal.post(`/organisationer/${ids.jarva}`, { intent: "role", userId: ids.johan, role: "medlem" }, { cookie: cookies.johan })),
    status: 409,
    phrase: "Organisationen måste ha minst en aktiv administratör.",
  },
  {
    name: "inviting someone who is already a member",
    request: async () =>
      answer(
        await portal.post(
          `/organisationer/${ids.stadsledningskontoret}`,
          { intent: "invite", email: "amina.hassan@demo.stockholm.se", name: "Amina Hassan", role: "medlem" },
          { cookie: cookies.maja },
        ),
      ),
    status: 409,
    phrase: "är redan medlem i Stadsledningskontoret.",
  },
  {
    name: "anonymising a person whose account is still active",
    request: async () => answer(await portal.post(`/organisationer/${ids.polisJarva}`, { intent: "anonymise", userId: ids.erik }, { cookie: cookies.maja })),
    status: 409,
    phrase: "Inaktivera kontot innan personen anonymiseras.",
  },
  // Ids in the address.
  {
    name: "an organisation address with an invalid uuid",
    request: async () => answer(await portal.fetch("/organisationer/inte-ett-id", { cookie: cookies.johan })),
    status: 404,
    phrase: "Sidan eller uppgiften finns inte",
  },
  {
    name: "a member command to an organisation address with an invalid uuid",
    request: async () => answer(await portal.post("/organisationer/123", { intent: "remove", userId: ids.johan }, { cookie: cookies.maja })),
    status: 404,
    phrase: "Sidan eller uppgiften finns inte",
  },
  {
    name: "a network address with an invalid uuid",
    request: async () => answer(await portal.fetch("/natverk/00000000-0000-0000-0000-00000000000g", { cookie: cookies.erik })),
    status: 404,
    phrase: "Sidan eller uppgiften finns inte",
  },
  {
    name: "a valid uuid of a network that does not exist",
    request: async () => answer(await portal.fetch(`/natverk/${randomUuid()}`, { cookie: cookies.erik })),
    status: 404,
    phrase: "Nätverket finns inte.",
  },
  {
    name: "a valid uuid of an organisation that does not exist",
    request: async () => answer(await portal.fetch(`/organisationer/${randomUuid()}`, { cookie: cookies.erik })),
    status: 404,
    phrase: "Organisationen finns inte.",
  },
  {
    name: "an invitation to an organisation that does not exist",
    request: async () =>
      answer(
        await portal.post(`/organisationer/${randomUuid()}`, { intent: "invite", email: "ny.person@demo.stockholm.se", name: "Ny Person", role: "medlem" }, { cookie: cookies.maja }),
      ),
    status: 404,
    phrase: "Organisationen finns inte.",
  },
  {
    name: "a role change for a person who is not a member",
    request: async () =>
      answer(await portal.post(`/organisationer/${ids.stadsledningskontoret}`, { intent: "role", userId: randomUuid(), role: "medlem" }, { cookie: cookies.maja })),
    status: 404,
    phrase: "Personen är inte medlem i organisationen.",
  },
  {
    name: "deactivating a person who does not exist",
    request: async () => answer(await portal.post(`/organisationer/${ids.stadsledningskontoret}`, { intent: "deactivate", userId: randomUuid() }, { cookie: cookies.maja })),
    status: 404,
    phrase: "Personen finns inte.",
  },
  {
    name: "a network of another organisation that is not shared with the viewer",
    request: async () => answer(await portal.fetch(`/natverk/${ids.sodermalmsnatverket}`, { cookie: cookies.erik })),
    status: 404,
    phrase: "Nätverket finns inte.",
  },
  // Another organisation's records.
  {
    name: "an admin of Järva changing a role in Stadsledningskontoret",
    request: async () =>
      answer(await portal.post(`/organisationer/${ids.stadsledningskontoret}`, { intent: "role", userId: ids.amina, role: "admin" }, { cookie: cookies.johan })),
    status: 403,
    phrase: FORBIDDEN,
  },
  {
    name: "an admin of Järva removing a member of Stadsledningskontoret",
    request: async () => answer(await portal.post(`/organisationer/${ids.stadsledningskontoret}`, { intent: "remove", userId: ids.amina }, { cookie: cookies.johan })),
    status: 403,
    phrase: FORBIDDEN,
  },
  {
    name: "an admin of Järva deactivating a member of Stadsledningskontoret",
    request: async () => answer(await portal.post(`/organisationer/${ids.stadsledningskontoret}`, { intent: "deactivate", userId: ids.amina }, { cookie: cookies.johan })),
    status: 403,
    phrase: FORBIDDEN,
  },
  {
    name: "an admin of Järva deactivating through their own organisation's address",
    request: async () => answer(await portal.post(`/organisationer/${ids.jarva}`, { intent: "deactivate", userId: ids.amina }, { cookie: cookies.johan })),
    status: 403,
    phrase: FORBIDDEN,
  },
  {
    name: "an admin of Järva anonymising a member of another organisation",
    request: async () => answer(await portal.post(`/organisationer/${ids.polisJarva}`, { intent: "anonymise", userId: ids.erik }, { cookie: cookies.johan })),
    status: 403,
    phrase: FORBIDDEN,
  },
  {
    name: "a plain member inviting someone to their own organisation",
    request: async () =>
      answer(
        await portal.post(`/organisationer/${ids.polisJarva}`, { intent: "invite", email: "kollega@demo.polisen.se", name: "Kollega", role: "admin" }, { cookie: cookies.erik }),
      ),
    status: 403,
    phrase: FORBIDDEN,
  },
  {
    name: "a samordnare changing a role in their own organisation",
    request: async () =>
      answer(await portal.post(`/organisationer/${ids.stadsledningskontoret}`, { intent: "role", userId: ids.amina, role: "admin" }, { cookie: cookies.amina })),
    status: 403,
    phrase: FORBIDDEN,
  },
  {
    name: "a system administrator deactivating their own account",
    request: async () => answer(await portal.post(`/organisationer/${ids.stadsledningskontoret}`, { intent: "deactivate", userId: ids.maja }, { cookie: cookies.maja })),
    status: 403,
    phrase: FORBIDDEN,
  },
  // Networks.
  {
    name: "a plain member creating a network owned by their organisation",
    request: async () => answer(await portal.post("/natverk/nytt", { name: "Polisens nätverk", ownerOrganisationId: ids.polisJarva }, { cookie: cookies.erik })),
    status: 403,
    phrase: FORBIDDEN,
  },
  {
    name: "an admin creating a network owned by an organisation they do not lead",
    request: async () =>
      answer(await portal.post("/natverk/nytt", { name: "Kapat nätverk", ownerOrganisationId: ids.stadsledningskontoret }, { cookie: cookies.johan })),
    status: 403,
    phrase: FORBIDDEN,
  },
  {
    name: "a network shared with an organisation id that does not exist",
    request: async () =>
      answer(
        await portal.post(
          "/natverk/nytt",
          { name: "Delat med ingen", ownerOrganisationId: ids.stadsledningskontoret, sharedWithOrganisationIds: [ids.jarva, randomUuid()] },
          { cookie: cookies.amina },
        ),
      ),
    status: 404,
    phrase: "En av de valda organisationerna finns inte.",
  },
  {
    name: "a network owned by an organisation that does not exist",
    request: async () => answer(await portal.post("/natverk/nytt", { name: "Ägarlöst", ownerOrganisationId: randomUuid() }, { cookie: cookies.amina })),
    status: 403,
    phrase: FORBIDDEN,
  },
  {
    name: "a plain member opening the new-network form",
    request: async () => answer(await portal.fetch("/natverk/nytt", { cookie: cookies.erik })),
    status: 403,
    phrase: "Bara samordnare och administratörer kan skapa nätverk.",
  },
  // Path tricks.
  {
    name: "encoded slashes climbing out of /organisationer",
    request: () => rawRequest("/organisationer/..%2f..%2fetc"),
    status: 400,
    phrase: BAD_PATH,
  },
  {
    name: "encoded dot segments",
    request: () => rawRequest("/%2e%2e/"),
    status: 400,
    phrase: BAD_PATH,
  },
  {
    name: "plain dot segments",
    request: () => rawRequest("/organisationer/../../etc/passwd"),
    status: 400,
    phrase: BAD_PATH,
  },
  {
    name: "an encoded NUL byte",
    request: () => rawRequest("/profil%00.json"),
    status: 400,
    phrase: BAD_PATH,
  },
  {
    name: "an encoded backslash",
    request: () => rawRequest("/organisationer/%5c..%5cetc"),
    status: 400,
    phrase: BAD_PATH,
  },
  {
    name: "broken percent-encoding",
    request: () => rawRequest("/organisationer/%E0%A4%A"),
    status: 400,
    phrase: BAD_PATH,
  },
  {
    name: "a path trick on a POST",
    request: () =>
      rawRequest("/organisationer/..%2fprofil", {
        method: "POST",
        headers: { origin: portal.url, cookie: cookies.amina, "content-type": "application/x-www-form-urlencoded" },
        body: "name=Via+omv%C3%A4g",
      }),
    status: 400,
    phrase: BAD_PATH,
  },
  {
    name: "an unknown address",
    request: async () => answer(await portal.fetch("/finns-inte", { cookie: cookies.amina })),
    status: 404,
    phrase: "Sidan eller uppgiften finns inte",
  },
  {
    name: "a POST to an unknown address",
    request: async () => answer(await portal.post("/finns-inte", { name: "x" }, { cookie: cookies.amina })),
    status: 404,
    phrase: "Sidan eller uppgiften finns inte",
  },
  // Administration.
  {
    name: "an audit log filter with a date that is not a date",
    request: async () => answer(await portal.fetch("/admin/logg?from=notadate", { cookie: cookies.maja })),
    status: 400,
    phrase: "Filtret är ogiltigt. Datum anges som ÅÅÅÅ-MM-DD.",
  },
  {
    name: "an audit log filter with an action that is not an action name",
    request: async () => answer(await portal.fetch(`/admin/logg?action=${encodeURIComponent("'; drop table users;--")}`, { cookie: cookies.maja })),
    status: 400,
    phrase: "Filtret är ogiltigt.",
  },
  {
    name: "a plain member opening the audit log",
    request: async () => answer(await portal.fetch("/admin/logg", { cookie: cookies.erik })),
    status: 403,
    phrase: "Händelseloggen är till för administratörer.",
  },
  {
    name: "a system administrator retrying a mail that was delivered",
    request: async () => answer(await portal.post("/admin/e-post", { emailId: ids.sentEmail }, { cookie: cookies.maja })),
    status: 404,
    phrase: "Det finns inget olevererat mejl med det id:t.",
  },
  {
    name: "a system administrator retrying a mail that does not exist",
    request: async () => answer(await portal.post("/admin/e-post", { emailId: randomUuid() }, { cookie: cookies.maja })),
    status: 404,
    phrase: "Det finns inget olevererat mejl med det id:t.",
  },
  {
    name: "a mail retry with a malformed id",
    request: async () => answer(await portal.post("/admin/e-post", { emailId: "alla" }, { cookie: cookies.maja })),
    status: 400,
    phrase: "Ogiltigt mejl.",
  },
  {
    name: "an organisation admin opening the mail queue",
    request: async () => answer(await portal.fetch("/admin/e-post", { cookie: cookies.johan })),
    status: 403,
    phrase: FORBIDDEN,
  },
  {
    name: "a non-admin retrying a mail",
    request: async () => answer(await portal.post("/admin/e-post", { emailId: ids.sentEmail }, { cookie: cookies.amina })),
    status: 403,
    phrase: FORBIDDEN,
  },
  // Sign-in links and codes.
  {
    name: "a sign-in link used a second time",
    request: async () => answer(await portal.post("/logga-in/lank", { token: tokens.replayed })),
    status: 410,
    phrase: "Länken eller koden har redan använts.",
  },
  {
    name: "a made-up sign-in token of the right shape",
    request: async () => answer(await portal.post("/logga-in/lank", { token: `${randomUuid()}.${"a".repeat(52)}` })),
    status: 400,
    phrase: "Länken eller koden stämmer inte.",
  },
  {
    name: "a real token id with a made-up secret",
    request: async () => answer(await portal.post("/logga-in/lank", { token: `${tokens.replayed.split(".")[0]}.${"b".repeat(52)}` })),
    status: 400,
    phrase: "Länken eller koden stämmer inte.",
  },
  {
    name: "a malformed sign-in token",
    request: async () => answer(await portal.post("/logga-in/lank", { token: "../../etc/passwd" })),
    status: 400,
    phrase: "Länken eller koden stämmer inte.",
  },
  {
    name: "a sign-in link POST without a token",
    request: async () => answer(await portal.post("/logga-in/lank", {})),
    status: 400,
    phrase: "Länken eller koden stämmer inte.",
  },
  {
    name: "an expired sign-in link",
    request: async () => answer(await portal.post("/logga-in/lank", { token: tokens.expired })),
    status: 410,
    phrase: "Länken eller koden har gått ut.",
  },
  {
    name: "a wrong sign-in code",
    request: async () => answer(await portal.post("/logga-in/kod", { email: "amina.hassan@demo.stockholm.se", code: "0000 0000" })),
    status: 400,
    phrase: "Länken eller koden stämmer inte.",
    countsAttempt: true,
  },
  {
    name: "a sign-in code that is not digits",
    request: async () => answer(await portal.post("/logga-in/kod", { email: "amina.hassan@demo.stockholm.se", code: "abcdefgh" })),
    status: 400,
    phrase: "Koden består av åtta siffror.",
  },
  {
    name: "a sign-in code with too few digits",
    request: async () => answer(await portal.post("/logga-in/kod", { email: "amina.hassan@demo.stockholm.se", code: "1234" })),
    status: 400,
    phrase: "Koden består av åtta siffror.",
  },
  {
    name: "a sign-in code for an address without any token",
    request: async () => answer(await portal.post("/logga-in/kod", { email: "okand@demo.stockholm.se", code: "12345678" })),
    status: 400,
    phrase: "Länken eller koden stämmer inte.",
  },
  {
    name: "a sign-in code for an expired token",
    request: async () => answer(await portal.post("/logga-in/kod", { email: "erik.sandberg@demo.polisen.se", code: "12345678" })),
    status: 410,
    phrase: "Länken eller koden har gått ut.",
  },
];

beforeAll(async () => {
  portal = await startTestPortal();
  const db = portal.portal.db;
  const orgId = async (name: string) => (await db.select().from(organisations).where(eq(organisations.name, name)))[0].id;
  const userId = async (email: string) => (await db.select().from(users).where(eq(users.email, email)))[0].id;
  ids.stadsledningskontoret = await orgId("Stadsledningskontoret");
  ids.jarva = await orgId("Järva stadsdelsnämnd");
  ids.polisJarva = await orgId("Lokalpolisområde Järva");
  ids.sodermalm = await orgId("Södermalm stadsdelsnämnd");
  ids.maja = await userId("maja.lindqvist@demo.stockholm.se");
  ids.johan = await userId("johan.ek@demo.stockholm.se");
  ids.amina = await userId("amina.hassan@demo.stockholm.se");
  ids.erik = await userId("erik.sandberg@demo.polisen.se");
  ids.lena = await userId("lena.berg@demo.regionstockholm.se");
  ids.trygghetsnatverket = (await db.select().from(networks).where(eq(networks.name, "Trygghetsnätverket Järva")))[0].id;
  // A network that nobody outside Södermalm can see.
  const [sodermalmNetwork] = await db
    .insert(networks)
    .values({ name: "Södermalms trygghetsråd", ownerOrganisationId: ids.sodermalm, sharedWithOrganisationIds: [] })
    .returning();
  ids.sodermalmsnatverket = sodermalmNetwork.id;

  for (const name of Object.keys(cookies) as Array<keyof typeof cookies>) {
    const email = {
      maja: "maja.lindqvist@demo.stockholm.se",
      johan: "johan.ek@demo.stockholm.se",
      amina: "amina.hassan@demo.stockholm.se",
      erik: "erik.sandberg@demo.polisen.se",
      lena: "lena.berg@demo.regionstockholm.se",
    }[name];
    cookies[name] = await portal.signInAs(email);
  }

  const newestToken = async (user: string) =>
    (await db.select().from(signInTokens).where(eq(signInTokens.userId, user)).orderBy(desc(signInTokens.createdAt)).limit(1))[0];
  const requestLink = async (email: string) => {
    const response = await portal.post("/logga-in", { email });
    expect(response.status).toBe(302);
  };

  // A link that has already been used once.
  await requestLink("lena.berg@demo.regionstockholm.se");
  tokens.replayed = new URL(signInLink((await newestToken(ids.lena)).id)).searchParams.get("token")!;
  const first = await portal.post("/logga-in/lank", { token: tokens.replayed });
  expect(first.status).toBe(302);

  // A link (and code) that has expired.
  await requestLink("erik.sandberg@demo.polisen.se");
  const eriksToken = await newestToken(ids.erik);
  await db.update(signInTokens).set({ expiresAt: new Date(Date.now() - 60_000) }).where(eq(signInTokens.id, eriksToken.id));
  tokens.expired = new URL(signInLink(eriksToken.id)).searchParams.get("token")!;

  // An open token, so that a wrong code is checked against a real one.
  await requestLink("amina.hassan@demo.stockholm.se");

  await mailSettled();
  const [sent] = await db.select().from(emails).where(eq(emails.status, "sent")).limit(1);
  ids.sentEmail = sent.id;
});

afterAll(async () => {
  await portal?.close();
});

describe("bad HTTP requests are refused in Swedish and change nothing", () => {
  it("covers at least 30 distinct kinds of bad request", () => {
    expect(new Set(httpCases.map((c) => c.name)).size).toBe(httpCases.length);
    expect(httpCases.length + socketCases.length).toBeGreaterThanOrEqual(30);
  });

  for (const testCase of httpCases) it(`${testCase.name} is refused with ${testCase.status}`, async () => {
    const before = await digest();
    const attemptsBefore = await totalCodeAttempts();
    const { status, text } = await testCase.request();
    expect(status, text.slice(0, 500)).toBe(testCase.status);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
    expect(text).toContain(testCase.phrase);
    const after = await digest();
    if (testCase.countsAttempt) {
      expect(await totalCodeAttempts()).toBe(attemptsBefore + 1);
      const { sign_in_tokens: _before, ...restBefore } = before;
      const { sign_in_tokens: _after, ...restAfter } = after;
      expect(restAfter).toEqual(restBefore);
    } else {
      expect(after).toEqual(before);
    }
  });

  it("a signed-out POST to /profil is sent to sign in and saves nothing", async () => {
    const before = await digest();
    const response = await portal.post("/profil", { ...profileFields, name: "Utloggad" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`/logga-in?till=${encodeURIComponent("/profil")}`);
    expect(await digest()).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------------
// The live socket.

const { open: openSocket, connection, connectedAs, subscribe, closeAll } = liveSockets(() => portal.url);
afterAll(closeAll);

type SocketCase = { name: string; run: () => Promise<unknown>; expected: unknown };

const socketCases: SocketCase[] = [
  {
    name: "a socket without a session cookie is refused as unauthorized",
    run: () => connection(openSocket({})),
    expected: "unauthorized",
  },
  {
    name: "a socket with a made-up session cookie is refused as unauthorized",
    run: () => connection(openSocket({ cookie: "sv_session=abcdefgh.ijklmnop" })),
    expected: "unauthorized",
  },
  {
    name: "a socket with a malformed session cookie is refused as unauthorized",
    run: () => connection(openSocket({ cookie: "sv_session=../../etc/passwd" })),
    expected: "unauthorized",
  },
  {
    name: "a socket with a forged Origin header is refused at the handshake",
    run: async () => {
      const outcome = await connection(openSocket({ cookie: cookies.amina, origin: "https://evil.example" }));
      return outcome === "connected" ? "connected" : "refused";
    },
    expected: "refused",
  },
  {
    name: "subscribing with a number instead of a room name is malformed",
    run: async () => subscribe(await connectedAs(cookies.amina), 42),
    expected: { ok: false, error: "malformed" },
  },
  {
    name: "subscribing with an object instead of a room name is malformed",
    run: async () => subscribe(await connectedAs(cookies.amina), { room: `network:${ids.trygghetsnatverket}`, toString: "admin:mail" }),
    expected: { ok: false, error: "malformed" },
  },
  {
    name: "subscribing with an array of rooms is malformed",
    run: async () => subscribe(await connectedAs(cookies.amina), [`network:${ids.trygghetsnatverket}`]),
    expected: { ok: false, error: "malformed" },
  },
  {
    name: "subscribing with a 10 kB room name is malformed",
    run: async () => subscribe(await connectedAs(cookies.amina), `network:${"a".repeat(10 * 1024)}`),
    expected: { ok: false, error: "malformed" },
  },
  {
    name: "subscribing to an unknown room is not found",
    run: async () => subscribe(await connectedAs(cookies.amina), "chat:lobby"),
    expected: { ok: false, error: "not_found" },
  },
  {
    name: "subscribing to a network room with a malformed id is malformed",
    run: async () => subscribe(await connectedAs(cookies.amina), "network:../../admin:mail"),
    expected: { ok: false, error: "malformed" },
  },
  {
    name: "subscribing to a network that does not exist is not found",
    run: async () => subscribe(await connectedAs(cookies.amina), `network:${randomUuid()}`),
    expected: { ok: false, error: "not_found" },
  },
  {
    name: "subscribing to another organisation's unshared network is forbidden",
    run: async () => subscribe(await connectedAs(cookies.erik), `network:${ids.sodermalmsnatverket}`),
    expected: { ok: false, error: "forbidden" },
  },
  {
    name: "a non-admin subscribing to the mail room is forbidden",
    run: async () => subscribe(await connectedAs(cookies.johan), "admin:mail"),
    expected: { ok: false, error: "forbidden" },
  },
  {
    name: "a subscribe without an ack function is ignored and the socket keeps working",
    run: async () => {
      const socket = await connectedAs(cookies.amina);
      socket.emit("subscribe", `network:${ids.trygghetsnatverket}`);
      socket.emit("subscribe", 42);
      socket.emit("subscribe");
      // The server stays up and the same socket is still answered.
      return { later: await subscribe(socket, `network:${ids.trygghetsnatverket}`), connected: socket.connected };
    },
    expected: { later: { ok: true }, connected: true },
  },
  {
    name: "a burst of subscriptions over the rate limit is rate limited",
    run: async () => {
      const socket = await connectedAs(cookies.amina);
      const answers = await Promise.all(Array.from({ length: 60 }, () => subscribe(socket, "chat:lobby")));
      return answers.some((reply) => reply.error === "rate_limited");
    },
    expected: true,
  },
];

describe("bad socket requests are refused and change nothing", () => {
  // Socket refusals are machine codes for the client; the page shows its own Swedish status text.
  for (const testCase of socketCases) it(testCase.name, async () => {
    const before = await digest();
    expect(await testCase.run()).toEqual(testCase.expected);
    expect(await digest()).toEqual(before);
  });

  it("an error page's title says what went wrong, as a tab and a screen reader's list of pages show it", async () => {
    const title = async (response: Response) => /<title>([^<]*)<\/title>/.exec(await response.text())?.[1];
    expect(await title(await portal.fetch("/finns-inte", { cookie: cookies.amina }))).toBe("Sidan finns inte – Samverkansportalen");
    expect(await title(await portal.fetch("/natverk/nytt", { cookie: cookies.erik }))).toBe("Ingen behörighet – Samverkansportalen");
    expect(await title(await portal.fetch("/profil", { cookie: cookies.amina }))).toBe("Min profil – Samverkansportalen");
  });

  it("the digest does notice a real change, so the comparisons above are not vacuous", async () => {
    const before = await digest();
    const response = await portal.post("/profil", { ...profileFields, name: "Amina Hassan-Ek" }, { cookie: cookies.amina });
    expect(response.status).toBe(200);
    const after = await digest();
    expect(after.users).not.toBe(before.users);
    expect(after.audit_events).not.toBe(before.audit_events);
  });

  it("the portal still answers HTTP after all of it", async () => {
    const response = await portal.fetch("/healthz");
    expect(response.status).toBe(200);
  });
});
