/**
 * Remix options, kept apart from vite.config.ts so that tools and people find them where
 * Remix projects have always kept them (see docs/decisions/0001-remix-vite-one-server.md).
 * @type {import("@remix-run/dev").VitePluginConfig}
 */
export default {
  appDirectory: "app",
  buildDirectory: "build",
  ignoredRouteFiles: ["**/*.test.*", "**/.*"],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    // Off: the browser loads the whole route manifest as one cached file (docs/decisions/0027).
    v3_lazyRouteDiscovery: false,
    v3_singleFetch: true,
  },
};
