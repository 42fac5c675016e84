import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import type { Logger } from '../logger';

/** A place that one open subscription holds in its caller's count; given back once. */
export interface SubscriptionPlace {
  release(): void;
}

// Note: the clock of these scripts is Redis's own (TIME), so that instances whose clocks differ
// agree on when a place has lapsed; Redis 7 replicates a script's effects, which allows it.
const NOW_MS = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/** Takes a place if fewer than ARGV[1] are held: KEYS[1] the caller, ARGV[2] ttl, ARGV[3] id. */
const TAKE = `${NOW_MS}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return 1`;

/** Extends the places ARGV[2..] of KEYS[1] that are still held by ARGV[1] ms. */
const RENEW = `${NOW_MS}
local ttl = tonumber(ARGV[1])
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', now + ttl, ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], ttl)
return 0`;

/** How long a place lasts in Redis unless its instance renews it (every third of it). */
export const PLACE_TTL_MS = 60_000;

/**
 * The count of each caller's open subscriptions against `SUBSCRIPTIONS_PER_CALLER`. With Redis
 * (`REDIS_URL`), the count is the deployment's: each place is a member of a sorted set per
 * caller, taken by a script that checks and adds in one step, so that a caller cannot open the
 * cap on every instance, nor pass it with subscriptions racing on two of them. An instance renews
 * the places it holds; those of an instance that died lapse after PLACE_TTL_MS. Without Redis,
 * or while Redis does not answer, each instance counts its own (the cap then holds per
 * instance, as the rate budget falls back to one per process).
 */
export class SubscriptionPlaces {
  /** Places held on this instance, per caller. */
  private readonly here = new Map<string, number>();
  /** The Redis members of the places held on this instance, per caller. */
  private readonly members = new Map<string, Set<string>>();
  private readonly renewal: NodeJS.Timeout | null;

  constructor(
    private readonly cap: number,
    private readonly redis: Redis | null,
    private readonly prefix: string,
    private readonly log: Logger,
    private readonly ttlMs = PLACE_TTL_MS,
  ) {
    this.renewal = redis ? setInterval(() => void this.renew(), ttlMs / 3).unref() : null;
  }

  /** Whether this instance alone holds the caller's cap: a refusal that needs no round trip. */
  full(caller: string): boolean {
    return (this.here.get(caller) ?? 0) >= this.cap;
  }

  /** A place for one more subscription of `caller`, or null when the caller holds the cap. */
  async take(caller: string): Promise<SubscriptionPlace | null> {
    if (this.full(caller)) return null;
    if (!this.redis) return this.hold(caller, null);
    const member = randomUUID();
    try {
      const taken = await this.redis.eval(TAKE, 1, this.key(caller), this.cap, this.ttlMs, member);
      return taken === 1 ? this.hold(caller, member) : null;
    } catch (err) {
      this.log.warn({ err }, 'subscription count (Redis) unavailable: counted on this instance');
      return this.full(caller) ? null : this.hold(caller, null);
    }
  }

  /** Stops renewing; the places still held lapse in Redis by themselves. */
  close(): void {
    if (this.renewal) clearInterval(this.renewal);
  }

  private key(caller: string): string {
    return `${this.prefix}${caller}`;
  }

  private hold(caller: string, member: string | null): SubscriptionPlace {
    this.here.set(caller, (this.here.get(caller) ?? 0) + 1);
    if (member) {
      let set = this.members.get(caller);
      if (!set) this.members.set(caller, (set = new Set()));
      set.add(member);
    }
    let held = true;
    return {
      release: () => {
        if (!held) return;
        held = false;
        const left = (this.here.get(caller) ?? 1) - 1;
        if (left > 0) this.here.set(caller, left);
        else this.here.delete(caller);
        if (!member) return;
        const set = this.members.get(caller);
        set?.delete(member);
        if (set?.size === 0) this.members.delete(caller);
        // Note: a place that Redis does not hear of lapses by itself.
        this.redis?.zrem(this.key(caller), member).catch(() => undefined);
      },
    };
  }

  private async renew(): Promise<void> {
    for (const [caller, set] of this.members) {
      try {
        await this.redis!.eval(RENEW, 1, this.key(caller), this.ttlMs, ...set);
      } catch (err) {
        this.log.warn({ err }, 'subscription count (Redis): places not renewed');
        return;
      }
    }
  }
}
