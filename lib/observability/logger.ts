import pino from "pino";
import { currentRequestId } from "./request-context";

// Servers log to stdout (what platforms collect); the CLI's stdout is its JSON result, so it
// sends logs to stderr. Chosen per line, so the switch holds for loggers made before it.
let logsToStderr = false;

/** From now on every log line of this process goes to stderr (the CLI calls this first). */
export function sendLogsToStderr() {
  logsToStderr = true;
}

const logDestination = { write: (line: string) => (logsToStderr ? process.stderr : process.stdout).write(line) };

/**
 * Structured JSON logs. Known secret-bearing fields are redacted at the source; never log a
 * whole request, config object or URL with credentials. Inside a request (lib/http `route()`)
 * every line carries its `requestId`, whoever logs it, through the request context; a line
 * that names a request id itself keeps its own.
 */
export const logger = pino(
  {
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
  },
  logDestination,
);

export type Logger = typeof logger;
