import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { STRIPE_EVENT_HANDLERS } from "@/lib/billing/stripe-events";
import { withNewWord } from "./api";
import { areaOf, summariseProfiles } from "./cpu-profile";
import { firstLoadJs, routeOf } from "./first-load-js";
import { customerEvents, deliveryOrder, EVENTS_PER_CUSTOMER, seededRandom } from "./webhook-events";

describe("webhook bench deliveries", () => {
  it("sends each customer's events in order, every one first, and each re-delivery after its first", () => {
    const customers = Array.from({ length: 5 }, (_, i) => customerEvents(`org-${i}`, i));
    const order = deliveryOrder(customers, 9, seededRandom(1));
    const ids = order.map((e) => e.id as string);
    expect(ids).toHaveLength(5 * EVENTS_PER_CUSTOMER + 9);
    expect(new Set(ids).size).toBe(5 * EVENTS_PER_CUSTOMER);
    // Without repeats the order is the customers interleaved, each customer's events in order:
    // a re-delivery placed before its first delivery would show here.
    const firsts = ids.filter((id, i) => ids.indexOf(id) === i);
    const interleaved = Array.from({ length: EVENTS_PER_CUSTOMER }, (_, k) =>
      customers.map((events) => events[k].id as string),
    ).flat();
    expect(firsts).toEqual(interleaved);
  });

  it("uses only event types Beacon processes, with unique ids and increasing timestamps per customer", () => {
    const events = customerEvents("org-1", 1);
    expect(events).toHaveLength(EVENTS_PER_CUSTOMER);
    for (const event of events) expect(STRIPE_EVENT_HANDLERS[event.type as string]).toBeDefined();
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    expect(events.map((e) => e.created)).toEqual([...events.map((e) => e.created as number)].sort((a, b) => a - b));
  });
});

describe("API bench new searches", () => {
  it("adds a word no notice has to q, keeping the other parameters; a request without q is unchanged", () => {
    const path = withNewWord("/api/v1/opportunities?q=maintenance&limit=20", 7);
    const url = new URL(path, "http://x.invalid");
    expect(url.pathname).toBe("/api/v1/opportunities");
    expect(url.searchParams.get("q")).toBe("maintenance or zqbench7x");
    expect(url.searchParams.get("limit")).toBe("20");
    expect(withNewWord("/api/v1/opportunities?limit=20", 8)).toBe("/api/v1/opportunities?limit=20");
  });
});

describe("first-load JS from a build", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("names routes without groups and counts the shared files and the page's chunks once each, gzip-sized", () => {
    expect(routeOf("/(app)/onboarding/page")).toBe("/onboarding");
    expect(routeOf("/(marketing)/page")).toBe("/");
    expect(routeOf("/admin/ops/jobs/[id]/page")).toBe("/admin/ops/jobs/[id]");

    dir = fs.mkdtempSync(path.join(os.tmpdir(), "first-load-js-"));
    const write = (file: string, content: string | Buffer) => {
      fs.mkdirSync(path.dirname(path.join(dir!, file)), { recursive: true });
      fs.writeFileSync(path.join(dir!, file), content);
    };
    const chunks = {
      "static/chunks/main.js": "a".repeat(5000),
      "static/chunks/layout.js": "function f(){return 1}".repeat(100),
      "static/chunks/page.js": "x",
    };
    for (const [file, content] of Object.entries(chunks)) write(file, content);
    write("static/chunks/page.css", "body{}");
    write("build-manifest.json", JSON.stringify({ rootMainFiles: ["static/chunks/main.js"] }));
    const manifest = {
      entryJSFiles: {
        "[project]/app/layout": ["static/chunks/layout.js"],
        "[project]/app/(app)/onboarding/page": [
          "static/chunks/layout.js",
          "static/chunks/page.js",
          "static/chunks/page.css",
        ],
      },
    };
    write(
      "server/app/(app)/onboarding/page_client-reference-manifest.js",
      `globalThis.__RSC_MANIFEST = globalThis.__RSC_MANIFEST || {};\nglobalThis.__RSC_MANIFEST["/(app)/onboarding/page"] = ${JSON.stringify(manifest)};`,
    );

    const [route, ...others] = firstLoadJs(dir);
    expect(others).toEqual([]);
    expect(route!.route).toBe("/onboarding");
    expect(route!.files.sort()).toEqual(Object.keys(chunks).sort());
    const values = Object.values(chunks);
    expect(route!.bytes).toBe(values.reduce((sum, c) => sum + c.length, 0));
    expect(route!.gzipBytes).toBe(values.reduce((sum, c) => sum + zlib.gzipSync(c, { level: 9 }).length, 0));
  });
});

describe("bench CPU profile summary", () => {
  const frame = (functionName: string, url = "") => ({ functionName, url, lineNumber: 0, columnNumber: 0 });

  it("names each source's area: packages, Beacon's capabilities, Node and V8", () => {
    expect(areaOf("/srv/node_modules/next/dist/server/base-server.js")).toBe("Next.js route machinery");
    expect(areaOf("turbopack:///[turbopack]/nodejs/runtime/build-base.ts")).toBe("Next.js route machinery");
    expect(areaOf("/srv/node_modules/pg-protocol/dist/parser.js")).toBe("PostgreSQL driver (pg)");
    expect(areaOf("../../../lib/metering/charge.ts")).toBe("Beacon: key lookup and charge (lib/metering)");
    expect(areaOf("../../../lib/jobs/cron.ts")).toBe("Beacon: lib/jobs");
    expect(areaOf("node:internal/streams/writable")).toBe("Node.js core (http, net, streams)");
    expect(areaOf("(writev)")).toBe("V8 and native code");
    expect(areaOf("(garbage collector)")).toBe("garbage collection");
  });

  it("charges each sample's time to the function on top of the stack, and leaves idle out of the shares", () => {
    const shares = summariseProfiles([
      {
        nodes: [
          { id: 1, callFrame: frame("(idle)") },
          { id: 2, callFrame: frame("parse", "file:///srv/node_modules/pg-protocol/dist/parser.js") },
          { id: 3, callFrame: frame("(garbage collector)") },
        ],
        samples: [1, 2, 2, 3, 1],
        timeDeltas: [5_000, 3_000, 3_000, 2_000, 5_000],
      },
    ]);
    expect(shares).toEqual([
      { area: "idle (waiting on I/O)", ms: 10, share: 0 },
      { area: "PostgreSQL driver (pg)", ms: 6, share: 0.75 },
      { area: "garbage collection", ms: 2, share: 0.25 },
    ]);
  });
});
