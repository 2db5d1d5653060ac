/**
 * The agent-daemon protocol: JSON messages with a `type`, each defined once here with a schema and
 * validated on both ends (src/agentd sends and checks one side, src/core/agent-daemons the other).
 */
export * from './protocol-constants';
export * from './daemon-messages';
export * from './coordinator-messages';
export {
  parseDaemonMessage,
  parseCoordinatorMessage,
  daemonFrame,
  megabytes,
  utf8Bytes,
  type RefusedAbout,
} from './parse';
