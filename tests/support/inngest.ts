import { afterAll, beforeAll } from "vitest";
import { startFakeInngestServer, type FakeInngestServer, type SentEvent } from "@/tests/fakes/inngest-server";

/** What the app's Inngest client reads to decide where to send events (the rest it keeps). */
const CLIENT_VARS = ["INNGEST_BASE_URL", "INNGEST_API_BASE_URL", "INNGEST_DEV"] as const;
type ClientVar = (typeof CLIENT_VARS)[number];

/** Points the app's Inngest client elsewhere; the file puts it back with restoreInngestClient. */
export async function pointInngestClient(vars: Partial<Record<ClientVar, string>>) {
  const { inngest } = await import("@/inngest/client");
  inngest.setEnvVars(vars);
}

/** The app's Inngest client reads the process environment again (after a file pointed it elsewhere). */
export async function restoreInngestClient() {
  const { inngest } = await import("@/inngest/client");
  inngest.setEnvVars(Object.fromEntries(CLIENT_VARS.map((name) => [name, process.env[name]])));
}

/**
 * For a test file: a fake Event API started before its tests with the app's Inngest client
 * pointed at it (as a dev server), and both undone after the file: test files share modules, so
 * the shared client must not keep one file's address. `pointClientAt(url)` sends elsewhere for a
 * while (a port nothing listens on, to lose Inngest); `pointClientAt()` points back at the fake.
 * The Inngest client is imported on first use: loading it registers it as the outbox's sender.
 */
export function fakeInngestForFile(): FakeInngestServer & { pointClientAt(url?: string): Promise<void> } {
  const fake = {
    url: "",
    events: [] as SentEvent[],
    close: async () => {},
    pointClientAt: (url?: string) => pointInngestClient({ INNGEST_BASE_URL: url ?? fake.url, INNGEST_DEV: "1" }),
  };
  beforeAll(async () => {
    Object.assign(fake, await startFakeInngestServer());
    await fake.pointClientAt();
  });
  afterAll(async () => {
    await restoreInngestClient();
    await fake.close();
  });
  return fake;
}
