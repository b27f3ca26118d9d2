import { generateSecret, generateURI, verify } from "otplib";

const ISSUER = "Beacon Ops";

/** A new RFC 6238 secret (base32) and the otpauth:// URL authenticator apps scan. */
export function newTotpSecret(accountLabel: string) {
  const secret = generateSecret();
  return { secret, otpauthUrl: generateURI({ issuer: ISSUER, label: accountLabel, secret }) };
}

export function totpUrl(accountLabel: string, secret: string) {
  return generateURI({ issuer: ISSUER, label: accountLabel, secret });
}

/** Accepts the current code and one 30-second step either side for clock drift. */
export async function verifyTotpCode(secret: string, code: string): Promise<boolean> {
  if (!/^\d{6}$/.test(code)) return false;
  const result = await verify({ secret, token: code, epochTolerance: 30 });
  return result.valid;
}
