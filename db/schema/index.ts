export * from "./auth";
export * from "./orgs";
export * from "./api-keys";
export * from "./mail";
export { tenantRole } from "./tenant-policy";
export * from "./opportunities";
export * from "./alerts";
export * from "./onboarding";
export * from "./metering";
