import { describe, expect, it } from 'vitest';
import { Backoff } from '../../src/agentd/backoff';
import { argsFor, loadAgentdConfig } from '../../src/agentd/config';
import { fillTemplate, splitWords } from '../../src/agentd/words';
import { JobLeaseClock } from '../../src/core/agent-daemons/job-lease-clock';
import { ManualClock } from '../helpers/manual-clock';

describe('agent daemon rules', () => {
  it('CLI_ARGS_TEMPLATE splits like a shell and fills each placeholder once, never re-read', () => {
    expect(splitWords(`--cwd {cwd} -p {prompt} "two words" 'a "b"' c\\ d`)).toEqual([
      '--cwd',
      '{cwd}',
      '-p',
      '{prompt}',
      'two words',
      'a "b"',
      'c d',
    ]);
    expect(() => splitWords('-p "open')).toThrow('CLI_ARGS_TEMPLATE has an unclosed " quote');
    const filled = fillTemplate(['-p', '{prompt}', '--task={task_id}'], {
      prompt: 'say {cwd}; rm -rf /',
      cwd: '/repo',
      model: '',
      task_id: 't1',
    });
    expect(filled).toEqual(['-p', 'say {cwd}; rm -rf /', '--task=t1']);
    expect(argsFor({ args: ['--print'], modelFlag: true }, 'claude-haiku')).toEqual(['--model', '{model}', '--print']);
    expect(argsFor({ args: ['--print'], modelFlag: true }, null)).toEqual(['--print']);
    expect(argsFor({ args: ['{prompt}'], modelFlag: false }, 'm')).toEqual(['{prompt}']);
  });

  it("takes a team's several coordinators in WG_COORDINATOR_URL, comma separated, and refuses a list with one that is not a URL", () => {
    const env = { WG_AGENT_TOKEN: 'wga_x', REPO_PATHS: '/tmp' };
    const config = loadAgentdConfig({}, { ...env, WG_COORDINATOR_URL: 'https://a.example:8443/#token=abc, https://b.example:8443/' });
    expect(config.urls).toEqual(['https://a.example:8443', 'https://b.example:8443']);
    expect(loadAgentdConfig({}, { ...env, WG_COORDINATOR_URL: 'https://c.example' }).urls).toEqual(['https://c.example']);
    expect(() => loadAgentdConfig({}, { ...env, WG_COORDINATOR_URL: 'https://a.example,b.example' })).toThrow(
      'WG_COORDINATOR_URL must start with https:// (or http:// with --insecure on the coordinator); several are separated by commas',
    );
    // One that starts as an address but is none: one line of ours, not the URL parser's "Invalid URL".
    for (const url of ['http://[::1', 'https://a.example, https://b.example:99999']) {
      expect(() => loadAgentdConfig({}, { ...env, WG_COORDINATOR_URL: url }), url).toThrow(
        /^WG_COORDINATOR_URL: '[^']+' is not an address; write one like https:\/\/build\.example\.com:8787$/,
      );
    }
  });

  it('refuses to send its token to another machine over http:// or ws:// unless told --insecure; this machine is fine', () => {
    const env = { WG_AGENT_TOKEN: 'wga_x', REPO_PATHS: '/tmp' };
    for (const url of ['http://192.0.2.2:48667', 'ws://build.example:8787', 'https://a.example, http://b.example:8787']) {
      expect(() => loadAgentdConfig({}, { ...env, WG_COORDINATOR_URL: url }), url).toThrow(
        /^refusing to send the agent token to \S+ in clear text; use https:\/\//,
      );
    }
    const clear = { ...env, WG_COORDINATOR_URL: 'http://192.0.2.2:48667' };
    expect(loadAgentdConfig({ insecure: true }, clear).urls).toEqual(['http://192.0.2.2:48667']);
    expect(loadAgentdConfig({}, { ...clear, WG_COORDINATOR_INSECURE: '1' }).urls).toEqual(['http://192.0.2.2:48667']);
    expect(loadAgentdConfig({}, { ...env, WG_COORDINATOR_URL: 'http://127.0.0.1:8787' }).urls).toEqual(['http://127.0.0.1:8787']);
  });

  it("with RUN_AS refuses loopback in clear text too: the jobs' user could listen on the port while the coordinator is away", () => {
    const env = { WG_AGENT_TOKEN: 'wga_x', REPO_PATHS: '/tmp', RUN_AS: 'nobody' };
    for (const url of ['http://127.0.0.1:8787', 'ws://localhost:8787', 'http://[::1]:8787']) {
      expect(() => loadAgentdConfig({}, { ...env, WG_COORDINATOR_URL: url }), url).toThrow(
        `refusing to send the agent token to ${new URL(url).origin} in clear text with RUN_AS: the jobs' user could listen on that port while the coordinator is away; use https:// (with WG_COORDINATOR_CA), or pass --insecure if you mean it`,
      );
    }
  });

  it("refuses a token pasted in `wg token list`'s short form in one line, before any header is made of it", () => {
    const env = { WG_COORDINATOR_URL: 'https://c.example', REPO_PATHS: '/tmp' };
    expect(() => loadAgentdConfig({}, { ...env, WG_AGENT_TOKEN: 'wga_…XrRk' })).toThrow(
      'WG_AGENT_TOKEN is the short form `wg token list` shows (…abcd), not the whole token',
    );
  });

  it('runs Claude Code by default as the app does: headless, and without its own worktree tools', () => {
    const config = loadAgentdConfig({}, { WG_COORDINATOR_URL: 'https://c.example', WG_AGENT_TOKEN: 'wga_x', REPO_PATHS: '/tmp' });
    expect(config.command).toBe('claude');
    expect(config.args).toEqual([
      '--print',
      '--output-format',
      'stream-json',
      '--verbose',
      '--dangerously-skip-permissions',
      '--disallowedTools',
      'EnterWorktree,ExitWorktree',
    ]);
  });

  it('reconnects after 1 s doubling to 30 s, with jitter, and starts over after a good connection', () => {
    const steady = new Backoff(1000, 30_000, () => 0.5);
    expect(Array.from({ length: 7 }, () => steady.next())).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
    steady.reset();
    expect(steady.next()).toBe(1000);
    expect(new Backoff(1000, 30_000, () => 0).next()).toBe(800);
    expect(new Backoff(1000, 30_000, () => 1).next()).toBe(1200);
  });

  it('a lease expires by its own timer, re-armed by each extension, and counts as expired once its time passed', () => {
    const time = new ManualClock(1000);
    const expired: string[] = [];
    const clock = new JobLeaseClock((lease) => expired.push(lease), time);
    clock.arm('a', time.now() + 40);
    clock.arm('b', time.now() + 10_000);
    time.advance(20);
    clock.arm('a', time.now() + 80);
    // Past a's first deadline (40): the extension moved it to 100.
    time.advance(40);
    expect(expired).toEqual([]);
    expect(clock.expired('a')).toBe(false);
    time.advance(60);
    expect(expired).toEqual(['a']);
    expect(clock.expired('b')).toBe(false);
    time.advance(11_000 - time.now());
    expect(clock.expired('b')).toBe(true);
    clock.clear();
  });
});
