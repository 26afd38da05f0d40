/**
 * The benchmark's server: the whole portal (production build) on a throw-away database, with
 * BENCH_USERS signed-in people, and a network of BENCH_NETWORK_SIZE members whose first member
 * is its signed-in coordinator (for the invitation benchmark), and a published kunskapsdag with
 * BENCH_KUNSKAPSDAG_SEATS seats open for registration. Prints one JSON line on stdout
 * when it is ready:
 *   {"url": ..., "cookies": [...], "pid": ..., "database": "pglite" | "postgres",
 *    "network": {"id": ..., "cookie": ..., "members": ...},
 *    "kunskapsdag": {"id": ..., "capacity": ..., "organisationId": ...}}
 * With RESEND_API_KEY (and RESEND_BASE_URL) in its environment, mail goes to that Resend API.
 * and runs until SIGTERM or SIGINT, then stops the portal and drops the database.
 *
 * Run by tests/bench/bench.ts; it can also be started on its own to poke at it by hand:
 *   npx tsx tests/bench/server.ts
 */
import os from "node:os";
import path from "node:path";

const USER_COUNT = Number(process.env.BENCH_USERS ?? 50);
const NETWORK_SIZE = Number(process.env.BENCH_NETWORK_SIZE ?? 200);
const KUNSKAPSDAG_SEATS = Number(process.env.BENCH_KUNSKAPSDAG_SEATS ?? 300);
const SECRET = "bench-secret-that-is-long-enough-0123456789";

// Set before any app module is loaded: the logger reads LOG_LEVEL when it is imported, and
// React and Remix pick their production builds from NODE_ENV.
process.env.NODE_ENV = "production";
process.env.LOG_LEVEL = "silent";
process.env.APP_SECRET = SECRET;

async function main() {
  const { eq } = await import("drizzle-orm");
  const { kunskapsdagar, memberships, networkMembers, networks, organisations, users } = await import("../../db/schema");
  const { createSession } = await import("../../app/auth/session.server");
  const { loadConfig } = await import("../../app/server/config.server");
  const { forgetSingleton, singleton } = await import("../../app/server/singleton.server");
  const { startPortal } = await import("../../app/server/start.server");
  const { freePort, freshDatabase } = await import("../support/portal");

  const fresh = await freshDatabase();
  const port = await freePort();
  const config = loadConfig({
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    APP_SECRET: SECRET,
    DATA_DIR: path.join(os.tmpdir(), `samverkan-bench-${process.pid}`),
    LOG_LEVEL: "silent",
    SEED_DEMO_DATA: "true",
    ...(fresh.url ? { DATABASE_URL: fresh.url } : {}),
    ...(process.env.RESEND_API_KEY ? { RESEND_API_KEY: process.env.RESEND_API_KEY } : {}),
  });
  // The Remix build and the domain code read config() through the same singleton.
  forgetSingleton("config");
  forgetSingleton("app-secret");
  forgetSingleton("rate-limiters");
  singleton("config", () => config);

  const running = await startPortal({ mode: "production", config, database: fresh.database });
  const db = running.portal.db;

  // Spread the people over the seeded organisations, so that some of them see the demo network
  // (its owner and the organisations it is shared with) and some see none.
  const orgs = await db.select({ id: organisations.id }).from(organisations).orderBy(organisations.name);
  if (orgs.length === 0) throw new Error("no seeded organisations (is SEED_DEMO_DATA off?)");
  const created = await db
    .insert(users)
    .values(
      Array.from({ length: USER_COUNT }, (_, i) => ({
        email: `bench-${String(i + 1).padStart(3, "0")}@bench.invalid`,
        name: `Bänk Användare ${i + 1}`,
        title: "Testperson",
        status: "active" as const,
      })),
    )
    .returning({ id: users.id, email: users.email });
  created.sort((a, b) => a.email.localeCompare(b.email));
  await db.insert(memberships).values(created.map((user, i) => ({ userId: user.id, organisationId: orgs[i % orgs.length].id, role: "medlem" as const })));
  const cookies: string[] = [];
  for (const user of created) {
    const { token } = await createSession(db, user.id, "bench");
    cookies.push(`sv_session=${token}`);
  }
  // A network of NETWORK_SIZE people, led by the first, in an organisation of its own: none of the
  // people above sees it, so the start page measured above is the same as without it.
  const [networkOrganisation] = await db.insert(organisations).values({ name: "Bänkorganisationen", type: "civilsamhalle" }).returning();
  const [network] = await db.insert(networks).values({ name: "Bänknätverket", purpose: "Inbjudningar i mängd", ownerOrganisationId: networkOrganisation.id }).returning();
  const members = await db
    .insert(users)
    .values(
      Array.from({ length: NETWORK_SIZE }, (_, i) => ({
        email: `natverk-${String(i + 1).padStart(3, "0")}@bench.invalid`,
        name: `Nätverksmedlem ${i + 1}`,
        status: "active" as const,
      })),
    )
    .returning({ id: users.id, email: users.email });
  members.sort((a, b) => a.email.localeCompare(b.email));
  await db.insert(memberships).values({ userId: members[0].id, organisationId: networkOrganisation.id, role: "samordnare" as const });
  await db.insert(networkMembers).values(members.map((member, i) => ({ networkId: network.id, userId: member.id, role: i === 0 ? ("samordnare" as const) : ("medlem" as const) })));
  const coordinator = await createSession(db, members[0].id, "bench");

  // A published kunskapsdag open for registration, for the registration burst and the public page.
  const dayStarts = new Date(Date.now() + 30 * 24 * 60 * 60_000);
  const [kunskapsdag] = await db
    .insert(kunskapsdagar)
    .values({
      ownerOrganisationId: orgs[0].id,
      title: "Bänkens kunskapsdag",
      description: "Så är det brottsförebyggande arbetet organiserat.\n\nEn dag för alla aktörer.",
      startsAt: dayStarts,
      endsAt: new Date(dayStarts.getTime() + 7 * 60 * 60_000),
      place: "Stadshuset",
      capacity: KUNSKAPSDAG_SEATS,
      registrationOpensAt: new Date(Date.now() - 60 * 60_000),
      registrationClosesAt: new Date(dayStarts.getTime() - 60 * 60_000),
      status: "publicerad",
    })
    .returning();

  // Sanity check that the rows really are there as active people.
  const [first] = await db.select({ status: users.status }).from(users).where(eq(users.id, created[0].id));
  if (first?.status !== "active") throw new Error("bench users were not created as active");

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const timer = setTimeout(() => {
      process.stderr.write(`bench server: shutdown after ${signal} took too long\n`);
      process.exit(1);
    }, 20_000);
    timer.unref();
    try {
      await running.stop();
      await fresh.drop();
      process.exit(0);
    } catch (error) {
      process.stderr.write(`bench server: shutdown failed: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exit(1);
    }
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));

  const url = `http://127.0.0.1:${running.port}`;
  process.stdout.write(
    `${JSON.stringify({ url, cookies, pid: process.pid, database: fresh.database.kind, network: { id: network.id, cookie: `sv_session=${coordinator.token}`, members: members.length }, kunskapsdag: { id: kunskapsdag.id, capacity: kunskapsdag.capacity, organisationId: orgs[0].id } })}\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`bench server: failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
