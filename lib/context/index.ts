export {
  ORG_ROLES,
  apiKeyActor,
  memberActor,
  operatorAuditActor,
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
