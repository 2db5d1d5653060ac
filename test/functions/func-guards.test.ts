import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { functionYaml } from '../../src/core/functions/function-format';
import { FuncProject, sampleFunction } from './func-support';

/*
 * What `wg func` refuses: paths on the coordinator's machine named by a caller on another machine,
 * function names that are not plain file names, task ids no other command takes, and one broken
 * function file hiding the others.
 */

let p: FuncProject;
beforeEach(async () => {
  p = await FuncProject.create();
});
afterEach(() => p.dispose());

const alice = { person: { name: 'alice', admin: false } };
const boss = { person: { name: 'boss', admin: true } };
const remoteLine = "a file path names a file on the coordinator's machine; from another machine give its contents";

/** The sample function with a file_content input `secret` put into its first task's description. */
function leakyFunction(): void {
  const func = sampleFunction({ id: 'leak' });
  func.inputs.push({ name: 'secret', type: 'file_content', description: 'a file', required: false });
  (func.tasks[0] as { description: string }).description = 'secret: {{input.secret}}';
  p.save(func);
}

describe('a caller on another machine names no file on the coordinator', () => {
  it("refuses a file_content input's path from a person's token (admin too), reading nothing and making nothing", async () => {
    leakyFunction();
    const secret = join(p.temp.dir, 'srv-secret.txt');
    writeFileSync(secret, 'TOP SECRET');
    for (const caller of [alice, boss]) {
      const applied = p.runAs(caller, 'func:apply', { functionId: 'leak', inputs: ['feature_name=x', `secret=${secret}`] });
      await expect(applied).rejects.toMatchObject({ code: 'forbidden', message: `input 'secret': ${remoteLine}` });
    }
    expect(await p.temp.store.list()).toEqual([]);
    // The coordinator's own user still applies it, as upstream does.
    await p.run('func:apply', { functionId: 'leak', inputs: ['feature_name=x', `secret=${secret}`] });
    expect((await p.task('x-plan')).description).toBe('secret: TOP SECRET');
  });

  it("refuses it from an agent run's credential too", async () => {
    leakyFunction();
    const agent = { agent: { id: 'agent-1', runId: null, credential: true } };
    await expect(p.runAs(agent, 'func:apply', { functionId: 'leak', inputs: ['feature_name=x', 'secret=/etc/hostname'] })).rejects.toThrow(
      remoteLine,
    );
  });

  it("a person's token applies a function with its own inputs, and a file_content default of the function's author", async () => {
    const func = sampleFunction();
    const spec = join(p.temp.dir, 'spec.txt');
    writeFileSync(spec, 'the spec');
    func.inputs.push({ name: 'spec', type: 'file_content', description: 'a file', required: false, default: spec });
    (func.tasks[0] as { description: string }).description = '{{input.spec}}';
    p.save(func);
    await p.runAs(alice, 'func:apply', { functionId: 'impl-feature', inputs: ['feature_name=auth'] });
    expect((await p.task('auth-plan')).description).toBe('the spec');
  });

  it('refuses --input-file, a --from file and a --from path that is no peer of federation.yaml', async () => {
    p.save(sampleFunction());
    const inputs = join(p.temp.dir, 'inputs.yaml');
    writeFileSync(inputs, 'feature_name: auth\n');
    await expect(p.runAs(alice, 'func:apply', { functionId: 'impl-feature', inputFile: inputs })).rejects.toThrow(
      `--input-file ${inputs}: ${remoteLine}`,
    );
    const file = join(p.temp.dir, 'external.yaml');
    writeFileSync(file, functionYaml(sampleFunction()));
    await expect(p.runAs(alice, 'func:apply', { functionId: 'impl-feature', inputs: ['feature_name=a'], from: file })).rejects.toThrow(
      `--from ${file}: ${remoteLine}`,
    );
    const other = join(p.temp.dir, 'other-project');
    p.save(sampleFunction(), join(other, '.wg', 'functions'));
    for (const from of [other, `${other}:impl-feature`]) {
      await expect(p.runAs(alice, 'func:apply', { functionId: 'impl-feature', inputs: ['feature_name=a'], from })).rejects.toThrow(
        `--from '${other}' is not a peer of federation.yaml: ${remoteLine}`,
      );
    }
    expect(await p.temp.store.list()).toEqual([]);
    // A peer the coordinator's user named in federation.yaml is theirs to offer.
    writeFileSync(join(p.wgDir, 'federation.yaml'), `peers:\n  mypeer:\n    path: ${other}\n`);
    await p.runAs(alice, 'func:apply', { functionId: 'impl-feature', inputs: ['feature_name=a'], from: 'mypeer:impl' });
    expect(await p.has('a-plan')).toBe(true);
  });

  it('refuses func extract --output, writing nothing', async () => {
    await p.tasks([{ id: 't1' }]);
    const out = join(p.temp.dir, 'elsewhere', 'f.yaml');
    await expect(p.runAs(alice, 'func:extract', { taskIds: ['t1'], output: out })).rejects.toThrow(`--output ${out}: ${remoteLine}`);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(p.funcDir)).toBe(false);
  });
});

describe('a function name is a plain file name', () => {
  const bad = ['../../../../tmp/alice-wrote', '/tmp/x', 'a/b', 'a\\b', '.hidden', '..'];

  it('func extract --name refuses a name that is not, whoever gives it, writing nothing', async () => {
    await p.tasks([{ id: 't1' }]);
    for (const name of bad) {
      await expect(p.run('func:extract', { taskIds: ['t1'], name })).rejects.toThrow(
        /is not a function name: a function name is a plain file name/,
      );
    }
    expect(existsSync(p.funcDir)).toBe(false);
    expect(readdirSync(p.temp.dir).filter((f) => f.endsWith('.yaml'))).toEqual([]);
  });

  it('func show and func apply refuse one, and --from peer:NAME too', async () => {
    p.save(sampleFunction());
    for (const id of bad) {
      await expect(p.run('func:show', { id })).rejects.toThrow(/is not a function name/);
      await expect(p.run('func:apply', { functionId: id, inputs: ['feature_name=a'] })).rejects.toThrow(/is not a function name/);
    }
    await expect(p.run('func:apply', { functionId: 'x', inputs: ['feature_name=a'], from: 'mypeer:../x' })).rejects.toThrow(
      "'../x' is not a function name",
    );
  });

  it('a function file whose id is not one is no function: listed with a warning, applied nowhere', async () => {
    p.save(sampleFunction());
    mkdirSync(p.funcDir, { recursive: true });
    writeFileSync(join(p.funcDir, 'evil.yaml'), functionYaml(sampleFunction({ id: '../../evil' })));
    expect((await p.run('func:list', {})).map((f) => f.id)).toEqual(['impl-feature']);
    expect(p.warnings).toEqual([
      expect.stringMatching(/^functions\/evil\.yaml is not a function file \(id: '\.\.\/\.\.\/evil' is not a function name/),
    ]);
    await expect(p.run('func:apply', { functionId: 'evil', inputs: ['feature_name=a'] })).rejects.toThrow(
      'functions/evil.yaml is not a function file',
    );
    expect(await p.temp.store.list()).toEqual([]);
  });
});

describe('func apply makes only task ids every command takes', () => {
  it.each([
    ['feature_name ../x', { inputs: ['feature_name=../x'] }, '../x-plan'],
    ['feature_name with a space', { inputs: ['feature_name=a b'] }, 'a b-plan'],
    ['--prefix ../p/', { inputs: ['feature_name=ok'], prefix: '../p/' }, '../p/-plan'],
  ])('refuses %s in one line, making nothing (a dry run too)', async (_, given, id) => {
    p.save(sampleFunction());
    for (const dryRun of [false, true]) {
      await expect(p.run('func:apply', { functionId: 'impl-feature', dryRun, ...given })).rejects.toMatchObject({
        code: 'invalid',
        message: expect.stringMatching(
          new RegExp(`^'${id.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}' is not a valid task id: a task id holds only`),
        ),
      });
    }
    expect(await p.temp.store.list()).toEqual([]);
    expect(existsSync(join(p.funcDir, 'impl-feature.runs.jsonl'))).toBe(false);
  });
});

describe('one function file that is not YAML', () => {
  beforeEach(() => {
    p.save(sampleFunction());
    writeFileSync(join(p.funcDir, 'broken.yaml'), 'id: broken\n- item\n');
  });
  const line = 'functions/broken.yaml is not valid YAML (line 2)';

  it('func list lists the others, with one warning naming it and its line', async () => {
    expect((await p.run('func:list', {})).map((f) => f.id)).toEqual(['impl-feature']);
    expect(p.warnings).toEqual([line]);
  });

  it('func show and func apply of it refuse in that line; of another they work', async () => {
    await expect(p.run('func:show', { id: 'broken' })).rejects.toThrow(new RegExp(`^${line.replace(/[.()]/g, '\\$&')}$`));
    await expect(p.run('func:apply', { functionId: 'bro', inputs: ['feature_name=a'] })).rejects.toThrow(line);
    expect((await p.run('func:show', { id: 'impl' })).function.id).toBe('impl-feature');
    await p.run('func:apply', { functionId: 'impl-feature', inputs: ['feature_name=a'] });
    expect(await p.has('a-plan')).toBe(true);
  });
});
