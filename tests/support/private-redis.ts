import { spawn, type ChildProcess } from "node:child_process";
import { freePort } from "./portal";

/**
 * A redis-server of the test's own on a free port, without persistence, which the test may stop
 * and start again on the same port (to take Redis away from running portals).
 */
export async function startPrivateRedis() {
  const port = await freePort();
  let child: ChildProcess | undefined;

  async function start() {
    const process = spawn("redis-server", ["--port", String(port), "--save", "", "--appendonly", "no", "--daemonize", "no", "--bind", "127.0.0.1"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = process;
    let output = "";
    await new Promise<void>((resolve, reject) => {
      process.stdout!.on("data", (chunk) => {
        output += chunk;
        if (output.includes("Ready to accept connections")) resolve();
      });
      process.once("exit", (code) => reject(new Error(`redis-server exited (${code}):\n${output}`)));
    });
  }

  async function stop() {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill("SIGKILL");
    await exited;
  }

  await start();
  return { url: `redis://127.0.0.1:${port}`, start, stop };
}
