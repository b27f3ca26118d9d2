import { assertOperatorCan, operatorAuth } from "@/lib/auth";
import { redactedConfig } from "@/lib/env";
import { route } from "@/lib/http";
import { integrationStatus } from "@/lib/ops";

/** Configuration as operators may see it (secrets are `<redacted>`), and which integrations are not configured. */
export const GET = route(
  async ({ auth }) => {
    assertOperatorCan(auth, "ops:read");
    return { body: { config: redactedConfig(), integrations: integrationStatus() } };
  },
  { authenticate: operatorAuth },
);
