import { describe, expect, it } from 'vitest';
import { runsInline, wrapperCommand } from '../../../src/core/coordinator/launching/wrapper';

describe('which shell lines the wrapper runs itself', () => {
  it.each([
    'true',
    'make -C build test',
    'npm run build && npm test > out.txt 2>&1',
    "grep -q 'needle' notes.md || echo 'not found' >&2",
    'if test -f x; then cat x; fi',
    './run.sh --out=a,b@c %d ~/x *.c [ab]? # a comment',
  ])('inline: %s', (line) => {
    expect(runsInline(line)).toBe(true);
    expect(wrapperCommand('/bin/sh', ['-c', line], true)).toEqual(['i', line]);
    // A POSIX shell ends at a syntax error in eval: never inline there.
    expect(wrapperCommand('/bin/sh', ['-c', line], false)).toEqual(['l', line]);
  });

  it.each([
    ['exit 1', 'ends the shell'],
    ['make || exit 1', 'ends the shell'],
    ['exec node server.js', 'replaces the shell'],
    ["trap 'rm -f x' EXIT; make", 'its own traps'],
    ['set -e; make; make install', 'shell options'],
    ['echo ${NAME:?must be set}', 'an expansion can end the shell'],
    ['echo $((1 / 0))', 'an expansion can end the shell'],
    ['echo `date`', 'command substitution'],
    ['f() { return 3; }; f', 'functions and grouping'],
    ['readonly x=1; x=2', 'an assignment error ends the shell'],
    ['. ./env.sh && make', 'sourced files'],
    [': > file', 'a special builtin'],
    ['cat <<END\nx\nEND', 'more than one line'],
    ['__wg_s=0 true', "the wrapper's own variables"],
  ])('in a subshell: %s (%s)', (line) => {
    expect(runsInline(line)).toBe(false);
    expect(wrapperCommand('/bin/sh', ['-c', line], true)).toEqual(['l', line]);
  });

  it('gives a line that names the shell ($$, $PPID) a shell of its own, and passes other commands as they are', () => {
    expect(wrapperCommand('/bin/sh', ['-c', 'mktemp /tmp/x.$$'], true)).toEqual(['x', '/bin/sh', '-c', 'mktemp /tmp/x.$$']);
    expect(wrapperCommand('/bin/sh', ['-c', 'echo ${PPID}'], true)).toEqual(['x', '/bin/sh', '-c', 'echo ${PPID}']);
    expect(wrapperCommand('claude', ['--print', 'exit'], true)).toEqual(['x', 'claude', '--print', 'exit']);
    expect(wrapperCommand('/bin/sh', ['-c', 'true', 'arg0'], true)).toEqual(['x', '/bin/sh', '-c', 'true', 'arg0']);
  });
});
