import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { signOverlay, verifyOverlay, type OverlaySpec, type SignedOverlay } from '@lssm/overlay';
import { createTenantWithKey, startTestApp, type TestApp } from '../../../test/support/test-app';

const CAP = 'billing.createOrder';
const orderForm = {
  capability: CAP,
  fields: [
    { name: 'customer', label: 'Customer', type: 'string' },
    { name: 'amount', label: 'Amount', type: 'number', defaultValue: 0 },
    { name: 'currency', label: 'Currency' },
    { name: 'notes', label: 'Notes' },
  ],
};

describe('overlay service (e2e)', () => {
  let t: TestApp;
  let db: Client;
  let adminA: string;
  let readA: string;
  let ingestA: string;
  let adminB: string;
  const responses: string[] = [];
  // Every response body is kept, to prove no private key ever leaves the server.
  const call = async (method: string, path: string, key?: string, body?: unknown) => {
    const res = await t.request(method, path, { key, body });
    responses.push(typeof res.body === 'string' ? res.body : JSON.stringify(res.body ?? ''));
    return res;
  };
  const draft = (overlayId: string, scope: Record<string, string>, operations: unknown[], key = adminA) =>
    call('POST', '/api/overlays', key, { overlayId, capability: CAP, scope, operations });
  const signed = async (
    overlayId: string,
    scope: Record<string, string>,
    operations: unknown[],
    key = adminA,
  ) => {
    const created = await draft(overlayId, scope, operations, key);
    expect(created.status).toBe(201);
    const res = await call('POST', `/api/overlays/${overlayId}/sign`, key, {});
    expect(res.status).toBe(200);
    return res.body;
  };
  const localKey = (algorithm: 'ed25519' | 'rsa-pss-sha256') => {
    const pair =
      algorithm === 'ed25519'
        ? generateKeyPairSync('ed25519')
        : generateKeyPairSync('rsa', { modulusLength: 2048 });
    return {
      privateKey: pair.privateKey,
      publicPem: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      privatePem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
  };

  beforeAll(async () => {
    t = await startTestApp({
      overrides: { overlays: { keyEncryptionKey: randomBytes(32).toString('base64') } },
    });
    adminA = await createTenantWithKey(t, 'acme', ['admin']);
    readA = await createTenantWithKey(t, 'acme', ['read']);
    ingestA = await createTenantWithKey(t, 'acme', ['ingest']);
    adminB = await createTenantWithKey(t, 'globex', ['admin', 'read']);
    db = new Client({ connectionString: t.database.url });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  describe('auth', () => {
    // Every row has four items: Jest would take a missing fourth argument for `done`.
    const endpoints: [string, string, 'read' | 'admin', unknown][] = [
      ['POST', '/api/overlays', 'admin', {}],
      ['GET', '/api/overlays', 'read', undefined],
      ['GET', '/api/overlays/x', 'read', undefined],
      ['PUT', '/api/overlays/x', 'admin', { operations: [] }],
      ['POST', '/api/overlays/x/sign', 'admin', {}],
      ['POST', '/api/overlays/x/archive', 'admin', undefined],
      ['POST', '/api/overlays/verify', 'read', {}],
      ['POST', '/api/overlays/signed', 'admin', {}],
      ['GET', `/api/overlays/resolve?capability=${CAP}`, 'read', undefined],
      ['POST', '/api/overlays/apply', 'read', {}],
      ['GET', '/api/overlays/audit', 'read', undefined],
      ['GET', '/api/overlays/base-specs', 'read', undefined],
      ['GET', `/api/overlays/base-specs/${CAP}`, 'read', undefined],
      ['PUT', `/api/overlays/base-specs/${CAP}`, 'admin', { fields: [] }],
      ['POST', '/api/overlays/keys', 'admin', { algorithm: 'ed25519' }],
      ['GET', '/api/overlays/keys', 'read', undefined],
      ['POST', '/api/overlays/keys/k/revoke', 'admin', undefined],
    ];

    it.each(endpoints)(
      '%s %s: 401 without or with a bad key, 403 with the wrong scope',
      async (method, path, scope, body) => {
        expect((await call(method, path, undefined, body)).status).toBe(401);
        expect((await call(method, path, 'bk_nope_' + 'x'.repeat(43), body)).status).toBe(401);
        const ingest = await call(method, path, ingestA, body);
        expect(ingest.status).toBe(403);
        expect(ingest.body.code).toBe('insufficient_scope');
        if (scope === 'admin') expect((await call(method, path, readA, body)).status).toBe(403);
        // admin implies read on /api/overlays (the editor runs on one admin key)
        else expect([401, 403]).not.toContain((await call(method, path, adminA, body)).status);
      },
    );

    it('the service admin key (no tenant) is refused', async () => {
      const res = await call('GET', '/api/overlays', 'test-admin-key-0123456789abcdef');
      expect(res.status).toBe(401);
    });
  });

  describe('drafts', () => {
    it('creates version 1 for the caller tenant, refuses a second draft, updates it', async () => {
      const res = await draft('crud', { role: 'clerk' }, [{ type: 'hideField', field: 'notes' }]);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        overlayId: 'crud',
        version: 1,
        tenantId: 'acme',
        status: 'draft',
        scope: { role: 'clerk' },
        signature: null,
      });
      expect(res.body.spec).toEqual({
        overlayId: 'crud',
        version: 1,
        tenantId: 'acme',
        capability: CAP,
        scope: { role: 'clerk' },
        operations: [{ type: 'hideField', field: 'notes' }],
      });
      const again = await draft('crud', {}, [{ type: 'hideField', field: 'notes' }]);
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('draft_exists');

      const updated = await call('PUT', '/api/overlays/crud', adminA, {
        operations: [{ type: 'renameLabel', field: 'amount', label: 'Total' }],
      });
      expect(updated.status).toBe(200);
      expect(updated.body.spec.operations).toEqual([
        { type: 'renameLabel', field: 'amount', label: 'Total' },
      ]);
      expect(updated.body.scope).toEqual({ role: 'clerk' });

      const got = await call('GET', '/api/overlays/crud', readA);
      expect(got.status).toBe(200);
      expect(got.body.spec.operations[0].label).toBe('Total');
      const list = await call('GET', '/api/overlays?status=draft&overlayId=crud', readA);
      expect(list.body.items.map((o: { overlayId: string }) => o.overlayId)).toEqual(['crud']);
      expect(list.body.total).toBe(1);
    });

    it('the tenant comes from the key: a tenantId in the body is rejected', async () => {
      const res = await call('POST', '/api/overlays', adminA, {
        overlayId: 'sneaky',
        tenantId: 'globex',
        capability: CAP,
        operations: [{ type: 'hideField', field: 'notes' }],
      });
      expect(res.status).toBe(400);
    });

    it('reports invalid operations with their path (422)', async () => {
      const res = await draft('bad', {}, [{ type: 'renameLabel', field: 'amount' }]);
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('invalid_overlay');
      expect(res.body.details[0].path).toMatch(/^\/operations\/0/);
      expect((await draft('keys', {}, [{ type: 'hideField', field: 'x' }])).body.code).toBe(
        'reserved_overlay_id',
      );
    });

    it('404 for an unknown overlay', async () => {
      expect((await call('GET', '/api/overlays/nope', readA)).status).toBe(404);
      expect((await call('PUT', '/api/overlays/nope', adminA, { operations: [] })).status).toBe(404);
    });
  });

  describe('keys and signing', () => {
    let edKeyId: string;
    let rsaKeyId: string;
    let importedKeyId: string;
    const imported = localKey('ed25519');

    it('generates ed25519 and rsa-pss-sha256 keys and returns only their public halves', async () => {
      const ed = await call('POST', '/api/overlays/keys', adminA, {
        algorithm: 'ed25519',
        keyId: 'acme-ed-1',
      });
      expect(ed.status).toBe(201);
      expect(ed.body).toMatchObject({
        keyId: 'acme-ed-1',
        algorithm: 'ed25519',
        canSign: true,
        revokedAt: null,
      });
      expect(ed.body.publicKey).toMatch(/^-----BEGIN PUBLIC KEY-----/);
      expect(Object.keys(ed.body).sort()).toEqual([
        'algorithm',
        'canSign',
        'createdAt',
        'keyId',
        'publicKey',
        'revokedAt',
      ]);
      edKeyId = ed.body.keyId;
      const rsa = await call('POST', '/api/overlays/keys', adminA, { algorithm: 'rsa-pss-sha256' });
      expect(rsa.status).toBe(201);
      expect(rsa.body.keyId).toMatch(/^ps-\d{8}-[0-9a-f]{8}$/);
      rsaKeyId = rsa.body.keyId;
      expect(
        (await call('POST', '/api/overlays/keys', adminA, { algorithm: 'ed25519', keyId: 'acme-ed-1' }))
          .status,
      ).toBe(409);
    });

    it('stores private keys encrypted, never as PEM', async () => {
      const { rows } = await db.query(
        "select key_id, private_key_encrypted from overlay_signing_keys where tenant_id = 'acme'",
      );
      expect(rows).toHaveLength(2);
      for (const row of rows) {
        expect(row.private_key_encrypted).toMatch(/^v1\.[0-9a-f]{16}\./);
        expect(row.private_key_encrypted).not.toContain('PRIVATE');
        expect(row.private_key_encrypted).not.toContain('BEGIN');
      }
    });

    it('imports a PEM public key (verify-only) and refuses private keys and mismatched algorithms', async () => {
      const res = await call('POST', '/api/overlays/keys', adminA, {
        algorithm: 'ed25519',
        keyId: 'acme-external',
        publicKey: imported.publicPem,
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ canSign: false, publicKey: imported.publicPem });
      importedKeyId = res.body.keyId;
      const { rows } = await db.query(
        "select private_key_encrypted from overlay_signing_keys where key_id = 'acme-external'",
      );
      expect(rows[0].private_key_encrypted).toBeNull();
      const priv = await call('POST', '/api/overlays/keys', adminA, {
        algorithm: 'ed25519',
        publicKey: imported.privatePem,
      });
      expect(priv.status).toBe(422);
      expect(priv.body.code).toBe('private_key_not_accepted');
      const mismatch = await call('POST', '/api/overlays/keys', adminA, {
        algorithm: 'rsa-pss-sha256',
        publicKey: imported.publicPem,
      });
      expect(mismatch.body.code).toBe('algorithm_mismatch');
      expect(
        (await call('POST', '/api/overlays/keys', adminA, { algorithm: 'ed25519', publicKey: 'junk' })).body
          .code,
      ).toBe('invalid_public_key');
      const list = await call('GET', '/api/overlays/keys', readA);
      expect(list.body.map((k: { keyId: string }) => k.keyId).sort()).toEqual(
        [edKeyId, rsaKeyId, importedKeyId].sort(),
      );
    });

    it('signs a draft with the newest server key, or a chosen one; the signature verifies with the listed public key', async () => {
      await draft('to-sign', {}, [{ type: 'hideField', field: 'notes' }]);
      const res = await call('POST', '/api/overlays/to-sign/sign', adminA, { keyId: rsaKeyId });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'signed', keyId: rsaKeyId });
      expect(res.body.signature.algorithm).toBe('rsa-pss-sha256');
      const keys = (await call('GET', '/api/overlays/keys', readA)).body as {
        keyId: string;
        publicKey: string;
        algorithm: 'ed25519';
      }[];
      const verdict = await verifyOverlay({ spec: res.body.spec, signature: res.body.signature }, (id) =>
        keys.find((k) => k.keyId === id),
      );
      expect(verdict).toEqual({ valid: true });

      // signed versions never change; a new version is a new draft
      const update = await call('PUT', '/api/overlays/to-sign', adminA, {
        operations: [{ type: 'showField', field: 'notes' }],
      });
      expect(update.status).toBe(409);
      expect(update.body.code).toBe('not_a_draft');
      expect((await call('POST', '/api/overlays/to-sign/sign', adminA, {})).body.code).toBe('not_a_draft');
      const v2 = await draft('to-sign', {}, [{ type: 'showField', field: 'notes' }]);
      expect(v2.body.version).toBe(2);
      const signedV2 = await call('POST', '/api/overlays/to-sign/sign', adminA, {});
      expect(signedV2.body.keyId).toBe(rsaKeyId); // the newest signable key (created after acme-ed-1)
    });

    it('refuses to sign with a verify-only, unknown or revoked key', async () => {
      await draft('unsignable', {}, [{ type: 'hideField', field: 'notes' }]);
      expect(
        (await call('POST', '/api/overlays/unsignable/sign', adminA, { keyId: importedKeyId })).body.code,
      ).toBe('key_not_signable');
      expect((await call('POST', '/api/overlays/unsignable/sign', adminA, { keyId: 'nope' })).status).toBe(
        404,
      );
      const k = await call('POST', '/api/overlays/keys', adminA, {
        algorithm: 'ed25519',
        keyId: 'short-lived',
      });
      expect(k.status).toBe(201);
      const revoked = await call('POST', '/api/overlays/keys/short-lived/revoke', adminA, {});
      expect(revoked.status).toBe(200);
      expect(revoked.body).toMatchObject({ canSign: false });
      expect(revoked.body.revokedAt).not.toBeNull();
      const { rows } = await db.query(
        "select private_key_encrypted from overlay_signing_keys where key_id = 'short-lived'",
      );
      expect(rows[0].private_key_encrypted).toBeNull(); // destroyed on revocation
      expect(
        (await call('POST', '/api/overlays/unsignable/sign', adminA, { keyId: 'short-lived' })).body.code,
      ).toBe('key_revoked');
      const future = await call('POST', '/api/overlays/keys/short-lived/revoke', adminA, {
        revokedAt: new Date(Date.now() + 3_600_000).toISOString(),
      });
      expect(future.status).toBe(422);
      expect((await call('POST', '/api/overlays/keys/nope/revoke', adminA, {})).status).toBe(404);
    });

    it('verifies: valid, tampered, unknown key, revoked key', async () => {
      const one = await signed('verify-me', { device: 'kiosk' }, [{ type: 'hideField', field: 'amount' }]);
      const envelope = { spec: one.spec, signature: one.signature };
      expect((await call('POST', '/api/overlays/verify', readA, envelope)).body).toEqual({ valid: true });
      const tampered = {
        ...envelope,
        spec: { ...envelope.spec, operations: [{ type: 'hideField', field: 'customer' }] },
      };
      expect((await call('POST', '/api/overlays/verify', readA, tampered)).body).toEqual({
        valid: false,
        reason: 'tampered',
      });
      const unknown = { ...envelope, signature: { ...envelope.signature, keyId: 'ghost' } };
      expect((await call('POST', '/api/overlays/verify', readA, unknown)).body.reason).toBe('unknown_key');

      // Signed elsewhere with an imported key, then the key is revoked: the service never saw
      // this signature before the revocation, so it is refused even though signedAt is earlier.
      const ext = localKey('ed25519');
      await call('POST', '/api/overlays/keys', adminA, {
        algorithm: 'ed25519',
        keyId: 'ext-2',
        publicKey: ext.publicPem,
      });
      const spec: OverlaySpec = {
        overlayId: 'external',
        version: 1,
        tenantId: 'acme',
        capability: CAP,
        scope: {},
        operations: [{ type: 'setReadOnly', field: 'customer', readOnly: true }],
      };
      const outside = signOverlay(spec, { privateKey: ext.privateKey, keyId: 'ext-2', algorithm: 'ed25519' });
      expect((await call('POST', '/api/overlays/verify', readA, outside)).body).toEqual({ valid: true });
      await call('POST', '/api/overlays/keys/ext-2/revoke', adminA, {});
      expect((await call('POST', '/api/overlays/verify', readA, outside)).body).toEqual({
        valid: false,
        reason: 'key_revoked',
      });
      const importAfter = await call('POST', '/api/overlays/signed', adminA, outside);
      expect(importAfter.status).toBe(422);
      expect(importAfter.body.code).toBe('invalid_signature');
    });

    it('imports an overlay signed elsewhere with a verify-only key', async () => {
      const spec: OverlaySpec = {
        overlayId: 'from-ci',
        version: 1,
        tenantId: 'acme',
        capability: 'billing.other',
        scope: {},
        operations: [{ type: 'hideField', field: 'notes' }],
      };
      const outside: SignedOverlay = signOverlay(spec, {
        privateKey: imported.privateKey,
        keyId: importedKeyId,
        algorithm: 'ed25519',
      });
      const res = await call('POST', '/api/overlays/signed', adminA, outside);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        status: 'signed',
        keyId: importedKeyId,
        signature: outside.signature,
      });
      const resolved = await call('GET', '/api/overlays/resolve?capability=billing.other', readA);
      expect(resolved.body.overlays.map((o: { overlayId: string }) => o.overlayId)).toEqual(['from-ci']);
      expect((await call('POST', '/api/overlays/signed', adminA, outside)).status).toBe(409);
    });

    it('a key revoked from a time before a signature stops that overlay from applying', async () => {
      await call('POST', '/api/overlays/keys', adminA, { algorithm: 'ed25519', keyId: 'leaky' });
      await draft('leaky-overlay', {}, [{ type: 'hideField', field: 'currency' }]);
      const before = new Date(Date.now() - 1000);
      await call('POST', '/api/overlays/leaky-overlay/sign', adminA, { keyId: 'leaky' });
      const q = `/api/overlays/resolve?capability=${CAP}`;
      const ids = async () =>
        (await call('GET', q, readA)).body.overlays.map((o: { overlayId: string }) => o.overlayId);
      expect(await ids()).toContain('leaky-overlay');
      await call('POST', '/api/overlays/keys/leaky/revoke', adminA, { revokedAt: before.toISOString() });
      expect(await ids()).not.toContain('leaky-overlay');
      await call('POST', '/api/overlays/leaky-overlay/archive', adminA);
    });
  });

  describe('resolve, apply, audit', () => {
    beforeAll(async () => {
      // Leftovers of the signing tests on this capability are archived so the stack is known.
      for (const id of ['to-sign', 'verify-me']) await call('POST', `/api/overlays/${id}/archive`, adminA);
      await signed('t-base', {}, [{ type: 'hideField', field: 'notes' }]);
      await signed('r-clerk', { role: 'clerk' }, [
        { type: 'renameLabel', field: 'amount', label: 'Total' },
        { type: 'setReadOnly', field: 'customer', readOnly: true },
      ]);
      await signed('u-42', { userId: 'u42' }, [
        { type: 'showField', field: 'notes' },
        { type: 'reorderFields', fields: ['notes'] },
      ]);
      await signed('d-mobile', { device: 'mobile' }, [
        { type: 'renameLabel', field: 'amount', label: 'Sum' },
      ]);
    });

    it('resolves by specificity (tenant < role < user < device) with provenance', async () => {
      const res = await call(
        'GET',
        `/api/overlays/resolve?capability=${CAP}&role=clerk&userId=u42&device=mobile`,
        readA,
      );
      expect(res.status).toBe(200);
      expect(
        res.body.overlays.map((o: { overlayId: string; level: string }) => [o.overlayId, o.level]),
      ).toEqual([
        ['t-base', 'tenant'],
        ['r-clerk', 'role'],
        ['u-42', 'user'],
        ['d-mobile', 'device'],
      ]);
      const fields = Object.fromEntries(res.body.fields.map((f: { name: string }) => [f.name, f]));
      expect(fields.notes).toMatchObject({ hidden: false });
      expect(fields.notes.provenance.hidden).toMatchObject({
        overlayId: 'u-42',
        level: 'user',
        operationIndex: 0,
      });
      expect(fields.notes.provenance.order).toMatchObject({ overlayId: 'u-42', operationIndex: 1 });
      expect(fields.amount).toMatchObject({ label: 'Sum' });
      expect(fields.amount.provenance.label).toMatchObject({ overlayId: 'd-mobile', version: 1 });
      expect(fields.customer.provenance.readOnly.overlayId).toBe('r-clerk');
      expect(res.body.fields[0].name).toBe('notes');

      const clerkOnly = await call('GET', `/api/overlays/resolve?capability=${CAP}&role=clerk`, readA);
      expect(clerkOnly.body.overlays.map((o: { overlayId: string }) => o.overlayId)).toEqual([
        't-base',
        'r-clerk',
      ]);
      expect(clerkOnly.body.fields.find((f: { name: string }) => f.name === 'notes')).toMatchObject({
        hidden: true,
      });
    });

    it('applies: hides, renames, reorders, and audits every applied overlay', async () => {
      const from = new Date(Date.now() - 1000).toISOString();
      const res = await call('POST', '/api/overlays/apply', readA, {
        baseSpec: orderForm,
        context: { role: 'clerk' },
      });
      expect(res.status).toBe(200);
      expect(
        res.body.spec.fields.map((f: { name: string; label: string; hidden: boolean }) => [
          f.name,
          f.label,
          f.hidden,
        ]),
      ).toEqual([
        ['customer', 'Customer', false],
        ['amount', 'Total', false],
        ['currency', 'Currency', false],
        ['notes', 'Notes', true],
      ]);
      expect(res.body.spec.fields[0].readOnly).toBe(true);
      expect(res.body.applied.map((a: { overlayId: string }) => a.overlayId)).toEqual(['t-base', 'r-clerk']);
      expect(res.body.provenance.amount.label.overlayId).toBe('r-clerk');

      const u42 = await call('POST', '/api/overlays/apply', readA, {
        baseSpec: orderForm,
        context: { userId: 'u42' },
      });
      expect(u42.body.spec.fields.map((f: { name: string }) => f.name)).toEqual([
        'notes',
        'customer',
        'amount',
        'currency',
      ]);
      expect(u42.body.spec.fields[0].hidden).toBe(false);

      // The audit sink is batched: poll until the four rows (t-base + r-clerk, t-base + u-42) are there.
      let items: { overlayId: string; context: unknown; keyId: string | null }[] = [];
      for (let i = 0; i < 50 && items.length < 4; i++) {
        await new Promise((r) => setTimeout(r, 100));
        items = (
          await call('GET', `/api/overlays/audit?capability=${CAP}&from=${encodeURIComponent(from)}`, readA)
        ).body.items;
      }
      expect(items).toHaveLength(4);
      expect(items.map((i) => i.overlayId).sort()).toEqual(['r-clerk', 't-base', 't-base', 'u-42']);
      expect(items.find((i) => i.overlayId === 'u-42')!.context).toEqual({ userId: 'u42' });
      expect(items.every((i) => typeof i.keyId === 'string')).toBe(true);
      const { rows } = await db.query(
        "select tenant_id, overlay_id, version, capability, context from overlay_audit where overlay_id = 'r-clerk'",
      );
      expect(rows).toEqual([
        { tenant_id: 'acme', overlay_id: 'r-clerk', version: 1, capability: CAP, context: { role: 'clerk' } },
      ]);

      // filters and keyset paging
      const byId = await call('GET', '/api/overlays/audit?overlayId=t-base', readA);
      expect(byId.body.items.length).toBeGreaterThan(0);
      expect(byId.body.items.every((i: { overlayId: string }) => i.overlayId === 't-base')).toBe(true);
      const page1 = await call('GET', `/api/overlays/audit?limit=3&from=${encodeURIComponent(from)}`, readA);
      expect(page1.body.items).toHaveLength(3);
      expect(page1.body.nextCursor).toEqual(expect.any(String));
      const page2 = await call(
        'GET',
        `/api/overlays/audit?limit=3&from=${encodeURIComponent(from)}&cursor=${page1.body.nextCursor}`,
        readA,
      );
      expect(page2.body.items).toHaveLength(1);
      expect(page2.body.nextCursor).toBeNull();
      const ids = [...page1.body.items, ...page2.body.items].map((i: { id: string }) => i.id);
      expect(new Set(ids).size).toBe(4);
      const future = await call(
        'GET',
        `/api/overlays/audit?to=${encodeURIComponent(from)}&capability=${CAP}`,
        readA,
      );
      expect(future.body.items).toEqual([]);
      expect((await call('GET', '/api/overlays/audit?cursor=bad', readA)).status).toBe(422);
    });

    it('applies the stored base spec by capability; rejects a malformed base spec', async () => {
      expect(
        (await call('PUT', `/api/overlays/base-specs/${CAP}`, adminA, { fields: orderForm.fields })).status,
      ).toBe(200);
      const res = await call('POST', '/api/overlays/apply', readA, { capability: CAP, context: {} });
      expect(res.status).toBe(200);
      expect(res.body.spec.fields.find((f: { name: string }) => f.name === 'notes').hidden).toBe(true);
      const bad = await call('POST', '/api/overlays/apply', readA, {
        baseSpec: { capability: CAP, fields: [{ name: 'a' }] },
      });
      expect(bad.status).toBe(422);
      expect(bad.body.details[0].path).toBe('baseSpec.fields.0.label');
      expect((await call('GET', '/api/overlays/base-specs', readA)).body).toEqual([CAP]);
    });

    it('archiving removes an overlay from resolve at once', async () => {
      await signed('temp', { role: 'clerk' }, [{ type: 'hideField', field: 'amount' }]);
      const q = `/api/overlays/resolve?capability=${CAP}&role=clerk`;
      expect(
        (await call('GET', q, readA)).body.overlays.map((o: { overlayId: string }) => o.overlayId),
      ).toContain('temp');
      const archived = await call('POST', '/api/overlays/temp/archive', adminA);
      expect(archived.body).toEqual({ overlayId: 'temp', archived: 1 });
      expect(
        (await call('GET', q, readA)).body.overlays.map((o: { overlayId: string }) => o.overlayId),
      ).not.toContain('temp');
      expect((await call('GET', '/api/overlays/temp', readA)).body.status).toBe('archived');
    });
  });

  describe('tenant isolation', () => {
    let aSigned: { spec: OverlaySpec; signature: SignedOverlay['signature'] };

    beforeAll(async () => {
      const a = await call('GET', '/api/overlays/t-base', readA);
      aSigned = { spec: a.body.spec, signature: a.body.signature };
    });

    it("tenant B never sees, changes or signs tenant A's overlays", async () => {
      expect((await call('GET', '/api/overlays/t-base', adminB)).status).toBe(404);
      expect((await call('GET', '/api/overlays', adminB)).body.items).toEqual([]);
      expect(
        (await call('PUT', '/api/overlays/crud', adminB, { operations: [{ type: 'hideField', field: 'x' }] }))
          .status,
      ).toBe(404);
      expect((await call('POST', '/api/overlays/crud/sign', adminB, {})).status).toBe(404);
      expect((await call('POST', '/api/overlays/t-base/archive', adminB)).status).toBe(404);
      expect(
        (await call('GET', `/api/overlays/resolve?capability=${CAP}&role=clerk`, adminB)).body.overlays,
      ).toEqual([]);
      const applied = await call('POST', '/api/overlays/apply', adminB, {
        baseSpec: orderForm,
        context: { role: 'clerk' },
      });
      expect(applied.body.applied).toEqual([]);
      expect(applied.body.spec.fields.length).toBeGreaterThan(0);
      expect(applied.body.spec.fields.every((f: { hidden: boolean }) => !f.hidden)).toBe(true);
      expect((await call('GET', '/api/overlays/audit', adminB)).body.items).toEqual([]);
      expect((await call('GET', `/api/overlays/base-specs/${CAP}`, adminB)).status).toBe(404);
      expect((await call('GET', '/api/overlays/base-specs', adminB)).body).toEqual([]);
      // A's overlay still intact
      expect((await call('GET', '/api/overlays/crud', readA)).body.status).toBe('draft');
    });

    it("tenant B never sees, uses or revokes tenant A's keys", async () => {
      expect((await call('GET', '/api/overlays/keys', adminB)).body).toEqual([]);
      expect((await call('POST', '/api/overlays/keys/acme-ed-1/revoke', adminB, {})).status).toBe(404);
      await draft('b-own', {}, [{ type: 'hideField', field: 'notes' }], adminB);
      const sign = await call('POST', '/api/overlays/b-own/sign', adminB, { keyId: 'acme-ed-1' });
      expect(sign.status).toBe(404);
      expect((await call('POST', '/api/overlays/b-own/sign', adminB, {})).body.code).toBe('no_signing_key');
      // Same key id in B is B's own key, unrelated to A's
      expect(
        (await call('POST', '/api/overlays/keys', adminB, { algorithm: 'ed25519', keyId: 'acme-ed-1' }))
          .status,
      ).toBe(201);
      const keysA = (await call('GET', '/api/overlays/keys', readA)).body;
      expect(keysA.find((k: { keyId: string }) => k.keyId === 'acme-ed-1').revokedAt).toBeNull();
    });

    it("B's keys cannot verify A's signatures, nor import A's overlays", async () => {
      expect((await call('POST', '/api/overlays/verify', readA, aSigned)).body).toEqual({ valid: true });
      expect((await call('POST', '/api/overlays/verify', adminB, aSigned)).body).toEqual({
        valid: false,
        reason: 'tenant_mismatch',
      });
      const retargeted = { ...aSigned, spec: { ...aSigned.spec, tenantId: 'globex' } };
      const verdict = (await call('POST', '/api/overlays/verify', adminB, retargeted)).body;
      expect(verdict.valid).toBe(false);
      expect(['unknown_key', 'tampered', 'algorithm_mismatch']).toContain(verdict.reason);
      expect((await call('POST', '/api/overlays/signed', adminB, aSigned)).status).toBe(422);
      expect((await call('POST', '/api/overlays/signed', adminB, retargeted)).status).toBe(422);
    });
  });

  it('no response ever carried a private key', () => {
    expect(responses.length).toBeGreaterThan(50);
    for (const body of responses) {
      expect(body).not.toContain('PRIVATE KEY');
      expect(body).not.toMatch(/"private_?key\w*"\s*:/i);
    }
  });

  it('without a key-encryption key the server keeps no private keys but still imports and verifies', async () => {
    const plain = await startTestApp({ database: t.database });
    try {
      const gen = await plain.request('POST', '/api/overlays/keys', {
        key: adminA,
        body: { algorithm: 'ed25519' },
      });
      expect(gen.status).toBe(409);
      expect(gen.body.code).toBe('key_encryption_unavailable');
      const imp = await plain.request('POST', '/api/overlays/keys', {
        key: adminA,
        body: { algorithm: 'ed25519', publicKey: localKey('ed25519').publicPem },
      });
      expect(imp.status).toBe(201);
      await plain.request('POST', '/api/overlays', {
        key: adminA,
        body: { overlayId: 'no-kek', capability: CAP, operations: [{ type: 'hideField', field: 'notes' }] },
      });
      const sign = await plain.request('POST', '/api/overlays/no-kek/sign', {
        key: adminA,
        body: { keyId: 'acme-ed-1' },
      });
      expect(sign.body.code).toBe('key_encryption_unavailable');
      const res = await plain.request('GET', `/api/overlays/resolve?capability=${CAP}&role=clerk`, {
        key: readA,
      });
      expect(res.body.overlays.map((o: { overlayId: string }) => o.overlayId)).toEqual(['t-base', 'r-clerk']);
    } finally {
      await plain.close();
    }
  });
});
