import { WgError } from '../../shared/errors';
import type { OpContext } from './context';

/**
 * Whether the request came over the API with a credential of someone who is not the coordinator's
 * own user: a person's token (admin or not) or an agent run's own credential (an agent daemon's job,
 * an HTTP agent service). Such a caller works from another machine, so a path it gives would name a
 * file on the coordinator's machine that is not its own (least authority). The `wg` of the
 * coordinator's machine, the window and the project's own token are its user.
 */
function fromAnotherMachine(ctx: Pick<OpContext, 'person' | 'agent'>): boolean {
  return ctx.person !== undefined || ctx.agent?.credential === true;
}

/** Refuses `what` (a flag, an input) when it names a file and the caller is on another machine. */
export function refuseRemotePath(ctx: Pick<OpContext, 'person' | 'agent'>, what: string): void {
  if (!fromAnotherMachine(ctx)) return;
  throw new WgError('forbidden', `${what}: a file path names a file on the coordinator's machine; from another machine give its contents`);
}
