import { WgError } from '../../shared/errors';
import { TokenStore } from '../store/token-store';
import type { Handlers } from './context';

export const tokenHandlers: Handlers<'token:create' | 'token:list' | 'token:revoke' | 'agentd:status'> = {
  'token:create': (input, { store }) => new TokenStore(store.core).create(input),
  'token:list': (_input, { store }) => new TokenStore(store.core).list(),
  'token:revoke': ({ name }, { store }) => new TokenStore(store.core).revoke(name),
  'agentd:status': async (_input, { service }) => {
    const status = await service?.agentDaemonsStatus?.();
    if (!status) throw new WgError('unavailable', 'this coordinator does not accept agent daemons');
    return status;
  },
};
