import { AsyncLocalStorage } from "node:async_hooks";

export interface RequestContext {
  requestId: string;
}

// On globalThis so `next dev` hot reloads (which re-evaluate modules) keep one store: a route
// compiled after a reload must see the context a request entered through the older copy.
const globalForContext = globalThis as unknown as { __beaconRequestContext?: AsyncLocalStorage<RequestContext> };
const storage = (globalForContext.__beaconRequestContext ??= new AsyncLocalStorage<RequestContext>());

/** Runs `fn` with the request's context, so every log line and slow query inside it names the request. */
export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The request being served on this async path, if any (background jobs have none). */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
