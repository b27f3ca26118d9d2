export { hashPassword, verifyPassword } from "./passwords";
export { passwordSchema, magicLinkSchema, resetPasswordSchema, changePasswordSchema } from "./schemas";
export {
  createSession,
  resolveSession,
  deleteSession,
  revokeAllSessions,
  sessionCookieName,
  sessionCookieOptions,
  currentOrgCookieOptions,
  SESSION_MAX_AGE_S,
  type SessionUser,
} from "./sessions";
export {
  signUp,
  SIGNUPS_PAUSED,
  createUserWithOrganization,
  signInWithPassword,
  sendVerificationEmail,
  verifyEmail,
  requestPasswordReset,
  resetPassword,
  changePassword,
  emailSchema,
  signUpSchema,
  signInSchema,
  type SignUpInput,
} from "./accounts";
export {
  createApiKey,
  listApiKeys,
  revokeApiKey,
  resolveApiKey,
  generateApiKey,
  API_KEY_PATTERN,
  type ApiKeyPrincipal,
} from "./api-keys";
export { createOperator, operatorRoleOf, createOperatorSchema } from "./operators";
export {
  OPERATOR_ROLES,
  OPERATOR_ACTIONS,
  OPERATOR_PERMISSIONS,
  operatorCan,
  type OperatorRole,
  type OperatorAction,
} from "./operator-permissions";
export { newTotpSecret, totpUrl, verifyTotpCode } from "./totp";
export {
  viewerFromCookieValues,
  viewerFromRequest,
  viewerFromHeaders,
  parseCookieHeader,
  CURRENT_ORG_COOKIE,
  type Viewer,
} from "./principal";
export {
  apiKeyAuth,
  memberAuth,
  operatorAuth,
  operatorFromHeaders,
  assertOperatorCan,
  type MemberAuth,
  type OperatorAuth,
} from "./authenticators";
export { safeReturnPath } from "./return-path";
export { mfaEnrolment, verifyOperatorMfa, resetOperatorTotp, MFA_ATTEMPTS, type MfaEnrolment } from "./mfa";
export {
  signUpForm,
  signInForm,
  magicLinkForm,
  forgotPasswordForm,
  signUpFormSchema,
  type LimitedFormContext,
} from "./limited-forms";
export { endpointAuthenticators, endpointContexts } from "./endpoint-auth";
export { memberContext, type MemberViewer } from "./member-context";
export { operatorContext, type OperatorContextOptions, type SignedInOperator } from "./operator-context";
export { meEndpoint, listApiKeysEndpoint, createApiKeyEndpoint, revokeApiKeyEndpoint } from "./endpoints";
