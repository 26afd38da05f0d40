import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import { migrateDatabase, openDatabase, type Database } from "../../db/client";
import { seedDemoData } from "../../db/seed";
import { attachRealtime } from "../../realtime/server";
import { readSessionToken, sessionCookie, validateSessionToken } from "../auth/session.server";
import { deliverEmail, sweepOutbox } from "../domain/mail/mail.server";
import { startReminderScan } from "../domain/meetings/reminders.server";
import { startActionDigest } from "../domain/actions/digest.server";
import { startFollowupScan } from "../domain/followup/requests.server";
import { runMaintenance } from "./maintenance.server";
import { config as loadedConfig, type Config } from "./config.server";
import { bodyLimit, originCheck, pathCheck, securityHeaders } from "./http-guards.server";
import { logger } from "./logger.server";
import { setPortal, type Portal } from "./portal.server";
import { mailPollSeconds, QUEUES, startQueue, wake, work, workOnSchedule } from "./queue.server";

export type StartOptions = {
  config?: Config;
  /** "production" serves ./build; "development" runs Vite with hot reload. */
  mode: "production" | "development";
  /** An already opened database (tests share one per worker). */
  database?: Database;
};

export type RunningPortal = { url: string; port: number; portal: Portal; seeded: boolean; stop(): Promise<void> };

export async function openPortalDatabase(config: Config) {
  return openDatabase({ url: config.DATABASE_URL, dataDir: path.join(config.DATA_DIR, "pglite"), pgliteThread: config.PGLITE_THREAD });
}

/** TRUST_PROXY as Express wants it: true/false, a hop count, or addresses and subnets ("loopback, 10.0.0.0/8"). */
function trustProxy(setting: string): boolean | number | string {
  if (setting === "true" || setting === "false") return setting === "true";
  return /^\d+$/.test(setting) ? Number(setting) : setting;
}

export async function startPortal(options: StartOptions): Promise<RunningPortal> {
  const config = options.config ?? loadedConfig();
  const database = options.database ?? (await openPortalDatabase(config));
  let seeded = false;
  await migrateDatabase(database, async (db) => {
    if (config.SEED_DEMO_DATA) seeded = await seedDemoData(db);
  });
  const queue = await startQueue(database, config);
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", trustProxy(config.TRUST_PROXY));
  const server = http.createServer(app);
  const realtime = await attachRealtime(server, { config, db: database.db, dev: options.mode === "development" });
  const portal: Portal = {
    config,
    database,
    db: database.db,
    queue,
    publish: realtime.publish,
    refreshLiveAccess: realtime.refreshAccess,
    disconnect: realtime.disconnect,
    collab: realtime.collab.hub,
  };
  setPortal(portal);

  for (let i = 0; i < 2; i++) {
    await work<{ emailId: string }>(queue, QUEUES.mail, mailPollSeconds(config), async ([job]) => {
      await deliverEmail(database.db, job.data.emailId);
      // Fetch the next mail at once rather than at the next poll, so that a large invitation
      // goes out at sending speed instead of one mail per worker and poll.
      wake(queue, QUEUES.mail);
    });
  }
  await workOnSchedule(queue, QUEUES.maintenance, "*/5 * * * *", async () => runMaintenance(database.db));
  await startReminderScan(queue, database.db);
  await startActionDigest(queue, database.db);
  await startFollowupScan(queue, database.db);
  // Anything queued but not dispatched when the last process stopped goes out now.
  await sweepOutbox(database.db, 0);

  app.use(securityHeaders);
  app.use(pathCheck);
  app.use(bodyLimit(config));
  app.use(originCheck(config));

  let build: ServerBuild | (() => Promise<ServerBuild>);
  let vite: import("vite").ViteDevServer | undefined;
  if (options.mode === "development") {
    const { createServer } = await import("vite");
    vite = await createServer({ server: { middlewareMode: true, hmr: { server } } });
    app.use(vite.middlewares);
    build = () => vite!.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
  } else {
    const buildFile = path.resolve("build/server/index.js");
    if (!fs.existsSync(buildFile)) throw new Error("Ingen produktionsbygge hittades: kör npm run build först.");
    build = (await import(buildFile)) as ServerBuild;
    app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
    // Other files at the top of build/client (what a public/ folder would hold, such as
    // favicon.ico) have an extension; page addresses such as `/` skip the file look-up, which
    // for a directory means a second one for an index.html that a Remix build never has.
    const publicFiles = express.static("build/client", { maxAge: "1h", index: false, redirect: false });
    app.use((req, res, next) => (path.extname(req.path) ? publicFiles(req, res, next) : next()));
  }

  // Sessions are read once per request here, so that loaders and actions get them ready.
  app.use(async (req, res, next) => {
    try {
      const token = readSessionToken(req.headers.cookie);
      const session = token ? await validateSessionToken(database.db, token) : null;
      if (session?.refreshed && token) res.append("Set-Cookie", sessionCookie(token));
      res.locals.session = session;
      next();
    } catch (error) {
      next(error);
    }
  });

  app.all(
    "*",
    createRequestHandler({
      build,
      mode: options.mode,
      getLoadContext: (req, res) => ({ session: res.locals.session ?? null, ip: req.ip ?? "unknown" }),
    }),
  );

  app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    logger.error({ err: error }, "request failed");
    if (!res.headersSent) res.status(500).type("text/plain; charset=utf-8").send("Ett oväntat fel inträffade. Försök igen om en stund.");
  });

  await new Promise<void>((resolve) => server.listen(config.PORT, config.HOST, resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  const url = config.BASE_URL ? config.baseUrl : `http://localhost:${port}`;

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      // Stop taking new requests, finish running jobs (which may still publish live events), let
      // sockets go, then close the database.
      server.closeIdleConnections?.();
      await queue.stop({ graceful: true, wait: true, timeout: 10_000, close: true });
      await realtime.close();
      await vite?.close();
      setPortal(undefined);
      if (!options.database) await database.close();
    })();
    return stopping;
  };
  return { url, port, portal, seeded, stop };
}
