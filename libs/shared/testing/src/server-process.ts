import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ServerProcessOptions {
  /** Names the server in errors: "slapd on port 40123", "samba on 127.0.0.7". */
  name: string;
  command: string;
  /** Must keep the server in the foreground (no daemonizing, no forked workers): the pid we hold is the server. */
  args: string[];
  /** True once the server takes requests; called until it is, or the server exits, or time runs out. */
  ready: () => Promise<boolean>;
  /** What ready() checks, for the timeout error: "accept a bind". */
  readiness: string;
  timeoutMs: number;
  /** Pause between ready() calls. */
  pollMs: number;
}

/**
 * Spawns a server in the foreground and resolves when `ready()` says it takes requests. Throws
 * with the tail of its output when it exits first or is not ready within `timeoutMs` (then it
 * is killed). The process is killed too if the test process exits without stopping it.
 *
 * @example
 *   const child = await startServerProcess({ name: `slapd on port ${port}`, command: '/usr/sbin/slapd', args: ['-f', conf, '-h', url, '-d', '0'],
 *     ready: () => acceptsBind(url), readiness: 'accept a bind', timeoutMs: 15_000, pollMs: 100 });
 *   await stopServerProcess(child);
 */
export async function startServerProcess(options: ServerProcessOptions): Promise<ChildProcess> {
  const { name, command, args, ready, readiness, timeoutMs, pollMs } = options;
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (b: Buffer) => (output = (output + b.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  child.once('exit', () => (exited = true));
  child.once('error', (e) => (output += `\n${e.message}`));
  const killOnExit = () => child.kill('SIGKILL');
  // A test run that dies without afterAll must not leave servers behind.
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`${name} exited: ${output.trim()}`);
    if (await ready()) return child;
    if (Date.now() > deadline) {
      await stopServerProcess(child);
      throw new Error(`${name} did not ${readiness} within ${Math.round(timeoutMs / 1000)} s: ${output.trim()}`);
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** SIGTERM, then SIGKILL after 5 s; resolves when the process has exited. Does nothing if it already has. */
export async function stopServerProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** A new folder under os.tmpdir() for a server's configuration and data, e.g. /tmp/idsync-slapd-Xa9b2c. */
export function makeServerFolder(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export function removeServerFolder(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}

/**
 * The stop() of a server handle: stops the server's current process and deletes its folder,
 * once, however often it is called.
 */
export function serverStopper(current: () => ChildProcess | undefined, dir: string): { stop: () => Promise<void>; stopped: () => boolean } {
  let stopped = false;
  return {
    stopped: () => stopped,
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopServerProcess(current());
      await removeServerFolder(dir);
    },
  };
}
