/** The part of autocannon's API the benchmark uses (the package ships no types). */
declare module "autocannon" {
  namespace autocannon {
    interface Client {
      setHeaders(headers: Record<string, string> | undefined): void;
    }

    interface Options {
      url: string;
      connections?: number;
      duration?: number;
      timeout?: number;
      headers?: Record<string, string>;
      setupClient?: (client: Client) => void;
      skipAggregateResult?: boolean;
    }

    interface Histogram {
      average: number;
      mean: number;
      stddev: number;
      min: number;
      max: number;
      total: number;
      p50: number;
      p90: number;
      p99: number;
    }

    type StatusCodeStats = Record<string, { count: number }>;

    /** What a run resolves to with `skipAggregateResult`: counters and encoded histograms. */
    interface RawResult {
      totalCompletedRequests: number;
      totalRequests: number;
      duration: number;
      errors: number;
      timeouts: number;
      non2xx: number;
      statusCodeStats: StatusCodeStats;
    }

    interface Result {
      requests: Histogram;
      latency: Histogram;
      throughput: Histogram;
      duration: number;
      errors: number;
      timeouts: number;
      non2xx: number;
      statusCodeStats?: StatusCodeStats;
    }

    function aggregateResult(results: RawResult[], options: Pick<Options, "url" | "connections">): Result;
  }

  function autocannon(options: autocannon.Options & { skipAggregateResult: true }): Promise<autocannon.RawResult>;
  function autocannon(options: autocannon.Options): Promise<autocannon.Result>;
  export default autocannon;
}
