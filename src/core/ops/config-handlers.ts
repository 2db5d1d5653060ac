import { parseDuration } from '../../shared/durations';
import { loadSettings, readValue, settingUnit } from '../config/settings';
import { withRoleRoutes } from '../config/role-routes';
import { updateToml, section } from '../config/toml-file';
import { addModel, readModels, removeModel, setDefaultModel, setRoleModel } from '../config/models';
import { addExecutor, readExecutors, removeExecutor, requireExecutor } from '../config/executors';
import { DISPATCH_ROLES, type DispatchRole } from '../../shared/config-types';
import { invalid } from '../../shared/errors';
import type { Handlers } from './context';
import { CONFIG_KEYS } from '../../shared/config-keys';

function parseRole(value: string): DispatchRole {
  if ((DISPATCH_ROLES as readonly string[]).includes(value)) return value as DispatchRole;
  throw invalid(`unknown role '${value}': a role is one of ${DISPATCH_ROLES.join(', ')}`);
}

/**
 * What config.toml gets: a duration as a number in its unit where that is a whole number (what
 * upstream reads: `heartbeat_timeout = 5`), else as written ("90s").
 */
function fileValue(key: string, value: string | number | boolean): string | number | boolean {
  const unit = settingUnit(key);
  if (!unit) return value;
  const amount = parseDuration(value, unit);
  return amount !== null && Number.isInteger(amount) ? amount : value;
}

type ConfigOps =
  | 'config:list'
  | 'config:update'
  | 'model:list'
  | 'model:add'
  | 'model:remove'
  | 'model:setDefault'
  | 'model:setRole'
  | 'executor:list'
  | 'executor:add'
  | 'executor:remove';

export const configHandlers: Handlers<ConfigOps> = {
  'config:list': (_input, { paths }) => withRoleRoutes(loadSettings(paths).entries, paths),
  'config:update': ({ list: _list, global, ...values }, { paths }) => {
    const changes = Object.entries(values).filter(([, v]) => v !== undefined) as Array<
      [keyof typeof CONFIG_KEYS, string | number | boolean]
    >;
    if (changes.length > 0) {
      loadSettings(paths); // refuse to write over a file that does not parse
      // An executor that names nothing would fail every task: refused here, listing the ones there are.
      if (typeof values.executor === 'string') requireExecutor(paths, values.executor);
      const written = changes.map(([flag, value]) => {
        const key = CONFIG_KEYS[flag];
        readValue(key, value, `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
        return [key, fileValue(key, value)] as const;
      });
      updateToml(global ? paths.globalConfig : paths.config, (table) => {
        for (const [key, value] of written) {
          const [group, name] = key.split('.') as [string, string];
          section(table, group)[name] = value;
        }
      });
    }
    return withRoleRoutes(loadSettings(paths).entries, paths);
  },
  'model:list': (_input, { paths }) => readModels(paths),
  'model:add': (input, { paths }) => addModel(paths, input),
  'model:remove': ({ name }, { paths }) => removeModel(paths, name),
  'model:setDefault': ({ name }, { paths }) => setDefaultModel(paths, name),
  // `model set ROLE MODEL` (upstream's form) or `model set MODEL --role ROLE`.
  'model:setRole': ({ role, name, model }, { paths }) =>
    model === undefined ? setRoleModel(paths, role as string, name) : setRoleModel(paths, parseRole(name), model),
  'executor:list': (_input, { paths }) => readExecutors(paths),
  'executor:add': (input, { paths }) => addExecutor(paths, input),
  'executor:remove': ({ name }, { paths }) => removeExecutor(paths, name),
};
