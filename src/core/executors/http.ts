import { invalid } from '../../shared/errors';
import type { JsonValue } from '../../shared/task';
import { runCredential } from '../credentials/run-credential';
import type { LaunchContext, LaunchSpec } from './launch';

/**
 * Hands the task to a remote agent service. The service reports back like a local agent would:
 * POST the callback URL when done (body `{agent, run_id, artifacts?}`), the heartbeat URL while
 * working (body `{run_id}`), both with `Authorization: Bearer <token>`; or it calls the API with
 * that token (its run's credential: its own task only, run-authority.ts). The run id proves a report comes from this run: once the
 * run no longer holds the task (timed out, requeued), its reports are refused with HTTP 409.
 */
export function buildHttpLaunch(ctx: LaunchContext): LaunchSpec {
  const endpoint = ctx.profile.endpoint?.trim();
  if (!endpoint) throw invalid(`executor '${ctx.profile.name}' is of type http but has no endpoint`);
  const method = (ctx.profile.method ?? 'POST').toUpperCase();
  if (method !== 'POST' && method !== 'PUT') throw invalid(`executor '${ctx.profile.name}': method must be POST or PUT, not '${method}'`);
  if (!ctx.apiUrl) throw invalid(`executor '${ctx.profile.name}': an http agent needs the service API running to report back`);
  const api = ctx.apiUrl.replace(/\/+$/, '');
  const { task } = ctx;
  const payload: Record<string, JsonValue> = {
    task: {
      id: task.id,
      title: task.title,
      description: task.description,
      after: task.after,
      tags: task.tags,
      priority: task.priority,
      artifacts: task.artifacts,
      retry_count: task.retry_count,
    },
    agent_id: ctx.agent.id,
    run_id: ctx.runId,
    prompt: ctx.prompt,
    model: ctx.model.id,
    api_url: api,
    callback_url: `${api}/api/task/${encodeURIComponent(task.id)}/complete`,
    heartbeat_url: `${api}/api/agent/${encodeURIComponent(ctx.agent.id)}/heartbeat`,
    // The run's credential: it acts only on this task, while this run holds it; never the project's token.
    token: ctx.apiToken ? runCredential(ctx.apiToken, ctx.agent.id, ctx.runId) : null,
  };
  return { kind: 'http', endpoint, method, payload };
}
