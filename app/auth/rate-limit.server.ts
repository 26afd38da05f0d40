import { RateLimiterDrizzle, RateLimiterRes } from "rate-limiter-flexible";
import type { Db } from "../../db/client";
import { rateLimits } from "../../db/schema";
import { config } from "../server/config.server";
import { singleton } from "../server/singleton.server";

const WINDOW_SECONDS = 15 * 60;

function limiters(db: Db) {
  return singleton("rate-limiters", () => {
    const make = (keyPrefix: string, points: number) =>
      new RateLimiterDrizzle({
        storeClient: db,
        schema: rateLimits,
        keyPrefix,
        points,
        duration: WINDOW_SECONDS,
        // Expired counters are removed by the maintenance job, not by a timer in every process.
        clearExpiredByTimeout: false,
      });
    return {
      signInAddress: make("sign-in-address", config().SIGN_IN_LIMIT_PER_ADDRESS),
      signInIp: make("sign-in-ip", config().SIGN_IN_LIMIT_PER_IP),
      codeAttempts: make("code-attempts", 10),
    };
  });
}

export type LimiterName = keyof ReturnType<typeof limiters>;

/** Counts one attempt; throws a Swedish 429 response when the limit is reached. */
export async function consumeRateLimit(db: Db, name: LimiterName, key: string) {
  try {
    await limiters(db)[name].consume(key.toLowerCase());
  } catch (error) {
    if (error instanceof RateLimiterRes) {
      const minutes = Math.max(1, Math.ceil(error.msBeforeNext / 60_000));
      throw Response.json(
        {
          error: "rate_limited",
          message: `För många försök. Vänta ${minutes} ${minutes === 1 ? "minut" : "minuter"} och försök igen.`,
        },
        { status: 429, headers: { "Retry-After": String(Math.ceil(error.msBeforeNext / 1000)) } },
      );
    }
    throw error;
  }
}
