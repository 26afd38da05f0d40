import { and, asc, eq, gte, inArray, sql } from "drizzle-orm";
import ical, { ICalEventStatus } from "ical-generator";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import type { Db } from "../../../db/client";
import { calendarFeeds, kunskapsdagar, kunskapsdagRegistrations, meetingInvitees, meetings, networks, users } from "../../../db/schema";
import { deriveSecret, hashSecret, randomToken } from "../../auth/secrets.server";
import { config } from "../../server/config.server";
import { singleton } from "../../server/singleton.server";
import { recordAudit } from "../audit/audit.server";
import { kunskapsdagUid } from "../kunskapsdagar/ics.server";
import { meetingUid } from "../meetings/ics.server";
import { authorize, type Actor } from "../policy";

/**
 * A person's calendar subscription (`/kalender/<token>.ics`): the meetings they are invited to and
 * the kunskapsdagar they have a seat at, for Outlook, Google and Apple calendars to fetch on their own schedule. The token is derived
 * from a random nonce with the server key, so the profile page can show the URL again while the
 * database keeps only the nonce and the token's hash; a new nonce revokes the old URL.
 */

/** Meetings that ended longer ago than this are left out of the feed. */
export const FEED_HISTORY_DAYS = 90;
const FEED_MAX_EVENTS = 1000;
/** How often calendar programs are asked to fetch again, and how long a response may be cached. */
const FEED_REFRESH_SECONDS = 60 * 60;
const FEED_CACHE_SECONDS = 15 * 60;

const TOKEN_PATTERN = /^[a-z2-7]{32}$/;

function feedToken(userId: string, nonce: string) {
  return encodeBase32LowerCaseNoPadding(deriveSecret("calendar-feed", `${userId}:${nonce}`));
}

function tokenHash(token: string) {
  return encodeHexLowerCase(hashSecret(token));
}

function feedUrl(token: string) {
  return `${config().baseUrl}/kalender/${token}.ics`;
}

/** The person's current subscription URL, or null when they have not created one. */
export async function calendarFeedUrl(db: Db, actor: Actor) {
  authorize(actor, "person.manageCalendarFeed", { type: "person", id: actor.userId, organisationIds: [], isSystemAdmin: actor.isSystemAdmin });
  const [feed] = await db.select().from(calendarFeeds).where(eq(calendarFeeds.userId, actor.userId));
  return feed ? { url: feedUrl(feedToken(actor.userId, feed.nonce)), createdAt: feed.createdAt } : null;
}

/** Creates the person's subscription URL, or replaces it: the old URL stops working at once. */
export async function renewCalendarFeed(db: Db, actor: Actor) {
  authorize(actor, "person.manageCalendarFeed", { type: "person", id: actor.userId, organisationIds: [], isSystemAdmin: actor.isSystemAdmin });
  const nonce = randomToken();
  const token = feedToken(actor.userId, nonce);
  await db.transaction(async (tx) => {
    const [previous] = await tx.select({ userId: calendarFeeds.userId }).from(calendarFeeds).where(eq(calendarFeeds.userId, actor.userId)).for("update");
    await tx
      .insert(calendarFeeds)
      .values({ userId: actor.userId, nonce, tokenHash: tokenHash(token) })
      .onConflictDoUpdate({ target: calendarFeeds.userId, set: { nonce, tokenHash: tokenHash(token), createdAt: new Date() } });
    await recordAudit(tx, {
      actor,
      action: previous ? "calendarFeed.renew" : "calendarFeed.create",
      entityType: "person",
      entityId: actor.userId,
      summary: previous ? `${actor.name} skapade en ny kalenderlänk (den gamla slutade fungera)` : `${actor.name} skapade en kalenderlänk`,
    });
  });
  return feedUrl(token);
}

export class FeedRateLimited extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super("rate limited");
  }
}

/** Calendar programs fetch every few minutes at most; more than this per URL is refused for a while. */
function feedLimiter() {
  return singleton("calendar-feed-limiter", () => new RateLimiterMemory({ points: 30, duration: 10 * 60 }));
}

const feedQuery = (db: Db, hash: string, since: Date) =>
  db
    .select({
      id: meetings.id,
      title: meetings.title,
      description: meetings.description,
      startsAt: meetings.startsAt,
      endsAt: meetings.endsAt,
      place: meetings.place,
      videoUrl: meetings.videoUrl,
      status: meetings.status,
      sequence: meetings.sequence,
      updatedAt: meetings.updatedAt,
      networkName: networks.name,
    })
    .from(calendarFeeds)
    .innerJoin(users, and(eq(users.id, calendarFeeds.userId), eq(users.status, "active")))
    .innerJoin(meetingInvitees, eq(meetingInvitees.userId, calendarFeeds.userId))
    .innerJoin(meetings, and(eq(meetings.id, meetingInvitees.meetingId), gte(meetings.endsAt, since)))
    .innerJoin(networks, eq(networks.id, meetings.networkId))
    .where(eq(calendarFeeds.tokenHash, hash))
    .orderBy(asc(meetings.startsAt))
    .limit(FEED_MAX_EVENTS);

/** Kunskapsdagar the person has a seat at (registered with the address of their account). */
const feedKunskapsdagarQuery = (db: Db, userId: string, since: Date) =>
  db
    .select({
      id: kunskapsdagar.id,
      title: kunskapsdagar.title,
      description: kunskapsdagar.description,
      startsAt: kunskapsdagar.startsAt,
      endsAt: kunskapsdagar.endsAt,
      place: kunskapsdagar.place,
      videoUrl: kunskapsdagar.videoUrl,
      sequence: kunskapsdagar.sequence,
      updatedAt: kunskapsdagar.updatedAt,
    })
    .from(users)
    .innerJoin(kunskapsdagRegistrations, and(sql`lower(${kunskapsdagRegistrations.email}) = lower(${users.email})`, eq(kunskapsdagRegistrations.status, "bekraftad")))
    .innerJoin(kunskapsdagar, and(eq(kunskapsdagar.id, kunskapsdagRegistrations.kunskapsdagId), gte(kunskapsdagar.endsAt, since), inArray(kunskapsdagar.status, ["publicerad", "stangd", "genomford"])))
    .where(eq(users.id, userId))
    .orderBy(asc(kunskapsdagar.startsAt))
    .limit(FEED_MAX_EVENTS);

/**
 * The iCalendar text for a feed URL's token (with or without `.ics`), or null for an unknown,
 * revoked or malformed token and for a person who can no longer sign in.
 */
export async function calendarFeed(db: Db, tokenParam: string, now = new Date()) {
  const token = tokenParam.toLowerCase().replace(/\.ics$/, "");
  if (!TOKEN_PATTERN.test(token)) return null;
  const hash = tokenHash(token);
  try {
    await feedLimiter().consume(hash);
  } catch (error) {
    if (error instanceof RateLimiterRes) throw new FeedRateLimited(Math.ceil(error.msBeforeNext / 1000));
    throw error;
  }
  const [owner] = await db
    .select({ userId: calendarFeeds.userId })
    .from(calendarFeeds)
    .innerJoin(users, and(eq(users.id, calendarFeeds.userId), eq(users.status, "active")))
    .where(eq(calendarFeeds.tokenHash, hash));
  if (!owner) return null;
  const since = new Date(now.getTime() - FEED_HISTORY_DAYS * 24 * 60 * 60 * 1000);
  const rows = await feedQuery(db, hash, since);
  const calendar = ical({
    prodId: { company: "Stockholms stad", product: "Samverkansportalen", language: "SV" },
    name: "Samverkansportalen – mina möten",
    description: "Möten du är inbjuden till i Samverkansportalen.",
    ttl: FEED_REFRESH_SECONDS,
  });
  for (const meeting of rows) {
    const url = `${config().baseUrl}/moten/${meeting.id}`;
    const location = [meeting.place, meeting.videoUrl].filter(Boolean).join(" – ");
    calendar.createEvent({
      // The same UID as the invitation mails: a calendar that has both shows the meeting once.
      id: meetingUid(meeting.id),
      sequence: meeting.sequence,
      stamp: meeting.updatedAt,
      start: meeting.startsAt,
      end: meeting.endsAt,
      summary: meeting.status === "installt" ? `Inställt: ${meeting.title}` : meeting.title,
      description: [meeting.description, `Nätverket ${meeting.networkName}`, `Mer information och svar: ${url}`].filter(Boolean).join("\n\n"),
      location: location || null,
      url,
      status: meeting.status === "installt" ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  for (const day of await feedKunskapsdagarQuery(db, owner.userId, since)) {
    const url = `${config().baseUrl}/kunskapsdagar/${day.id}`;
    const location = [day.place, day.videoUrl].filter(Boolean).join(" – ");
    calendar.createEvent({
      // The same UID as the confirmation mail's calendar file.
      id: kunskapsdagUid(day.id),
      sequence: day.sequence,
      stamp: day.updatedAt,
      start: day.startsAt,
      end: day.endsAt,
      summary: `Kunskapsdag: ${day.title}`,
      description: [day.description, `Mer information: ${url}`].filter(Boolean).join("\n\n"),
      location: location || null,
      url,
      status: ICalEventStatus.CONFIRMED,
    });
  }
  return { body: calendar.toString(), cacheSeconds: FEED_CACHE_SECONDS };
}

