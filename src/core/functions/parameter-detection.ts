import type { FunctionInput } from '../../shared/functions';

/*
 * Upstream's parameter heuristics for `wg func extract` (pure): what in the extracted tasks looks like
 * an instance's own value, suggested as an input. The root task's id gives `feature_name`, artifacts
 * give `source_files`, then URLs, CLI commands (known tools only) and numbers next to a word that
 * says what they are ("--max-iterations 3", "threshold 0.8").
 */

/** What the heuristics read of a task. */
export interface ScannedTask {
  id: string;
  title: string;
  description: string;
  artifacts: readonly string[];
}

/** Upstream's sanitize_id: letters, digits and dashes, lowercase, dashes trimmed. */
export function sanitizeId(text: string): string {
  return [...text]
    .map((c) => (/^[\p{L}\p{N}-]$/u.test(c) ? (/^[A-Z]$/.test(c) ? c.toLowerCase() : c) : '-'))
    .join('')
    .replace(/^-+|-+$/g, '');
}

/** A task id without the root's id and a dash before it (upstream's strip_prefix), sanitized. */
export function stripPrefix(taskId: string, rootId: string): string {
  const prefix = `${rootId}-`;
  return taskId.startsWith(prefix) && taskId.length > prefix.length ? sanitizeId(taskId.slice(prefix.length)) : sanitizeId(taskId);
}

/** `impl-feature` → `Impl Feature`. */
export function titleCase(text: string): string {
  return text
    .split('-')
    .map((word) => (word === '' ? '' : [...word][0]?.toUpperCase() + [...word].slice(1).join('')))
    .join(' ');
}

const VERB_PREFIXES = [
  'impl-',
  'implement-',
  'add-',
  'fix-',
  'create-',
  'build-',
  'setup-',
  'update-',
  'refactor-',
  'design-',
  'write-',
  'define-',
  'configure-',
  'enable-',
  'remove-',
];

/** The feature a root task is about: its id without a leading verb (`impl-auth-system` → `auth-system`). */
export function deriveFeatureName(taskId: string): string {
  for (const prefix of VERB_PREFIXES) {
    if (taskId.startsWith(prefix) && taskId.length > prefix.length) return taskId.slice(prefix.length);
  }
  return taskId;
}

/** http(s) URLs among the words, once each. */
export function extractUrls(text: string): string[] {
  const urls: string[] = [];
  for (const raw of text.split(/\s+/)) {
    const word = raw.replace(/^[,;"'()]+|[,;"'()]+$/g, '');
    if ((word.startsWith('http://') || word.startsWith('https://')) && word.length > 10 && !urls.includes(word)) urls.push(word);
  }
  return urls;
}

const COMMAND_PREFIXES = [
  'cargo test',
  'cargo build',
  'cargo clippy',
  'cargo check',
  'cargo install',
  'cargo run',
  'npm test',
  'npm run',
  'npm install',
  'yarn test',
  'yarn build',
  'pytest',
  'python -m pytest',
  'go test',
  'go build',
  'make test',
  'make check',
  'make build',
  'make install',
  'git ',
  'wg ',
];

const KNOWN_TOOLS = new Set([
  'cargo',
  'npm',
  'yarn',
  'pytest',
  'python',
  'go',
  'make',
  'git',
  'wg',
  'docker',
  'kubectl',
  'rustc',
  'gcc',
  'g++',
  'javac',
  'mvn',
  'gradle',
  'pip',
  'ruby',
  'node',
  'deno',
  'bun',
]);

/** Commands of known tools: from a known prefix to the end of its line, and whatever is in backticks. */
export function extractCliCommands(text: string): string[] {
  const commands: string[] = [];
  const add = (command: string) => {
    if (command !== '' && !commands.includes(command)) commands.push(command);
  };
  const lower = text.toLowerCase();
  for (const prefix of COMMAND_PREFIXES) {
    let from = 0;
    for (;;) {
      const at = lower.indexOf(prefix, from);
      if (at < 0) break;
      // Only at the start of a word.
      if (at > 0 && /[A-Za-z0-9_]/.test(text[at - 1] as string)) {
        from = at + 1;
        continue;
      }
      const rest = text.slice(at);
      const newline = rest.indexOf('\n');
      const end = newline < 0 ? rest.length : newline;
      add(
        rest
          .slice(0, end)
          .trim()
          .replace(/[.,;]+$/, ''),
      );
      from = at + Math.max(end, 1);
    }
  }
  const parts = text.split('`');
  for (let i = 1; i < parts.length; i += 2) {
    const inside = (parts[i] as string).trim();
    if (KNOWN_TOOLS.has(inside.split(/\s+/)[0] ?? '')) add(inside);
  }
  return commands;
}

// Longest first, so that "iterations" is found before "max" in "max-iterations".
const NUMBER_KEYWORDS = [
  'threshold',
  'iterations',
  'concurrency',
  'interval',
  'attempts',
  'retries',
  'timeout',
  'workers',
  'agents',
  'limit',
  'count',
  'batch',
  'depth',
  'size',
  'max',
  'min',
];

const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Numbers within three words of a keyword saying what they are, at most three (name, value). */
export function extractContextualNumbers(text: string): Array<[string, number]> {
  const results: Array<[string, number]> = [];
  const words = text.split(/\s+/).filter((w) => w !== '');
  words.forEach((word, i) => {
    const cleaned = word.replace(/^[^0-9.-]+|[^0-9.-]+$/g, '');
    if (cleaned === '' || (cleaned.match(/\./g) ?? []).length > 1 || !FLOAT.test(cleaned)) return;
    const n = Number(cleaned);
    if (n === 0 || n === 1 || !Number.isFinite(n)) return;
    const prev = i > 0 ? (words[i - 1] as string) : null;
    let keyword: string | undefined;
    if (prev?.startsWith('--')) {
      const flag = prev.replace(/^-+/, '').toLowerCase();
      keyword = NUMBER_KEYWORDS.find((kw) => flag.includes(kw));
    }
    if (keyword === undefined && prev !== null) {
      const clean = prev.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
      keyword = NUMBER_KEYWORDS.find((kw) => clean === kw || clean.includes(kw));
    }
    if (keyword === undefined) {
      const context = words
        .slice(Math.max(0, i - 3), Math.min(words.length, i + 4))
        .join(' ')
        .toLowerCase();
      keyword = NUMBER_KEYWORDS.find((kw) => context.includes(kw));
    }
    if (keyword === undefined) return;
    const name = keyword.replace(/-/g, '_');
    if (!results.some(([seen]) => seen === name)) results.push([name, n]);
  });
  return results.slice(0, 3);
}

/** Upstream's detect_parameters over the tasks of an extraction, the root first. */
export function detectParameters(tasks: readonly ScannedTask[]): FunctionInput[] {
  const inputs: FunctionInput[] = [];
  const seen = new Set<string>();
  const text = tasks.map((t) => `${t.title}\n${t.description ? `${t.description}\n` : ''}`).join('');
  const first = tasks[0];
  if (first) {
    const feature = deriveFeatureName(first.id);
    if (feature !== '') {
      inputs.push({
        name: 'feature_name',
        type: 'string',
        description: 'Short name for the feature (used as task ID prefix)',
        required: true,
        example: feature,
      });
      seen.add('feature_name');
    }
  }
  const artifacts = [...new Set(tasks.flatMap((t) => t.artifacts))].sort();
  if (artifacts.length > 0) {
    inputs.push({
      name: 'source_files',
      type: 'file_list',
      description: 'Key source files to modify',
      required: false,
      default: [],
      example: artifacts,
    });
    seen.add('source_files');
  }
  extractUrls(text).forEach((url, i) => {
    const name = i === 0 ? 'url' : `url_${i + 1}`;
    if (seen.has(name)) return;
    inputs.push({ name, type: 'url', description: 'URL reference', required: false, example: url });
    seen.add(name);
  });
  const commands = extractCliCommands(text);
  if (commands.length > 0 && !seen.has('test_command')) {
    inputs.push({
      name: 'test_command',
      type: 'string',
      description: 'Command to verify the implementation',
      required: false,
      default: commands[0] as string,
    });
    seen.add('test_command');
  }
  for (const [name, n] of extractContextualNumbers(text)) {
    if (seen.has(name)) continue;
    inputs.push({
      name,
      type: 'number',
      description: `Numeric parameter (${name.replace(/_/g, ' ')})`,
      required: false,
      default: Math.trunc(n),
    });
    seen.add(name);
  }
  return inputs;
}
