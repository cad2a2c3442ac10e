import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';

export const SERVICES = ['connector', 'preparation', 'synchronization', 'workflow', 'history', 'notification', 'gateway'] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface DistributedOptions {
  env: Record<string, string>;
  /** Folder for each service's log file. */
  logDir: string;
  root?: string;
}

/**
 * The seven services, each its own process, as in production (one container each).
 * Used by `npm run dev:distributed` and by the distributed e2e tests.
 */
export class DistributedSystem {
  readonly processes = new Map<ServiceName, ChildProcess>();

  constructor(private readonly o: DistributedOptions) {}

  async startAll(): Promise<void> {
    for (const s of SERVICES) this.start(s);
  }

  start(service: ServiceName): ChildProcess {
    const root = this.o.root ?? join(__dirname, '..');
    const log = createWriteStream(join(this.o.logDir, `${service}.log`), { flags: 'a' });
    const child = spawn(process.execPath, ['-r', join(root, 'tools/register.js'), join(root, `services/${service}/src/main.ts`)], {
      cwd: root,
      env: { ...process.env, ...this.o.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    this.processes.set(service, child);
    return child;
  }

  /** SIGKILL: the process gets no chance to finish anything (fault tests). */
  kill(service: ServiceName): void {
    this.processes.get(service)?.kill('SIGKILL');
  }

  async stopAll(): Promise<void> {
    await Promise.all(
      [...this.processes.values()].map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.exitCode !== null || p.signalCode !== null) return resolve();
            const timer = setTimeout(() => p.kill('SIGKILL'), 5000);
            p.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            p.kill('SIGTERM');
          }),
      ),
    );
    this.processes.clear();
  }
}
