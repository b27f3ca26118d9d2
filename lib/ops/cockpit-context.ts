import { asSystem, type OperatorActor, type ServiceContext, type SystemContext } from "@/lib/context";

/**
 * The cockpit's work across orgs (its lists and counts, break-glass sessions): the operator's
 * request and clock, with queries run as the system role for "ops-cockpit", the one role that
 * sees every org's rows. The edge has checked what the operator may do before it got here.
 */
export function cockpitContext(ctx: ServiceContext<OperatorActor>): SystemContext {
  return asSystem(ctx, "ops-cockpit");
}
