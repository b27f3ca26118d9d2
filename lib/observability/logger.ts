import pino from "pino";

/**
 * Structured JSON logs. Known secret-bearing fields are redacted at the source; never log a
 * whole request, config object or URL with credentials.
 */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
  base: { service: "beacon" },
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
