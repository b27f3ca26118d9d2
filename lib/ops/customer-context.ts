import { inOrg, type OperatorActor, type OrgContext, type ServiceContext } from "@/lib/context";
import { AppError, isAppError } from "@/lib/http";

/**
 * The operator's context in one customer's org: the id is checked there, once, and a bad one is
 * the cockpit's own 404 ("No such customer.") rather than the context's.
 */
export function customerContext(ctx: ServiceContext<OperatorActor>, orgId: string): OrgContext<OperatorActor> {
  try {
    return inOrg(ctx, orgId);
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") throw new AppError("not_found", "No such customer.");
    throw error;
  }
}
