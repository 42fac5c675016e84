import { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { ClientError, ErrorCode } from '../graphql/errors';

/**
 * Failed authentications per client address (`req.ip`) and window, against key guessing: once
 * an address has failed `limit` times in a window, every request from it that carries
 * credentials is refused with AUTH_RATE_LIMITED until the window ends, a valid key included, and
 * before the credential is even checked (so the refusal tells nothing about it). Requests
 * without credentials keep their own budget. Kept where the rate budgets are (Redis or memory).
 */
export class AuthFailureLimit {
  constructor(
    private readonly limiter: RateLimiterAbstract,
    readonly config: { limit: number; windowSeconds: number },
  ) {}

  /** Seconds until the address may authenticate again; null when it may now. */
  async blockedFor(ip: string): Promise<number | null> {
    const res = await this.limiter.get(ip);
    if (!res || res.consumedPoints < this.config.limit) return null;
    return retryAfter(res);
  }

  /** Counts a failed authentication of the address. */
  async failed(ip: string): Promise<void> {
    try {
      await this.limiter.consume(ip, 1);
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
    }
  }
}

function retryAfter(res: RateLimiterRes): number {
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}

/**
 * The client address failed to authenticate too often in the current window: HTTP 429 with
 * `Retry-After`, in seconds until the window ends.
 */
export class AuthRateLimitedError extends ClientError {
  constructor(limit: number, windowSeconds: number, retryAfterSeconds: number) {
    super(
      ErrorCode.AUTH_RATE_LIMITED,
      `Too many failed authentications from this address (${limit} per ${windowSeconds} s); ` +
        `requests with credentials are refused for ${retryAfterSeconds} s.`,
      {
        limit,
        windowSeconds,
        retryAfter: retryAfterSeconds,
        http: { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds)]]) },
      },
    );
  }
}
