import type { LookupFunction } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startWebhookReceiver } from "@/tests/support/servers";
import { postJson, WebhookStatusError } from "./post-json";

let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
afterAll(() => receiver.close());

/** The receiver's URL under the name `localhost`, so the connection has a name to resolve. */
const byName = (path: string) => receiver.url(path).replace("127.0.0.1", "localhost");

it("posts the body with its headers and a content-length, and resolves on a 2xx", async () => {
  await postJson(byName("/ok"), { "content-type": "application/json", "x-test": "1" }, '{"a":1}');
  const got = receiver.requests.find((r) => r.path === "/ok");
  expect(got).toBeDefined();
  expect(got!.headers["x-test"]).toBe("1");
  expect(got!.headers["content-length"]).toBe("7");
  expect(JSON.parse(got!.body)).toEqual({ a: 1 });
});

it("rejects with the status on anything but a 2xx, redirects included", async () => {
  receiver.failNext(1, 302);
  await expect(postJson(byName("/moved"), {}, "{}")).rejects.toMatchObject({ status: 302 });
  receiver.failNext(1, 500);
  const error = await postJson(byName("/broken"), {}, "{}").catch((e: unknown) => e);
  expect(error).toBeInstanceOf(WebhookStatusError);
  expect((error as WebhookStatusError).status).toBe(500);
});

it("connects through the lookup it is given: a refusal there means nothing reaches the receiver", async () => {
  const refused = new Error("refused by policy");
  const seen: string[] = [];
  const refuse: LookupFunction = (hostname, _options, callback) => {
    seen.push(hostname);
    callback(refused, "", 0);
  };
  const before = receiver.requests.length;
  await expect(postJson(byName("/guarded"), {}, "{}", { lookup: refuse })).rejects.toBe(refused);
  expect(seen).toEqual(["localhost"]);
  expect(receiver.requests.length).toBe(before);
});

it("refuses a URL that is not http or https without connecting", async () => {
  await expect(postJson("ftp://localhost/x", {}, "{}")).rejects.toThrow(/ftp:/);
});
