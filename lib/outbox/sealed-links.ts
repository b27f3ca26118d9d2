import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { authSecret } from "@/lib/env";

/**
 * Links that sign someone in (magic links, e-mail verification, password reset, invitations)
 * must never be readable at rest: not in `outbox_events`, not in `email_messages`, not through
 * any operator view. Such an e-mail names its links as `{{name}}` placeholders and hands the
 * links over as `secrets`; they are sealed here (AES-256-GCM, a key derived from AUTH_SECRET)
 * and opened only by the deliverer, at send time. A delivered row drops its seal.
 */
const VERSION = "v1";
const PLACEHOLDER = /\{\{([a-z][a-z0-9_]{0,39})\}\}/g;
/** What records and operator views show where a sealed link was. */
export const HIDDEN_LINK = "[link sent to the recipient only]";

/**
 * A link that carries a credential. One left in the clear in a stored e-mail is hidden at
 * enqueue time (the migration that introduced sealing did the same to rows already stored), so
 * a new kind of e-mail cannot leak a token by accident.
 */
const CLEAR_TOKEN_LINK =
  /https?:\/\/[^\s"'<>]*(?:[?&](?:token|code)=|\/invitations\/|\/api\/auth\/callback\/)[^\s"'<>]*/gi;

/** The sealed links' purpose; every other use names its own, so each gets a key of its own. */
const SEALED_LINKS_PURPOSE = "sealed-links:v1";

function key(purpose: string) {
  return Buffer.from(hkdfSync("sha256", authSecret(), "beacon-outbox", purpose, 32));
}

/**
 * AES-256-GCM under a key derived from AUTH_SECRET for `purpose` (HKDF info), so a value sealed
 * for one use can never be opened as another's. `purpose` is a fixed name such as "channel-url:v1".
 */
export function sealValue(purpose: string, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(purpose), iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [
    VERSION,
    iv.toString("base64url"),
    cipher.getAuthTag().toString("base64url"),
    body.toString("base64url"),
  ].join(".");
}

/** Throws when the seal was made with another AUTH_SECRET or purpose, or was tampered with. */
export function openSealedValue(purpose: string, sealed: string): string {
  const [version, iv, tag, body] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || !body) throw new Error("not a sealed value");
  const decipher = createDecipheriv("aes-256-gcm", key(purpose), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}

export function sealSecrets(secrets: Record<string, string>): string {
  return sealValue(SEALED_LINKS_PURPOSE, JSON.stringify(secrets));
}

/** Throws when the seal was made with another AUTH_SECRET or was tampered with. */
export function openSealedSecrets(sealed: string): Record<string, string> {
  return JSON.parse(openSealedValue(SEALED_LINKS_PURPOSE, sealed)) as Record<string, string>;
}

/**
 * Secrets named `unsubscribe` or `unsubscribe_N` are one-click unsubscribe links (lib/alerts):
 * sealed like the rest, but they sign nobody in, so the e-mail's record (link hidden) stays
 * viewable in the cockpit.
 */
export function isUnsubscribeSecret(name: string): boolean {
  return /^unsubscribe(?:_\d+)?$/.test(name);
}

export function placeholdersIn(...texts: (string | undefined)[]): Set<string> {
  const names = new Set<string>();
  for (const text of texts) for (const match of (text ?? "").matchAll(PLACEHOLDER)) names.add(match[1]!);
  return names;
}

/**
 * The text with the placeholders of `secrets` filled: with the links themselves for sending, or
 * with HIDDEN_LINK (`reveal` false) for records and logs. Other `{{…}}` (in an org name, say) stay
 * as typed.
 */
export function fillPlaceholders(text: string, secrets: Record<string, string>, reveal: boolean): string {
  return text.replace(PLACEHOLDER, (whole, name: string) =>
    Object.hasOwn(secrets, name) ? (reveal ? secrets[name]! : HIDDEN_LINK) : whole,
  );
}

export function hideClearTokenLinks(text: string): string {
  return text.replace(CLEAR_TOKEN_LINK, HIDDEN_LINK);
}
