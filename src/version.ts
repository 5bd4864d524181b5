/** The kit's own version, read once from its package.json. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from './patterns/registry.js';

/** Version of the installed concurrency-kit, e.g. `0.1.0`. */
export const KIT_VERSION: string = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
