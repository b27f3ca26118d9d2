import { assertOperatorCan, operatorAuth } from "@/lib/auth";
import { redactedConfig } from "@/lib/env";
import { route } from "@/lib/http";

/** Configuration as operators may see it: secrets are `<redacted>`. */
export const GET = route(
  async ({ auth }) => {
    assertOperatorCan(auth, "ops:read");
    return { body: { config: redactedConfig() } };
  },
  { authenticate: operatorAuth },
);
