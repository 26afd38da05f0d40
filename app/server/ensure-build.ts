import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const sources = ["app", "emails", "db/schema", "realtime", "remix.config.js", "vite.config.ts", "package.json", "package-lock.json"];

function newestMtime(entry: string): number {
  const stat = fs.statSync(entry, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs.readdirSync(entry).reduce((newest, name) => Math.max(newest, newestMtime(path.join(entry, name))), stat.mtimeMs);
}

/** `npm start` builds first when there is no build or the sources are newer than it. */
export function ensureBuild() {
  const built = fs.statSync("build/server/index.js", { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const newest = Math.max(...sources.map(newestMtime));
  if (built >= newest) return;
  console.log(built ? "Källkoden har ändrats: bygger om portalen…" : "Bygger portalen (första gången tar det en stund)…");
  const result = spawnSync(process.execPath, [path.resolve("node_modules/@remix-run/dev/dist/cli.js"), "vite:build"], {
    stdio: "inherit",
    // The test runner's own variables would switch the Remix plugin off (see vite.config.ts).
    env: Object.fromEntries(Object.entries({ ...process.env, NODE_ENV: "production" }).filter(([key]) => !key.startsWith("VITEST"))) as unknown as NodeJS.ProcessEnv,
  });
  if (result.status !== 0) throw new Error("Bygget misslyckades.");
}
