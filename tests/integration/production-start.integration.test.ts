import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { startServerProcess } from "../support/server-process";

const probe = fileURLToPath(new URL("../support/react-build-probe.cjs", import.meta.url));

// `npm start` without NODE_ENV renders every page with React's production build: the
// development build is several times slower and checks and warns on every render.
it("a portal started as npm start does renders its pages with React's production build only", async () => {
  const portal = await startServerProcess({ NODE_OPTIONS: `--require ${probe}` });
  try {
    const response = await fetch(`${portal.url}/logga-in`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Logga in");
  } finally {
    await portal.stop();
  }
  const report = /react builds: (\[.*\])/.exec(portal.stderr());
  expect(report, portal.stderr()).not.toBeNull();
  const builds = (JSON.parse(report![1]) as string[]).map((file) => path.basename(file));
  expect(builds).toContain("react.production.min.js");
  expect(builds).toContain("react-dom-server.node.production.min.js");
  expect(builds.filter((file) => file.includes("development"))).toEqual([]);
}, 120_000);
