import { hash, verify } from "@node-rs/argon2";
export { passwordSchema } from "./schemas";

// Argon2id with OWASP's minimum (19 MiB, 2 passes): memory-hard, ~50 ms here.
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string) {
  return hash(password, OPTIONS);
}

// A valid hash to verify against when the account does not exist, so that timing does not
// reveal which e-mails have accounts.
let decoy: Promise<string> | undefined;

export async function verifyPassword(storedHash: string | null | undefined, password: string): Promise<boolean> {
  if (!storedHash) {
    decoy ??= hashPassword("decoy-password-for-timing");
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}
