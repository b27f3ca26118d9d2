import { env } from "@/lib/env";
import { AppError } from "@/lib/http";

/**
 * Incident mode: with ADMIN_READ_ONLY=true every operator write answers 409 `read_only`.
 * Every admin write path calls this before changing anything.
 */
export function assertAdminWritable() {
  if (env().ADMIN_READ_ONLY) throw new AppError("read_only", "The cockpit is read-only (ADMIN_READ_ONLY=true): incident mode is on.");
}

export function adminReadOnly() {
  return env().ADMIN_READ_ONLY;
}
