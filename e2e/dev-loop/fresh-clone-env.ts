/**
 * What a fresh clone has not configured: the services and keys CI exports for the other suites.
 * The dev server and the CLI beside it both run without them, as on a new machine.
 */
export const NOT_ON_A_FRESH_CLONE = [
  "DATABASE_URL",
  "REDIS_URL",
  "SMTP_URL",
  "APP_URL",
  "AUTH_SECRET",
  "STRIPE_SECRET_KEY",
  "SAM_API_KEY",
  "INNGEST_SIGNING_KEY",
  "INNGEST_EVENT_KEY",
  "INNGEST_BASE_URL",
  "INNGEST_DEV",
] as const;

/** `env` without what a fresh clone lacks. */
export function freshCloneEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  for (const name of NOT_ON_A_FRESH_CLONE) delete copy[name];
  return copy;
}
