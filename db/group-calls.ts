/**
 * Group commit for round trips: `call(input)` runs `run([input])` at once when nothing is in
 * flight; calls made while a batch is in flight wait for it and go together in the next one.
 * A quiet server adds no wait and a busy one sends one statement for many calls, so the round
 * trips per call fall as the load rises (the API key lookup and each call's outcome run on
 * every metered call). `run` answers one result per input, in order; when it throws, every
 * call of that batch gets the error (each caller handles it as it would its own statement's).
 */
export function groupCalls<In, Out>(
  run: (inputs: In[]) => Promise<Out[]>,
  options: { maxBatch?: number; inFlight?: number } = {},
): (input: In) => Promise<Out> {
  const maxBatch = options.maxBatch ?? 64;
  const maxInFlight = options.inFlight ?? 1;
  let waiting: { input: In; resolve: (out: Out) => void; reject: (error: unknown) => void }[] = [];
  let inFlight = 0;

  const send = () => {
    while (inFlight < maxInFlight && waiting.length > 0) {
      const batch = waiting.slice(0, maxBatch);
      waiting = waiting.slice(batch.length);
      inFlight++;
      run(batch.map((call) => call.input))
        .then((outs) => {
          if (outs.length !== batch.length)
            throw new Error(`a grouped call answered ${outs.length} of ${batch.length}`);
          batch.forEach((call, i) => call.resolve(outs[i]!));
        })
        .catch((error: unknown) => batch.forEach((call) => call.reject(error)))
        .finally(() => {
          inFlight--;
          send();
        });
    }
  };

  return (input) =>
    new Promise<Out>((resolve, reject) => {
      waiting.push({ input, resolve, reject });
      send();
    });
}
