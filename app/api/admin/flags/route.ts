import { assertOperatorCan, operatorAuth } from "@/lib/auth";
import { route } from "@/lib/http";
import { listFlags } from "@/lib/flags";

export const dynamic = "force-dynamic";

/** Every feature flag with its description, default and current value. */
export const GET = route(
  async ({ auth }) => {
    assertOperatorCan(auth, "ops:read");
    const flags = await listFlags({ maxAgeMs: 0 });
    return {
      body: {
        data: flags.map((f) => ({
          key: f.key,
          description: f.description,
          enabled: f.enabled,
          default: f.default,
          overridden: f.overridden,
          reason: f.reason,
          updated_at: f.updatedAt?.toISOString() ?? null,
          updated_by: f.updatedBy,
        })),
      },
    };
  },
  { authenticate: operatorAuth },
);
