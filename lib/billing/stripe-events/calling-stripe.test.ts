// The webhook batches every event type except those whose handler may call Stripe's API
// (HANDLERS_CALLING_STRIPE), so a slow Stripe never holds up a batch. Which handlers can reach the
// Stripe client is read from their imports here, so the list cannot fall behind the code.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { HANDLERS_CALLING_STRIPE, STRIPE_EVENT_HANDLERS } from "./index";

const HERE = path.dirname(new URL(import.meta.url).pathname);
const STRIPE_CLIENT = path.resolve(HERE, "../stripe-client.ts");

/** The files a module imports by relative path, transitively (type-only imports left out). */
function relativeImportsOf(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const source = fs.readFileSync(file, "utf8");
  for (const [, specifier] of source.matchAll(/^import (?!type )[^;]*? from "(\.{1,2}\/[^"]+)";/gms)) {
    relativeImportsOf(path.resolve(path.dirname(file), `${specifier}.ts`), seen);
  }
  return seen;
}

/** `checkoutSessionCompleted` → this folder's `checkout-session-completed.ts`. */
function fileOf(handlerName: string) {
  return path.join(HERE, `${handlerName.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}.ts`);
}

describe("event types whose handler may call Stripe", () => {
  it("are exactly those whose handler's module reaches the Stripe client", () => {
    const reaching = Object.entries(STRIPE_EVENT_HANDLERS)
      .filter(([, handler]) => {
        const file = fileOf(handler.name);
        expect(fs.existsSync(file), `${handler.name} lives in ${path.basename(file)}`).toBe(true);
        return relativeImportsOf(file).has(STRIPE_CLIENT);
      })
      .map(([type]) => type);
    expect(reaching.sort()).toEqual([...HANDLERS_CALLING_STRIPE].sort());
  });
});
