// Recognises credentials written in plain configuration (env values, ConfigMap data), after
// kubescape's C-0012 lists (spec/nsa.md N14), tuned against false positives. Callers report the
// key name and the kind of match only — never the value.

/** Values that are credentials whatever their key is called. */
const CREDENTIAL_VALUES: { kind: string; pattern: RegExp }[] = [
  { kind: 'a private key', pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/ },
  // Azure Storage / Service Bus / Event Hubs connection strings carry the account key itself.
  { kind: 'an Azure connection string with its key', pattern: /\b(?:AccountKey|SharedAccessKey)=[A-Za-z0-9+/]{20,}={0,2}/ },
  { kind: 'a JSON Web Token', pattern: /\beyJhbGciO[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\./ },
  { kind: 'an AWS access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { kind: 'a GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/ },
  { kind: 'a Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { kind: 'a Slack token', pattern: /\bxox[baprs]-[0-9A-Za-z-]{10,}/ },
];

/** scheme://user:password@host, unless the password is a $(VAR) reference. */
const URL_WITH_PASSWORD = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:([^\s/@]+)@/i;

/** Words in a key name that say it holds a credential (kubescape's list, plus common spellings). */
const SENSITIVE_WORDS = new Set(['secret', 'secrets', 'password', 'passwd', 'pwd', 'token', 'jwt', 'bearer', 'credential', 'credentials', 'apikey', 'passphrase']);
/**
 * "key" alone names too many harmless things (SORT_KEY, CACHE_KEY, PRIMARY_KEY); it counts when it
 * is the whole name or follows a word that makes it a credential (API_KEY, tls.key, SIGNING_KEY).
 */
const KEY_QUALIFIERS = new Set([
  'api', 'secret', 'private', 'access', 'encryption', 'signing', 'master', 'client', 'auth', 'hmac',
  'session', 'license', 'account', 'storage', 'service', 'shared', 'aes', 'ssh', 'tls', 'ssl', 'jwt',
  'webhook', 'app', 'consumer', 'crypto', 'cipher', 'decryption', 'sas', 'subscription', 'write', 'admin',
]);
/**
 * A trailing `key` after a word not in KEY_QUALIFIERS (AZURE_BATCH_KEY, DD_APP_KEY, STRIPE_KEY,
 * SCW_SECRET_KEY is already qualified) is how many cloud SDKs and CLIs name key material, but
 * also how data stores name lookup keys. These words before `key` say it is the second kind.
 */
const DATA_KEY_WORDS = new Set([
  'sort', 'cache', 'primary', 'foreign', 'partition', 'routing', 'hash', 'range', 'shard', 'sharding',
  'idempotency', 'lookup', 'dedup', 'dedupe', 'index', 'map', 'lock', 'topology', 'label', 'annotation',
  'selector', 'node', 'group', 'message', 'record', 'row', 'column', 'table', 'object', 'config',
  'feature', 'public', 'host', 'cursor', 'match', 'composite', 'unique', 'natural', 'surrogate',
  'distribution', 'event', 'metric', 'tag', 'field', 'env', 'cluster', 'affinity', 'join', 'registry',
  'queue', 'topic', 'stream', 'bucket', 'prefix', 'counter', 'redis', 'i18n', 'translation', 'locale',
  'hotkey', 'shortcut', 'keyboard', 'press', 'mapping', 'lease', 'leader', 'election', 'trace', 'span',
]);
/**
 * A word after `key` that says the variable holds the key material itself: OCI_CLI_KEY_CONTENT,
 * SSH_KEY_DATA, KEY_PEM, KEY_BASE64 (whereas KEY_ID, KEY_NAME, KEY_FILE only refer to a key).
 */
const KEY_MATERIAL_SUFFIXES = new Set(['content', 'contents', 'data', 'material', 'pem', 'b64', 'base64', 'blob', 'bytes']);
/** Longer names that are credentials even inside a run-together word (DBPASSWORD, clientsecret). */
const SENSITIVE_FRAGMENTS = ['password', 'passwd', 'secret', 'credential', 'apikey', 'privatekey', 'accesskey', 'passphrase'];
/**
 * A last word that makes the name describe something else than the credential itself:
 * PASSWORD_FILE, TOKEN_PATH, SECRET_NAME, KEY_ID, TOKEN_TTL, TOKEN_URL…
 */
const NON_CREDENTIAL_SUFFIXES = new Set([
  'file', 'files', 'path', 'dir', 'directory', 'name', 'ref', 'id', 'url', 'uri', 'endpoint', 'host', 'port',
  'ttl', 'expiry', 'expires', 'expiration', 'timeout', 'lifetime', 'length', 'size', 'type', 'algorithm',
  'alg', 'header', 'mode', 'enabled', 'enable', 'required', 'policy', 'location', 'namespace', 'field',
  'prefix', 'format', 'version', 'issuer', 'audience', 'realm', 'scope', 'scopes', 'interval', 'seconds',
  'minutes', 'hours', 'days', 'min', 'max', 'limit', 'count', 'retries', 'strength', 'rotation',
]);

/** Words that make the name a setting about credentials (MYSQL_ALLOW_EMPTY_PASSWORD: "1"), not one. */
const SETTING_WORDS = new Set(['allow', 'enable', 'disable', 'use', 'require', 'skip', 'random', 'generate', 'empty', 'insecure', 'ignore']);

export interface CredentialMatch {
  /** How it was recognised, for the message; never contains the value. */
  reason: string;
}

/** Whether a key/value pair looks like a plain-text credential. */
export function matchCredential(key: string, value: unknown): CredentialMatch | undefined {
  if (typeof value === 'number' || typeof value === 'boolean') value = String(value);
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  for (const { kind, pattern } of CREDENTIAL_VALUES) {
    if (pattern.test(value)) return { reason: `its value looks like ${kind}` };
  }
  const url = URL_WITH_PASSWORD.exec(value);
  if (url && !isReferenceOnly(url[1]!)) return { reason: 'its value is a URL with an embedded password' };
  const word = sensitiveWord(key);
  if (word && looksLikeLiteralSecret(value)) return { reason: `its name contains "${word}" and it holds a literal value` };
  if (endsInUnqualifiedKey(key) && looksLikeKeyMaterial(value)) {
    return { reason: 'its name ends in "key" and its value looks like key material' };
  }
  return undefined;
}

/**
 * FOO_KEY where FOO neither qualifies nor disqualifies it (AZURE_BATCH_KEY, MAILGUN_KEY,
 * GPG_KEY): weaker evidence than API_KEY, so the caller also asks the value to look like a key.
 */
function endsInUnqualifiedKey(key: string): boolean {
  const words = splitWords(key);
  if (words.length < 2 || words[words.length - 1] !== 'key') return false;
  if (words.some((w) => SETTING_WORDS.has(w))) return false;
  return !DATA_KEY_WORDS.has(words[words.length - 2]!);
}

/**
 * A random-looking token: at least 16 characters with no spaces, mixing letters with digits or
 * base64 symbols. A lookup key such as "user-profile" or "created_at" is not.
 */
function looksLikeKeyMaterial(value: string): boolean {
  const v = value.trim();
  if (v.length < 16 || /\s/.test(v) || !looksLikeLiteralSecret(v)) return false;
  if (/^[a-z]+(?:[-_.:][a-z]+)*$/i.test(v)) return false; // words joined by separators
  return /[A-Za-z]/.test(v) && /[0-9+/=]/.test(v);
}

/** The sensitive word in a key name, or undefined when the name does not suggest a credential. */
function sensitiveWord(key: string): string | undefined {
  const words = splitWords(key);
  if (words.length === 0 || words.includes('public')) return undefined;
  if (NON_CREDENTIAL_SUFFIXES.has(words[words.length - 1]!) || words.some((w) => SETTING_WORDS.has(w))) return undefined;
  const word = words.find(
    (w, i) =>
      SENSITIVE_WORDS.has(w) ||
      (w === 'key' &&
        (words.length === 1 || KEY_QUALIFIERS.has(words[i - 1] ?? '') || KEY_MATERIAL_SUFFIXES.has(words[i + 1] ?? ''))),
  );
  if (word) return word;
  const joined = words.join('');
  return SENSITIVE_FRAGMENTS.find((f) => joined.includes(f));
}

/** DB_PASSWORD, dbPassword, tls.key, aws-secret-access-key → lower-case words. */
function splitWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/**
 * For a key whose name suggests a credential: is the value a literal secret, or something that
 * only refers to one (a file path, a $(VAR) reference, a flag, a whole config file)?
 */
function looksLikeLiteralSecret(value: string): boolean {
  const v = value.trim();
  if (v.includes('\n')) return false; // a whole file under a name like secret-config.yaml; values are checked by pattern only
  if (/^(?:\/|\.{1,2}\/|~\/)\S*$/.test(v)) return false; // a file path
  if (/^(?:true|false|yes|no|on|off|enabled|disabled)$/i.test(v)) return false;
  if (isReferenceOnly(v)) return false;
  if (/^-----BEGIN (?:CERTIFICATE|(?:[A-Z0-9]+ )*PUBLIC KEY)-----/.test(v)) return false;
  return true;
}

/** "$(DB_PASSWORD)" — expanded by the kubelet from another variable, not a literal. */
function isReferenceOnly(v: string): boolean {
  return /^(?:\$\([A-Za-z_][A-Za-z0-9_.-]*\))+$/.test(v);
}
