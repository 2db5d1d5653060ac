import { errorText } from '../../shared/errors';
import type { ListedFunction, TraceFunction } from '../../shared/functions';
import { recordOperation } from '../provenance/operations-log';
import { applyFunction, renderedInputs } from '../functions/apply';
import { extractStatic, provenanceCount, targetPath } from '../functions/extract';
import {
  appendRunRecord,
  findFunctionByPrefix,
  functionsDir,
  loadAllFunctions,
  loadRuns,
  runsFile,
  saveFunctionAt,
} from '../functions/function-files';
import { validateFunction } from '../functions/function-validate';
import { askClaude, generalizeFunction } from '../functions/generalize';
import { extractGenerative } from '../functions/generative';
import { peerNames, resolvePeer } from '../functions/peers';
import { refuseRemotePath } from './caller-machine';
import type { Handlers, OpContext } from './context';

type FuncOps = 'func:list' | 'func:show' | 'func:extract' | 'func:apply';

const warnOf = (ctx: OpContext) => (line: string) => ctx.warn?.(line);

/** Each peer's functions open to peers (peer or public visibility); a peer that cannot be read has none. */
function peerFunctions(wgDir: string): ListedFunction[] {
  return peerNames(wgDir).flatMap((name) => {
    try {
      return loadAllFunctions(functionsDir(resolvePeer(name, wgDir)))
        .filter((f) => f.visibility !== 'internal')
        .map((f) => ({ ...f, source: `peer:${name}` }));
    } catch {
      return [];
    }
  });
}

/** `--generalize`: the function made a pattern by the model, or as it was (with a warning) when that fails. */
async function generalized(func: TraceFunction, ctx: OpContext): Promise<TraceFunction> {
  try {
    const result = await generalizeFunction(func, askClaude());
    ctx.warn?.('Function generalized via executor.');
    return result;
  } catch (error) {
    ctx.warn?.(`Warning: Generalization failed: ${errorText(error)}. Saving raw extraction.`);
    return func;
  }
}

export const funcHandlers: Handlers<FuncOps> = {
  'func:list': ({ visibility, includePeers }, ctx) => {
    const { paths } = ctx;
    const local: ListedFunction[] = loadAllFunctions(functionsDir(paths.dir), warnOf(ctx)).map((f) => ({ ...f, source: 'local' }));
    const all = [...local, ...(includePeers ? peerFunctions(paths.dir) : [])];
    return visibility === undefined ? all : all.filter((f) => f.visibility === visibility);
  },
  'func:show': ({ id }, { paths }) => {
    const dir = functionsDir(paths.dir);
    const func = findFunctionByPrefix(dir, id);
    return { function: func, runs: loadRuns(runsFile(dir, func.id)) };
  },
  'func:extract': async (input, ctx) => {
    const { store, paths } = ctx;
    const now = store.core.clock().toISOString();
    const includeEvaluations = input.includeEvaluations === true;
    let root = input.taskIds[0] as string;
    let generative = false;
    let func: TraceFunction;
    let ids: Set<string>;
    let requiredSkills: string[] = [];
    const outcome = input.generative ? await extractGenerative(store, input.taskIds, { name: input.name, includeEvaluations }, now) : null;
    if (outcome?.kind === 'generative') {
      generative = true;
      func = outcome.func;
      requiredSkills = outcome.commonSkills;
      ids = new Set(input.taskIds);
    } else {
      if (outcome) {
        ctx.warn?.(`All ${input.taskIds.length} traces have identical topology. Falling back to static extraction.`);
        root = outcome.root;
      }
      // A generative run that fell back extracts the whole subgraph of its first trace, as upstream's.
      const subgraph = input.subgraph === true || input.recursive === true || outcome !== null;
      ({ func, ids } = await extractStatic(store, root, { name: input.name, subgraph, includeEvaluations }, now));
    }
    if (input.output !== undefined) refuseRemotePath(ctx, `--output ${input.output}`);
    const path = targetPath(paths.dir, func.id, input.output, input.force === true);
    if (input.generalize && !input.generative) func = await generalized(func, ctx);
    validateFunction(func);
    saveFunctionAt(func, path, input.output !== undefined);
    return {
      function: func,
      saved_to: path,
      from: generative ? [...input.taskIds] : [root],
      generative,
      provenance_operations: generative ? 0 : provenanceCount(paths.dir, ids),
      required_skills: requiredSkills,
    };
  },
  'func:apply': async (input, ctx) => {
    const { store, paths, actor } = ctx;
    const request = {
      functionId: input.functionId,
      from: input.from,
      inputs: input.inputs ?? [],
      inputFile: input.inputFile,
      prefix: input.prefix,
      dryRun: input.dryRun === true,
      after: input.after ?? [],
      model: input.model,
      checkPath: (what: string) => refuseRemotePath(ctx, what),
    };
    const { result, func, inputs } = await applyFunction(store.core, paths, request, actor, warnOf(ctx));
    if (request.dryRun) return result;
    const rendered = renderedInputs(inputs);
    try {
      recordOperation(paths.dir, 'apply', {
        detail: { function_id: func.id, inputs: rendered, created_task_ids: result.task_ids, prefix: result.prefix },
      });
      appendRunRecord(functionsDir(paths.dir), func.id, {
        applied_at: store.core.clock().toISOString(),
        inputs: rendered,
        prefix: result.prefix,
        task_ids: result.task_ids,
      });
    } catch (error) {
      ctx.warn?.(`could not record the run: ${errorText(error)}`);
    }
    return result;
  },
};
