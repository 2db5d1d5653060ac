import { DEFAULT_AGENT } from '../../src/core/agency/starters';
import { startFakeAnthropic, text, type FakeAnthropic, type ScriptTurn } from '../fixtures/fake-anthropic';

/* The scripted model behind the real Claude Code CLI for tests of worktrees under the evaluation gate. */

export const hasTools = (b: Record<string, unknown>) => Array.isArray(b.tools) && (b.tools as unknown[]).length > 0;
/** The id of the task an evaluator's prompt is about. */
export const evaluatedTask = (prompt: string) => /\*\*Title:\*\* [^(]*\(([\w-]+)\)/.exec(prompt)?.[1] ?? null;
/** An evaluator's answer. */
export const scoreAnswer = (score: number, notes: string): ScriptTurn => [
  text(JSON.stringify({ score, dimensions: { correctness: score }, notes })),
];

/**
 * The agents' turns (requests with tools) from `agentTurn`, the evaluator's from `evaluatorAnswer`
 * (given its prompt), and the assigner always picking the starter identity.
 */
export function startAgencyFake(
  agentTurn: (request: Record<string, unknown>) => ScriptTurn,
  evaluatorAnswer: (prompt: string) => ScriptTurn,
): Promise<FakeAnthropic> {
  return startFakeAnthropic([], {
    toolless: 'script',
    respond: (request) => {
      if (hasTools(request)) return agentTurn(request);
      const prompt = JSON.stringify(request.messages ?? []);
      if (prompt.includes('### Role: Evaluator')) return evaluatorAnswer(prompt);
      if (prompt.includes('### Role: Assigner')) {
        return [
          text(`{"agent_hash": "${DEFAULT_AGENT.id.slice(0, 8)}", "exec_mode": "full", "context_scope": "task", "reason": "careful"}`),
        ];
      }
      return [text('ok')];
    },
  });
}
