import { describe, expect, it } from "vitest";
import { browserSafeLeaks, capabilityOf, cyclicImports } from "./boundaries";

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

  it("names the way from a browser-safe entry to server-only code; type-only imports are erased and do not count", () => {
    const typeOnly = (resolved: string) => ({ resolved, dependencyTypes: ["local", "type-only"] });
    const modules = [
      // The roles file reaches the database through a capability's server entry.
      cruised("lib/orgs/rules.ts", "lib/orgs/permissions.ts"),
      cruised("lib/orgs/permissions.ts", "lib/context/index.ts"),
      cruised("lib/context/index.ts", "lib/context/context.ts"),
      cruised("lib/context/context.ts", "db/tenant.ts"),
      // A rules file whose only way to the database is a type: safe.
      { source: "lib/context/rules.ts", dependencies: [typeOnly("db/tenant.ts")] },
      // A browser hook that pulls a server-only package.
      cruised("lib/client/use-thing.ts", "node_modules/nodemailer/lib/nodemailer.js"),
      // A server file may reach anything; a client component may not.
      cruised("lib/outbox/deliver.ts", "db/tenant.ts"),
      cruised("components/settings/keys.tsx", "lib/outbox/deliver.ts"),
      cruised("components/settings/page-part.tsx", "lib/outbox/deliver.ts"),
      // …unless through a server action, which reaches the browser as a reference.
      cruised("components/settings/form.tsx", "app/settings/actions.ts"),
      cruised("app/settings/actions.ts", "lib/outbox/deliver.ts"),
    ];
    const edges = {
      clientComponents: ["components/settings/keys.tsx", "components/settings/form.tsx"],
      serverActions: ["app/settings/actions.ts"],
    };
    expect(browserSafeLeaks(modules, edges)).toEqual([
      "components/settings/keys.tsx → lib/outbox/deliver.ts → db/tenant.ts",
      "lib/client/use-thing.ts → node_modules/nodemailer/lib/nodemailer.js",
      "lib/orgs/rules.ts → lib/orgs/permissions.ts → lib/context/index.ts → lib/context/context.ts → db/tenant.ts",
    ]);
  });
});
