import net from "node:net";
import { eq } from "drizzle-orm";
import { SMTPServer } from "smtp-server";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { db } from "@/db/client";
import { emailMessages } from "@/db/schema";
import { resetEnvCache } from "@/lib/env";
import { describeEachDatabase } from "@/tests/db";
import { sendEmail } from "./send-email";

interface Received {
  from: string;
  to: string[];
  raw: string;
}

let server: SMTPServer;
let port = 0;
const received: Received[] = [];

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      let raw = "";
      stream.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
      stream.on("end", () => {
        received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "", to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.server.address() as net.AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

afterEach(() => {
  delete process.env.SMTP_URL;
  resetEnvCache();
  received.length = 0;
});

async function closedPort() {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port: free } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return free;
}

describeEachDatabase("sendEmail", () => {
  it("delivers over SMTP when SMTP_URL is set and records the delivery", async () => {
    process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;
    resetEnvCache();
    const result = await sendEmail({ kind: "test", to: "buyer@example.com", subject: "Hello from Beacon", text: "Follow https://beacon.example/x" });
    expect(result.delivered).toBe(true);
    expect(received).toHaveLength(1);
    expect(received[0]!.to).toEqual(["buyer@example.com"]);
    expect(received[0]!.raw).toContain("Subject: Hello from Beacon");
    expect(received[0]!.raw).toContain("https://beacon.example/x");
    const [row] = await db().select().from(emailMessages).where(eq(emailMessages.id, result.id));
    expect(row!.transport).toBe("smtp");
    expect(row!.sentAt).toBeInstanceOf(Date);
    expect(row!.error).toBeNull();
  });

  it("records an SMTP failure on the row without throwing at the caller", async () => {
    process.env.SMTP_URL = `smtp://127.0.0.1:${await closedPort()}`;
    resetEnvCache();
    const result = await sendEmail({ kind: "test", to: "buyer@example.com", subject: "Unlucky", text: "body" });
    expect(result.delivered).toBe(false);
    const [row] = await db().select().from(emailMessages).where(eq(emailMessages.id, result.id));
    expect(row!.sentAt).toBeNull();
    expect(row!.error).toMatch(/ECONNREFUSED|connect/i);
  });

  it("without SMTP_URL keeps the message, links included, for viewing", async () => {
    const result = await sendEmail({ kind: "test", to: "dev@example.com", subject: "Local", text: "Open https://localhost:3000/verify-email?token=abc" });
    expect(result.delivered).toBe(false);
    expect(received).toHaveLength(0);
    const [row] = await db().select().from(emailMessages).where(eq(emailMessages.id, result.id));
    expect(row!.transport).toBe("log");
    expect(row!.textBody).toContain("verify-email?token=abc");
  });
});
