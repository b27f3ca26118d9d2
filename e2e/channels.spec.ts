import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { verifyWebhookSignature } from "../lib/outbox/signature";
import { latestEmail, signIn } from "./helpers";
import { cronTrigger, runInngestFunction } from "./inngest";
import { paidOwner } from "./paid-orgs";

interface Received {
  body: string;
  signature: string;
}

/** The team's own endpoint: keeps what it receives, answers 200 or, once told to, 500. */
async function startReceiver() {
  const received: Received[] = [];
  let status = 200;
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      received.push({ body, signature: String(req.headers["beacon-signature"] ?? "") });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/beacon`,
    received,
    failFromNow: () => (status = 500),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// Team channels (Pro): a signed webhook receives a test and an alert's matches, each verified with
// the secret shown once; answering 500 five times switches the channel off and e-mails the owner.
test("channels: a signed webhook receives a test and an alert, and is switched off after repeated failures", async ({
  page,
  request,
}) => {
  const receiver = await startReceiver();
  try {
    const owner = paidOwner("channels");
    await signIn(page, owner.email, owner.password);
    await expect(page).not.toHaveURL(/\/sign-in/);

    await page.goto("/settings/channels");
    const form = page.getByRole("form", { name: "Add a channel" });
    await form.getByRole("radio", { name: "Signed webhook" }).check();
    await form.getByLabel("Name").fill("Capture hook");
    await form.getByLabel("Webhook URL").fill(receiver.url);
    await form.getByRole("button", { name: "Add channel" }).click();
    const secret = (await page.getByTestId("channel-signing-secret").textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
    const row = page.getByTestId("channel-row").filter({ hasText: "Capture hook" });
    await expect(row).toContainText("Enabled");
    await expect(row).not.toContainText("/beacon");

    await row.getByRole("button", { name: "Send a test to “Capture hook”" }).click();
    await expect(row.getByTestId("channel-test-result")).toHaveText("Test delivered.");
    const [testPost] = receiver.received;
    expect(JSON.parse(testPost!.body)).toMatchObject({ type: "channel.test" });
    expect(verifyWebhookSignature(secret, testPost!.body, testPost!.signature, new Date())).toBe(true);

    // An instant alert for every new notice, posting to the channel too; the feed releases notices.
    await page.goto("/alerts");
    const alertForm = page.getByRole("form", { name: "New alert" });
    await alertForm.getByLabel("Name").fill("Everything new");
    await alertForm.getByRole("radio", { name: /Instant/ }).check();
    await alertForm.getByRole("checkbox", { name: /Capture hook/ }).check();
    await alertForm.getByRole("button", { name: "Save alert" }).click();
    await expect(alertForm.getByRole("status")).toHaveText("Saved “Everything new”.");
    await expect(page.getByTestId("alert-row").filter({ hasText: "Everything new" })).toContainText(
      "Also posts to Capture hook",
    );
    await runInngestFunction(request, "ingest-opportunities", cronTrigger("*/2 * * * *"));
    await runInngestFunction(request, "instant-alerts", cronTrigger("*/5 * * * *"));
    await expect.poll(() => receiver.received.length).toBeGreaterThanOrEqual(2);
    const alertPost = receiver.received.find((r) => JSON.parse(r.body).type === "alert.matches")!;
    expect(JSON.parse(alertPost.body)).toMatchObject({ data: { alert: { name: "Everything new" } } });
    expect(JSON.parse(alertPost.body).data.match_count).toBeGreaterThan(0);
    expect(verifyWebhookSignature(secret, alertPost.body, alertPost.signature, new Date())).toBe(true);

    // The endpoint breaks: five failed tests in a row and the channel is off, its admins told.
    receiver.failFromNow();
    await page.goto("/settings/channels");
    for (let failed = 1; failed <= 5; failed++) {
      await row.getByRole("button", { name: "Send a test to “Capture hook”" }).click();
      // Each answer refreshes the list: wait for it, so the next click is a new attempt.
      await expect(row).toContainText(failed < 5 ? `${failed} failed in a row` : "Disabled");
      await expect(row.getByTestId("channel-test-result")).toHaveText(/^Test failed: webhook answered HTTP 500/);
    }
    expect(receiver.received).toHaveLength(7);
    await page.reload();
    await expect(row).toContainText("Disabled");
    await expect(row.getByTestId("channel-disabled-reason")).toContainText("after 5 failed deliveries in a row");
    await expect(row.getByRole("button", { name: "Switch on “Capture hook”" })).toBeVisible();
    const mail = await latestEmail(owner.email, "channel_disabled");
    // The subject is MIME-encoded (its quotes are not ASCII); the body the mailbox decodes says it all.
    expect(mail.text).toContain("switched off the Signed webhook channel “Capture hook”");
    expect(mail.text).toContain("its last 5 deliveries failed in a row");
    expect(mail.text).toContain("/settings/channels");
    expect(mail.text).not.toContain(receiver.url);
  } finally {
    await receiver.close();
  }
});

test("channels on Starter: an upgrade prompt, and the API answers 403", async ({ page }) => {
  const owner = paidOwner("pipeline");
  await signIn(page, owner.email, owner.password);
  await expect(page).not.toHaveURL(/\/sign-in/);
  await page.goto("/settings/channels");
  await expect(page.getByRole("heading", { name: "Get alerts where your team works" })).toBeVisible();
  const response = await page.request.get("/api/app/channels");
  expect(response.status()).toBe(403);
  expect(await response.json()).toMatchObject({ code: "forbidden", feature: "channels" });
});
