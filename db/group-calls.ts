/**
 * Group commit for round trips: `call(input)` runs `run([input])` at once when nothing is in
 * flight; calls made while a batch is in flight wait for it and go together in the next one.
 * A quiet server adds no wait and a busy one sends one statement for many calls, so the round
 * trips per call fall as the load rises (the API key lookup, the charge and each call's outcome
 * run on every metered call). `run` answers one result per input, in order; when it throws,
 * every call of that batch gets the error (each caller handles it as it would its own
 * statement's).
 */
export function groupCalls<In, Out>(
  run: (inputs: In[]) => Promise<Out[]>,
  options: GroupOptions = {},
): (input: In) => Promise<Out> {
  return groupCallsBy(
    () => "",
    (_group, inputs) => run(inputs),
    options,
  );
}

export interface GroupOptions {
  /** The most calls one batch carries. */
  maxBatch?: number;
  /** How many batches of one group may be in flight at once. */
  inFlight?: number;
}

/**
 * `groupCalls` with a batch per group (`groupOf(input)`): only calls of the same group go
 * together, e.g. the charges of one org, which one tenant-scoped statement can make.
 */
export function groupCallsBy<In, Out>(
  groupOf: (input: In) => string,
  run: (group: string, inputs: In[]) => Promise<Out[]>,
  options: GroupOptions = {},
): (input: In) => Promise<Out> {
  const maxBatch = options.maxBatch ?? 64;
  const maxInFlight = options.inFlight ?? 1;
  type Waiting = { input: In; resolve: (out: Out) => void; reject: (error: unknown) => void };
  // Only groups with calls waiting or in flight are kept.
  const groups = new Map<string, { waiting: Waiting[]; inFlight: number }>();

  const send = (group: string) => {
    const state = groups.get(group);
    if (!state) return;
    while (state.inFlight < maxInFlight && state.waiting.length > 0) {
      const batch = state.waiting.splice(0, maxBatch);
      state.inFlight++;
      run(
        group,
        batch.map((call) => call.input),
      )
        .then((outs) => {
          if (outs.length !== batch.length)
            throw new Error(`a grouped call answered ${outs.length} of ${batch.length}`);
          batch.forEach((call, i) => call.resolve(outs[i]!));
        })
        .catch((error: unknown) => batch.forEach((call) => call.reject(error)))
        .finally(() => {
          state.inFlight--;
          if (state.inFlight === 0 && state.waiting.length === 0) groups.delete(group);
          else send(group);
        });
    }
  };

  return (input) =>
    new Promise<Out>((resolve, reject) => {
      const group = groupOf(input);
      let state = groups.get(group);
      if (!state) groups.set(group, (state = { waiting: [], inFlight: 0 }));
      state.waiting.push({ input, resolve, reject });
      send(group);
    });
}
