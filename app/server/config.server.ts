import { singleton } from "./singleton.server";
import { z } from "zod";

const booleanFromString = z
  .enum(["true", "false", "1", "0"])
  .transform((value) => value === "true" || value === "1");

const configSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  BASE_URL: z.url({ message: "BASE_URL måste vara en fullständig adress, t.ex. https://samverkan.stockholm.se" }).optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL måste börja med postgres:// eller postgresql://")
    .optional(),
  DATA_DIR: z.string().default("./data"),
  /** Where embedded PGlite runs: on a thread of its own ("worker") or on the event loop's ("main"). */
  PGLITE_THREAD: z.enum(["worker", "main"]).default("worker"),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, "REDIS_URL måste börja med redis://").optional(),
  RESEND_API_KEY: z.string().min(1).optional(),
  MAIL_FROM: z.string().default("Samverkansportalen <noreply@samverkan.localhost>"),
  APP_SECRET: z.string().min(32, "APP_SECRET måste vara minst 32 tecken").optional(),
  /** Show unsent mail at /dev/mail instead of sending it. Default: on when no RESEND_API_KEY and BASE_URL is this machine. */
  MAIL_OUTBOX: booleanFromString.optional(),
  /** Default: on when the outbox is (a local or demo installation). */
  SEED_DEMO_DATA: booleanFromString.optional(),
  /** Express "trust proxy": which proxies' X-Forwarded-For to believe for the client's address. */
  TRUST_PROXY: z.string().default("loopback"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  SESSION_INACTIVITY_HOURS: z.coerce.number().positive().default(12),
  SIGN_IN_LIMIT_PER_ADDRESS: z.coerce.number().int().positive().default(5),
  SIGN_IN_LIMIT_PER_IP: z.coerce.number().int().positive().default(30),
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(1024 * 1024),
  MAIL_RETRY_LIMIT: z.coerce.number().int().min(0).default(6),
  MAIL_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).default(15),
  /** The Stockholm hour on Monday when the weekly digest of åtgärder goes out. */
  ACTION_DIGEST_HOUR: z.coerce.number().int().min(0).max(23).default(7),
  /** Whether this process runs the weekly digest job (an instance may leave it to the others). */
  ACTION_DIGEST: booleanFromString.default(true),
  KUNSKAPSDAG_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /** Co-edited notes (realtime/collab): the largest message accepted, in bytes. */
  COLLAB_MAX_MESSAGE_BYTES: z.coerce.number().int().min(1024).max(16 * 1024 * 1024).default(1024 * 1024),
  /** Seconds a document without clients stays in memory before it is unloaded. */
  COLLAB_IDLE_SECONDS: z.coerce.number().min(0).default(30),
  /** Stored updates of a document after which they are merged into its snapshot. */
  COLLAB_COMPACT_AFTER: z.coerce.number().int().min(1).default(500),
  /** Milliseconds a document must be unchanged before its plain-text and JSON copies are refreshed;
   *  while it keeps changing, they are refreshed at the latest five times this after its first change. */
  COLLAB_CONTENT_DELAY_MS: z.coerce.number().int().min(0).default(2000),
  /** The least milliseconds between two group commits of notes updates, so that each gathers more. */
  COLLAB_COMMIT_GATHER_MS: z.coerce.number().int().min(0).max(1000).default(10),
  /** Relaying document updates between instances through Redis; off only in the negative-control test. */
  COLLAB_RELAY: booleanFromString.default(true),
});

export type Config = Omit<z.infer<typeof configSchema>, "SEED_DEMO_DATA"> & {
  SEED_DEMO_DATA: boolean;
  baseUrl: string;
  mailOutboxEnabled: boolean;
};

function isThisMachine(url: string) {
  return ["localhost", "127.0.0.1", "[::1]"].includes(new URL(url).hostname);
}

/** Reads and checks the environment; exits with a readable list of problems when it is wrong. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `  - ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Felaktig konfiguration:\n${problems.join("\n")}`);
  }
  const parsed = result.data;
  if (parsed.NODE_ENV === "production" && parsed.DATABASE_URL && !parsed.APP_SECRET) {
    throw new Error(
      "Felaktig konfiguration:\n  - APP_SECRET: krävs i produktion med DATABASE_URL (minst 32 tecken, samma i alla instanser)",
    );
  }
  const baseUrl = (parsed.BASE_URL ?? `http://localhost:${parsed.PORT}`).replace(/\/$/, "");
  // The outbox shows sign-in links to anyone who opens it: only on this machine, or when asked for.
  const mailOutboxEnabled = !parsed.RESEND_API_KEY && (parsed.MAIL_OUTBOX ?? isThisMachine(baseUrl));
  if (!parsed.RESEND_API_KEY && !mailOutboxEnabled) {
    throw new Error(
      "Felaktig konfiguration:\n  - RESEND_API_KEY: krävs för att skicka e-post när BASE_URL inte är den här datorn " +
        "(eller MAIL_OUTBOX=true för en demoserver där alla kan läsa utkorgen på /dev/mail)",
    );
  }
  return { ...parsed, baseUrl, mailOutboxEnabled, SEED_DEMO_DATA: parsed.SEED_DEMO_DATA ?? mailOutboxEnabled };
}

export function config(): Config {
  return singleton("config", () => loadConfig());
}
