import { WgError } from '../../shared/errors';
import { TokenStore } from '../store/token-store';
import type { Handlers } from './context';

export const remoteHandlers: Handlers<'token:create' | 'token:list' | 'token:revoke' | 'remote:status'> = {
  'token:create': (input, { store }) => new TokenStore(store.core).create(input),
  'token:list': (_input, { store }) => new TokenStore(store.core).list(),
  'token:revoke': ({ name }, { store }) => new TokenStore(store.core).revoke(name),
  'remote:status': async (_input, { service }) => {
    const status = await service?.remoteStatus?.();
    if (!status) throw new WgError('unavailable', 'this coordinator does not accept agent daemons');
    return status;
  },
};
