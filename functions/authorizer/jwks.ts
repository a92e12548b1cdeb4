/**
 * Where the authorizer gets Cognito's signing keys: the library's own `SimpleJwksCache`, which fetches
 * the JWKS on first use (once per cold start) and again only for a `kid` it has not seen, with its
 * penalty box limiting how often an unknown `kid` can trigger a fetch.
 *
 * One addition: after a failed fetch, further fetches fail immediately for a short back-off. The library
 * only backs off after a fetch that succeeded without the wanted key; while the endpoint is down every
 * cold request would otherwise wait out the fetch time-outs and its retry, and a burst of them would pile
 * up concurrent executions. Warm instances that already hold the keys are not affected at all.
 */
import { FetchError } from "aws-jwt-verify/error";
import { SimpleFetcher, type Fetcher } from "aws-jwt-verify/https";
import { SimpleJwksCache } from "aws-jwt-verify/jwk";

/** Wraps a fetcher so that, per URI, a failure blocks further attempts for `backoffMs`. */
export class FailFastFetcher implements Fetcher {
  private readonly failedUntil = new Map<string, number>();

  constructor(
    readonly inner: Fetcher = new SimpleFetcher(),
    private readonly backoffMs = 5_000,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Forgets every failure, so the next fetch is attempted at once. The authorizer calls it after a
   * failed prefetch, on the fetcher of any `SimpleJwksCache` it is given.
   */
  forgetFailures(): void {
    this.failedUntil.clear();
  }

  async fetch(uri: string, requestOptions?: Record<string, unknown>, data?: ArrayBuffer): Promise<ArrayBuffer> {
    const retryAt = this.failedUntil.get(uri);
    // Refused with the library's own fetch error, so that it is a 500 like any other failed fetch.
    if (retryAt !== undefined && this.now() < retryAt) {
      throw new FetchError(uri, "JWKS fetch failed recently; not retrying yet");
    }
    try {
      const body = await this.inner.fetch(uri, requestOptions, data);
      this.failedUntil.delete(uri);
      return body;
    } catch (err) {
      this.failedUntil.set(uri, this.now() + this.backoffMs);
      throw err;
    }
  }
}

/**
 * Time-outs of the JWKS fetch, in ms. Cognito answers in tens of milliseconds; the library's defaults
 * (1.5 s idle, 3 s response, one immediate retry) could spend about 6 s, beyond the function's 5 s
 * time-out, and a timed-out invocation never records the failure for the back-off. These keep the worst
 * case (retry included) near 3 s.
 */
export const JWKS_FETCH_TIMEOUTS = { timeout: 1_000, responseTimeout: 1_500 } as const;

/**
 * The JWKS cache the authorizer uses. Production passes no argument (HTTPS to Cognito); tests pass a
 * fetcher that serves the same request from a local server. Nothing in the environment can redirect it.
 */
export function createJwksCache(
  fetcher: Fetcher = new SimpleFetcher({ defaultRequestOptions: { ...JWKS_FETCH_TIMEOUTS } }),
): SimpleJwksCache {
  return new SimpleJwksCache({ fetcher: new FailFastFetcher(fetcher) });
}
