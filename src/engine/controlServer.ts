import { existsSync, unlinkSync } from 'node:fs';
import { Socket, createServer, type Server } from 'node:net';
import { join } from 'node:path';

/** The commands the control socket takes. */
export const CONTROL_COMMANDS = ['pause', 'resume', 'flatten', 'status'] as const;
export type ControlCommand = (typeof CONTROL_COMMANDS)[number];

/** Where the running engine listens for control commands: a Unix socket in its data directory. */
export function controlSocketPath(dataDir: string): string {
  return join(dataDir, 'control.sock');
}

/** Answers one control command. */
export type ControlHandler = (command: ControlCommand) => Promise<unknown>;

// A request is one short JSON line; anything longer is not a client of ours.
const MAX_REQUEST_BYTES = 4096;

/**
 * Serves the control socket: each connection sends one JSON line `{"command": …}` and gets one
 * JSON line back (`{ok: true, result}` or `{ok: false, error}`), then is closed. No network
 * port: only processes that can reach the data directory can talk to the engine. The socket
 * file is removed on close; a stale one (we hold the data directory's lock) is replaced.
 */
export async function serveControl(
  dataDir: string,
  handle: ControlHandler,
): Promise<{ path: string; close: () => Promise<void> }> {
  const path = controlSocketPath(dataDir);
  if (existsSync(path)) unlinkSync(path);
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffer = '';
    const reply = (body: unknown) => {
      socket.end(`${JSON.stringify(body)}\n`);
    };
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      if (buffer.length > MAX_REQUEST_BYTES) {
        reply({
          ok: false,
          error: `a control request is one JSON line of at most ${MAX_REQUEST_BYTES} bytes`,
        });
        return;
      }
      const newline = buffer.indexOf('\n');
      if (newline < 0) return;
      const line = buffer.slice(0, newline);
      socket.removeAllListeners('data');
      let command: unknown;
      try {
        command = (JSON.parse(line) as { command?: unknown }).command;
      } catch {
        reply({ ok: false, error: 'a control request is a JSON line like {"command":"status"}' });
        return;
      }
      if (!CONTROL_COMMANDS.includes(command as ControlCommand)) {
        reply({
          ok: false,
          error: `unknown command ${JSON.stringify(command)}: use one of ${CONTROL_COMMANDS.join(', ')}`,
        });
        return;
      }
      handle(command as ControlCommand).then(
        (result) => reply({ ok: true, result }),
        (error: unknown) =>
          reply({ ok: false, error: error instanceof Error ? error.message : String(error) }),
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    path,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The control socket answered with a refusal, or nobody answered. */
export class ControlError extends Error {
  override readonly name = 'ControlError';
}

/** Sends one command to the engine listening in `dataDir` and resolves with its result. */
export function sendControl(dataDir: string, command: ControlCommand): Promise<unknown> {
  const path = controlSocketPath(dataDir);
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      answer += chunk;
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT' || error.code === 'ECONNREFUSED'
          ? new ControlError(
              `no engine is running on the data directory ${dataDir} (no answer on ${path}); start one with ratchet run`,
            )
          : new ControlError(`the engine's control socket ${path} failed: ${error.message}`),
      );
    });
    socket.on('end', () => {
      try {
        const body = JSON.parse(answer) as { ok: boolean; result?: unknown; error?: string };
        if (body.ok) resolve(body.result);
        else
          reject(
            new ControlError(`the engine refused ${command}: ${body.error ?? 'no reason given'}`),
          );
      } catch {
        reject(new ControlError(`the engine's answer to ${command} was not readable`));
      }
    });
    socket.connect(path, () => socket.write(`${JSON.stringify({ command })}\n`));
  });
}
