import { readFileSync } from 'node:fs';

/**
 * Compose's variable substitution (the compose specification's `${VAR}`, `${VAR:-default}`,
 * `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`, `$$`), applied to the file's text: what
 * `docker compose config` would make of it, without an engine.
 */
function interpolate(text: string, env: Record<string, string>): { text: string; errors: string[] } {
  const errors: string[] = [];
  const result = text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}/g, (whole, name: string, colon: string, kind: string, word: string) => {
    if (whole === '$$') return '$';
    const value = env[name];
    const missing = value === undefined || (colon === ':' && value === '');
    if (!kind) return value ?? '';
    if (kind === '-') return missing ? word : value!;
    if (missing) errors.push(`${name}: ${word}`);
    return value ?? '';
  });
  return { text: result, errors };
}

describe('Deployment files', () => {
  const compose = readFileSync('docker-compose.yml', 'utf8');
  const secrets = { JWT_SECRET: 'z'.repeat(40), ADMIN_EMAIL: 'admin@ministere.example.fr', ADMIN_PASSWORD: 'a long admin password', POSTGRES_PASSWORD: 'db-password-0123' };

  it('refuses to start the stack without its secrets, naming each one', () => {
    const { errors } = interpolate(compose, {});
    expect([...new Set(errors.map((error) => error.split(':')[0]))].sort()).toEqual(['ADMIN_EMAIL', 'ADMIN_PASSWORD', 'JWT_SECRET', 'POSTGRES_PASSWORD']);
    for (const name of Object.keys(secrets)) {
      const { errors: one } = interpolate(compose, { ...secrets, [name]: '' });
      expect(one.map((error) => error.split(':')[0])).toContain(name);
    }
  });

  it('runs in production on the secrets given, with no default left for any of them', () => {
    const { text, errors } = interpolate(compose, secrets);
    expect(errors).toEqual([]);
    expect(text).toContain('NODE_ENV: production');
    for (const value of Object.values(secrets)) expect(text).toContain(value);
    for (const name of Object.keys(secrets)) expect(compose).not.toMatch(new RegExp(`\\$\\{${name}:?-`));
  });

  it('builds the image on a Node.js line that is still supported', () => {
    const lines = [...readFileSync('Dockerfile', 'utf8').matchAll(/^FROM node:(\d+)\b/gm)].map((match) => Number(match[1]));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    // Node.js 20 reached its end of life in April 2026; 22 and 24 are LTS lines.
    for (const major of lines) expect([22, 24]).toContain(major);
  });
});
