// Entry of the engine thread and of the build threads (threaded-engine.ts,
// snapshot-build.ts); `workerData.entry` names the module to run. Worker threads
// do not inherit the parent's `--import tsx`, so the TypeScript loader is
// registered here first.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(new URL(workerData.entry, import.meta.url).href);
