import http from "node:http";
import type net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { routesTaker } from "./before-next";

let server: http.Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

describe("routesTaker", () => {
  it("serves a request after the other callbacks of its turn, body intact", async () => {
    const order: string[] = [];
    const take = routesTaker(
      [
        {
          method: "POST",
          path: "/hot/{id}",
          handler: async (request, { params }) => {
            order.push("handler");
            return Response.json({ id: (await params).id, body: await request.text() });
          },
        },
      ],
      [],
    );
    server = http.createServer((req, res) => {
      if (!take(req, res)) res.writeHead(404).end();
      // Work the same turn already queued (a statement's answer carrying a batch on) goes first.
      queueMicrotask(() => order.push("the turn's own work"));
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;

    const response = await fetch(`http://127.0.0.1:${port}/hot/a%20b`, { method: "POST", body: "x".repeat(100_000) });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: "a b", body: "x".repeat(100_000) });
    expect(order).toEqual(["the turn's own work", "handler"]);
  });

  it("does not start a request its client gave up on before its turn came", async () => {
    let started = 0;
    const take = routesTaker(
      [
        {
          method: "POST",
          path: "/hot",
          handler: async () => {
            started++;
            return new Response("hot");
          },
        },
      ],
      [],
    );
    const served = new Promise<void>((resolve) => {
      server = http.createServer((req, res) => {
        take(req, res);
        // The client goes away in the same turn, before the check phase.
        req.destroy();
        setImmediate(() => setImmediate(resolve));
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const { port } = server!.address() as net.AddressInfo;

    await fetch(`http://127.0.0.1:${port}/hot`, { method: "POST", body: "x" }).catch(() => null);
    await served;

    expect(started).toBe(0);
  });

  it("leaves other paths and methods to the server's own handler", async () => {
    const take = routesTaker([{ method: "POST", path: "/hot", handler: async () => new Response("hot") }], []);
    server = http.createServer((req, res) => {
      if (!take(req, res)) res.writeHead(299).end("next");
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;

    const other = await fetch(`http://127.0.0.1:${port}/hot`);
    const hot = await fetch(`http://127.0.0.1:${port}/hot`, { method: "POST" });

    expect([other.status, await other.text()]).toEqual([299, "next"]);
    expect([hot.status, await hot.text()]).toEqual([200, "hot"]);
  });
});
