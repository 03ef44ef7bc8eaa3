import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { BEHAVIOR_CORE_OPTIONS } from '../behavior-core.tokens.js';
import type { BehaviorCoreOptions } from '../contracts/behavior-core-options.js';
import { DomainError, type Principal } from '@lssm/nest-common';
import { TokenBucketRateLimiter } from './token-bucket.rate-limiter.js';

/** 429 with Retry-After once an API key spends its burst faster than the configured rate. */
@Injectable()
export class ApiKeyRateLimitGuard implements CanActivate {
  private readonly limiter: TokenBucketRateLimiter | null;

  constructor(@Inject(BEHAVIOR_CORE_OPTIONS) options: BehaviorCoreOptions) {
    const { enabled, requestsPerSecond, burst } = options.settings.ingestion.rateLimit;
    this.limiter = enabled ? new TokenBucketRateLimiter(requestsPerSecond, burst) : null;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.limiter) return true;
    const principal = context.switchToHttp().getRequest().principal as Principal | undefined;
    if (principal?.kind !== 'tenant') return true;
    const decision = this.limiter.take(principal.keyId);
    if (decision.allowed) return true;
    throw new DomainError({
      status: 429,
      message: `Rate limit exceeded for this API key; retry in ${decision.retryAfterSeconds} s`,
      code: 'rate_limited',
      retryAfterSeconds: decision.retryAfterSeconds,
    });
  }
}
