import { createHash } from "node:crypto";
import { createClient } from "redis";

type Arg = string | number | null | undefined;

function connectClient(url: string, connectTimeoutMs: number) {
  return createClient({
    url,
    // Commands fail at once while disconnected instead of queueing: the limiter fails open fast.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: connectTimeoutMs,
      reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 5_000),
    },
  });
}
type Client = ReturnType<typeof connectClient>;

/**
 * The part of `@upstash/redis` that `@upstash/ratelimit` calls, served by node-redis over TCP.
 * - Redis 7.0 rejects the `#!lua flags=allow-key-locking` shebang: it is stripped before loading.
 * - The library calls EVALSHA with the hash of the unstripped script; that hash is mapped to the
 *   stripped script's sha, and an unknown hash answers NOSCRIPT so the library sends the script.
 * - node-redis wants string arguments: numbers and null are converted.
 */
export class NodeRedisAdapter {
  private readonly shas = new Map<string, string>();
  private connecting: Promise<unknown> | undefined;

  constructor(
    readonly client: Client,
    private readonly connectTimeoutMs = 1_000,
  ) {}

  static fromUrl(url: string, options: { connectTimeoutMs?: number; onError?: (err: unknown) => void } = {}) {
    const connectTimeoutMs = options.connectTimeoutMs ?? 1_000;
    const client = connectClient(url, connectTimeoutMs);
    client.on("error", (err: unknown) => options.onError?.(err));
    return new NodeRedisAdapter(client, connectTimeoutMs);
  }

  private async ready() {
    if (this.client.isReady) return;
    this.connecting ??= this.client.connect().catch(() => undefined);
    await Promise.race([this.connecting, new Promise((resolve) => setTimeout(resolve, this.connectTimeoutMs).unref())]);
  }

  async evalsha<T>(hash: string, keys: string[], args: Arg[]): Promise<T> {
    const sha = this.shas.get(hash);
    if (!sha) throw new Error("NOSCRIPT No matching script (adapter has not loaded it yet)");
    await this.ready();
    try {
      return (await this.client.evalSha(sha, { keys, arguments: args.map(toArg) })) as T;
    } catch (error) {
      // Redis restarted or flushed its script cache: load it again through eval().
      if (`${error}`.includes("NOSCRIPT")) this.shas.delete(hash);
      throw error;
    }
  }

  async eval<T>(script: string, keys: string[], args: Arg[]): Promise<T> {
    await this.ready();
    const body = script.replace(/^#!lua[^\n]*\n/, "");
    const result = (await this.client.eval(body, { keys, arguments: args.map(toArg) })) as T;
    this.shas.set(sha1(script), sha1(body));
    return result;
  }

  async get<T>(key: string): Promise<T | null> {
    await this.ready();
    return (await this.client.get(key)) as T | null;
  }

  async set(key: string, value: Arg): Promise<string | null> {
    await this.ready();
    return (await this.client.set(key, toArg(value))) as string | null;
  }

  async close() {
    if (this.client.isOpen || this.connecting) this.client.destroy();
  }
}

function toArg(value: Arg): string {
  return value === null || value === undefined ? "" : String(value);
}

function sha1(text: string) {
  return createHash("sha1").update(text).digest("hex");
}
