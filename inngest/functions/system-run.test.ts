import { describe, expect, it } from "vitest";
import { systemActor } from "@/lib/context";
import { systemRunContext } from "./system-run";

const TRIGGERED = new Date("2035-03-01T09:40:00Z");

describe("a background run's context", () => {
  it("acts as the system for its reason and names the run as its request", () => {
    const ctx = systemRunContext("reminders", { runId: "01JRUN" }, TRIGGERED);
    expect([ctx.actor, ctx.requestId, ctx.now()]).toEqual([systemActor("reminders"), "01JRUN", TRIGGERED]);
  });

  it("reads the clock when asked unless the run fixed its instant", async () => {
    const ctx = systemRunContext("digest-fanout", { runId: "01JRUN" });
    const first = ctx.now();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(ctx.now().getTime()).toBeGreaterThan(first.getTime());
  });
});
