/** The product version, taken from package.json when the bundle is built. */
import { version } from '../../package.json';

export const VERSION: string = version;
export const TOOL_NAME = 'actions-warden';
