import { afterAll, afterEach, beforeAll } from "vitest";
import { startSmtpSink, startWebhookReceiver } from "./servers";

export interface DeliveryServers {
  smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  hooks: Awaited<ReturnType<typeof startWebhookReceiver>>;
}

/**
 * An SMTP sink and a webhook receiver for the outbox's delivery tests: started once per file,
 * emptied and made healthy again after each test, so no test sees another's mail or faults.
 */
export function deliveryServersForFile(): DeliveryServers {
  const servers = {} as DeliveryServers;
  beforeAll(async () => {
    servers.smtp = await startSmtpSink();
    servers.hooks = await startWebhookReceiver();
  });
  afterAll(async () => {
    await servers.smtp?.close();
    await servers.hooks?.close();
  });
  afterEach(() => {
    servers.smtp.received.length = 0;
    servers.smtp.rejectRecipients(null);
    servers.smtp.release();
    servers.hooks.requests.length = 0;
    servers.hooks.failNext(0);
    servers.hooks.release();
  });
  return servers;
}
