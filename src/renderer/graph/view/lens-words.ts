import type { WorkTarget } from './work-set';

/** What a lens shows, in words: "the work", or "the most urgent work" when only that part fits one screen. */
export const aboutLens = (target: WorkTarget, whole: boolean) =>
  whole ? target.about : `the most urgent ${target.about.replace(/^the /, '')}`;
