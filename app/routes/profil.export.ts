import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "../auth/guards.server";
import { exportPersonData } from "../domain/people/people.server";
import { db } from "../server/portal.server";

/** The person's own data as a JSON download (GDPR). */
export async function loader({ context, request }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const exported = await exportPersonData(db(), user);
  const day = new Date().toISOString().slice(0, 10);
  return new Response(JSON.stringify(exported, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="mina-uppgifter-${day}.json"`,
      "Cache-Control": "no-store",
    },
  });
}
