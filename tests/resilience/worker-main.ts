/**
 * A separate Beacon process for the crash scenarios (crash-mid-work.test.ts), run with tsx and
 * killed with SIGKILL mid-work. Configuration comes from the environment like the app's
 * (DATABASE_URL, SMTP_URL, STRIPE_WEBHOOK_SECRET…).
 *   worker-main.ts outbox  one outbox sweep (deliverDueOutbox), as the scheduled function runs it
 *   worker-main.ts app     the app's route handlers on a real HTTP port (app-server.ts)
 * Each prints one JSON line when it has started (app) or finished (outbox).
 */
import { deliverDueOutbox } from "@/lib/outbox";
import { startAppServer } from "./app-server";

const mode = process.argv[2];
if (mode === "outbox") {
  const summary = await deliverDueOutbox({ workerId: `crash-test-${process.pid}` });
  process.stdout.write(`${JSON.stringify({ claimed: summary.claimed, delivered: summary.delivered })}\n`);
  process.exit(0);
} else if (mode === "app") {
  const app = await startAppServer();
  process.stdout.write(`${JSON.stringify({ url: app.url })}\n`);
} else {
  throw new Error("usage: worker-main.ts outbox|app");
}
