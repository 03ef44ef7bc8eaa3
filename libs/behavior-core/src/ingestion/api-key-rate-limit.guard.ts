import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { BEHAVIOR_CORE_OPTIONS } from '../behavior-core.tokens.js';
import type { BehaviorCoreOptions } from '../contracts/behavior-core-options.js';
import { DomainError, type Principal } from '@lssm/nest-common';
import { TokenBucketRateLimiter } from './token-bucket.rate-limiter.js';

/**
 * 429 with Retry-After once an API key spends its burst faster than the configured rate; for a
 * publishable key, also once one client IP spends its own (perClientIp) burst, so one abusive page
 * visitor cannot use up the key every other visitor shares.
 */
@Injectable()
export class ApiKeyRateLimitGuard implements CanActivate {
  private readonly limiter: TokenBucketRateLimiter | null;
  private readonly perClientIp: TokenBucketRateLimiter | null;

  constructor(@Inject(BEHAVIOR_CORE_OPTIONS) options: BehaviorCoreOptions) {
    const { enabled, requestsPerSecond, burst, perClientIp } = options.settings.ingestion.rateLimit;
    this.limiter = enabled ? new TokenBucketRateLimiter(requestsPerSecond, burst) : null;
    this.perClientIp = enabled
      ? new TokenBucketRateLimiter(perClientIp.requestsPerSecond, perClientIp.burst)
      : null;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.limiter || !this.perClientIp) return true;
    const request = context.switchToHttp().getRequest();
    const principal = request.principal as Principal | undefined;
    if (principal?.kind !== 'tenant') return true;
    let decision = this.limiter.take(principal.keyId);
    let who = 'this API key';
    if (decision.allowed && principal.publishable) {
      decision = this.perClientIp.take(`${principal.keyId}|${String(request.ip)}`);
      who = 'this client of the publishable key';
    }
    if (decision.allowed) return true;
    throw new DomainError({
      status: 429,
      message: `Rate limit exceeded for ${who}; retry in ${decision.retryAfterSeconds} s`,
      code: 'rate_limited',
      retryAfterSeconds: decision.retryAfterSeconds,
    });
  }
}
