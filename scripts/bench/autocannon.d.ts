// autocannon ships no types: the part of its programmatic API the benchmarks use.
declare module "autocannon" {
  export interface AutocannonClient {
    setHeaders(headers: Record<string, string>): void;
  }
  export interface AutocannonOptions {
    url: string;
    connections?: number;
    duration?: number;
    timeout?: number;
    headers?: Record<string, string>;
    setupClient?: (client: AutocannonClient) => void;
    /** Cycled through per connection; `setupRequest` may rewrite each request before it is sent. */
    requests?: { setupRequest?: (request: AutocannonRequest) => AutocannonRequest }[];
  }
  export interface AutocannonRequest {
    method?: string;
    path: string;
    headers?: Record<string, string>;
  }
  export interface Histogram {
    average: number;
    p50: number;
    p99: number;
    max: number;
  }
  export interface AutocannonResult {
    requests: Histogram & { total: number };
    latency: Histogram;
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    "2xx": number;
    statusCodeStats: Record<string, { count: number }>;
  }
  function autocannon(options: AutocannonOptions): Promise<AutocannonResult>;
  export default autocannon;
}
