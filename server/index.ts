import { ConfigError, loadConfig } from './config';
import { startServer } from './server';
import { closeOnSignals } from './shutdown';

// Entry point: read config, listen, close gracefully on SIGTERM/SIGINT (server/shutdown.ts).
try {
  const config = loadConfig();
  const server = await startServer(config);
  closeOnSignals(server, { timeoutMs: config.shutdownTimeoutMs });
  server.app.log.info(`Steady is serving on ${server.url} (data in ${config.dataDir})`);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`Steady cannot start: ${error.message}`);
    process.exit(2);
  }
  throw error;
}
