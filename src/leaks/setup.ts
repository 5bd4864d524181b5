/**
 * The vitest setup file for users: `test: { setupFiles: ['concurrency-kit/leaks/setup'] }` fails every test that
 * leaks (see `installLeakHooks`). Configured through environment variables: `CONCURRENCY_KIT_LEAKS_MODULES` (a
 * JSON array of absolute module paths whose pending promises count; default: every non-test file),
 * `CONCURRENCY_KIT_LEAKS_REPORT` (a JSON-lines report file) and `CONCURRENCY_KIT_LEAKS_GRACE_MS`.
 *
 * It imports `vitest` itself, so it needs the kit and the project to resolve the same vitest; when they may not,
 * write a setup file of your own that passes your vitest's hooks to `installLeakHooks`.
 *
 * @packageDocumentation
 */
import { afterEach, beforeEach } from 'vitest';
import { installLeakHooks, leakHooksOptionsFromEnv } from './vitest.js';

installLeakHooks({ beforeEach, afterEach }, leakHooksOptionsFromEnv(process.env));
