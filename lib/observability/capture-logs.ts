import pino from "pino";
import { logger } from "./logger";

/**
 * Test support: the JSON lines the process logger writes from now on (at `level`), parsed, as
 * the log shipper would see them. `restore()` puts the level and the destination back.
 */
export function captureLogs(level: pino.LevelWithSilent = "debug") {
  const stream = (logger as unknown as Record<symbol, { write: (line: string) => unknown }>)[pino.symbols.streamSym]!;
  const previousLevel = logger.level;
  const write = stream.write;
  const lines: Record<string, unknown>[] = [];
  stream.write = (line: string) => {
    lines.push(JSON.parse(line) as Record<string, unknown>);
    return true;
  };
  logger.level = level;
  return {
    lines,
    restore() {
      stream.write = write;
      logger.level = previousLevel;
    },
  };
}
