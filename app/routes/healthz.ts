import { sql } from "drizzle-orm";
import { portal } from "../server/portal.server";

/** For load balancers and operators: is the database reachable, is the job queue running? */
export async function loader() {
  const { db, queue, database } = portal();
  const checks = await Promise.allSettled([
    db.execute(sql`select 1`),
    queue.getQueue("mail-send").then((found) => {
      if (!found) throw new Error("mail queue missing");
    }),
  ]);
  const [databaseCheck, queueCheck] = checks.map((check) => (check.status === "fulfilled" ? "ok" : "fel"));
  const healthy = databaseCheck === "ok" && queueCheck === "ok";
  return Response.json(
    { status: healthy ? "ok" : "fel", database: databaseCheck, databaseKind: database.kind, queue: queueCheck, time: new Date().toISOString() },
    { status: healthy ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
