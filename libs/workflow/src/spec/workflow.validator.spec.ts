import { reviewFlow, step, workflow } from '../testing/workflow.fixtures.js';
import { validateWorkflow } from './workflow.validator.js';
import { validateWorkflowShape } from './workflow-shape.validator.js';

describe('validateWorkflow', () => {
  it('accepts a valid branching workflow', () => {
    expect(validateWorkflow(reviewFlow())).toEqual({ valid: true, errors: [] });
  });

  it('accepts cycles as long as a terminal stays reachable', () => {
    const spec = workflow('a', ['c'], [step('a', 'b'), step('b', 'a', 'c'), step('c')]);
    expect(validateWorkflow(spec).valid).toBe(true);
  });

  it('names duplicate step ids', () => {
    const spec = workflow('a', ['b'], [step('a', 'b'), step('b'), step('b')]);
    const result = validateWorkflow(spec);
    expect(result.valid).toBe(false);
    expect(result.errors).toEqual([expect.objectContaining({ code: 'duplicate_step_id', stepId: 'b' })]);
  });

  it('names the step with a transition to an unknown step, and the target', () => {
    const spec = workflow('a', ['b'], [step('a', 'b', 'ghost'), step('b')]);
    expect(validateWorkflow(spec).errors).toEqual([
      expect.objectContaining({ code: 'unknown_transition_target', stepId: 'a', target: 'ghost' }),
    ]);
  });

  it('reports a missing start without flooding every step as unreachable', () => {
    const spec = workflow('nope', ['b'], [step('a', 'b'), step('b')]);
    expect(validateWorkflow(spec).errors).toEqual([
      expect.objectContaining({ code: 'unknown_start', stepId: 'nope' }),
    ]);
  });

  it('names each step unreachable from start', () => {
    const spec = workflow('a', ['b'], [step('a', 'b'), step('b'), step('island', 'b')]);
    expect(validateWorkflow(spec).errors).toEqual([
      expect.objectContaining({ code: 'unreachable_step', stepId: 'island' }),
    ]);
  });

  it('names each step from which no terminal can be reached', () => {
    const spec = workflow('a', ['c'], [step('a', 'b', 'c'), step('b', 'loop'), step('loop', 'b'), step('c')]);
    const codes = validateWorkflow(spec).errors.map((e) => [e.code, e.stepId]);
    expect(codes).toEqual([
      ['no_path_to_terminal', 'b'],
      ['no_path_to_terminal', 'loop'],
    ]);
  });

  it('requires at least one terminal, and terminals that exist and are listed once', () => {
    expect(validateWorkflow(workflow('a', [], [step('a')])).errors).toEqual([
      expect.objectContaining({ code: 'no_terminal' }),
    ]);
    const errors = validateWorkflow(workflow('a', ['a', 'a', 'zz'], [step('a')])).errors;
    expect(errors.map((e) => [e.code, e.stepId])).toEqual([
      ['duplicate_terminal', 'a'],
      ['unknown_terminal', 'zz'],
    ]);
  });

  it('flags a transition listed twice with the same label', () => {
    const spec = workflow('a', ['b'], [step('a', { to: 'b', on: 'go' }, { to: 'b', on: 'go' }), step('b')]);
    expect(validateWorkflow(spec).errors).toEqual([
      expect.objectContaining({ code: 'duplicate_transition', stepId: 'a', target: 'b' }),
    ]);
  });

  it('allows two labelled transitions to the same step', () => {
    const spec = workflow(
      'a',
      ['b'],
      [step('a', { to: 'b', on: 'yes' }, { to: 'b', on: 'later' }), step('b')],
    );
    expect(validateWorkflow(spec).valid).toBe(true);
  });

  it('returns shape errors instead of graph errors for a malformed value', () => {
    const result = validateWorkflow({
      id: 'x',
      version: 1,
      start: 'a',
      steps: [{ id: 'a' }],
      terminal: ['a'],
    });
    expect(result.valid).toBe(false);
    expect(result.errors.length).toBeGreaterThan(0);
    expect(result.errors.every((e) => e.code === 'invalid_shape')).toBe(true);
    expect(result.errors.map((e) => e.path)).toEqual([
      'steps[0].type',
      'steps[0].label',
      'steps[0].transitions',
    ]);
  });
});

describe('validateWorkflowShape', () => {
  it('rejects non-objects', () => {
    expect(validateWorkflowShape(null).errors).toEqual([
      expect.objectContaining({ code: 'invalid_shape', path: '$' }),
    ]);
    expect(validateWorkflowShape([]).valid).toBe(false);
  });

  it('names every bad field with its path', () => {
    const result = validateWorkflowShape({
      id: '',
      version: 0,
      start: 3,
      steps: [{ id: 'a', type: 't', label: 'A', transitions: [{ to: '' }, { to: 'b', on: '' }, 7] }],
      terminal: [''],
    });
    expect(result.errors.map((e) => e.path)).toEqual([
      'id',
      'version',
      'start',
      'steps[0].transitions[0].to',
      'steps[0].transitions[1].on',
      'steps[0].transitions[2]',
      'terminal[0]',
    ]);
  });

  it('rejects whitespace-only ids, a fractional version and a non-object config', () => {
    const result = validateWorkflowShape({
      id: '   ',
      version: 1.5,
      start: 'a',
      steps: [{ id: 'a', type: 't', label: 'A', transitions: [], config: 'x' }],
      terminal: ['a'],
      name: '',
    });
    expect(result.errors.map((e) => e.path)).toEqual(['id', 'version', 'name', 'steps[0].config']);
  });

  it('accepts a well-formed spec', () => {
    expect(validateWorkflowShape(reviewFlow())).toEqual({ valid: true, errors: [] });
  });
});
