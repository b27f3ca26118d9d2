/** One metered API call over HTTP: the status (0 when the connection broke) and the headers we check. */
export async function apiSearch(baseUrl: string, key: string, headers: Record<string, string> = {}) {
  try {
    const res = await fetch(`${baseUrl}/api/v1/opportunities?q=roof&limit=5`, {
      headers: { authorization: `Bearer ${key}`, ...headers },
    });
    await res.arrayBuffer();
    return {
      status: res.status,
      quotaRemaining: res.headers.get("x-quota-remaining"),
      rateLimitRemaining: res.headers.get("ratelimit-remaining"),
    };
  } catch {
    return { status: 0, quotaRemaining: null, rateLimitRemaining: null };
  }
}

export type ApiAnswer = Awaited<ReturnType<typeof apiSearch>>;
