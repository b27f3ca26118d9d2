import net from "node:net";
import { SMTPServer } from "smtp-server";

export type SmtpMode = "up" | "down" | "stalling";

/**
 * A real SMTP server on a fixed port that can be stopped ("down": the port is closed),
 * started again, or made to stall ("stalling": it takes a message's data and never answers,
 * so the sender waits, mid-delivery). Only messages it accepted (250) count as received; each
 * is known by its Message-ID (`<outbox id>@beacon.outbox`). `rejectRecipients(pattern)` makes
 * it answer 550 to matching recipients while taking everyone else's mail.
 */
export async function startControllableSmtp() {
  const received: { messageId: string; to: string[] }[] = [];
  let stalled = 0;
  let mode: SmtpMode = "up";
  let rejected: RegExp | null = null;
  let server: SMTPServer | undefined;
  let port = 0;

  const start = async () => {
    const instance = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (!rejected?.test(address.address)) return callback();
        const error = new Error(`<${address.address}>: mailbox unavailable`) as Error & { responseCode: number };
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
          received.push({
            messageId: /^Message-ID:\s*<([^>]+)>/im.exec(raw)?.[1] ?? "",
            to: session.envelope.rcptTo.map((r) => r.address),
          });
          callback();
        });
      },
    });
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
    for (const connection of (instance as unknown as { connections: Set<{ close(): void }> }).connections ?? [])
      connection.close();
    await new Promise<void>((resolve) => instance.close(() => resolve()));
  };
  await start();

  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
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
    rejectRecipients(pattern: RegExp | null) {
      rejected = pattern;
    },
    async set(next: SmtpMode) {
      if (next === "down") await stop();
      else if (!server) await start();
      mode = next;
    },
    close: stop,
  };
}
