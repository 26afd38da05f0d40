import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { migrateDatabase, openDatabase } from "../../db/client";
import { users } from "../../db/schema";
import { seedDemoData } from "../../db/seed";
import { createSession } from "../../app/auth/session.server";
import { createNotesMeeting, NOTES_PEOPLE } from "./collab-fixture";
import { freePort, freshDatabase, TEST_SECRET } from "./portal";

/**
 * A database prepared for portal processes the test starts and kills itself: migrated, seeded,
 * with one meeting and sessions for the notes' writers. PGlite in a directory of its own, or a
 * fresh PostgreSQL database when DATABASE_URL is set.
 */
export async function prepareCollabDatabase() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sv-collab-"));
  const fresh = process.env.DATABASE_URL ? await freshDatabase() : undefined;
  const database = fresh ? fresh.database : await openDatabase({ dataDir: path.join(dataDir, "pglite") });
  await migrateDatabase(database, async (db) => {
    await seedDemoData(db);
  });
  const meetingId = await createNotesMeeting(database.db, "Möte med kraschprov");
  const cookie = async (email: string) => {
    const [user] = await database.db.select().from(users).where(eq(users.email, email));
    const { token } = await createSession(database.db, user.id, "test");
    return `sv_session=${token}`;
  };
  const cookies = { coordinator: await cookie(NOTES_PEOPLE.coordinator), member: await cookie(NOTES_PEOPLE.member) };
  await database.close();
  return {
    dataDir,
    meetingId,
    cookies,
    databaseUrl: fresh?.url,
    /** The environment of a portal process on this database, on a free port. */
    async env(extra: Record<string, string> = {}): Promise<Record<string, string | undefined>> {
      const port = await freePort();
      return {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PORT: String(port),
        HOST: "127.0.0.1",
        DATA_DIR: dataDir,
        APP_SECRET: TEST_SECRET,
        SEED_DEMO_DATA: "false",
        LOG_LEVEL: "warn",
        ...(fresh ? { DATABASE_URL: fresh.url } : {}),
        ...extra,
      };
    },
    async drop() {
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (fresh) await fresh.drop();
    },
  };
}
