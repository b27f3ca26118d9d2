/** Only same-site relative paths are accepted as post-sign-in destinations (no open redirects). */
export function safeReturnPath(value: unknown, fallback = "/dashboard"): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  if (/[\r\n]/.test(value) || value.length > 500) return fallback;
  return value;
}
