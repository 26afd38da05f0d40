import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { requireUser } from "../auth/guards.server";
import { renewCalendarFeed } from "../domain/calendar/calendar-feed.server";
import { db } from "../server/portal.server";

/** Creates the person's calendar subscription URL, or replaces it (the old one stops working). */
export async function action({ context, request }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  await renewCalendarFeed(db(), user);
  // Back to the profile page, which shows the new URL (with or without JavaScript).
  return redirect("/profil#kalender");
}
