/** Options every Beacon function starts from (SPEC §6): 3 retries with Inngest's exponential backoff. */
export const FUNCTION_DEFAULTS = { retries: 3 } as const;
