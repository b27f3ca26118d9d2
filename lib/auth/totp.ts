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
  return (await matchTotpStep(secret, code)) !== null;
}

/**
 * The RFC 6238 time step a valid code belongs to (current ± one for drift), or null. With
 * `afterStep`, codes of that step or earlier are refused: a code already used cannot be replayed.
 */
export async function matchTotpStep(secret: string, code: string, afterStep?: number | null): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const epoch = Math.floor(Date.now() / 1000);
  const result = await verify({
    secret,
    token: code,
    epoch,
    epochTolerance: 30,
    ...(afterStep != null ? { afterTimeStep: afterStep } : {}),
  });
  return result.valid ? Math.floor(epoch / 30) + result.delta : null;
}
