import { bool, int, loadEnv, str } from './env';

describe('loadEnv', () => {
  it('reads prefixed variables first, then shared ones, then defaults', () => {
    const env = loadEnv('GATEWAY', { PORT: int({ default: 8080 }), NATS_URL: str(), DEBUG: bool({ default: false }) }, {
      GATEWAY_PORT: '9090',
      NATS_URL: 'nats://x:4222',
    });
    expect(env).toEqual({ PORT: 9090, NATS_URL: 'nats://x:4222', DEBUG: false });
  });

  it('lists every problem at once', () => {
    expect(() => loadEnv('SYNC', { PORT: int(), URL: str({ doc: 'the database' }) }, { SYNC_PORT: 'eighty' })).toThrow(
      /SYNC_PORT: expected an integer, got "eighty"[\s\S]*SYNC_URL is required \(the database\)/,
    );
  });
});
