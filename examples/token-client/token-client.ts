/**
 * A small OAuth2 client_credentials token client for machine users of an m2m-access API.
 *
 * Copy this file into your project (Node.js 20+, no dependencies). It:
 * - asks the token endpoint for an access token with HTTP Basic client authentication;
 * - caches the token until `refreshMarginSeconds` (5 minutes: the API's authorizer cache TTL) before
 *   `expires_in` runs out (Cognito bills every token request);
 * - makes one token request however many callers ask at once;
 * - retries 5xx, 429 and network failures a bounded number of times with exponential backoff;
 * - turns `invalid_client` and `invalid_scope` into errors you can catch by class.
 *
 * ```ts
 * const tokens = new TokenClient({ tokenUrl, clientId, clientSecret, scopes: ["orders/read"] });
 * const response = await fetch(`${apiBaseUrl}/orders`, { headers: { authorization: await tokens.authorizationHeader() } });
 * if (response.status === 401) tokens.invalidate(); // then retry once with a fresh token
 * ```
 */

/** The API's default authorizer cache TTL: a token is replaced at least that long before it expires. */
export const DEFAULT_REFRESH_MARGIN_SECONDS = 300;

/** Settings of a {@link TokenClient}. */
export interface TokenClientOptions {
  /** The token endpoint, `https://<domain>.auth.<region>.amazoncognito.com/oauth2/token`. */
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /**
   * Scopes to ask for, such as `["orders/read"]`.
   * @default - every scope the client is allowed (the token endpoint's default)
   */
  readonly scopes?: readonly string[];
  /**
   * Seconds before expiry at which a cached token is replaced. The API's authorizer caches its answer
   * for a token from the token's first use, for the authorizer cache TTL (`npm run credentials`
   * prints it as "token refresh"), so a token first used later than that before its expiry would be
   * honoured past it: a margin of at least the TTL means that never happens. Never more than half
   * the token's lifetime.
   * @default 300 (the API's default authorizer cache TTL)
   */
  readonly refreshMarginSeconds?: number;
  /**
   * Token requests per `getToken()` at most, the first included.
   * @default 4
   */
  readonly maxAttempts?: number;
  /**
   * Backoff before the second attempt; it doubles for each further one (with jitter).
   * @default 200
   */
  readonly initialBackoffMs?: number;
  /**
   * Longest wait for one token response.
   * @default 10_000
   */
  readonly requestTimeoutMs?: number;
  /** Milliseconds since the epoch. @default Date.now */
  readonly now?: () => number;
  /** Waits between attempts. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/** The token endpoint answered with an OAuth2 error (RFC 6749 section 5.2). */
export class OAuthError extends Error {
  constructor(
    /** The OAuth2 error code, such as `invalid_client`. */
    readonly code: string,
    /** HTTP status of the answer. */
    readonly status: number,
    /** `error_description`, when the endpoint sent one. */
    readonly description?: string,
  ) {
    super(`token endpoint answered ${status} ${code}${description ? `: ${description}` : ""}`);
    this.name = "OAuthError";
  }
}

/** Wrong client id or secret, or a deleted app client: check the credentials (a rotated secret?). */
export class InvalidClientError extends OAuthError {
  constructor(status: number, description?: string) {
    super("invalid_client", status, description);
    this.name = "InvalidClientError";
  }
}

/** A requested scope the client may not have: ask only for the scopes you were given. */
export class InvalidScopeError extends OAuthError {
  constructor(status: number, description?: string) {
    super("invalid_scope", status, description);
    this.name = "InvalidScopeError";
  }
}

/** The token endpoint failed (5xx, 429, network) on every attempt, or answered something unreadable. */
export class TokenEndpointError extends Error {
  constructor(
    message: string,
    /** HTTP status of the last answer; undefined when there was none (network, timeout). */
    readonly status: number | undefined,
    /** Token requests made. */
    readonly attempts: number,
  ) {
    super(message);
    this.name = "TokenEndpointError";
  }
}

interface CachedToken {
  readonly accessToken: string;
  /** When to stop handing the token out, in ms since the epoch (expiry minus the margin). */
  readonly refreshAt: number;
}

/** Failures worth another attempt: the endpoint, or the way to it, is having a bad moment. */
function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 429;
}

/** Access tokens for one client, cached and shared by every caller. */
export class TokenClient {
  private cached: CachedToken | undefined;
  private inFlight: Promise<CachedToken> | undefined;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: TokenClientOptions) {
    if (!options.tokenUrl || !options.clientId || !options.clientSecret) {
      throw new TypeError("TokenClient needs tokenUrl, clientId and clientSecret");
    }
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.fetchImpl = options.fetch ?? globalThis.fetch;
  }

  /** A valid access token: the cached one, or a new one (one request for all concurrent callers). */
  async getToken(): Promise<string> {
    const cached = this.cached;
    if (cached && this.now() < cached.refreshAt) return cached.accessToken;
    if (!this.inFlight) {
      this.inFlight = this.requestToken().finally(() => {
        this.inFlight = undefined;
      });
    }
    const fresh = await this.inFlight;
    this.cached = fresh;
    return fresh.accessToken;
  }

  /** `Bearer <token>`, for the `Authorization` header of API requests. */
  async authorizationHeader(): Promise<string> {
    return `Bearer ${await this.getToken()}`;
  }

  /** Drops the cached token, e.g. after the API answered 401; the next call fetches a new one. */
  invalidate(): void {
    this.cached = undefined;
  }

  private async requestToken(): Promise<CachedToken> {
    const maxAttempts = Math.max(1, this.options.maxAttempts ?? 4);
    const initialBackoffMs = this.options.initialBackoffMs ?? 200;
    let lastFailure = "";
    let lastStatus: number | undefined;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (attempt > 1) {
        // Exponential backoff with jitter, so many clients recovering together do not stampede.
        const ceiling = initialBackoffMs * 2 ** (attempt - 2);
        await this.sleep(ceiling / 2 + Math.random() * (ceiling / 2));
      }
      let response: Response;
      try {
        response = await this.fetchImpl(this.options.tokenUrl, {
          method: "POST",
          headers: {
            authorization: `Basic ${Buffer.from(`${this.options.clientId}:${this.options.clientSecret}`).toString("base64")}`,
            "content-type": "application/x-www-form-urlencoded",
            accept: "application/json",
          },
          body: this.requestBody(),
          signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 10_000),
        });
      } catch (error) {
        lastStatus = undefined;
        lastFailure = error instanceof Error ? error.message : String(error);
        continue;
      }
      if (response.ok) return this.readToken(response, attempt);
      if (!isRetryableStatus(response.status)) throw await this.oauthError(response);
      lastStatus = response.status;
      lastFailure = `HTTP ${response.status}`;
      // Drain the body so the connection can be reused.
      await response.arrayBuffer().catch(() => undefined);
    }
    throw new TokenEndpointError(
      `token endpoint failed ${maxAttempts} time(s), last: ${lastFailure}`,
      lastStatus,
      maxAttempts,
    );
  }

  private requestBody(): string {
    const form = new URLSearchParams({ grant_type: "client_credentials" });
    if (this.options.scopes && this.options.scopes.length > 0) form.set("scope", this.options.scopes.join(" "));
    return form.toString();
  }

  private async readToken(response: Response, attempts: number): Promise<CachedToken> {
    const body = (await response.json().catch(() => undefined)) as
      { access_token?: unknown; expires_in?: unknown } | undefined;
    const accessToken = body?.access_token;
    const expiresIn = Number(body?.expires_in);
    if (typeof accessToken !== "string" || accessToken === "" || !Number.isFinite(expiresIn) || expiresIn <= 0) {
      throw new TokenEndpointError(
        "token endpoint answered 200 without access_token and expires_in",
        response.status,
        attempts,
      );
    }
    const marginSeconds = Math.min(this.options.refreshMarginSeconds ?? DEFAULT_REFRESH_MARGIN_SECONDS, expiresIn / 2);
    return { accessToken, refreshAt: this.now() + (expiresIn - marginSeconds) * 1000 };
  }

  private async oauthError(response: Response): Promise<OAuthError> {
    const body = (await response.json().catch(() => undefined)) as
      { error?: unknown; error_description?: unknown } | undefined;
    const code = typeof body?.error === "string" ? body.error : `http_${response.status}`;
    const description = typeof body?.error_description === "string" ? body.error_description : undefined;
    if (code === "invalid_client") return new InvalidClientError(response.status, description);
    if (code === "invalid_scope") return new InvalidScopeError(response.status, description);
    return new OAuthError(code, response.status, description);
  }
}
