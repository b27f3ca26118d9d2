import { describe, expect, it } from "vitest";
import { capabilityOf, cyclicImports } from "./boundaries";

const cruised = (source: string, ...imports: string[]) => ({
  source,
  dependencies: imports.map((resolved) => ({ resolved })),
});

describe("boundaries between capabilities", () => {
  it("names a production file's capability; tests and loose files have none", () => {
    expect(capabilityOf("lib/alerts/digests.ts")).toBe("alerts");
    expect(capabilityOf("lib/ops/commands/jobs.ts")).toBe("ops");
    expect(capabilityOf("lib/alerts/digests.test.ts")).toBeNull();
    expect(capabilityOf("lib/env.ts")).toBeNull();
    expect(capabilityOf("app/api/healthz/route.ts")).toBeNull();
  });

  it("lists each import that closes a cycle, however long the way back, and nothing in layers", () => {
    const modules = [
      // Layers: alerts → outbox → http; nothing comes back.
      cruised("lib/alerts/digests.ts", "lib/outbox/index.ts", "lib/alerts/rules.ts"),
      cruised("lib/outbox/deliver.ts", "lib/http/index.ts"),
      // jobs → ops → billing → jobs: three imports close the one cycle.
      cruised("lib/jobs/present.ts", "lib/ops/index.ts"),
      cruised("lib/ops/overview.ts", "lib/billing/index.ts"),
      cruised("lib/billing/dunning.ts", "lib/jobs/index.ts", "lib/http/index.ts"),
      // A test importing upwards is not the capability's own dependency.
      cruised("lib/http/route.test.ts", "lib/alerts/index.ts"),
    ];
    expect(cyclicImports(modules)).toEqual(["billing → jobs", "jobs → ops", "ops → billing"]);
  });
});
