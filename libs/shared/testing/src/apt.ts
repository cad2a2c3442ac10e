import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface AptInstall {
  /** Files the packages provide: when all exist, nothing is installed. */
  files: string[];
  packages: string[];
  /** Passes --no-install-recommends (Samba's recommends pull in much that a test never uses). */
  withoutRecommends?: boolean;
}

/**
 * Installs Debian packages with apt-get unless the files they provide are already there; runs
 * `apt-get update` and tries again when the first install fails (a fresh image has no lists).
 *
 * @example
 *   ensureAptPackages({ files: ['/usr/sbin/slapd'], packages: ['slapd', 'ldap-utils'] });
 */
export function ensureAptPackages({ files, packages, withoutRecommends = false }: AptInstall): void {
  if (files.every((f) => existsSync(f))) return;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Parallel test workers may all get here; waiting for the dpkg lock beats failing on it.
  const lock = ['-o', 'DPkg::Lock::Timeout=300'];
  const install = () => execFileSync('apt-get', [...lock, 'install', '-y', ...(withoutRecommends ? ['--no-install-recommends'] : []), ...packages], { env, stdio: 'pipe' });
  try {
    install();
  } catch {
    execFileSync('apt-get', [...lock, 'update'], { env, stdio: 'pipe' });
    install();
  }
}
