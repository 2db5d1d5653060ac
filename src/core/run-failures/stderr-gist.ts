/**
 * Lines agent CLIs print on stderr on every run, whether or not anything failed: never a reason.
 * codex 0.169: the notice that it reads stdin (it always does when stdin is not a terminal), and
 * that it could not put its helper programs on PATH under a temporary CODEX_HOME.
 */
const NOISE = [
  /^Reading (additional )?(input|prompt) from stdin\.*$/,
  /^WARNING: proceeding, even though we could not create PATH aliases/,
];

/** stderr without the known noise lines. */
export function withoutNoise(text: string): string {
  return text
    .split('\n')
    .filter((line) => !NOISE.some((pattern) => pattern.test(line.trim())))
    .join('\n');
}

/** A line of a stack trace, a source excerpt or a runtime banner: where an error happened, never what it was. */
const INTERNAL_LINE =
  /^(at\s|node:internal|Node\.js v\d|File ".*", line \d|Traceback \(most recent call last\)|[\^~]+$|[{}()[\],;]+$|throw\b)/;
/** Words a line that says what went wrong usually holds. */
const ERROR_WORDS = /error|fail|exception|denied|refused|cannot|can't|unable|not found|no such|invalid|fatal|panic|abort|missing/i;

/**
 * What build tools print after the error itself: that the step failed, where the full log is, what to
 * run next. True, and never what went wrong (make's "*** [all] Error 1", yarn's "error Command failed
 * with exit code 1.", pnpm's ELIFECYCLE, cargo's "could not compile", gradle's "BUILD FAILED").
 */
const FOOTER = [
  /^make(\[\d+\])?: \*\*\* /,
  /^error Command failed with exit code \d+/,
  /^info Visit https?:\/\//,
  /\bELIFECYCLE\b/,
  /^error: could not compile `/,
  /^error: aborting due to /,
  /^For more information about this error, try /,
  /^(FAILURE: Build failed with an exception\.|BUILD FAILED in )/,
  /^\* Try:|^> Run with --(stacktrace|info|debug|scan)/,
  /^compilation terminated\.$/,
];
/** A warning is not why the process failed: said only when nothing else is. */
const WARNING = /^(npm warn|npm WARN|warning:|warn(ing)?\s*[:[]|WARN\b)/;

/**
 * npm's own block ("npm error …", npm 6-9's "npm ERR! …"): its first paragraph says the error
 * ('Missing script: "test"', "The `npm ci` command can only install with…"); the rest is what it
 * knows about the run (code, path, the command), the script that failed (its own stderr, above, says
 * why), its usage text and where its log is.
 */
const NPM_LINE = /^npm (?:ERR!|error)(?:\s+|$)/;
const NPM_NOT_THE_ERROR = [
  /^(code|errno|syscall|path|dest|workspace|location|signal|command)\b/,
  /^Exit status \d+/,
  /^Lifecycle script `[^`]*` failed/,
  /^Failed at the /,
  /^\S+@\S+ \S+: `/,
  /^This is probably not a problem with npm/,
  /^There is likely additional logging output above/,
  /^A complete log of this run can be found in/,
  /^\/\S+\.log$/,
  /^To see a list of scripts, run:/,
  /^Run "npm help /,
  /^(Usage|Options|aliases):/,
];

/** How long the one line of a reason may get. */
const MAX_LINE = 300;

interface Candidate {
  line: string;
  /** It says something went wrong (an error's words, or npm saying it). */
  error: boolean;
  warning: boolean;
}

/** The first paragraph of one npm block that says the error, joined into one line; null when it says none. */
function npmMessage(block: readonly string[]): string | null {
  const contents = block.map((line) => line.replace(NPM_LINE, '').trim());
  let start = contents.findIndex((text) => text !== '' && !NPM_NOT_THE_ERROR.some((pattern) => pattern.test(text)));
  if (start < 0) return null;
  const paragraph: string[] = [];
  // From the usage text on, npm only describes the command.
  for (; start < contents.length; start++) {
    const text = contents[start] as string;
    if (text === '' || NPM_NOT_THE_ERROR.some((pattern) => pattern.test(text))) break;
    paragraph.push(text);
  }
  return `npm error ${paragraph.join(' ')}`;
}

/** Each line that could be the reason, in order; npm's block counts as the one line of its message. */
function candidates(text: string): Candidate[] {
  const lines = withoutNoise(text)
    .split('\n')
    .map((line) => line.trim());
  const found: Candidate[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (NPM_LINE.test(line)) {
      const block: string[] = [];
      while (i < lines.length && NPM_LINE.test(lines[i] as string)) block.push(lines[i++] as string);
      i--;
      const message = npmMessage(block);
      if (message !== null) found.push({ line: message, error: true, warning: false });
      continue;
    }
    if (line.length === 0 || INTERNAL_LINE.test(line) || FOOTER.some((pattern) => pattern.test(line))) continue;
    const warning = WARNING.test(line);
    found.push({ line, error: !warning && ERROR_WORDS.test(line), warning });
  }
  return found;
}

/**
 * The one line of a process's stderr that says what went wrong: the last line with an error's words
 * (`Error: disk full`, `ValueError: bad input`, npm's 'Missing script: "test"'), else the last
 * meaningful line that is not a warning; never a stack frame, a source excerpt, a runtime banner, or
 * a build tool's footer (npm's "A complete log of this run…", make's "*** Error 1"). The rest stays in
 * the task's log (failureDetail).
 */
export function stderrGist(text: string): string {
  const found = candidates(text);
  const chosen = found.findLast((c) => c.error) ?? found.findLast((c) => !c.warning) ?? found.at(-1);
  const line = chosen?.line ?? '';
  return line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line;
}
