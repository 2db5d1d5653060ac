/**
 * The one place main touches the core. The core has no Electron import; main drives it through
 * this interface (src/core/host.ts), as the CLI's daemon does.
 */
export { openProjectHost, type ProjectHost } from '../../core/host';
export { connectCoordinator } from '../../core/connecting/remote-host';
