import pino from "pino";

export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
  base: { service: "samverkansportalen" },
  redact: { paths: ["req.headers.cookie", "cookie", "token", "code"], remove: true },
});
