import { systemActor, systemContext, type OperatorActor, type ServiceContext, type SystemContext } from "@/lib/context";

/**
 * The cockpit's reads of runs across orgs: the operator's request and clock, with queries run as
 * the system role for "ops-cockpit", the one role that sees every org's runs. The edge has checked
 * what the operator may read before it got here. (lib/ops has the same one; it imports lib/jobs.)
 */
export function cockpitContext(ctx: ServiceContext<OperatorActor>): SystemContext {
  return systemContext(systemActor("ops-cockpit"), { requestId: ctx.requestId, now: () => ctx.now() });
}
