import http from "node:http";
import net from "node:net";
import { SMTPServer } from "smtp-server";

/** "up" takes mail; "down" closes the port; "stalling" takes a message's data and never answers. */
export type SmtpSinkMode = "up" | "down" | "stalling";

/**
 * A real SMTP server that keeps what it accepted (250); each message is known by its Message-ID
 * (`<outbox id>@beacon.outbox`). It can be stopped and started again on the same port, or made to
 * stall (the sender waits mid-delivery), with `set(mode)`; `hold()` keeps its answers until
 * `release()` (a slow server); `rejectRecipients(pattern)` makes it refuse matching recipients
 * with 550 while taking everyone else's mail.
 */
export async function startSmtpSink(port = 0) {
  const received: { to: string[]; messageId: string; raw: string }[] = [];
  let rejected: RegExp | null = null;
  let mode: SmtpSinkMode = "up";
  let stalled = 0;
  let holding = false;
  const held: (() => void)[] = [];
  let server: SMTPServer | undefined;

  const start = async () => {
    const instance = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (!rejected?.test(address.address)) return callback();
        const error = new Error(`<${address.address}>: no such mailbox here`) as Error & { responseCode: number };
        error.responseCode = 550;
        callback(error);
      },
      onData(stream, session, callback) {
        let raw = "";
        stream.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
        stream.on("end", () => {
          if (mode === "stalling") {
            stalled++;
            return; // never answer: the sender is stuck waiting for our 250
          }
          const messageId = /^Message-ID:\s*<([^>]+)>/im.exec(raw)?.[1] ?? "";
          const accept = () => {
            received.push({ to: session.envelope.rcptTo.map((r) => r.address), messageId, raw });
            callback();
          };
          if (holding) held.push(accept);
          else accept();
        });
      },
    });
    // A client dropping mid-session (a killed sender) is not the sink's failure.
    instance.on("error", () => {});
    await new Promise<void>((resolve) => instance.listen(port, "127.0.0.1", resolve));
    port = (instance.server.address() as net.AddressInfo).port;
    server = instance;
  };
  const stop = async () => {
    const instance = server;
    server = undefined;
    if (!instance) return;
    // close() waits for open sessions; a stalled one never ends by itself.
    for (const connection of instance.connections as Set<{ close(): void }>) connection.close();
    await new Promise<void>((resolve) => instance.close(() => resolve()));
  };
  await start();

  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    rejectRecipients(pattern: RegExp | null) {
      rejected = pattern;
    },
    async set(next: SmtpSinkMode) {
      if (next === "down") await stop();
      else if (!server) await start();
      mode = next;
    },
    /** From now on, messages wait for `release()` before they are accepted (a slow server). */
    hold() {
      holding = true;
    },
    release() {
      holding = false;
      for (const accept of held.splice(0)) accept();
    },
    /** How many messages arrived while stalling (never accepted, so not in `received`). */
    stalledCount: () => stalled,
    /** How many times each outbox id was accepted. */
    countsById() {
      const counts = new Map<string, number>();
      for (const m of received) {
        const id = m.messageId.split("@")[0]!;
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      return counts;
    },
    close: stop,
  };
}

/** A port nothing listens on: the SMTP server (or webhook receiver) is down. */
export async function closedPort() {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export interface ReceivedWebhook {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  status: number;
}

/** A local webhook receiver that answers 500 (or the status given) to the next `n` requests, then 200. */
export async function startWebhookReceiver() {
  const requests: ReceivedWebhook[] = [];
  let failuresLeft = 0;
  let failStatus = 500;
  let holding = false;
  const held: (() => void)[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      if (holding) held.push(() => answer());
      else answer();
    });
    const answer = () => {
      const status = failuresLeft > 0 ? failStatus : 200;
      if (failuresLeft > 0) failuresLeft--;
      requests.push({ path: req.url ?? "", headers: req.headers, body, status });
      res.writeHead(status, { "content-type": "text/plain" }).end(status === 200 ? "ok" : "nope");
    };
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: (path = "/hook") => `http://127.0.0.1:${port}${path}`,
    requests,
    failNext(n: number, status = 500) {
      failuresLeft = n;
      failStatus = status;
    },
    /** From now on, requests wait for `release()` before they are answered (a slow receiver). */
    hold() {
      holding = true;
    },
    heldCount: () => held.length,
    release() {
      holding = false;
      for (const answer of held.splice(0)) answer();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
