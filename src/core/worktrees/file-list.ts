/** Files named in a log line or a refusal: the first eight, then how many more (a line stays one line). */
export const fileList = (files: readonly string[]): string =>
  files.length <= 8 ? files.join(', ') : `${files.slice(0, 8).join(', ')} and ${files.length - 8} more`;
