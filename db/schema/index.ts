export * from "./auth";
export * from "./orgs";
export * from "./api-keys";
export * from "./mail";
export { tenantRole } from "./tenant-policy";
