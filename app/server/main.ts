/** `npm start` and `npm run dev`: one process serving the pages, the live channel and the jobs. */
const mode = process.argv.includes("--dev") ? "development" : "production";
// React and other libraries pick their build (development or production) by NODE_ENV as they are
// first loaded, so it is settled before anything else is imported: the portal's modules follow
// as dynamic imports (static ones would load before this line runs).
process.env.NODE_ENV ??= mode;
const [{ DEMO_ACCOUNTS }, { config }, { ensureBuild }, { logger }, { startPortal }] = await Promise.all([
  import("../../db/seed"),
  import("./config.server"),
  import("./ensure-build"),
  import("./logger.server"),
  import("./start.server"),
]);

async function main() {
  if (mode === "production") ensureBuild();
  let settings;
  try {
    settings = config();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  const running = await startPortal({ mode, config: settings });
  const database = settings.DATABASE_URL ? "PostgreSQL (DATABASE_URL)" : `PGlite i ${settings.DATA_DIR}/pglite`;
  const lines = [
    "",
    `Samverkansportalen körs på ${running.url}`,
    `Databas: ${database}`,
    settings.mailOutboxEnabled ? `E-post: sparas i utkorgen, läs den på ${running.url}/dev/mail` : "E-post: skickas med Resend",
  ];
  if (settings.SEED_DEMO_DATA) {
    lines.push("", "Demokonton (logga in med e-postadressen, länken hamnar i utkorgen):");
    for (const account of DEMO_ACCOUNTS) lines.push(`  ${account.label.padEnd(28)} ${account.email}`);
  }
  console.log(lines.join("\n") + "\n");

  const shutdown = async (signal: string) => {
    logger.info({ signal }, "shutting down");
    const timer = setTimeout(() => process.exit(1), 20_000);
    timer.unref();
    try {
      await running.stop();
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, "shutdown failed");
      process.exit(1);
    }
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
}

await main().catch((error) => {
  logger.fatal({ err: error }, "start failed");
  console.error(`Portalen kunde inte starta: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
