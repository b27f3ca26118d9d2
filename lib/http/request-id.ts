import { randomBytes } from "node:crypto";

const WELL_FORMED = /^[A-Za-z0-9._:-]{8,128}$/;

/** Echoes a well-formed incoming X-Request-Id, otherwise makes a new one. */
export function requestIdFrom(headers: Headers): string {
  const incoming = headers.get("x-request-id");
  if (incoming && WELL_FORMED.test(incoming)) return incoming;
  return newRequestId();
}

/** Random bytes for ids, drawn 256 ids at a time: one `randomBytes` call per request cost more than the id is worth. */
const POOL_IDS = 256;
const ID_BYTES = 12;
let pool = Buffer.alloc(0);
let next = 0;

export function newRequestId() {
  if (next + ID_BYTES > pool.length) {
    pool = randomBytes(ID_BYTES * POOL_IDS);
    next = 0;
  }
  const id = pool.subarray(next, next + ID_BYTES).toString("base64url");
  next += ID_BYTES;
  return `req_${id}`;
}
