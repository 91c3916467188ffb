import type { ControlHandler } from './controlServer.ts';
import type { LiveEngine } from './liveEngine.ts';

/** Returns the control socket's handler for `engine`: pause, resume, flatten, status. */
export function engineControl(engine: LiveEngine): ControlHandler {
  return async (command) => {
    switch (command) {
      case 'pause':
        return { paused: await engine.pause('operator') };
      case 'resume':
        await engine.resume();
        return { paused: null };
      case 'flatten':
        return { closing: await engine.flatten('operator'), paused: engine.paused };
      case 'status':
        return { paused: engine.paused, positions: engine.status() };
    }
  };
}
