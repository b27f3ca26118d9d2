import http from "node:http";
import { startSmtpSink } from "@/tests/support/servers";
import { parseMessage } from "./parse-message";

// The journeys' mail server as its own process (see playwright.config.ts): a real SMTP server the
// app sends to, and `GET /messages?to=<address>` answering what that address received, oldest
// first, as JSON — where a journey reads a sign-in link, as its recipient would.
const smtpPort = Number(process.env.SMTP_SINK_PORT ?? 3292);
const httpPort = Number(process.env.SMTP_SINK_HTTP_PORT ?? smtpPort + 1);
const sink = await startSmtpSink(smtpPort);
const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  if (url.pathname !== "/messages") {
    res.writeHead(404).end();
    return;
  }
  const to = url.searchParams.get("to")?.toLowerCase();
  const messages = sink.received
    .map((m) => parseMessage(m.raw, m.to))
    .filter((m) => !to || m.to.some((t) => t.toLowerCase() === to));
  res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(messages));
});
await new Promise<void>((resolve) => server.listen(httpPort, "127.0.0.1", resolve));
console.log(`SMTP sink on ${sink.url}, messages on http://127.0.0.1:${httpPort}/messages`);
const stop = () =>
  void Promise.all([sink.close(), new Promise((resolve) => server.close(resolve))]).then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
