/** Browser-side JSON calls to Beacon's own routes; Problem+JSON errors become ApiError. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fieldErrors: Record<string, string> = {},
    /** The whole Problem+JSON body, for problem-specific fields (e.g. `upgrade_url`). */
    readonly problem: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export async function apiFetch<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(path, {
    method: init.method ?? "GET",
    headers: init.body === undefined ? undefined : { "content-type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    credentials: "same-origin",
  });
  if (response.status === 204) return undefined as T;
  const data = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    const errors = Array.isArray(data.errors) ? (data.errors as { path: string; message: string }[]) : [];
    throw new ApiError(
      response.status,
      String(data.code ?? "error"),
      String(data.detail ?? "Something went wrong. Please try again."),
      Object.fromEntries(errors.map((e) => [e.path, e.message])),
      data,
    );
  }
  return data as T;
}
