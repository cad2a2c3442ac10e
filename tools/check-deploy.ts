import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, parseDocument } from 'yaml';

/**
 * Checks the deployment files without Docker or a cluster: docker-compose.yml, every YAML document
 * in deploy/k8s/ and docker/Dockerfile are parsed and their structure asserted. Prints one line
 * per check and exits 1 if any failed.
 *
 * @example
 *   node -r ./tools/register.js tools/check-deploy.ts            # this repository
 *   node -r ./tools/register.js tools/check-deploy.ts ../other   # another checkout
 */

export const SERVICES = ['gateway', 'connector', 'preparation', 'synchronization', 'workflow', 'history', 'notification'] as const;
const INFRASTRUCTURE = ['nats', 'postgres'] as const;
const NAMESPACE = 'idsync';

export interface Check {
  ok: boolean;
  /** What was checked, e.g. `compose: gateway has NATS_URL`. */
  name: string;
  /** Why it failed, in words that say what to fix. */
  problem?: string;
}

type Dict = Record<string, unknown>;

const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);
const pass = (name: string): Check => ({ ok: true, name });
const fail = (name: string, problem: string): Check => ({ ok: false, name, problem });
const check = (name: string, ok: boolean, problem: string): Check => (ok ? pass(name) : fail(name, problem));

// ---------------------------------------------------------------------------------------------
// docker-compose.yml

/** Compose environment as a map, whichever of its two spellings (map or `KEY=value` list) is used. */
function environmentOf(service: Dict): Record<string, string> {
  const env = service.environment;
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map(String).map((line) => {
        const i = line.indexOf('=');
        return i < 0 ? [line, ''] : [line.slice(0, i), line.slice(i + 1)];
      }),
    );
  }
  if (isDict(env)) return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? '' : String(v)]));
  return {};
}

/** depends_on as target -> condition, whichever of its two spellings (list or map) is used. */
function dependenciesOf(service: Dict): Record<string, string> {
  const deps = service.depends_on;
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [String(d), 'service_started']));
  if (isDict(deps)) return Object.fromEntries(Object.entries(deps).map(([k, v]) => [k, isDict(v) ? String(v.condition ?? 'service_started') : 'service_started']));
  return {};
}

/** Checks a parsed compose file (merge keys already resolved). */
export function checkCompose(compose: unknown): Check[] {
  const out: Check[] = [];
  if (!isDict(compose) || !isDict(compose.services)) return [fail('compose: has services', 'no `services:` mapping at the top level')];
  const services = compose.services as Record<string, unknown>;
  const names = Object.keys(services);
  const declaredVolumes = isDict(compose.volumes) ? Object.keys(compose.volumes) : [];

  for (const [name, raw] of Object.entries(services)) {
    if (!isDict(raw)) {
      out.push(fail(`compose: ${name} is a mapping`, `service ${name} must be a mapping of options`));
      continue;
    }
    out.push(check(`compose: ${name} has image or build`, Boolean(raw.image || raw.build), `service ${name} has neither \`image\` nor \`build\``));
    for (const [target] of Object.entries(dependenciesOf(raw))) {
      out.push(check(`compose: ${name} depends on existing ${target}`, names.includes(target), `service ${name} depends on "${target}", which is not a service`));
    }
    for (const v of Array.isArray(raw.volumes) ? raw.volumes : []) {
      const source = typeof v === 'string' ? v.split(':')[0] : isDict(v) ? String(v.source ?? '') : '';
      // A named volume (not a path) must be declared at the top level, or compose refuses to start.
      if (source && !/^[./~$]/.test(source)) {
        out.push(check(`compose: ${name} volume ${source} declared`, declaredVolumes.includes(source), `volume "${source}" of ${name} is not declared under top-level \`volumes:\``));
      }
    }
  }

  for (const infra of INFRASTRUCTURE) {
    const s = services[infra];
    out.push(check(`compose: ${infra} present`, isDict(s), `no "${infra}" service`));
    if (isDict(s)) out.push(check(`compose: ${infra} has a healthcheck`, isDict(s.healthcheck) && Boolean(s.healthcheck.test), `${infra} needs a healthcheck: the services wait for it to be healthy`));
  }
  const nats = services.nats;
  if (isDict(nats)) {
    const command = Array.isArray(nats.command) ? nats.command.map(String) : String(nats.command ?? '').split(/\s+/);
    out.push(check('compose: nats runs JetStream with a store', command.includes('-js') && command.includes('-sd'), 'nats must run with `-js -sd <dir>` (JetStream, stored on its volume)'));
  }

  for (const svc of SERVICES) {
    const s = services[svc];
    if (!isDict(s)) {
      out.push(fail(`compose: ${svc} present`, `the ${svc} service is missing`));
      continue;
    }
    out.push(pass(`compose: ${svc} present`));
    const build = isDict(s.build) ? s.build : {};
    const args = isDict(build.args) ? build.args : {};
    out.push(
      check(
        `compose: ${svc} built from docker/Dockerfile with SERVICE=${svc}`,
        build.dockerfile === 'docker/Dockerfile' && args.SERVICE === svc,
        `${svc} must be built with \`dockerfile: docker/Dockerfile\` and \`args: { SERVICE: ${svc} }\``,
      ),
    );
    const env = environmentOf(s);
    for (const v of ['NATS_URL', 'DATABASE_URL', 'IDSYNC_SECRET_KEY']) {
      out.push(check(`compose: ${svc} has ${v}`, Boolean(env[v]), `${svc} has no ${v} in its environment`));
    }
    const deps = dependenciesOf(s);
    for (const infra of INFRASTRUCTURE) {
      out.push(check(`compose: ${svc} waits for ${infra} to be healthy`, deps[infra] === 'service_healthy', `${svc} must depend on ${infra} with \`condition: service_healthy\``));
    }
  }

  const gateway = services.gateway;
  if (isDict(gateway)) {
    const env = environmentOf(gateway);
    const ports = (Array.isArray(gateway.ports) ? gateway.ports : []).map((p) => (isDict(p) ? `${p.published}:${p.target}` : String(p)));
    out.push(check('compose: gateway listens on 8080', env.GATEWAY_PORT === '8080', 'gateway needs GATEWAY_PORT=8080'));
    out.push(check('compose: gateway port 8080 published', ports.some((p) => /(^|:)8080:8080$/.test(p)), 'gateway must publish "8080:8080"'));
  }
  const notification = services.notification;
  if (isDict(notification)) {
    const env = environmentOf(notification);
    const smtp = env.NOTIFICATION_SMTP_URL ?? env.SMTP_URL ?? '';
    out.push(check('compose: notification has an SMTP_URL', /^smtps?:\/\//.test(smtp), 'notification needs SMTP_URL (smtp://host:port)'));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Kubernetes manifests

export interface K8sDocument {
  file: string;
  doc: unknown;
}

const metadataOf = (d: Dict): Dict => (isDict(d.metadata) ? d.metadata : {});
const labelsMatch = (selector: unknown, labels: unknown) =>
  isDict(selector) && isDict(labels) && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);

/** Checks the documents of deploy/k8s (empty documents already left out). */
export function checkKubernetes(docs: K8sDocument[]): Check[] {
  const out: Check[] = [];
  const objects: { file: string; kind: string; name: string; d: Dict }[] = [];

  for (const { file, doc } of docs) {
    const where = isDict(doc) ? `${file} ${String(doc.kind ?? '?')}/${String(metadataOf(doc).name ?? '?')}` : file;
    if (!isDict(doc)) {
      out.push(fail(`k8s: ${where} is an object`, `a document in ${file} is not a mapping`));
      continue;
    }
    const meta = metadataOf(doc);
    const complete = Boolean(doc.apiVersion) && Boolean(doc.kind) && typeof meta.name === 'string' && meta.name !== '';
    out.push(check(`k8s: ${where} has apiVersion, kind, metadata.name`, complete, `a document in ${file} lacks apiVersion, kind or metadata.name`));
    if (!complete) continue;
    objects.push({ file, kind: String(doc.kind), name: String(meta.name), d: doc });
    if (doc.kind !== 'Namespace') {
      out.push(check(`k8s: ${where} in namespace ${NAMESPACE}`, meta.namespace === NAMESPACE, `${where} must set metadata.namespace: ${NAMESPACE}`));
    }
  }

  const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.name === name);
  out.push(check(`k8s: Namespace ${NAMESPACE} defined`, Boolean(find('Namespace', NAMESPACE)), `no Namespace named ${NAMESPACE}`));

  for (const dep of objects.filter((o) => o.kind === 'Deployment')) {
    const where = `Deployment ${dep.name}`;
    const spec = isDict(dep.d.spec) ? dep.d.spec : {};
    const template = isDict(spec.template) ? spec.template : {};
    const podSpec = isDict(template.spec) ? template.spec : {};
    const containers = Array.isArray(podSpec.containers) ? podSpec.containers.filter(isDict) : [];
    const selector = isDict(spec.selector) ? spec.selector.matchLabels : undefined;
    out.push(check(`k8s: ${where} selector matches its pods`, labelsMatch(selector, metadataOf(template).labels), `${where}: spec.selector.matchLabels must match spec.template.metadata.labels`));
    out.push(check(`k8s: ${where} has containers`, containers.length > 0, `${where} has no containers`));
    for (const c of containers) {
      out.push(check(`k8s: ${where} container ${String(c.name)} image set`, typeof c.image === 'string' && c.image.trim() !== '', `${where}: container ${String(c.name)} has no image`));
      for (const from of Array.isArray(c.envFrom) ? c.envFrom.filter(isDict) : []) {
        const ref = isDict(from.configMapRef) ? { kind: 'ConfigMap', name: String(from.configMapRef.name) } : isDict(from.secretRef) ? { kind: 'Secret', name: String(from.secretRef.name) } : undefined;
        if (ref) out.push(check(`k8s: ${where} envFrom ${ref.kind} ${ref.name} exists`, Boolean(find(ref.kind, ref.name)), `${where} reads ${ref.kind} "${ref.name}", which no manifest defines`));
      }
    }
  }

  for (const svc of SERVICES) {
    const dep = find('Deployment', svc);
    out.push(check(`k8s: Deployment ${svc} present`, Boolean(dep), `no Deployment named ${svc}`));
    if (!dep) continue;
    const podSpec = ((dep.d.spec as Dict)?.template as Dict)?.spec as Dict | undefined;
    const containers = (Array.isArray(podSpec?.containers) ? podSpec.containers : []).filter(isDict);
    const hasEnv = containers.some((c) => {
      const from = (Array.isArray(c.envFrom) ? c.envFrom : []).filter(isDict);
      return from.some((f) => isDict(f.configMapRef)) && from.some((f) => isDict(f.secretRef));
    });
    out.push(check(`k8s: Deployment ${svc} takes env from ConfigMap and Secret`, hasEnv, `${svc} must take its environment with envFrom from the ConfigMap and the Secret`));
  }

  const gateway = find('Deployment', 'gateway');
  if (gateway) {
    const c = ((((gateway.d.spec as Dict).template as Dict)?.spec as Dict)?.containers as Dict[] | undefined)?.[0] ?? {};
    const probe = isDict(c.readinessProbe) && isDict(c.readinessProbe.httpGet) ? c.readinessProbe.httpGet : {};
    out.push(check('k8s: gateway ready on GET /health', probe.path === '/health', 'the gateway needs readinessProbe.httpGet.path: /health'));
  }
  const gatewayService = objects.find((o) => o.kind === 'Service' && isDict(o.d.spec) && isDict(o.d.spec.selector) && o.d.spec.selector['app.kubernetes.io/name'] === 'gateway');
  out.push(check('k8s: Service for the gateway', Boolean(gatewayService), 'no Service selects the gateway pods (app.kubernetes.io/name: gateway)'));

  const egressTo = (name: string) =>
    objects.some((o) => {
      if (o.kind !== 'NetworkPolicy' || !isDict(o.d.spec) || !Array.isArray(o.d.spec.egress)) return false;
      return o.d.spec.egress.some((rule: unknown) => isDict(rule) && Array.isArray(rule.to) && rule.to.some((peer: unknown) => isDict(peer) && isDict(peer.podSelector) && isDict(peer.podSelector.matchLabels) && peer.podSelector.matchLabels['app.kubernetes.io/name'] === name));
    });
  for (const infra of INFRASTRUCTURE) {
    out.push(check(`k8s: NetworkPolicy allows egress to ${infra}`, egressTo(infra), `no NetworkPolicy egress rule reaches pods labelled app.kubernetes.io/name: ${infra}`));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Dockerfile

export interface DockerInstruction {
  /** Upper-case keyword: FROM, RUN, ... */
  keyword: string;
  /** Everything after the keyword, continuation lines joined. */
  args: string;
  /** 1-based line where the instruction starts. */
  line: number;
}

/** Splits a Dockerfile into instructions: comments and blank lines dropped, `\` continuations joined. */
export function parseDockerfile(text: string): DockerInstruction[] {
  const out: DockerInstruction[] = [];
  let current: { parts: string[]; line: number } | undefined;
  text.split(/\r?\n/).forEach((raw, i) => {
    const trimmed = raw.trim();
    // Comment lines are dropped even inside a continuation, as Docker does.
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const continues = /\\$/.test(trimmed);
    const piece = continues ? trimmed.slice(0, -1).trim() : trimmed;
    if (current) current.parts.push(piece);
    else current = { parts: [piece], line: i + 1 };
    if (!continues) {
      const joined = current.parts.join(' ');
      const m = /^(\S+)\s*(.*)$/.exec(joined)!;
      out.push({ keyword: m[1].toUpperCase(), args: m[2], line: current.line });
      current = undefined;
    }
  });
  if (current) {
    const joined = current.parts.join(' ');
    const m = /^(\S+)\s*(.*)$/.exec(joined)!;
    out.push({ keyword: m[1].toUpperCase(), args: m[2], line: current.line });
  }
  return out;
}

const usesServiceArg = (s: string) => /\$\{?SERVICE\b/.test(s);

/** Checks a Dockerfile's text. */
export function checkDockerfile(text: string): Check[] {
  const out: Check[] = [];
  const all = parseDockerfile(text);
  const firstNonArg = all.find((i) => i.keyword !== 'ARG');
  out.push(check('Dockerfile: FROM comes first', firstNonArg?.keyword === 'FROM', `the first instruction must be FROM (only ARG may precede it), found ${firstNonArg?.keyword ?? 'nothing'}`));

  // Stages: each FROM starts one; ARG values do not cross into a stage unless declared in it.
  const stages: DockerInstruction[][] = [];
  for (const i of all) {
    if (i.keyword === 'FROM') stages.push([i]);
    else if (stages.length) stages[stages.length - 1].push(i);
  }
  const stageNames = stages.map((s) => /\bAS\s+(\S+)/i.exec(s[0].args)?.[1]).filter((n): n is string => Boolean(n));
  for (const [n, stage] of stages.entries()) {
    const image = stage[0].args.replace(/^--platform=\S+\s+/, '').split(/\s+/)[0];
    out.push(
      check(
        `Dockerfile: stage ${n + 1} based on node:20-bookworm-slim`,
        image === 'node:20-bookworm-slim' || stageNames.includes(image),
        `line ${stage[0].line}: FROM ${image}; use node:20-bookworm-slim (or an earlier stage)`,
      ),
    );
    let declared = false;
    for (const i of stage.slice(1)) {
      if (i.keyword === 'ARG' && /^SERVICE\b/.test(i.args)) declared = true;
      else if (usesServiceArg(i.args) && !declared && i.keyword !== 'CMD' && i.keyword !== 'ENTRYPOINT') {
        out.push(fail(`Dockerfile: line ${i.line} SERVICE declared in its stage`, `line ${i.line} uses $SERVICE but its stage has no \`ARG SERVICE\` before it (build args do not cross stages)`));
      }
    }
  }
  const serviceArgUsed = all.some((i) => i.keyword !== 'ARG' && i.keyword !== 'CMD' && i.keyword !== 'ENTRYPOINT' && usesServiceArg(i.args));
  out.push(check('Dockerfile: ARG SERVICE declared and used', all.some((i) => i.keyword === 'ARG' && /^SERVICE\b/.test(i.args)) && serviceArgUsed, 'the build arg SERVICE must be declared (ARG SERVICE) and used to pick the service'));

  const final = stages[stages.length - 1] ?? [];
  const user = [...final].reverse().find((i) => i.keyword === 'USER');
  const userName = user?.args.split(':')[0].trim();
  out.push(check('Dockerfile: final stage runs as a non-root USER', Boolean(userName) && userName !== 'root' && userName !== '0', user ? `line ${user.line}: USER ${user.args} is root` : 'the final stage has no USER: it would run as root'));

  out.push(check('Dockerfile: dependencies installed with npm ci', all.some((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args)), 'install dependencies with `npm ci` (the lock file decides the versions)'));
  for (const i of all) {
    if (i.keyword === 'ADD' && /\bhttps?:\/\//i.test(i.args)) out.push(fail(`Dockerfile: line ${i.line} no remote ADD`, `line ${i.line}: ADD from a URL downloads unverified content; vendor it or use a package manager`));
    if (i.keyword === 'RUN' && /\b(curl|wget)\b/.test(i.args)) out.push(fail(`Dockerfile: line ${i.line} no curl/wget`, `line ${i.line}: downloads with curl/wget are not allowed in the image build`));
  }
  out.push(
    check(
      'Dockerfile: compiles with tools/build.ts',
      all.some((i) => i.keyword === 'RUN' && /\btools\/build\.ts\b/.test(i.args)),
      'a stage must compile the sources with `node -r ./tools/register.js tools/build.ts`',
    ),
  );
  const start = [...final].reverse().find((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT');
  out.push(
    check(
      'Dockerfile: starts the compiled dist/services/<SERVICE>/src/main.js',
      Boolean(start && /\bnode\b/.test(start.args) && /dist\/services\/\$\{?\w*SERVICE\}?\/src\/main\.js/.test(start.args) && !/register\.js/.test(start.args)),
      'the final CMD must run the compiled `node dist/services/${SERVICE}/src/main.js`, without the TypeScript loader',
    ),
  );
  return out;
}

// ---------------------------------------------------------------------------------------------
// Files

/** Parses YAML, turning parse errors into a failed check instead of an exception. */
function yamlDocuments(file: string, text: string, many: boolean): { docs: unknown[]; checks: Check[] } {
  const parsed = many ? parseAllDocuments(text, { merge: true }) : [parseDocument(text, { merge: true })];
  const list = Array.isArray(parsed) ? parsed : [];
  const errors = list.flatMap((d) => d.errors.map((e) => e.message));
  if (errors.length) return { docs: [], checks: [fail(`${file}: valid YAML`, errors.join('; '))] };
  return { docs: list.map((d) => d.toJS({ maxAliasCount: 1000 })).filter((d) => d !== null && d !== undefined), checks: [pass(`${file}: valid YAML`)] };
}

/** Every check against the files under `root` (the repository). */
export function checkRepository(root: string): Check[] {
  const out: Check[] = [];
  const read = (rel: string): string | undefined => {
    try {
      return readFileSync(join(root, rel), 'utf8');
    } catch {
      out.push(fail(`${rel}: present`, `${rel} does not exist`));
      return undefined;
    }
  };

  const compose = read('docker-compose.yml');
  if (compose !== undefined) {
    const { docs, checks } = yamlDocuments('docker-compose.yml', compose, false);
    out.push(...checks);
    if (docs.length) out.push(...checkCompose(docs[0]));
  }

  let files: string[] = [];
  try {
    files = readdirSync(join(root, 'deploy/k8s')).filter((f) => /\.ya?ml$/.test(f)).sort();
  } catch {
    out.push(fail('deploy/k8s: present', 'deploy/k8s does not exist'));
  }
  const k8s: K8sDocument[] = [];
  for (const f of files) {
    const rel = `deploy/k8s/${f}`;
    const { docs, checks } = yamlDocuments(rel, readFileSync(join(root, rel), 'utf8'), true);
    out.push(...checks);
    k8s.push(...docs.map((doc) => ({ file: rel, doc })));
  }
  if (files.length) out.push(...checkKubernetes(k8s));

  const dockerfile = read('docker/Dockerfile');
  if (dockerfile !== undefined) out.push(...checkDockerfile(dockerfile));
  const ignore = read('.dockerignore');
  if (ignore !== undefined) {
    const lines = ignore.split(/\r?\n/).map((l) => l.trim());
    out.push(check('.dockerignore: leaves node_modules and .git out', lines.includes('node_modules') && lines.includes('.git'), '.dockerignore must list node_modules and .git'));
  }
  return out;
}

function main(): void {
  const checks = checkRepository(process.argv[2] ?? join(__dirname, '..'));
  for (const c of checks) process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.name}${c.ok ? '' : `\n      ${c.problem}`}\n`);
  const failed = checks.filter((c) => !c.ok);
  if (failed.length) {
    process.stderr.write(`\ndeployment files: ${failed.length} of ${checks.length} checks failed:\n${failed.map((c) => `  - ${c.problem}`).join('\n')}\n`);
    process.exit(1);
  }
  process.stdout.write(`\ndeployment files: all ${checks.length} checks passed\n`);
}

if (require.main === module) main();
