import { describe, expect, it } from "vitest";
import { groupCalls, groupCallsBy } from "./group-calls";

/** A `run` whose batches the test finishes by hand, recording what each was given. */
function heldRun() {
  const batches: { inputs: number[]; finish: () => void; fail: (error: Error) => void }[] = [];
  const run = (inputs: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      batches.push({ inputs, finish: () => resolve(inputs.map((n) => `#${n}`)), fail: reject });
    });
  return { run, batches };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("grouped calls", () => {
  it("sends a call alone at once when nothing is in flight", async () => {
    const { run, batches } = heldRun();
    const call = groupCalls(run);
    const answer = call(1);
    expect(batches.map((b) => b.inputs)).toEqual([[1]]);
    batches[0]!.finish();
    expect(await answer).toBe("#1");
  });

  it("groups the calls made while a batch is in flight into the next one, each answered with its own result", async () => {
    const { run, batches } = heldRun();
    const call = groupCalls(run);
    const first = call(1);
    const later = [call(2), call(3), call(4)];
    expect(batches.map((b) => b.inputs)).toEqual([[1]]);
    batches[0]!.finish();
    await first;
    await settle();
    expect(batches.map((b) => b.inputs)).toEqual([[1], [2, 3, 4]]);
    batches[1]!.finish();
    expect(await Promise.all(later)).toEqual(["#2", "#3", "#4"]);
  });

  it("keeps batches at most maxBatch long and runs up to inFlight of them at once", async () => {
    const { run, batches } = heldRun();
    const call = groupCalls(run, { maxBatch: 2, inFlight: 2 });
    const answers = [1, 2, 3, 4, 5].map((n) => call(n));
    // 1 and 2 went alone as each found a free slot; the rest wait for one.
    expect(batches.map((b) => b.inputs)).toEqual([[1], [2]]);
    batches[0]!.finish();
    await settle();
    expect(batches.map((b) => b.inputs)).toEqual([[1], [2], [3, 4]]);
    batches[1]!.finish();
    await settle();
    expect(batches.map((b) => b.inputs)).toEqual([[1], [2], [3, 4], [5]]);
    batches[2]!.finish();
    batches[3]!.finish();
    expect(await Promise.all(answers)).toEqual(["#1", "#2", "#3", "#4", "#5"]);
  });

  it("fails every call of a failed batch, and only those; the next batch still runs", async () => {
    const { run, batches } = heldRun();
    const call = groupCalls(run);
    const first = call(1);
    const failing = [call(2), call(3)];
    batches[0]!.finish();
    await first;
    await settle();
    const after = call(4);
    batches[1]!.fail(new Error("connection lost"));
    for (const answer of failing) await expect(answer).rejects.toThrow("connection lost");
    await settle();
    expect(batches.map((b) => b.inputs)).toEqual([[1], [2, 3], [4]]);
    batches[2]!.finish();
    expect(await after).toBe("#4");
  });

  it("refuses a batch answered with the wrong number of results rather than answering callers out of order", async () => {
    const call = groupCalls(async (inputs: number[]) => inputs.slice(1));
    await expect(call(1)).rejects.toThrow("answered 0 of 1");
  });

  it("groups only calls of the same group, each group with its own batch in flight", async () => {
    const batches: { group: string; inputs: number[]; finish: () => void }[] = [];
    const call = groupCallsBy(
      (n: number) => (n % 2 === 0 ? "even" : "odd"),
      (group, inputs) =>
        new Promise<string[]>((resolve) => {
          batches.push({ group, inputs, finish: () => resolve(inputs.map((n) => `${group}#${n}`)) });
        }),
    );
    const answers = [1, 2, 3, 4, 5, 6].map((n) => call(n));
    expect(batches.map((b) => [b.group, b.inputs])).toEqual([
      ["odd", [1]],
      ["even", [2]],
    ]);
    batches[0]!.finish();
    batches[1]!.finish();
    await settle();
    expect(batches.slice(2).map((b) => [b.group, b.inputs])).toEqual([
      ["odd", [3, 5]],
      ["even", [4, 6]],
    ]);
    batches[2]!.finish();
    batches[3]!.finish();
    expect(await Promise.all(answers)).toEqual(["odd#1", "even#2", "odd#3", "even#4", "odd#5", "even#6"]);
  });
});
