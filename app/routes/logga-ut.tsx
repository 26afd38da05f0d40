import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { clearedSessionCookie, invalidateAllSessions, invalidateSession } from "../auth/session.server";
import { recordAudit } from "../domain/audit/audit.server";
import { personRoom, sessionRoom } from "../../realtime/rooms";
import { db, disconnectLive } from "../server/portal.server";

export async function loader() {
  return redirect("/");
}

/** Sign out here, or everywhere (every session of the person ends). */
export async function action({ request, context }: ActionFunctionArgs) {
  const session = context.session;
  if (session) {
    let intent: FormDataEntryValue | null = null;
    try {
      intent = (await request.formData()).get("intent");
    } catch {
      intent = "this";
    }
    if (intent === "everywhere") {
      await db().transaction(async (tx) => {
        await invalidateAllSessions(tx, session.user.userId);
        await recordAudit(tx, {
          actor: session.user,
          action: "session.sign_out_everywhere",
          entityType: "person",
          entityId: session.user.userId,
          summary: `${session.user.name} loggade ut på alla enheter`,
        });
      });
      disconnectLive(personRoom(session.user.userId));
    } else {
      await invalidateSession(db(), session.id);
      disconnectLive(sessionRoom(session.id));
    }
  }
  return redirect("/logga-in", { headers: { "Set-Cookie": clearedSessionCookie() } });
}
