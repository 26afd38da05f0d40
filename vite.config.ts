import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import remixConfig from "./remix.config.js";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  plugins: [!process.env.VITEST && remix(remixConfig)],
  server: { port: 3000 },
  build: { target: "es2022" },
  test: {
    include: ["tests/**/*.test.ts"],
    globalSetup: ["tests/support/global-setup.ts"],
    setupFiles: ["tests/support/setup.ts"],
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // `expect.poll` waits for something live (a socket event reaching another browser, a
    // re-render); it returns as soon as it holds. Vitest's default of 1 s was too short on a
    // loaded machine.
    expect: { poll: { timeout: 10_000 } },
    env: { NODE_ENV: "test" },
  },
});
