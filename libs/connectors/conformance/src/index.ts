/**
 * @idsync/connector-conformance — one suite of behaviours every writable connector must show against its real peer.
 *
 * @example
 *   describeConformance('ldap', async () => ({ connector, objectType: 'user', create, keyOf, update, unreachable, cleanup }));
 */
export * from './conformance.suite';
