/** credential-literal heuristics: every flagged spelling is flagged, every false positive is not. */
import { credentialReason } from '../../lib/policy/rules/secrets/credential-literal';

test.each([
  ['DB_PASSWORD', 'hunter2'], ['db.password', 'x'], ['MYSQL_ROOT_PASSWD', 'root'], ['Github-Token', 'abc'],
  ['stripe.apiKey', 'changeme'], ['API_KEY', 'k'], ['client_secret', 'abc'], ['PRIVATE_KEY', 'abc'],
  ['CONNECTION_STRING', 'Server=db;User Id=sa;Password=p'], ['SENTRY_DSN', 'https://k@o1.ingest.sentry.io/1'],
  ['CONFIG', 'AKIAIOSFODNN7EXAMPLE'], ['X', 'https://admin:s3cr3t@api.example.com/'],
  ['X', '-----BEGIN OPENSSH PRIVATE KEY-----'], ['X', 'ghp_' + 'a'.repeat(36)], ['X', 'xoxb-1234567890-abcdef'],
  ['X', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'],
  ['TOKEN', 'x'], ['password', '0xdeadbeef'],
])('flags %s=%s', (name, value) => expect(credentialReason(name, value)).toBeDefined());

test.each([
  ['a PEM private key', 'key: -----BEGIN RSA PRIVATE KEY-----'], ['a PEM private key', '-----BEGIN ENCRYPTED PRIVATE KEY-----'],
  ['a PEM private key', '-----BEGIN EC PRIVATE KEY BLOCK-----'],
  ['an AWS access key id', 'id=AKIAIOSFODNN7EXAMPLE'], ['an AWS access key id', 'ASIAIOSFODNN7EXAMPLE'],
  ...['ghp', 'gho', 'ghu', 'ghs', 'ghr'].map(p => ['a GitHub token', `${p}_${'A1'.repeat(18)}`]),
  ['a GitHub token', `github_pat_${'a_1'.repeat(8)}`],
  ...['xoxa', 'xoxb', 'xoxp', 'xoxr', 'xoxs'].map(p => ['a Slack token', `token ${p}-0123456789`]),
  ['a Stripe secret key', `sk_live_${'a1'.repeat(10)}`], ['a Stripe secret key', `rk_live_${'Z9'.repeat(10)}`],
  ['a Google API key', `AIza${'Sy_-'.repeat(8)}abc`],
  ['a JSON Web Token', 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N'],
  ['a URL with a password', 'HTTPS://admin:s3cr3t@api.example.com/'], ['a URL with a password', 'amqp://u:p@mq:5672'],
])('finds %s whatever the name: %s', (what, value) => expect(credentialReason('X', value)).toBe(`holds ${what}`));

test.each([
  ['DB_PASSWORD_FILE', '/run/secrets/db'], ['TOKEN_PATH', './token'], ['SECRET_NAME', 'db-credentials'],
  ['TOKEN_TTL', '1h'], ['PASSWORD_MIN_LENGTH', '12'], ['AUTH_TOKEN_HEADER', 'Authorization'], ['SECRETS_ENABLED', 'true'],
  ['API_KEY', '$(API_KEY_FROM_FILE)'], ['API_KEY', '${API_KEY}'], ['OAUTH_TOKEN_URL', 'https://login.example.com/token'],
  ['DATABASE_URL', 'postgres://db:5432/shop'], ['PASSWORD', ''], ['LOG_LEVEL', 'info'], ['TOKEN_AUDIENCE', 'api'],
  ['SECRET_KEY_REF', 'api/key'], ['AWS_ACCESS_KEY_ID', 'from-irsa'], ['KEYCLOAK_REALM', 'shop'], ['SECRET_STORE', 'vault'],
  ['TOKEN_REFRESH_SECONDS', '300'], ['PASSWORD_REQUIRED', 'yes'],
])('does not flag %s=%s', (name, value) => expect(credentialReason(name, value)).toBeUndefined());

test('command and args: a credential flag and a URL with a password are both found; paths and durations are not', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { credentialLiteral } = require('../../lib/policy/rules/secrets/credential-literal');
  const pod = (args: string[]) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop' }, spec: { containers: [{ name: 'app', image: 'x', args }] } });
  const ctx: any = { settings: {}, objects: [], rules: [], today: '2026-01-01' };
  expect(credentialLiteral.check(pod(['--db-password=hunter2', 'redis://:s3cr3t@redis:6379/0']), ctx).map((v: any) => v.path))
    .toEqual(['spec.containers[0].args[0]', 'spec.containers[0].args[1]']);
  expect(credentialLiteral.check(pod(['--password-file=/run/secrets/db', '--token-ttl=1h', '--api-key', '$(API_KEY)']), ctx)).toEqual([]);
});
