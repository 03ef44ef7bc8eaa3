import { Inject, Injectable } from '@nestjs/common';
import type { OverlayPublicKey } from '../contracts/key-resolver.js';
import { mergeOverlays } from '../engine/merge-overlays.js';
import type { BaseSpec, OverlayApplyResult } from '../engine/overlay-engine.types.js';
import { signOverlay } from '../signing/sign-overlay.js';
import type { OverlayVerificationResult, SignedOverlay } from '../signing/overlay-signature.types.js';
import { verifyOverlay } from '../signing/verify-overlay.js';
import type { OverlayScope, OverlaySpec } from '../spec/overlay.types.js';
import { validateOverlay } from '../spec/validate-overlay.js';
import { BaseSpecRepository } from './base-spec.repository.js';
import { validateBaseSpec } from './base-spec.validator.js';
import type { KeyEncryption } from './key-encryption.js';
import { OverlayAuditRepository } from './overlay-audit.repository.js';
import { conflict, isUniqueViolation, notFound, unprocessable } from '@lssm/nest-common';
import { OVERLAY_KEY_ENCRYPTION } from './overlay-nest.tokens.js';
import type { OverlayDto, CreateOverlayDto, UpdateOverlayDto, OverlayScopeDto } from './overlay.dto.js';
import { OverlayRepository, type OverlayRecord, type OverlayStatus } from './overlay.repository.js';
import type {
  ApplyRequestDto,
  AuditPageDto,
  AuditQueryDto,
  MergedFieldDto,
  ResolveQueryDto,
  ResolveResultDto,
} from './overlay-runtime.dto.js';
import { SigningKeyRepository } from './signing-key.repository.js';
import { TenantOverlayRegistryCache } from './tenant-overlay-registry.cache.js';

// Static routes under /api/overlays; an overlay with one of these ids could not be addressed.
const RESERVED_IDS = new Set(['keys', 'audit', 'resolve', 'apply', 'verify', 'signed', 'base-specs']);

export type VerifyOutcome = OverlayVerificationResult | { valid: false; reason: 'tenant_mismatch' };

@Injectable()
export class OverlaysService {
  constructor(
    private readonly overlays: OverlayRepository,
    private readonly keys: SigningKeyRepository,
    private readonly baseSpecs: BaseSpecRepository,
    private readonly auditLog: OverlayAuditRepository,
    private readonly registries: TenantOverlayRegistryCache,
    @Inject(OVERLAY_KEY_ENCRYPTION) private readonly encryption: KeyEncryption,
  ) {}

  // ---- drafts ---------------------------------------------------------------------------------

  /** A new version: version 1, or the newest + 1 once the newest is signed or archived. */
  async createDraft(tenantId: string, body: CreateOverlayDto): Promise<OverlayDto> {
    if (RESERVED_IDS.has(body.overlayId)) {
      throw unprocessable('reserved_overlay_id', `"${body.overlayId}" is reserved`);
    }
    const latest = await this.overlays.find(tenantId, body.overlayId);
    if (latest?.status === 'draft') {
      throw conflict(
        'draft_exists',
        `Overlay ${body.overlayId} already has draft version ${latest.version}; update it with PUT`,
      );
    }
    const spec = checkedSpec({
      overlayId: body.overlayId,
      version: (latest?.version ?? 0) + 1,
      tenantId,
      capability: body.capability,
      scope: cleanScope(body.scope),
      operations: body.operations as unknown as OverlaySpec['operations'],
      ...(body.metadata !== undefined && { metadata: body.metadata as OverlaySpec['metadata'] }),
    });
    try {
      return toDto(await this.overlays.insertDraft(spec));
    } catch (error) {
      // A concurrent create took the version (or opened a draft) first.
      if (isUniqueViolation(error))
        throw conflict('version_conflict', `Overlay ${spec.overlayId} changed meanwhile`);
      throw error;
    }
  }

  /** Only the draft (newest version) changes; signed versions are immutable. */
  async updateDraft(tenantId: string, overlayId: string, body: UpdateOverlayDto): Promise<OverlayDto> {
    const latest = await this.overlays.find(tenantId, overlayId);
    if (!latest) throw notFound('overlay_not_found', `Overlay ${overlayId} not found`);
    if (latest.status !== 'draft') throw notADraft(latest);
    const spec = checkedSpec({
      overlayId,
      version: latest.version,
      tenantId,
      capability: body.capability ?? latest.capability,
      scope: body.scope !== undefined ? cleanScope(body.scope) : latest.scope,
      operations: body.operations as unknown as OverlaySpec['operations'],
      ...((body.metadata ?? latest.spec.metadata) !== undefined && {
        metadata: (body.metadata ?? latest.spec.metadata) as OverlaySpec['metadata'],
      }),
    });
    const updated = await this.overlays.updateDraft(spec);
    if (!updated) throw notADraft(latest);
    return toDto(updated);
  }

  async get(tenantId: string, overlayId: string, version?: number): Promise<OverlayDto> {
    const record = await this.overlays.find(tenantId, overlayId, version);
    if (!record) {
      throw notFound(
        'overlay_not_found',
        `Overlay ${overlayId}${version === undefined ? '' : ` version ${version}`} not found`,
      );
    }
    return toDto(record);
  }

  async list(
    tenantId: string,
    filter: {
      overlayId?: string;
      capability?: string;
      status?: OverlayStatus;
      limit?: number;
      offset?: number;
    },
  ) {
    const limit = filter.limit ?? 50;
    const offset = filter.offset ?? 0;
    const { items, total } = await this.overlays.list(tenantId, { ...filter, limit, offset });
    return { items: items.map(toDto), total, limit, offset };
  }

  async archive(tenantId: string, overlayId: string): Promise<{ overlayId: string; archived: number }> {
    const archived = await this.overlays.archive(tenantId, overlayId);
    if (archived === 0 && !(await this.overlays.find(tenantId, overlayId))) {
      throw notFound('overlay_not_found', `Overlay ${overlayId} not found`);
    }
    this.registries.invalidate(tenantId);
    return { overlayId, archived };
  }

  // ---- signing --------------------------------------------------------------------------------

  async sign(
    tenantId: string,
    overlayId: string,
    options: { keyId?: string; version?: number },
  ): Promise<OverlayDto> {
    const record = await this.overlays.find(tenantId, overlayId, options.version);
    if (!record) throw notFound('overlay_not_found', `Overlay ${overlayId} not found`);
    if (record.status !== 'draft') throw notADraft(record);
    const key = options.keyId
      ? await this.keys.find(tenantId, options.keyId)
      : await this.keys.newestSignable(tenantId);
    if (!key) {
      throw options.keyId
        ? notFound('key_not_found', `Signing key ${options.keyId} not found`)
        : conflict(
            'no_signing_key',
            'The tenant has no active signing key held by the server; create one with POST /api/overlays/keys',
          );
    }
    if (key.revokedAt) throw conflict('key_revoked', `Signing key ${key.keyId} is revoked`);
    if (!key.hasPrivateKey) {
      throw conflict(
        'key_not_signable',
        `The server holds only the public half of ${key.keyId}; sign elsewhere and import with POST /api/overlays/signed`,
      );
    }
    if (!this.encryption.available) {
      throw conflict(
        'key_encryption_unavailable',
        'The server has no key-encryption key (BEHAVIOR_OVERLAY_KEK)',
      );
    }
    const encrypted = await this.keys.privateKeyOf(tenantId, key.keyId);
    if (!encrypted) throw conflict('key_revoked', `Signing key ${key.keyId} is revoked`);
    const signed = signOverlay(record.spec, {
      privateKey: this.encryption.decrypt(encrypted, tenantId, key.keyId),
      keyId: key.keyId,
      algorithm: key.algorithm,
    });
    const updated = await this.overlays.markSigned(tenantId, overlayId, record.version, signed.signature);
    if (!updated) throw notADraft(record);
    this.registries.invalidate(tenantId);
    return toDto(updated);
  }

  /**
   * Verifies against the caller's keys only. A revoked key additionally fails every signature
   * this service did not store before the revocation: `signedAt` is chosen by the signer, so a
   * leaked key could otherwise back-date new signatures (docs/overlays.md, "Signing").
   */
  async verify(tenantId: string, signed: SignedOverlay): Promise<VerifyOutcome> {
    const specTenant = (signed.spec as { tenantId?: unknown } | undefined)?.tenantId;
    if (specTenant !== tenantId) return { valid: false, reason: 'tenant_mismatch' };
    const firstSeen = await this.overlays.signatureFirstSeen(tenantId, String(signed.signature?.value ?? ''));
    return verifyOverlay(signed, async (keyId, context): Promise<OverlayPublicKey | undefined> => {
      if (context.tenantId !== tenantId) return undefined;
      const key = await this.keys.find(tenantId, keyId);
      if (!key) return undefined;
      let revokedAt: Date | null = key.revokedAt;
      if (revokedAt && !(firstSeen && firstSeen < revokedAt)) revokedAt = new Date(0);
      return { publicKey: key.publicKey, algorithm: key.algorithm, revokedAt };
    });
  }

  /** Stores an overlay signed outside the server (keys imported as public keys only). */
  async importSigned(tenantId: string, signed: SignedOverlay): Promise<OverlayDto> {
    const validation = validateOverlay(signed.spec);
    if (!validation.valid) {
      throw unprocessable(
        'invalid_overlay',
        'The overlay spec is invalid',
        validation.errors.map(detail('spec')),
      );
    }
    const verdict = await this.verify(tenantId, signed);
    if (!verdict.valid) {
      throw unprocessable('invalid_signature', `The signature does not verify: ${verdict.reason}`, [
        { path: 'signature', code: verdict.reason ?? 'invalid', message: 'verification failed' },
      ]);
    }
    if (RESERVED_IDS.has(signed.spec.overlayId)) {
      throw unprocessable('reserved_overlay_id', `"${signed.spec.overlayId}" is reserved`);
    }
    try {
      const record = await this.overlays.insertSigned(signed.spec, signed.signature);
      this.registries.invalidate(tenantId);
      return toDto(record);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw conflict(
          'version_exists',
          `Overlay ${signed.spec.overlayId} version ${signed.spec.version} already exists`,
        );
      }
      throw error;
    }
  }

  // ---- runtime --------------------------------------------------------------------------------

  /** The overlays that apply, in application order, and what they set on each field they name. */
  async resolve(tenantId: string, query: ResolveQueryDto): Promise<ResolveResultDto> {
    const context = cleanScope(query);
    const registry = await this.registries.registry(tenantId);
    const overlays = registry.resolve({ tenantId, capability: query.capability, ...context });
    // No base spec is needed to show the merge: a synthetic one with the named fields, and only
    // the properties an overlay set (those with provenance) are reported.
    const names: string[] = [];
    const seen = new Set<string>();
    const add = (name: string) => !seen.has(name) && (seen.add(name), names.push(name));
    for (const overlay of overlays) {
      for (const op of overlay.spec.operations) {
        if (op.type === 'reorderFields') op.fields.forEach(add);
        else add(op.field);
      }
    }
    const merged = mergeOverlays(
      { capability: query.capability, fields: names.map((name) => ({ name, label: name })) },
      overlays,
    );
    const fields: MergedFieldDto[] = merged.spec.fields.map((field) => {
      const provenance = (merged.provenance[field.name] ?? {}) as MergedFieldDto['provenance'];
      const out: MergedFieldDto = { name: field.name, provenance };
      if (provenance.hidden) out.hidden = field.hidden;
      if (provenance.label) out.label = field.label;
      if (provenance.readOnly) out.readOnly = field.readOnly;
      if (provenance.defaultValue) out.defaultValue = field.defaultValue;
      return out;
    });
    return {
      capability: query.capability,
      context,
      overlays: overlays.map((o) => ({
        overlayId: o.overlayId,
        version: o.version,
        keyId: o.keyId!,
        signedAt: o.signedAt!,
        level: o.level,
        specificity: o.specificity,
        spec: o.spec as never,
      })),
      fields,
    };
  }

  /** Applies the caller's overlays to a base spec through the engine, which audits (batched). */
  async apply(tenantId: string, body: ApplyRequestDto): Promise<OverlayApplyResult> {
    let base: unknown = body.baseSpec;
    if (base === undefined) {
      if (!body.capability) {
        throw unprocessable('base_spec_required', 'Send baseSpec, or capability to use the stored base spec');
      }
      const stored = await this.baseSpecs.find(tenantId, body.capability);
      if (!stored) throw notFound('base_spec_not_found', `No base spec stored for ${body.capability}`);
      base = stored.spec;
    }
    const problems = validateBaseSpec(base);
    if (problems.length > 0) throw unprocessable('invalid_base_spec', 'The base spec is invalid', problems);
    const engine = await this.registries.engine(tenantId);
    return engine.apply(base as BaseSpec, { tenantId, ...cleanScope(body.context) });
  }

  async audit(tenantId: string, query: AuditQueryDto): Promise<AuditPageDto> {
    const limit = query.limit ?? 100;
    const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const items = await this.auditLog.page(tenantId, { ...query, limit, cursor });
    const last = items.length === limit ? items[items.length - 1] : undefined;
    return {
      items,
      nextCursor: last
        ? Buffer.from(`${last.appliedAt.toISOString()}|${last.id}`).toString('base64url')
        : null,
    };
  }

  // ---- base specs -----------------------------------------------------------------------------

  async getBaseSpec(tenantId: string, capability: string) {
    const stored = await this.baseSpecs.find(tenantId, capability);
    if (!stored) throw notFound('base_spec_not_found', `No base spec stored for ${capability}`);
    return { capability: stored.capability, spec: stored.spec as never, updatedAt: stored.updatedAt };
  }

  listBaseSpecs(tenantId: string): Promise<string[]> {
    return this.baseSpecs.list(tenantId);
  }

  async putBaseSpec(tenantId: string, capability: string, fields: unknown[]) {
    const spec = { capability, fields };
    const problems = validateBaseSpec(spec);
    if (problems.length > 0) throw unprocessable('invalid_base_spec', 'The base spec is invalid', problems);
    const stored = await this.baseSpecs.upsert(tenantId, spec as BaseSpec);
    return { capability: stored.capability, spec: stored.spec as never, updatedAt: stored.updatedAt };
  }
}

function checkedSpec(spec: OverlaySpec): OverlaySpec {
  const validation = validateOverlay(spec);
  if (!validation.valid) {
    throw unprocessable('invalid_overlay', 'The overlay is invalid', validation.errors.map(detail('')));
  }
  return spec;
}

const detail = (prefix: string) => (e: { path: string; code?: string; message: string }) => ({
  path: `${prefix}${e.path}`,
  code: e.code ?? 'invalid',
  message: e.message,
});

/** DTO instances carry undefined own properties; the signed JSON must not. */
function cleanScope(scope: OverlayScopeDto | OverlayScope | undefined): OverlayScope {
  if (!scope) return {};
  return {
    ...(scope.role !== undefined && { role: scope.role }),
    ...(scope.userId !== undefined && { userId: scope.userId }),
    ...(scope.device !== undefined && { device: scope.device }),
  };
}

function notADraft(record: OverlayRecord) {
  return conflict(
    'not_a_draft',
    `Overlay ${record.overlayId} version ${record.version} is ${record.status}; signed versions never change, create version ${record.version + 1} with POST /api/overlays`,
  );
}

function decodeCursor(cursor: string): { appliedAt: string; id: string } {
  const [appliedAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  // Exactly what nextCursor holds (toISOString and a bigint id), so SQL never sees anything else.
  if (
    !appliedAt ||
    !id ||
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(appliedAt) ||
    Number.isNaN(Date.parse(appliedAt)) ||
    new Date(appliedAt).toISOString() !== appliedAt ||
    !/^\d{1,18}$/.test(id)
  ) {
    throw unprocessable('invalid_cursor', 'cursor is not a value returned by this endpoint');
  }
  return { appliedAt, id };
}

export function toDto(r: OverlayRecord): OverlayDto {
  return {
    overlayId: r.overlayId,
    version: r.version,
    tenantId: r.tenantId,
    capability: r.capability,
    scope: r.scope,
    status: r.status,
    spec: r.spec as never,
    signature: r.signature,
    keyId: r.keyId,
    signedAt: r.signedAt,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}
