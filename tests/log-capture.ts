import pino from "pino";
import { vi } from "vitest";
import { logger } from "@/lib/observability";

/**
 * Captures everything the app logs from now on: pino lines at every level (the stream is
 * swapped, the logger's own serializers and redaction still run) plus anything written
 * through console (libraries such as the Inngest SDK). `restore()` puts things back.
 */
export function captureLogs() {
  const lines: string[] = [];
  const target = logger as unknown as Record<symbol, unknown>;
  const stream = target[pino.symbols.streamSym];
  const level = logger.level;
  target[pino.symbols.streamSym] = { write: (line: string) => void lines.push(line) };
  logger.level = "trace";
  const spies = (["log", "info", "warn", "error", "debug"] as const).map((method) =>
    vi
      .spyOn(console, method)
      .mockImplementation(
        (...args: unknown[]) =>
          void lines.push(
            args
              .map((a) =>
                a instanceof Error ? `${a.message}\n${a.stack}` : typeof a === "string" ? a : JSON.stringify(a),
              )
              .join(" "),
          ),
      ),
  );
  return {
    lines,
    text: () => lines.join("\n"),
    restore() {
      target[pino.symbols.streamSym] = stream;
      logger.level = level;
      for (const spy of spies) spy.mockRestore();
    },
  };
}
