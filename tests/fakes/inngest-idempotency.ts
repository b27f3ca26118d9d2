import type { InngestFunction } from "inngest";

/**
 * What the Inngest server does with a function's `idempotency` option, for tests: the CEL key
 * expression is evaluated against each event, and an event whose key was already seen (within
 * 24 h) starts no run. Only the CEL that keys are written in is understood — member access,
 * `has()`, `cond ? a : b`, `+` and string literals; anything else throws, so a key this fake
 * cannot read fails the test instead of passing it. A missing field throws like CEL's
 * `no such key`.
 */
type Value = unknown;
type SentEvent = { name: string; id?: string; data?: Record<string, unknown> };

class Parser {
  private pos = 0;
  constructor(private readonly src: string) {}

  parse(): (scope: Record<string, Value>) => Value {
    const node = this.ternary();
    this.space();
    if (this.pos !== this.src.length) throw new Error(`unsupported CEL at ${this.pos}: ${this.src.slice(this.pos)}`);
    return node;
  }

  private space() {
    while (/\s/.test(this.src[this.pos] ?? "")) this.pos++;
  }

  private eat(token: string) {
    this.space();
    if (!this.src.startsWith(token, this.pos)) return false;
    this.pos += token.length;
    return true;
  }

  private ternary(): (s: Record<string, Value>) => Value {
    const cond = this.concat();
    if (!this.eat("?")) return cond;
    const yes = this.ternary();
    if (!this.eat(":")) throw new Error("expected ':'");
    const no = this.ternary();
    return (s) => {
      const c = cond(s);
      if (typeof c !== "boolean") throw new Error("ternary condition is not a bool");
      return c ? yes(s) : no(s);
    };
  }

  private concat(): (s: Record<string, Value>) => Value {
    const parts = [this.primary()];
    while (this.eat("+")) parts.push(this.primary());
    if (parts.length === 1) return parts[0]!;
    return (s) => {
      const values = parts.map((p) => p(s));
      if (!values.every((v) => typeof v === "string")) throw new Error("'+' on non-strings");
      return values.join("");
    };
  }

  private primary(): (s: Record<string, Value>) => Value {
    if (this.eat("(")) {
      const inner = this.ternary();
      if (!this.eat(")")) throw new Error("expected ')'");
      return inner;
    }
    if (this.eat('"')) {
      const end = this.src.indexOf('"', this.pos);
      const text = this.src.slice(this.pos, end);
      this.pos = end + 1;
      return () => text;
    }
    if (this.eat("has(")) {
      const path = this.path();
      if (!this.eat(")")) throw new Error("expected ')'");
      return (s) => {
        const parent = resolve(s, path.slice(0, -1));
        return typeof parent === "object" && parent !== null && Object.hasOwn(parent, path.at(-1)!);
      };
    }
    const path = this.path();
    return (s) => resolve(s, path);
  }

  private path(): string[] {
    this.space();
    const match = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(this.src.slice(this.pos));
    if (!match) throw new Error(`unsupported CEL at ${this.pos}: ${this.src.slice(this.pos)}`);
    this.pos += match[0].length;
    return match[0].split(".");
  }
}

function resolve(scope: Record<string, Value>, path: string[]): Value {
  let value: Value = scope;
  for (const key of path) {
    if (typeof value !== "object" || value === null || !Object.hasOwn(value, key))
      throw new Error(`no such key: ${path.join(".")}`);
    value = (value as Record<string, Value>)[key];
  }
  return value;
}

/** The idempotency key Inngest computes for `event` under `fn`, or null when it has none. */
export function idempotencyKeyOf(fn: InngestFunction.Any, event: SentEvent): string | null {
  const expression = (fn.opts as { idempotency?: string }).idempotency;
  if (!expression) return null;
  return JSON.stringify(new Parser(expression).parse()({ event: { name: event.name, data: event.data ?? {} } }));
}

/** Whether Inngest starts a run of `fn` for `next` after it ran for `first` (within 24 h). */
export function startsAnotherRun(fn: InngestFunction.Any, first: SentEvent, next: SentEvent) {
  const key = idempotencyKeyOf(fn, next);
  return key === null || key !== idempotencyKeyOf(fn, first);
}
