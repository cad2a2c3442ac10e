/**
 * @idsync/testing-platform — a whole distributed platform of a test's own (database,
 * JetStream stream and subject prefix, object store), for service integration tests.
 * Apart from @idsync/testing so that the messaging and persistence libraries' own tests can
 * use the basic helpers without a dependency cycle.
 *
 * @example
 *   const platform = await testPlatform('history'); afterAll(() => platform.close());
 */
export * from './platform';
