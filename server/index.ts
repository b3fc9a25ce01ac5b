import { ConfigError, loadConfig } from './config';
import { startServer } from './server';

// Entry point: read config, listen, close gracefully on SIGINT/SIGTERM.
try {
  const config = loadConfig();
  const server = await startServer(config);
  server.app.log.info(`Steady is serving on ${server.url} (data in ${config.dataDir})`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      server.app.log.info(`${signal}: closing`);
      server.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`Steady cannot start: ${error.message}`);
    process.exit(2);
  }
  throw error;
}
