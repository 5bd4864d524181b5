// Removes the given folders (build output) before a fresh build; portable replacement for `rm -rf`.
import { rm } from 'node:fs/promises';

await Promise.all(process.argv.slice(2).map((dir) => rm(dir, { recursive: true, force: true })));
