import { lt, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { rateLimits, sessions, signInTokens } from "../../db/schema";
import { sweepOutbox } from "../domain/mail/mail.server";
import { sendPollReminders } from "../domain/polls/polls.server";
import { anonymiseKunskapsdagar } from "../domain/kunskapsdagar/anonymise.server";
import { scanEvaluations } from "../domain/kunskapsdagar/evaluation.server";
import { scanKunskapsdagReminders } from "../domain/kunskapsdagar/reminders.server";
import { takeMeetingEndVersions } from "../domain/notes/versions.server";
import { lapseKunskapsdagOffers } from "../domain/kunskapsdagar/registrations.server";
import { config } from "./config.server";

/** Every five minutes: stuck mails re-queued, expired sessions, sign-in tokens and counters removed, time-poll reminders queued, kunskapsdag reminders, evaluations and anonymisation, a version of the notes of each ended meeting. */
export async function runMaintenance(db: Db) {
  const inactivity = config().SESSION_INACTIVITY_HOURS;
  await sweepOutbox(db, 10 * 60 * 1000);
  await db.delete(sessions).where(lt(sessions.lastVerifiedAt, sql`now() - (${inactivity} * interval '1 hour')`));
  await db.delete(signInTokens).where(lt(signInTokens.expiresAt, sql`now() - interval '1 day'`));
  await db.delete(rateLimits).where(lt(rateLimits.expire, sql`now() - interval '1 hour'`));
  await sendPollReminders(db, new Date());
  // Kunskapsdagar: reminders, evaluation mails after the day, anonymisation after the retention time.
  await scanKunskapsdagReminders(db, new Date());
  // Offered seats not confirmed in time go to the next on the waitlist.
  await lapseKunskapsdagOffers(db, new Date());
  await scanEvaluations(db, new Date());
  await anonymiseKunskapsdagar(db, new Date());
  // Meeting notes: one version of each meeting's notes once the meeting has ended.
  await takeMeetingEndVersions(db, new Date());
}
