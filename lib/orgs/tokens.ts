import { createHash, randomBytes } from "node:crypto";

/** URL-safe random token with 256 bits of entropy. */
export function randomToken(bytes = 32) {
  return randomBytes(bytes).toString("base64url");
}

/** Tokens are high-entropy, so a fast hash is enough to keep them useless if the table leaks. */
export function sha256(value: string) {
  return createHash("sha256").update(value).digest("hex");
}
