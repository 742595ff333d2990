import { checkPods, containersOf, joinPath, PodSpecRef } from '../../../kube/manifest';
import { IRule, RuleViolation, Severity, Stride } from '../../types';

/*
 * Heuristics, tuned on both sides (test/fixtures/rules/credential-literal):
 * - a NAME that says credential (password, secret, token, api key, private key, credentials, connection string...),
 *   unless it names where the credential is or what it is rather than the credential itself (…_FILE, …_PATH, …_NAME,
 *   …_REF, …_ID, …_TTL, …_TIMEOUT, …_HEADER, …_ENABLED...), with a VALUE that is a literal (not empty, not a `$(VAR)`
 *   reference, not a path, boolean, number or duration, not a URL without userinfo);
 * - or a VALUE that is a credential whatever the name: a PEM private key, an AWS access key id, GitHub, Slack, Stripe and
 *   Google API tokens, a JWT, a URL with a password (`scheme://user:password@host`).
 */
const CREDENTIAL_NAME = /(pass(word|wd|phrase)?|pwd|secret|token|api[-_.]?key|private[-_.]?key|credential|auth[-_.]?key|access[-_.]?key|signing[-_.]?key|encryption[-_.]?key|session[-_.]?key|conn(ection)?[-_.]?str(ing)?|dsn)/i;
const NOT_THE_CREDENTIAL = /([-_.](file|path|dir|directory|name|ref|id|ttl|timeout|expiry|expires|expiration|lifetime|length|header|type|alg|algorithm|issuer|audience|endpoint|url|uri|host|port|mode|enabled|disabled|required|policy|provider|source|field|version|count|size|limit|rotation|prefix|suffix|format|location|mount|namespace|store|backend|manager|engine|class|strategy|method|scope|role|owner|key[-_.]?ref)|[-_.]?(file|path|name)s?)$/i;
const NOT_A_LITERAL = [
  /^\s*$/, // empty
  /^\$\([A-Za-z_][A-Za-z0-9_.-]*\)$/, // $(OTHER_VAR): the kubelet expands it
  /^\$\{[A-Za-z_][A-Za-z0-9_.-]*\}$/, // ${VAR}: expanded by the program or a template
  /^(\/|\.\/|~\/)[^\s]*$/, // a path
  /^(true|false|yes|no|on|off|enabled|disabled|none|null|required|optional)$/i,
  /^-?\d+(\.\d+)?$/, // a number
  /^\d+(ms|s|m|h|d)$/, // a duration
  /^[a-z][a-z0-9+.-]*:\/\/[^@\s]*$/i, // a URL without userinfo
];
const CREDENTIAL_VALUES: [RegExp, string][] = [
  [/-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----/, 'a PEM private key'],
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/, 'an AWS access key id'],
  [/\b(gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{22,})\b/, 'a GitHub token'],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
  [/\b[sr]k_live_[0-9A-Za-z]{20,}/, 'a Stripe secret key'],
  [/\bAIza[0-9A-Za-z_-]{35}\b/, 'a Google API key'],
  [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/, 'a JSON Web Token'],
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:[^\s/@]+@/i, 'a URL with a password'],
];

/**
 * Text that each CREDENTIAL_VALUES pattern requires (`-----BEGIN `, `AKIA`/`ASIA`, `gh?_`/`github_pat_`, `xox?-`,
 * `?k_live_`, `AIza`, `eyJ`, `://`): one test that most values fail, before the eight patterns. Keep it in step with
 * CREDENTIAL_VALUES (test/policy/peers-credential-literal.test.ts finds every shape).
 */
const CREDENTIAL_VALUE_HINT = /-----BEGIN |AKIA|ASIA|gh[pousr]_|github_pat_|xox[abprs]-|[sr]k_live_|AIza|eyJ|:\/\//;

/** Why a name/value pair looks like a literal credential, or undefined. Exported for tests. */
export function credentialReason(name: string, value: string): string | undefined {
  if (CREDENTIAL_VALUE_HINT.test(value)) for (const [re, what] of CREDENTIAL_VALUES) if (re.test(value)) return `holds ${what}`;
  if (CREDENTIAL_NAME.test(name) && !NOT_THE_CREDENTIAL.test(name) && !NOT_A_LITERAL.some(re => re.test(value))) {
    return 'is named like a credential and holds a literal value';
  }
  return undefined;
}

/** `key=value` / `key: value` lines of a configuration file held in one ConfigMap value. */
const FILE_LINE = /^\s*(?:export\s+)?["']?([A-Za-z_][A-Za-z0-9_.-]*)["']?\s*[=:]\s*["']?([^"'#\s][^"'#]*?)["']?\s*$/;

const COMMAND_FIELDS = ['command', 'args'] as const;

/** The credential literals of one pod's containers (plain loops: runs for every container of every object). */
function podCredentials(pod: PodSpecRef): RuleViolation[] {
  let found: RuleViolation[] | undefined;
  for (const c of containersOf(pod)) {
    const env = c.container.env;
    if (Array.isArray(env)) {
      for (let i = 0; i < env.length; i++) {
        const e = env[i];
        if (typeof e?.value !== 'string') continue;
        const why = credentialReason(String(e?.name ?? ''), e.value);
        if (why) (found ??= []).push({ path: `${c.path}.env[${i}].value`, message: `container "${c.name}" env var ${JSON.stringify(e?.name)} ${why}.` });
      }
    }
    for (const field of COMMAND_FIELDS) {
      const list = c.container[field];
      if (!Array.isArray(list)) continue;
      for (let i = 0; i < list.length; i++) {
        const a = list[i];
        if (typeof a !== 'string') continue;
        // `--db-password=hunter2` (a flag with its value), or a credential-shaped value anywhere in the string
        const flag = /^--?([A-Za-z][A-Za-z0-9_.-]*)=(.+)$/s.exec(a);
        const why = flag ? credentialReason(flag[1], flag[2]) : credentialReason('', a);
        if (why) (found ??= []).push({ path: `${c.path}.${field}[${i}]`, message: `container "${c.name}" ${field}[${i}] ${flag ? `flag ${JSON.stringify(flag[1])} ` : ''}${why}.` });
      }
    }
  }
  return found ?? [];
}

export const credentialLiteral: IRule = {
  id: 'credential-literal',
  title: 'No credential-looking literals in env values or ConfigMaps',
  stride: [Stride.INFORMATION_DISCLOSURE, Stride.SPOOFING],
  severity: Severity.ERROR,
  appliesTo: ['*'],
  description: 'A password, token or key written as a literal env value or ConfigMap entry is stored unencrypted in etcd, ' +
    'readable by everyone who may read the pod spec or ConfigMap (far more subjects than may read Secrets), and lands ' +
    'in Git, CI logs and `kubectl describe`. Flagged: a credential-like name (password, secret, token, api key, ' +
    'private key, credentials, connection string) with a literal value, in `env[].value` of every container kind, in ' +
    '`--flag=value` items of `command` and `args`, in ConfigMap `data` keys, and in `key=value` / `key: value` lines of configuration files held in ConfigMaps; and ' +
    'values that are credentials whatever their name (PEM private keys, AWS access key ids, GitHub/Slack/Stripe/Google ' +
    'tokens, JWTs, URLs with a password). Names of a credential\'s file, path, name, id or lifetime, and values that are ' +
    'paths, booleans, numbers, durations, `$(VAR)` references or URLs without userinfo are not flagged.',
  remediation: 'Put the value in a Secret (created out of band, e.g. by External Secrets, or sealed) and mount it as a file; ' +
    'for a false positive, rename the key (e.g. `…_FILE` for a path) or waive with an owner and expiry.',
  references: ['CIS Kubernetes Benchmark 5.4.1: Prefer using Secrets as files over Secrets as environment variables',
    'OWASP Kubernetes Top 10 K08: Secrets management failures', 'CWE-798: Use of hard-coded credentials'],
  peers: ['kube-linter:env-var-secret', 'polaris:sensitiveContainerEnvVar', 'polaris:sensitiveConfigmapContent'],
  threats: ['I2-secrets-at-rest'],
  admission: { notGenerated: 'over the API server\'s CEL cost limit: the rule runs up to five regular expressions on every ' +
    'env value and every command and args item of every container; the worst-case estimate of the pod part is about 1,800,000 per expression ' +
    '(limit 1,000,000) and ConfigMap data (up to 1 MiB, every line scanned) is unbounded, and an evaluation over the limit denies the object ' +
    '(failurePolicy Fail); judged at synth time and by `check` only' },
  check(obj) {
    const out: RuleViolation[] = [];
    if (obj?.kind === 'ConfigMap' && obj.data && typeof obj.data === 'object') {
      const data = obj.data;
      for (const key of Object.keys(data)) {
        const value = data[key];
        if (typeof value !== 'string') continue;
        const whole = credentialReason(key, value);
        if (whole) { out.push({ path: joinPath('data', key), message: `ConfigMap key ${JSON.stringify(key)} ${whole}.` }); continue; }
        const lines = value.includes('\n') ? value.split(/\r?\n/) : [value];
        for (let i = 0; i < lines.length; i++) {
          const m = FILE_LINE.exec(lines[i]);
          const why = m ? credentialReason(m[1], m[2]) : undefined;
          if (why) { out.push({ path: joinPath('data', key), message: `ConfigMap key ${JSON.stringify(key)}, line ${i + 1}: ${JSON.stringify(m![1])} ${why}.` }); break; }
        }
      }
    }
    for (const v of checkPods(obj, podCredentials)) out.push(v);
    return out;
  },
};
