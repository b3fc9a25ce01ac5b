import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config';

const root = path.resolve(import.meta.dirname, '../..');

describe('loadConfig', () => {
  it('defaults to port 8080, SQLite in ./data and the build in ./dist, resolved against the working directory', () => {
    const config = loadConfig({}, '/srv/steady');
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dataDir: path.resolve('/srv/steady/data'),
      databaseUrl: null,
      staticDir: path.resolve('/srv/steady/dist'),
      bodyLimit: 1024 * 1024,
      logLevel: 'info',
      shutdownTimeoutMs: 15_000,
    });
  });

  it('reads the values it is given', () => {
    const config = loadConfig(
      { PORT: '0', DATA_DIR: 'var/db', STATIC_DIR: '', LOG_LEVEL: 'warn', BODY_LIMIT_BYTES: '4096', SHUTDOWN_TIMEOUT_MS: '2500' },
      '/srv/steady',
    );
    expect(config).toMatchObject({
      port: 0,
      dataDir: path.resolve('/srv/steady/var/db'),
      staticDir: null,
      logLevel: 'warn',
      bodyLimit: 4096,
      shutdownTimeoutMs: 2500,
    });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['LOG_LEVEL', 'loud'],
    ['BODY_LIMIT_BYTES', '-1'],
    ['BODY_LIMIT_BYTES', '1.5'],
    ['DATABASE_URL', 'mysql://localhost/steady'],
    ['SHUTDOWN_TIMEOUT_MS', '10s'],
  ])('rejects %s=%s with a ConfigError naming the variable', (variable, value) => {
    let error: unknown;
    try {
      loadConfig({ [variable]: value }, '/srv/steady');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ variable });
    expect((error as ConfigError).message).toMatch(new RegExp(`^${variable}: `));
  });
});

describe('server/index.ts', () => {
  it('exits with code 2 and names the variable when the configuration is invalid', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'steady-config-'));
    try {
      const tsx = path.join(root, 'node_modules/tsx/dist/cli.mjs');
      const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = execFile(
          process.execPath,
          [tsx, 'server/index.ts'],
          { cwd: root, timeout: 15_000, env: { PATH: process.env.PATH, PORT: 'abc', DATA_DIR: dataDir, STATIC_DIR: '' } },
          (_error, _stdout, stderr) => resolve({ code: child.exitCode, stderr }),
        );
      });
      expect(code).toBe(2);
      expect(stderr).toContain('Steady cannot start: PORT: expected a whole number, got "abc"');
      // It stopped before opening the database.
      expect(fs.readdirSync(dataDir)).toEqual([]);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
