export { ORG_ROLES, ORG_ACTIONS, PERMISSIONS, can, assignableRoles, type OrgRole, type OrgAction } from "./permissions";
export { assertCan, type OrgActor } from "./actor";
export {
  createOrganizationWithOwner,
  getOrganization,
  listOrganizationsForUser,
  membershipOf,
  renameOrganization,
  findUserByEmail,
  type OrgSummary,
} from "./organizations";
export { listMembers, orgMembers, updateMemberRole, removeMember, type Member } from "./members";
export {
  inviteMember,
  revokeInvitation,
  listOpenInvitations,
  describeInvitation,
  acceptInvitation,
  invitationUrl,
  INVITATION_TTL_MS,
} from "./invitations";
export { randomToken, sha256 } from "./tokens";
export { inviteMemberSchema, updateMemberRoleSchema, acceptInvitationSchema, createApiKeySchema } from "./schemas";
export { seatUsage, UPGRADE_PATH, type SeatUsage } from "./seats";
export { lockOrganization, lockOrganizationRow, lockOrganizationRows } from "./lock";
export { billingContacts } from "./billing-contacts";
export {
  listMembersEndpoint,
  updateMemberRoleEndpoint,
  removeMemberEndpoint,
  inviteMemberEndpoint,
  revokeInvitationEndpoint,
} from "./endpoints";
