import log from 'electron-log/main';

/**
 * Everything main (and the core running in it) writes goes to a rotating file in the app's
 * logs folder as well as the terminal: a desktop app has no terminal for most users. The
 * renderer's console is mirrored too, so one file tells what happened.
 */
export function setupLogging(): string {
  log.transports.file.level = 'info';
  log.transports.file.maxSize = 5 * 1024 * 1024;
  log.transports.console.level = 'info';
  log.initialize({ preload: false, spyRendererConsole: true });
  log.errorHandler.startCatching({ showDialog: false });
  // The core logs with console; send that through electron-log too.
  Object.assign(console, log.functions);
  return log.transports.file.getFile().path;
}

export { log };
