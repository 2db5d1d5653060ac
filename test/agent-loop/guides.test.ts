import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/cli-io';
import { buildProgram } from '../../src/cli/program';
import { AGENT_GUIDE } from '../../src/core/guides/agent-guide';
import { quickstartSections, quickstartText } from '../../src/core/guides/quickstart';

/*
 * `wg quickstart` and `wg agent-guide`. Upstream's quickstart cases (src/commands/quickstart.rs, mod tests)
 * are ported by name where this app has the section; its sections about what is not here (cycles,
 * telegram, resources, user boards, peer projects…) are left out with those commands.
 */

const QUIET: CliIo = { stdout: { write: () => true }, stderr: { write: () => true }, readStdin: () => '', exitCode: 0 };
const text = quickstartText();
const json = quickstartSections() as Record<string, Record<string, unknown>>;

describe('wg quickstart', () => {
  // upstream: src/commands/quickstart.rs test_quickstart_text_contains_service_mode, _manual_mode, _discovering_work,
  // _task_state_commands, _context_artifacts, _tips, _dispatcher_reminder
  it.each([
    ['test_quickstart_text_contains_service_mode', 'SERVICE MODE'],
    ['test_quickstart_text_contains_manual_mode', 'MANUAL MODE'],
    ['test_quickstart_text_contains_discovering_work', 'DISCOVERING & ADDING WORK'],
    ['test_quickstart_text_contains_task_state_commands', 'TASK STATE COMMANDS'],
    ['test_quickstart_text_contains_context_artifacts', 'CONTEXT & ARTIFACTS'],
    ['test_quickstart_text_contains_tips', 'TIPS'],
    ['test_quickstart_text_contains_dispatcher_reminder', 'DISPATCHER SERVICE REMINDER'],
  ])('%s', (_name, heading) => {
    expect(text).toContain(heading);
  });

  // upstream: src/commands/quickstart.rs test_quickstart_text_contains_getting_started
  it('test_quickstart_text_contains_getting_started', () => {
    expect(text).toContain('GETTING STARTED');
    expect(text).toContain('wg agency init');
  });

  // upstream: src/commands/quickstart.rs test_quickstart_text_contains_agency_setup
  it('test_quickstart_text_contains_agency_setup', () => {
    expect(text).toContain('AGENCY SETUP');
    expect(text).toContain('Roles');
    expect(text).toContain('Tradeoffs');
  });

  // upstream: src/commands/quickstart.rs test_quickstart_text_contains_wait_command
  it('test_quickstart_text_contains_wait_command', () => {
    for (const words of ['wg wait', '--until', 'task:dep-a=done', 'timer:5m']) expect(text).toContain(words);
  });

  // upstream: src/commands/quickstart.rs test_quickstart_text_contains_messaging
  it('test_quickstart_text_contains_messaging', () => {
    for (const words of ['MESSAGING', 'wg msg send', 'wg msg read', 'wg msg poll']) expect(text).toContain(words);
  });

  // upstream: src/commands/quickstart.rs test_quickstart_text_contains_validation
  it('test_quickstart_text_contains_validation', () => {
    expect(text).toContain('VALIDATION');
    expect(text).toContain('## Validation');
    expect(text).not.toContain('--validation');
  });

  // upstream: src/commands/quickstart.rs test_quickstart_text_contains_functions
  it('test_quickstart_text_contains_functions', () => {
    for (const words of ['REUSABLE FUNCTIONS', 'wg func list', 'wg func apply']) expect(text).toContain(words);
  });

  // upstream: src/commands/quickstart.rs test_json_output_has_expected_fields (the sections this app has)
  it('test_json_output_has_expected_fields', () => {
    for (const key of ['getting_started', 'agency', 'modes', 'commands', 'tips', 'functions', 'evaluation_and_monitoring']) {
      expect(json[key], key).toBeDefined();
    }
    expect(Object.keys(json.modes as object)).toEqual(['service', 'manual']);
    expect(Object.keys(json.commands as object).sort()).toEqual(['completion', 'discovery', 'work']);
    expect((json.tips as unknown as string[]).length).toBeGreaterThanOrEqual(5);
  });

  it("this app's workflow: worktrees, messages and how a run ends", () => {
    for (const heading of ['WORKTREES', 'MESSAGING', 'HOW A RUN ENDS']) expect(text).toContain(heading);
  });

  it('every command it names exists here', () => {
    const program = buildProgram(QUIET);
    const commands = new Set(program.commands.map((c) => c.name()));
    const named = [...text.matchAll(/\bwg ([a-z][a-z-]*)/g)].map((m) => m[1] as string);
    expect(named.length).toBeGreaterThan(30);
    expect(named.filter((word) => !commands.has(word))).toEqual([]);
  });
});

describe('wg agent-guide', () => {
  it("the contract: roles, a worker's workflow, worktrees, messages and how a run ends", () => {
    for (const words of ['Three Roles', 'Worker Agent Contract', 'Chat Agent Contract', 'worktree', 'wg msg', 'wg done', 'wg fail']) {
      expect(AGENT_GUIDE).toContain(words);
    }
  });

  it('every command it names exists here', () => {
    const commands = new Set(buildProgram(QUIET).commands.map((c) => c.name()));
    const named = [...AGENT_GUIDE.matchAll(/`wg ([a-z][a-z-]*)/g)].map((m) => m[1] as string);
    expect(named.filter((word) => !commands.has(word))).toEqual([]);
  });
});
