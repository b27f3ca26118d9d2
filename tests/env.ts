import { afterAll, afterEach, beforeAll } from "vitest";
import { resetEnvCache } from "@/lib/env";

/**
 * Sets environment variables for the file's tests (after the beforeAll hooks registered before
 * it, so values may come from servers started there) and restores the previous values after.
 */
export function withTestEnv(vars: Record<string, string> | (() => Record<string, string>)) {
  const saved = new Map<string, string | undefined>();
  beforeAll(() => {
    const values = typeof vars === "function" ? vars() : vars;
    for (const [key, value] of Object.entries(values)) {
      saved.set(key, process.env[key]);
      process.env[key] = value;
    }
    resetEnvCache();
  });
  afterAll(() => {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    resetEnvCache();
  });
}

/**
 * For tests that each need their own values: returns `set(values)` (undefined unsets a
 * variable); whatever a test set is put back as it was after that test.
 */
export function perTestEnv() {
  const saved = new Map<string, string | undefined>();
  afterEach(() => {
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    saved.clear();
    resetEnvCache();
  });
  return (values: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(values)) {
      if (!saved.has(key)) saved.set(key, process.env[key]);
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    resetEnvCache();
  };
}
