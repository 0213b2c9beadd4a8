// Entry of the engine thread (threaded-engine.ts). Worker threads do not inherit
// the parent's `--import tsx`, so the TypeScript loader is registered here first.
import { register } from 'tsx/esm/api';

register();
await import('./engine-thread.ts');
