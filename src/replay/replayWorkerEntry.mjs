// A replay worker thread starts here: worker threads do not inherit the main thread's tsx
// loader, so this plain module registers it before loading the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./replayWorker.ts');
