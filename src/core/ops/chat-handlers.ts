import { WgError } from '../../shared/errors';
import { CHAT_TIMEOUT_S } from '../../shared/ops/domains/chat-ops';
import { findCoordinatorChat } from '../chat/chat-sessions';
import { readChatHistory } from '../chat/chat-files';
import type { Handlers } from './context';

export const chatHandlers: Handlers<'chat:send' | 'chat:history'> = {
  'chat:send': ({ message, timeout }, { service }) => {
    const chat = service?.chat;
    if (!chat) throw new WgError('unavailable', 'this coordinator hosts no chat agent');
    return chat(message, timeout ?? CHAT_TIMEOUT_S);
  },
  'chat:history': async ({ depth }, { paths }) => {
    const dir = await findCoordinatorChat(paths.dir);
    const history = dir ? await readChatHistory(dir) : [];
    return depth === undefined ? history : history.slice(-depth);
  },
};
