export { buildTriagePrompt } from './triage-prompt';
export { parseTriageVerdict, triageVerdictFromEvents, type TriageVerdict } from './triage-verdict';
export { buildTriageLaunch } from './triage-launch';
