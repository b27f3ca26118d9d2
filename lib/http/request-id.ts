import { randomBytes } from "node:crypto";

const WELL_FORMED = /^[A-Za-z0-9._:-]{8,128}$/;

/** Echoes a well-formed incoming X-Request-Id, otherwise makes a new one. */
export function requestIdFrom(headers: Headers): string {
  const incoming = headers.get("x-request-id");
  if (incoming && WELL_FORMED.test(incoming)) return incoming;
  return newRequestId();
}

export function newRequestId() {
  return `req_${randomBytes(12).toString("base64url")}`;
}
