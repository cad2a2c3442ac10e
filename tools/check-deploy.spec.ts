import { join } from 'node:path';
import { parse } from 'yaml';
import { checkCompose, checkDockerfile, checkKubernetes, checkRepository, parseDockerfile, SERVICES, type Check } from './check-deploy';

const problems = (checks: Check[]) => checks.filter((c) => !c.ok).map((c) => c.problem);

/** A compose file that passes, to break one thing at a time. */
function goodCompose(): Record<string, unknown> {
  const env = { NATS_URL: 'nats://nats:4222', DATABASE_URL: 'postgres://idsync:idsync@postgres:5432/idsync', IDSYNC_SECRET_KEY: 'k' };
  const deps = { nats: { condition: 'service_healthy' }, postgres: { condition: 'service_healthy' } };
  const services: Record<string, unknown> = {
    nats: { image: 'nats:2.10-alpine', command: ['-js', '-sd', '/data'], healthcheck: { test: ['CMD', 'true'] } },
    postgres: { image: 'postgres:16', healthcheck: { test: ['CMD-SHELL', 'pg_isready'] } },
  };
  for (const s of SERVICES) {
    services[s] = { build: { context: '.', dockerfile: 'docker/Dockerfile', args: { SERVICE: s } }, environment: { ...env }, depends_on: { ...deps } };
  }
  Object.assign((services.gateway as { environment: object }).environment, { GATEWAY_PORT: '8080' });
  (services.gateway as { ports: string[] }).ports = ['8080:8080'];
  Object.assign((services.notification as { environment: object }).environment, { SMTP_URL: 'smtp://mailpit:1025' });
  return { services };
}

describe('check-deploy', () => {
  it('passes the repository’s own deployment files', () => {
    const checks = checkRepository(join(__dirname, '..'));
    expect(problems(checks)).toEqual([]);
    expect(checks.length).toBeGreaterThan(50);
  });

  describe('compose', () => {
    it('passes a complete file', () => {
      expect(problems(checkCompose(goodCompose()))).toEqual([]);
    });

    it('rejects a broken file, saying what is wrong', () => {
      const compose = parse(`
services:
  nats:
    image: nats:2.10
    command: -js
  gateway:
    environment:
      - NATS_URL=nats://nats:4222
    depends_on: [nats, postgress]
    volumes: [gateway-data:/data]
`);
      const found = problems(checkCompose(compose));
      expect(found).toEqual(
        expect.arrayContaining([
          'service gateway has neither `image` nor `build`',
          'service gateway depends on "postgress", which is not a service',
          'volume "gateway-data" of gateway is not declared under top-level `volumes:`',
          'nats needs a healthcheck: the services wait for it to be healthy',
          'nats must run with `-js -sd <dir>` (JetStream, stored on its volume)',
          'no "postgres" service',
          'gateway has no DATABASE_URL in its environment',
          'gateway must depend on nats with `condition: service_healthy`',
          'the history service is missing',
          'gateway needs GATEWAY_PORT=8080',
        ]),
      );
      expect(found).not.toContain('gateway has no NATS_URL in its environment'); // the list spelling is understood
    });

    it('rejects one missing variable in an otherwise complete file', () => {
      const compose = goodCompose();
      delete (compose.services as Record<string, { environment: Record<string, string> }>).workflow.environment.DATABASE_URL;
      expect(problems(checkCompose(compose))).toEqual(['workflow has no DATABASE_URL in its environment']);
    });

    it('rejects a file without services', () => {
      expect(problems(checkCompose({ version: '3' }))).toEqual(['no `services:` mapping at the top level']);
    });
  });

  describe('kubernetes', () => {
    it('rejects documents without identity, images or the seven Deployments', () => {
      const found = problems(
        checkKubernetes([
          { file: 'a.yaml', doc: { kind: 'ConfigMap', metadata: { name: 'x', namespace: 'idsync' } } },
          {
            file: 'b.yaml',
            doc: {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              metadata: { name: 'gateway', namespace: 'idsync' },
              spec: { selector: { matchLabels: { app: 'gw' } }, template: { metadata: { labels: { app: 'other' } }, spec: { containers: [{ name: 'gateway', image: '' }] } } },
            },
          },
        ]),
      );
      expect(found).toEqual(
        expect.arrayContaining([
          'a document in a.yaml lacks apiVersion, kind or metadata.name',
          'no Namespace named idsync',
          'Deployment gateway: spec.selector.matchLabels must match spec.template.metadata.labels',
          'Deployment gateway: container gateway has no image',
          'no Deployment named history',
          'the gateway needs readinessProbe.httpGet.path: /health',
          'no NetworkPolicy egress rule reaches pods labelled app.kubernetes.io/name: postgres',
        ]),
      );
    });
  });

  describe('Dockerfile', () => {
    it('splits instructions, joining continuations and dropping comments', () => {
      const text = '# syntax=docker/dockerfile:1\nFROM node:20-bookworm-slim AS deps\n\nRUN npm ci \\\n  # a comment inside\n  --omit=dev\ncmd ["node"]\n';
      expect(parseDockerfile(text)).toEqual([
        { keyword: 'FROM', args: 'node:20-bookworm-slim AS deps', line: 2 },
        { keyword: 'RUN', args: 'npm ci --omit=dev', line: 4 },
        { keyword: 'CMD', args: '["node"]', line: 7 },
      ]);
    });

    it('rejects root, downloads, a stray base image and SERVICE used where it is not declared', () => {
      const found = problems(
        checkDockerfile(`
RUN echo too early
FROM node:20-bookworm-slim AS deps
ARG SERVICE
RUN npm ci
FROM alpine:3.20
COPY services/\${SERVICE} services/\${SERVICE}
ADD https://example.org/tool.tgz /opt/
RUN curl -fsSL https://example.org/install.sh | sh
USER root
CMD ["node", "main.js"]
`),
      );
      expect(found).toEqual(
        expect.arrayContaining([
          'the first instruction must be FROM (only ARG may precede it), found RUN',
          'line 6: FROM alpine:3.20; use node:20-bookworm-slim (or an earlier stage)',
          'line 7 uses $SERVICE but its stage has no `ARG SERVICE` before it (build args do not cross stages)',
          'line 8: ADD from a URL downloads unverified content; vendor it or use a package manager',
          'line 9: downloads with curl/wget are not allowed in the image build',
          'line 10: USER root is root',
          'a stage must compile the sources with `node -r ./tools/register.js tools/build.ts`',
          'the final CMD must run the compiled `node dist/services/${SERVICE}/src/main.js`, without the TypeScript loader',
        ]),
      );
    });

    it('rejects a final stage without USER', () => {
      expect(problems(checkDockerfile('FROM node:20-bookworm-slim\nARG SERVICE\nRUN npm ci && echo $SERVICE\nRUN node -r ./tools/register.js tools/build.ts\nCMD node dist/services/${SERVICE}/src/main.js\n'))).toEqual([
        'the final stage has no USER: it would run as root',
      ]);
    });
  });
});
