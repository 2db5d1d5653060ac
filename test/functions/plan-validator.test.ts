import { describe, expect, it } from 'vitest';
import { validatePlan } from '../../src/core/functions/plan-validator';
import type { StructuralConstraints } from '../../src/shared/functions';
import { template } from './func-support';

/* Upstream's plan validator (src/plan_validator.rs), what `wg func apply` checks a planner's graph with; its cases by name. */

const none = (fields: Partial<StructuralConstraints> = {}): StructuralConstraints => ({
  required_skills: [],
  allow_cycles: false,
  required_phases: [],
  forbidden_patterns: [],
  ...fields,
});
const t = template;

describe('validate_plan', () => {
  // upstream: src/plan_validator.rs valid_plan_passes
  it('valid_plan_passes', () => expect(validatePlan([t('a'), t('b')], none())).toEqual([]));

  // upstream: src/plan_validator.rs too_few_tasks
  it('too_few_tasks', () => expect(validatePlan([t('a')], none({ min_tasks: 3 }))).toContain('too few tasks: 1 < minimum 3'));

  // upstream: src/plan_validator.rs too_many_tasks
  it('too_many_tasks', () =>
    expect(validatePlan([t('a'), t('b'), t('c')], none({ max_tasks: 2 }))).toContain('too many tasks: 3 > maximum 2'));

  // upstream: src/plan_validator.rs missing_required_skill
  it('missing_required_skill', () => {
    expect(validatePlan([t('a', { skills: ['rust'] }), t('b')], none({ required_skills: ['rust', 'python'] }))).toEqual([
      'required skill not covered: python',
    ]);
  });

  // upstream: src/plan_validator.rs required_skills_covered
  it('required_skills_covered', () => {
    expect(
      validatePlan([t('a', { skills: ['rust'] }), t('b', { skills: ['testing'] })], none({ required_skills: ['rust', 'testing'] })),
    ).toEqual([]);
  });

  // upstream: src/plan_validator.rs missing_required_phase
  it('missing_required_phase', () => {
    expect(validatePlan([t('a', { tags: ['implement'] })], none({ required_phases: ['implement', 'test'] }))).toEqual([
      'required phase not present: test',
    ]);
  });

  // upstream: src/plan_validator.rs required_phases_present
  it('required_phases_present', () => {
    expect(
      validatePlan([t('a', { tags: ['implement'] }), t('b', { tags: ['test'] })], none({ required_phases: ['implement', 'test'] })),
    ).toEqual([]);
  });

  const noProdDeploys = { tags: ['deploy', 'production'], reason: 'no direct production deploys' };

  // upstream: src/plan_validator.rs forbidden_pattern_detected
  it('forbidden_pattern_detected', () => {
    expect(validatePlan([t('a', { tags: ['deploy', 'production'] }), t('b')], none({ forbidden_patterns: [noProdDeploys] }))).toEqual([
      'forbidden pattern [deploy, production]: no direct production deploys',
    ]);
  });

  // upstream: src/plan_validator.rs forbidden_pattern_partial_match_is_ok
  it('forbidden_pattern_partial_match_is_ok', () => {
    expect(validatePlan([t('a', { tags: ['deploy'] })], none({ forbidden_patterns: [noProdDeploys] }))).toEqual([]);
  });

  const loop = () => [t('a', { after: ['b'] }), t('b', { after: ['a'] })];

  // upstream: src/plan_validator.rs cycles_not_allowed
  it('cycles_not_allowed', () => expect(validatePlan(loop(), none())).toContain('cycles not allowed but 1 cycle(s) found'));

  // upstream: src/plan_validator.rs cycles_allowed
  it('cycles_allowed', () => expect(validatePlan(loop(), none({ allow_cycles: true }))).toEqual([]));

  // upstream: src/plan_validator.rs max_total_iterations_exceeded
  it('max_total_iterations_exceeded', () => {
    const tasks = [t('a', { loops_to: [{ target: 'b', max_iterations: 5 }] }), t('b', { loops_to: [{ target: 'a', max_iterations: 4 }] })];
    expect(validatePlan(tasks, none({ allow_cycles: true, max_total_iterations: 8 }))).toContain(
      'total cycle iterations 9 exceeds maximum 8',
    );
  });

  // upstream: src/plan_validator.rs max_total_iterations_within_bounds
  it('max_total_iterations_within_bounds', () => {
    const tasks = [t('a', { loops_to: [{ target: 'b', max_iterations: 3 }] }), t('b')];
    expect(validatePlan(tasks, none({ allow_cycles: true, max_total_iterations: 5 }))).toEqual([]);
  });

  // upstream: src/plan_validator.rs depth_exceeded
  it('depth_exceeded', () => {
    const tasks = [t('a'), t('b', { after: ['a'] }), t('c', { after: ['b'] }), t('d', { after: ['c'] })];
    expect(validatePlan(tasks, none({ max_depth: 2 }))).toContain('dependency depth 3 exceeds maximum 2');
  });

  // upstream: src/plan_validator.rs depth_within_bounds
  it('depth_within_bounds', () => {
    expect(validatePlan([t('a'), t('b', { after: ['a'] }), t('c', { after: ['a'] })], none({ max_depth: 1 }))).toEqual([]);
  });

  // upstream: src/plan_validator.rs diamond_depth
  it('diamond_depth', () => {
    const tasks = [t('a'), t('b', { after: ['a'] }), t('c', { after: ['a'] }), t('d', { after: ['b', 'c'] })];
    expect(validatePlan(tasks, none({ max_depth: 2 }))).toEqual([]);
  });

  // upstream: src/plan_validator.rs multiple_errors_collected
  it('multiple_errors_collected', () => {
    expect(validatePlan([t('a')], none({ min_tasks: 3, required_skills: ['rust'], required_phases: ['test'] }))).toHaveLength(3);
  });

  // upstream: src/plan_validator.rs empty_plan_empty_constraints
  it('empty_plan_empty_constraints', () => expect(validatePlan([], none())).toEqual([]));

  // upstream: src/plan_validator.rs empty_plan_with_min_tasks
  it('empty_plan_with_min_tasks', () => expect(validatePlan([], none({ min_tasks: 1 }))[0]).toBe('too few tasks: 0 < minimum 1'));
});
