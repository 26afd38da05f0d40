import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import os from "node:os";
import { onTestFinished } from "vitest";
import { openDatabase, type Database } from "../../db/client";
import { freePort, freshDatabase, TEST_SECRET } from "./portal";

export type ServerProcess = {
  /** The portal's own address, http://localhost:PORT (also its BASE_URL). */
  url: string;
  child: ChildProcess;
  /** Everything the process has written to stderr so far. */
  stderr(): string;
  stop(): Promise<void>;
};

const STARTUP_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 15_000;
/** Settings that would point the portal away from a clean machine (PGlite and the local outbox). */
const EXTERNAL_SERVICES = ["DATABASE_URL", "REDIS_URL", "RESEND_API_KEY", "BASE_URL", "NODE_ENV", "PORT", "HOST", "DATA_DIR"];

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/**
 * Starts the portal the way `npm start` does, as a separate process with its own empty PGlite
 * data directory and a free port, and resolves once it says where it runs.
 */
export async function startServerProcess(env: Record<string, string> = {}): Promise<ServerProcess> {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  const tmpRoot = path.join(root, "tests/.tmp");
  fs.mkdirSync(tmpRoot, { recursive: true });
  const dataDir = fs.mkdtempSync(path.join(tmpRoot, "e2e-"));
  const port = await freePort();

  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const name of EXTERNAL_SERVICES) delete childEnv[name];
  // What the test runner adds to its own environment is not part of `npm start`.
  for (const name of Object.keys(childEnv)) {
    if (name.startsWith("VITEST") || ["TEST", "MODE", "DEV", "PROD", "SSR"].includes(name)) delete childEnv[name];
  }
  Object.assign(childEnv, { PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: "warn", ...env });

  const child = spawn(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "app/server/main.ts"], {
    cwd: root,
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });

  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8");
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (chunk: string) => {
    stderr += chunk;
  });

  const removeDataDir = () => fs.rmSync(dataDir, { recursive: true, force: true });
  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const killer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
        await waitForExit(child);
        clearTimeout(killer);
      }
      removeDataDir();
    })();
    return stopping;
  };

  const url = await new Promise<string>((resolve, reject) => {
    const fail = (reason: string) => {
      cleanup();
      void stop().finally(() =>
        reject(new Error(`${reason}\n--- stdout ---\n${stdout.trim()}\n--- stderr ---\n${stderr.trim() || "(empty)"}`)),
      );
    };
    const onData = (chunk: string) => {
      stdout += chunk;
      const match = /körs på (http:\/\/\S+)/.exec(stdout);
      if (match) {
        cleanup();
        resolve(match[1]);
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      fail(`The portal exited before it was ready (code ${code}, signal ${signal}).`);
    const onError = (error: Error) => fail(`The portal could not be started: ${error.message}`);
    const timer = setTimeout(
      () => fail(`The portal did not say "körs på" within ${STARTUP_TIMEOUT_MS / 1000} s.`),
      STARTUP_TIMEOUT_MS,
    );
    function cleanup() {
      clearTimeout(timer);
      child.stdout!.off("data", onData);
      child.off("exit", onExit);
      child.off("error", onError);
    }
    child.stdout!.on("data", onData);
    child.once("exit", onExit);
    child.once("error", onError);
  });
  // Keep draining stdout so the child never blocks on a full pipe.
  child.stdout!.on("data", () => {});

  return { url, child, stderr: () => stderr, stop };
}

/**
 * Starts `app/server/main.ts` with exactly the given environment (nothing inherited), for tests
 * that kill the process themselves; `ready` resolves once it says where it runs.
 */
export function spawnPortal(env: Record<string, string | undefined>) {
  const child = spawn(process.execPath, ["--import", "tsx", "app/server/main.ts"], {
    env: env as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes("körs på")) {
        clearInterval(timer);
        resolve();
      }
    }, 50);
    child.once("exit", (code) => {
      clearInterval(timer);
      reject(new Error(`server exited (${code}) before it was ready:\n${output}`));
    });
  });
  return { child, ready, output: () => output };
}

export type KillablePortal = Awaited<ReturnType<typeof killablePortal>>;

/**
 * A portal for tests that kill its process: a data directory and port of its own, on the
 * PostgreSQL run a database of its own, the demo data, and mail sent through the Resend SDK to
 * the stub at `resendUrl`. `database()` opens the portal's database to prepare data before the
 * first `start()`, which closes it again. Everything is removed when the test ends, also when
 * it fails or times out.
 */
export async function killablePortal(name: string, options: { resendUrl: string; env?: Record<string, string> }) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `sv-${name}-`));
  const port = await freePort();
  const serverDatabase = process.env.DATABASE_URL ? await freshDatabase() : undefined;
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PORT: String(port),
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    DATABASE_URL: serverDatabase?.url,
    APP_SECRET: TEST_SECRET,
    RESEND_API_KEY: "re_test_key",
    RESEND_BASE_URL: options.resendUrl,
    SEED_DEMO_DATA: "true",
    LOG_LEVEL: "warn",
    ...options.env,
  };
  let preparing: Database | undefined = serverDatabase?.database;
  const children: ChildProcess[] = [];
  const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;
  onTestFinished(async () => {
    for (const child of children) if (!exited(child)) child.kill("SIGKILL");
    await preparing?.close();
    await serverDatabase?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  return {
    base: `http://localhost:${port}`,
    async database() {
      preparing ??= await openDatabase({ dataDir: path.join(dataDir, "pglite") });
      return preparing;
    },
    async start() {
      await preparing?.close();
      preparing = undefined;
      const server = spawnPortal(env);
      children.push(server.child);
      await server.ready;
      return server;
    },
    async stop(server: { child: ChildProcess }, signal: NodeJS.Signals = "SIGKILL") {
      if (exited(server.child)) return;
      const exit = new Promise((resolve) => server.child.once("exit", resolve));
      server.child.kill(signal);
      await exit;
    },
  };
}
