import { serviceContext, type ContextOptions, type OperatorActor, type ServiceContext } from "@/lib/context";
import type { Viewer } from "./principal";

/** An operator as a session names them: always with an e-mail (break-glass sessions keep it). */
export type SignedInOperator = OperatorActor & { email: string };

export interface OperatorContextOptions extends ContextOptions {
  /** The live break-glass session a write is allowed under while the cockpit is read-only. */
  breakGlassSessionId?: string | null;
}

/**
 * An operator's service context: what cockpit pages, the operator API's reads and every operator
 * command pass to lib, built here only. A customer's context is `inOrg(ctx, orgId)`.
 */
export function operatorContext(
  viewer: Pick<Viewer, "user">,
  options: OperatorContextOptions = {},
): ServiceContext<SignedInOperator> {
  const { breakGlassSessionId, ...rest } = options;
  const actor: SignedInOperator = {
    kind: "operator",
    userId: viewer.user.id,
    email: viewer.user.email,
    ...(breakGlassSessionId ? { breakGlassSessionId } : {}),
  };
  return serviceContext(actor, rest);
}
