import pino from "pino";
import { currentRequestId } from "./request-context";

/**
 * Structured JSON logs. Known secret-bearing fields are redacted at the source; never log a
 * whole request, config object or URL with credentials. Inside a request (lib/http `route()`)
 * every line carries its `requestId`, whoever logs it, through the request context; a line
 * that names a request id itself keeps its own.
 */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
  base: { service: "beacon" },
  mixin() {
    const requestId = currentRequestId();
    return requestId ? { requestId } : {};
  },
  redact: {
    paths: [
      "password",
      "*.password",
      "token",
      "*.token",
      "secret",
      "*.secret",
      "totpSecret",
      "*.totpSecret",
      "authorization",
      "*.authorization",
      "headers.authorization",
      "headers.cookie",
      "apiKey",
      "*.apiKey",
      "key",
      "*.key",
    ],
    censor: "<redacted>",
  },
});

export type Logger = typeof logger;
