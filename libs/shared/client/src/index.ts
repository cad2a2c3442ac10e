/**
 * @idsync/client — a client of the gateway's REST API.
 *
 * @example
 *   const api = new GatewayClient('http://127.0.0.1:8080', token);
 *   const jobs = await api.get('/api/jobs');
 */
export * from './gateway-client';
