import { describe, expect, it } from 'vitest';
import { plainCommand, wrapperArgs, wrapperCommand } from '../../../src/core/coordinator/launching/wrapper';

describe('what the wrapper is told to run', () => {
  it.each([
    'true',
    'make -C build test',
    "npm run build && npm test > out.txt 2>&1; exit 1",
    'set -e; make; make install',
  ])('a shell line runs in the wrapper\'s own subshell: %s', (line) => {
    expect(wrapperCommand('/bin/sh', ['-c', line])).toEqual(['l', line]);
  });

  it('gives a line that names the shell ($$, $PPID) a shell of its own, and passes other commands as they are', () => {
    expect(wrapperCommand('/bin/sh', ['-c', 'mktemp /tmp/x.$$'])).toEqual(['x', '/bin/sh', '-c', 'mktemp /tmp/x.$$']);
    expect(wrapperCommand('/bin/sh', ['-c', 'echo ${PPID}'])).toEqual(['x', '/bin/sh', '-c', 'echo ${PPID}']);
    expect(wrapperCommand('/bin/sh', ['-c', '__wg_s=0 true'])).toEqual(['x', '/bin/sh', '-c', '__wg_s=0 true']);
    expect(wrapperCommand('claude', ['--print', 'exit'])).toEqual(['x', 'claude', '--print', 'exit']);
    expect(wrapperCommand('/bin/sh', ['-c', 'true', 'arg0'])).toEqual(['x', '/bin/sh', '-c', 'true', 'arg0']);
  });

  it('evaluates a line itself only when it is the shell the line names (the run server is bash, the execa wrapper sh)', () => {
    expect(wrapperCommand('bash', ['-c', 'make test; true'], 'bash')).toEqual(['l', 'make test; true']);
    expect(wrapperCommand('bash', ['-c', 'make test'], 'bash')).toEqual(['c', 'make test']);
    expect(wrapperCommand('/bin/sh', ['-c', 'make test'], 'bash')).toEqual(['x', '/bin/sh', '-c', 'make test']);
    expect(wrapperCommand('bash', ['-c', 'make test'])).toEqual(['x', 'bash', '-c', 'make test']);
    expect(wrapperCommand('bash', ['-c', 'echo $$'], 'bash')).toEqual(['x', 'bash', '-c', 'echo $$']);
  });

  it('has the run server\'s job evaluate only a bare status builtin itself, and exec a plain program in the run', () => {
    for (const line of ['true', ' false ', ':']) expect(wrapperCommand('bash', ['-c', line], 'bash')).toEqual(['b', line]);
    // With words or redirections, or any other builtin, the line runs in the run's own process.
    for (const line of ['true > x', ': $(id)', 'echo hi', 'exit 0']) expect(wrapperCommand('bash', ['-c', line], 'bash')).toEqual(['l', line]);
    expect(wrapperCommand('bash', ['-c', 'date +%s > x'], 'bash')).toEqual(['c', 'date +%s > x']);
    expect(wrapperCommand('/bin/sh', ['-c', 'true'])).toEqual(['l', 'true']);
  });

  it.each([
    'true', 'make -C build test', 'date +%s%N > /tmp/start-1', "npm test -- --grep 'a b' 2>&1 >out.txt", 'cargo build --release <&-', 'echo "$HOME" ${USER}',
  ])('the run server evaluates one plain command in the job itself: %s', (line) => {
    expect(plainCommand(line)).toBe(true);
  });

  it.each([
    'exit 3', 'exec sleep 1', 'set -e', 'trap "echo x" EXIT', 'cd /tmp', 'return 1', 'source env.sh', '. env.sh', 'ulimit -f 0', 'A=1',
    'make; make install', 'make && make install', 'make || true', 'yes | head', 'sleep 1 &', '(exit 2)', '{ make; }', 'echo $(id)', 'echo `id`',
    'echo $1', 'echo $?', 'echo ${X:=1}', 'cat <<EOF', 'if true; then :; fi', '! false', 'echo a\\\nb', 'time make', 'coproc cat', '[[ -f x ]]',
  ])('and leaves anything else to a subshell: %s', (line) => {
    expect(plainCommand(line)).toBe(false);
  });

  it('passes the run folder and the cgroup (empty when none) before the command', () => {
    const args = wrapperArgs('/runs/agent-1', null, 'codex', ['exec']);
    expect(args.slice(2)).toEqual(['/runs/agent-1', '', 'x', 'codex', 'exec']);
    expect(wrapperArgs('/runs/agent-1', '/sys/fs/cgroup/wg-run-x', 'codex', []).slice(2, 4)).toEqual(['/runs/agent-1', '/sys/fs/cgroup/wg-run-x']);
  });
});
