import { assertOperatorCan, operatorAuth } from "@/lib/auth";
import { route } from "@/lib/http";
import { platformCounts } from "@/lib/ops";

export const GET = route(
  async ({ auth }) => {
    assertOperatorCan(auth, "ops:read");
    return { body: { counts: await platformCounts() } };
  },
  { authenticate: operatorAuth },
);
