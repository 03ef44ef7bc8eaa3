export interface RateLimitDecision {
  readonly allowed: boolean;
  /** Seconds until one more request would be allowed. */
  readonly retryAfterSeconds: number;
}

/** One token bucket per API key, refilled continuously; memory bounded by key count. */
export class TokenBucketRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updated: number }>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  take(key: string, cost = 1): RateLimitDecision {
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size > 100_000) this.buckets.clear();
      bucket = { tokens: this.burst, updated: now };
      this.buckets.set(key, bucket);
    }
    bucket.tokens = Math.min(
      this.burst,
      bucket.tokens + ((now - bucket.updated) / 1000) * this.ratePerSecond,
    );
    bucket.updated = now;
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      return { allowed: true, retryAfterSeconds: 0 };
    }
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil((cost - bucket.tokens) / this.ratePerSecond)),
    };
  }
}
