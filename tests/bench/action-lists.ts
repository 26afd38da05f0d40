/**
 * Action lists under `npm run bench`: a list of 2,000 items. Prints one JSON line with the table
 * page's time (loader and render, p50/p99), the same with a filter, and the time for one edit to
 * reach 50 viewers connected to the list's live room (p50/p99 over the edits).
 *
 * Runs the portal (production build) on in-memory PGlite, or on a fresh database on DATABASE_URL.
 *
 *   npx tsx tests/bench/action-lists.ts
 */
import os from "node:os";
import path from "node:path";

const SECRET = "bench-secret-that-is-long-enough-0123456789";
const ITEMS = Number(process.env.BENCH_ACTION_ITEMS ?? 2000);
const VIEWERS = Number(process.env.BENCH_ACTION_VIEWERS ?? 50);
const REQUESTS = Number(process.env.BENCH_ACTION_REQUESTS ?? 40);
const EDITS = Number(process.env.BENCH_ACTION_EDITS ?? 40);

process.env.NODE_ENV = "production";
process.env.LOG_LEVEL = "silent";
process.env.APP_SECRET = SECRET;

function percentile(values: number[], p: number) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main() {
  const { eq, sql } = await import("drizzle-orm");
  const { io } = await import("socket.io-client");
  const { actionLists, memberships, organisations, users } = await import("../../db/schema");
  const { createSession } = await import("../../app/auth/session.server");
  const { loadConfig } = await import("../../app/server/config.server");
  const { forgetSingleton, singleton } = await import("../../app/server/singleton.server");
  const { startPortal } = await import("../../app/server/start.server");
  const { freePort, freshDatabase } = await import("../support/portal");

  const fresh = await freshDatabase();
  const config = loadConfig({
    NODE_ENV: "production",
    PORT: String(await freePort()),
    HOST: "127.0.0.1",
    APP_SECRET: SECRET,
    DATA_DIR: path.join(os.tmpdir(), `samverkan-bench-actions-${process.pid}`),
    LOG_LEVEL: "silent",
    SEED_DEMO_DATA: "true",
    ...(fresh.url ? { DATABASE_URL: fresh.url } : {}),
  });
  forgetSingleton("config");
  forgetSingleton("app-secret");
  singleton("config", () => config);
  const running = await startPortal({ mode: "production", config, database: fresh.database });
  const db = running.portal.db;
  const url = `http://localhost:${running.port}`;
  const sockets: Array<import("socket.io-client").Socket> = [];
  try {
    const [city] = await db.select().from(organisations).where(eq(organisations.name, "Järva stadsdelsnämnd"));
    const [police] = await db.select().from(organisations).where(eq(organisations.name, "Lokalpolisområde Järva"));
    const [list] = await db.insert(actionLists).values({ title: "Bänklista", ownerOrganisationId: city.id, sharedWithOrganisationIds: [police.id] }).returning();
    const statuses = ["ej_paborjad", "pagar", "klar", "stoppad"];
    const areas = ["forebyggande_arbete", "riktade_sociala_insatser", "stadens_offentliga_miljo", "stadsutveckling"];
    await db.execute(sql`
      insert into action_items (list_id, number, title, cause, operational_goal, status, focus_area, responsible_organisation_id, deadline, field_versions)
      select ${list.id}, n, 'Åtgärd ' || n, 'Orsak ' || n, 'Mål ' || n,
        (${`{${statuses.join(",")}}`}::action_status[])[1 + n % 4], (${`{${areas.join(",")}}`}::focus_area[])[1 + n % 4],
        case when n % 2 = 0 then ${city.id}::uuid else ${police.id}::uuid end, current_date + (n % 400 - 100), '{}'::jsonb
      from generate_series(1, ${ITEMS}) as n`);
    await db.execute(sql`analyze action_items`);

    const cookies: string[] = [];
    for (let i = 0; i < VIEWERS + 1; i++) {
      const [person] = await db.insert(users).values({ email: `bank${i}@bench.invalid`, name: `Bänk ${i}`, status: "active" }).returning();
      await db.insert(memberships).values({ userId: person.id, organisationId: i % 2 ? city.id : police.id, role: "medlem" });
      cookies.push(`sv_session=${(await createSession(db, person.id, "bench")).token}`);
    }

    const timePage = async (pagePath: string, expected: string) => {
      const times: number[] = [];
      for (let i = 0; i < REQUESTS + 3; i++) {
        const started = performance.now();
        const response = await fetch(`${url}${pagePath}`, { headers: { cookie: cookies[i % cookies.length] } });
        const body = await response.text();
        const ms = performance.now() - started;
        if (response.status !== 200 || !body.includes(expected)) throw new Error(`${pagePath} answered ${response.status}`);
        if (i >= 3) times.push(ms);
      }
      return { p50: percentile(times, 50), p99: percentile(times, 99) };
    };
    const loader = await timePage(`/atgardslistor/${list.id}`, `Åtgärd ${ITEMS}`);
    const filter = await timePage(`/atgardslistor/${list.id}?status=pagar&focusArea=riktade_sociala_insatser&organisation=${police.id}`, "Åtgärd 5");

    const connect = (cookie: string) =>
      new Promise<import("socket.io-client").Socket>((resolve, reject) => {
        const socket = io(`${url}/live`, { extraHeaders: { cookie, origin: url }, transports: ["websocket"], reconnection: false, forceNew: true });
        sockets.push(socket);
        socket.once("connect", async () => {
          const answer = (await socket.timeout(10_000).emitWithAck("subscribe", `action-list:${list.id}`)) as { ok: boolean };
          if (answer.ok) resolve(socket);
          else reject(new Error("a viewer was refused"));
        });
        socket.once("connect_error", reject);
      });
    const editor = await connect(cookies[VIEWERS]);
    const viewers = await Promise.all(cookies.slice(0, VIEWERS).map(connect));
    const target = (await db.execute(sql`select id from action_items where list_id = ${list.id} and number = 1`)) as unknown as { rows: Array<{ id: string }> };
    const itemId = target.rows[0].id;

    const reach: number[] = [];
    let version = 0;
    for (let edit = 0; edit < EDITS + 2; edit++) {
      const value = `Kommentar ${edit}`;
      const arrived = viewers.map(
        (viewer) =>
          new Promise<number>((resolve) => {
            const handler = (payload: { item: { followUpComment: string } }) => {
              if (payload.item.followUpComment !== value) return;
              viewer.off("action-list:item", handler);
              resolve(performance.now());
            };
            viewer.on("action-list:item", handler);
          }),
      );
      const started = performance.now();
      const answer = (await editor.timeout(10_000).emitWithAck("action-item:edit", { itemId, field: "followUpComment", value, version })) as { ok: boolean; item: { fieldVersions: Record<string, number> } };
      if (!answer.ok) throw new Error(`edit ${edit} was refused`);
      version = answer.item.fieldVersions.followUpComment;
      const last = Math.max(...(await Promise.all(arrived)));
      if (edit >= 2) reach.push(last - started);
    }
    console.log(
      JSON.stringify({
        database: fresh.url ? "postgres" : "pglite",
        items: ITEMS,
        viewers: VIEWERS,
        requests: REQUESTS,
        edits: EDITS,
        loader,
        filter,
        edit: { p50: percentile(reach, 50), p99: percentile(reach, 99) },
      }),
    );
  } finally {
    for (const socket of sockets) socket.disconnect();
    await running.stop();
    await fresh.drop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
