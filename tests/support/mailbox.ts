import { afterAll, beforeAll, expect } from "vitest";
import { startSmtpSink } from "@/tests/support/servers";
import { withTestEnv } from "@/tests/env";
import { parseMessage, type ReceivedEmail } from "./parse-message";

/**
 * A real SMTP server for the file's tests, with SMTP_URL pointing at it: what a recipient
 * really receives (sign-in links included, which no table or log keeps).
 */
export function smtpMailboxForTests() {
  let sink: Awaited<ReturnType<typeof startSmtpSink>> | undefined;
  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  withTestEnv(() => ({ SMTP_URL: sink!.url }));
  afterAll(async () => {
    await sink?.close();
  });
  const received = () => sink!.received.map((m) => parseMessage(m.raw, m.to));
  return {
    /** The SMTP_URL of this mailbox (to put back after a test pointed SMTP elsewhere). */
    url: () => sink!.url,
    received,
    /** The newest message to `address` (of `kind`, when given); fails the test when there is none. */
    latest(address: string, kind?: string): ReceivedEmail {
      const found = received()
        .filter((m) => m.to.some((t) => t.toLowerCase() === address.toLowerCase()) && (!kind || m.kind === kind))
        .at(-1);
      expect(found, `an e-mail${kind ? ` (${kind})` : ""} to ${address}`).toBeDefined();
      return found!;
    },
  };
}
