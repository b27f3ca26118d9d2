export {
  ORG_ROLES,
  apiKeyActor,
  memberActor,
  systemActor,
  type Actor,
  type ApiKeyActor,
  type CustomerActor,
  type MemberActor,
  type OperatorActor,
  type OrgRole,
  type SystemActor,
} from "./rules";
export {
  asSystem,
  inOrg,
  orgContext,
  serviceContext,
  systemContext,
  type ContextOptions,
  type OrgContext,
  type ServiceContext,
  type SystemContext,
} from "./context";
export type { BeaconEvent, SendEvents } from "./events";
// Where an operator's audit entries get their actor; lib/audit has it so the outbox, below this
// capability, derives it the same way.
export { operatorAuditActor } from "@/lib/audit";
