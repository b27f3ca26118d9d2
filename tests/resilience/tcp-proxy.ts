import net from "node:net";

export type ProxyMode = "up" | "refusing" | "hanging";

/**
 * A TCP proxy in front of a real server (Redis here) whose link can fail on demand:
 * "refusing" — the port is closed and every open connection is cut (the server is down);
 * "hanging" — connections are accepted and never answered (a server that stopped responding);
 * "up" — bytes flow both ways again.
 */
export async function startTcpProxy(targetUrl: string) {
  const target = new URL(targetUrl);
  const targetPort = Number(target.port || 6379);
  const sockets = new Set<net.Socket>();
  let mode: ProxyMode = "up";

  const server = net.createServer((client) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => {});
    if (mode === "hanging") return; // accepted, read, never answered
    const upstream = net.connect(targetPort, target.hostname);
    sockets.add(upstream);
    upstream.on("close", () => {
      sockets.delete(upstream);
      client.destroy();
    });
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", () => resolve()));
  await listen(0);
  const port = (server.address() as net.AddressInfo).port;
  const cutAll = () => {
    for (const socket of sockets) socket.destroy();
  };

  return {
    url: `redis://127.0.0.1:${port}`,
    get mode() {
      return mode;
    },
    async set(next: ProxyMode) {
      if (next === mode) return;
      cutAll();
      if (mode === "refusing") await listen(port);
      if (next === "refusing") await new Promise<void>((resolve) => server.close(() => resolve()));
      mode = next;
    },
    async close() {
      cutAll();
      if (mode !== "refusing") await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
