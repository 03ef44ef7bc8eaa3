/** @jest-environment jsdom */
import { act, render, renderHook, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { InMemoryAuditSink } from '../audit/in-memory-audit-sink.js';
import { OverlayEngine } from '../engine/overlay-engine.js';
import type { BaseSpec, OverlayApplyContext } from '../engine/overlay-engine.types.js';
import { OverlayRegistry } from '../registry/overlay-registry.js';
import { overlaySpec } from '../testing/overlay-fixtures.js';
import { OverlayProvider, useOverlay, useOverlayFields } from './index.js';

const base: BaseSpec = {
  capability: 'billing.createOrder',
  fields: [
    { name: 'customer', label: 'Customer' },
    { name: 'amount', label: 'Amount' },
    { name: 'notes', label: 'Notes' },
  ],
};

function OrderForm({ context }: { context: OverlayApplyContext }) {
  const { fields } = useOverlayFields(base, context);
  return (
    <form>
      {fields.map((f) => (
        <label key={f.name} data-testid="field">
          {f.label}
          <input name={f.name} readOnly={f.readOnly} />
        </label>
      ))}
    </form>
  );
}

async function setup() {
  const registry = new OverlayRegistry({ requireSignature: false });
  await registry.register({
    spec: overlaySpec({
      overlayId: 'tenant',
      operations: [
        { type: 'hideField', field: 'notes' },
        { type: 'reorderFields', fields: ['amount'] },
      ],
    }),
  });
  await registry.register({
    spec: overlaySpec({
      overlayId: 'clerk',
      scope: { role: 'clerk' },
      operations: [
        { type: 'renameLabel', field: 'amount', label: 'Total' },
        { type: 'setReadOnly', field: 'customer', readOnly: true },
      ],
    }),
  });
  const audit = new InMemoryAuditSink();
  const engine = new OverlayEngine({ registry, audit });
  const wrapper = ({ children }: { children?: ReactNode }) => (
    <OverlayProvider engine={engine}>{children}</OverlayProvider>
  );
  return { registry, audit, engine, wrapper };
}

describe('@lssm/overlay/react', () => {
  it('renders the overlaid fields in order, without hidden ones, per role', async () => {
    const { wrapper } = await setup();
    const { rerender } = render(<OrderForm context={{ tenantId: 'acme', role: 'clerk' }} />, { wrapper });
    expect(screen.getAllByTestId('field').map((el) => el.textContent)).toEqual(['Total', 'Customer']);
    expect((screen.getByRole('textbox', { name: 'Customer' }) as HTMLInputElement).readOnly).toBe(true);

    rerender(<OrderForm context={{ tenantId: 'acme', role: 'manager' }} />);
    expect(screen.getAllByTestId('field').map((el) => el.textContent)).toEqual(['Amount', 'Customer']);
    expect((screen.getByRole('textbox', { name: 'Customer' }) as HTMLInputElement).readOnly).toBe(false);
  });

  it('re-renders when an overlay is registered after mount', async () => {
    const { registry, wrapper } = await setup();
    render(<OrderForm context={{ tenantId: 'acme', userId: 'u1' }} />, { wrapper });
    expect(screen.queryByText('Notes')).toBeNull();
    await act(async () => {
      await registry.register({
        spec: overlaySpec({
          overlayId: 'u1',
          scope: { userId: 'u1' },
          operations: [{ type: 'showField', field: 'notes' }],
        }),
      });
    });
    expect(screen.getAllByTestId('field').map((el) => el.textContent)).toEqual([
      'Amount',
      'Customer',
      'Notes',
    ]);
  });

  it('does not re-apply (or re-audit) when re-rendered with an equal context object', async () => {
    const { audit, wrapper } = await setup();
    const { rerender } = render(<OrderForm context={{ tenantId: 'acme', role: 'clerk' }} />, { wrapper });
    const after = audit.writes;
    expect(after).toBeGreaterThan(0);
    rerender(<OrderForm context={{ tenantId: 'acme', role: 'clerk' }} />);
    expect(audit.writes).toBe(after);
  });

  it('useOverlay exposes the resolved overlays and an apply function', async () => {
    const { wrapper } = await setup();
    const { result } = renderHook(
      () => useOverlay('billing.createOrder', { tenantId: 'acme', role: 'clerk' }),
      { wrapper },
    );
    expect(result.current.overlays.map((o) => o.overlayId)).toEqual(['tenant', 'clerk']);
    const applied = result.current.apply(base);
    expect(applied.provenance.amount!.label).toMatchObject({ overlayId: 'clerk' });
  });

  it('useOverlayFields can include hidden fields', async () => {
    const { wrapper } = await setup();
    const { result } = renderHook(
      () => useOverlayFields(base, { tenantId: 'acme' }, { includeHidden: true }),
      { wrapper },
    );
    expect(result.current.fields.map((f) => [f.name, f.hidden])).toEqual([
      ['amount', false],
      ['customer', false],
      ['notes', true],
    ]);
  });

  it('fails clearly outside a provider', () => {
    const spy = jest.spyOn(console, 'error').mockImplementation(() => {});
    expect(() => renderHook(() => useOverlay('x', { tenantId: 'acme' }))).toThrow(
      /inside an <OverlayProvider>/,
    );
    spy.mockRestore();
  });
});
