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
export { orgContext, serviceContext, type ContextOptions, type OrgContext, type ServiceContext } from "./context";
export type { BeaconEvent, SendEvents } from "./events";
