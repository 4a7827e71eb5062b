// The effective value of one setting of one component, and how it was obtained.
//
// - kube-apiserver, kube-controller-manager, kube-scheduler: the command line only.
// - kubelet: flag > KubeletConfiguration file (--config) > default, where the default
//   depends on how the kubelet runs: with a config file the v1beta1 defaults apply; a
//   kubelet without --config keeps the legacy flag defaults for the four settings
//   applyLegacyDefaults changes (anonymous auth on, AlwaysAllow, webhook authn off, port 10255).
// - etcd: flag > ETCD_* environment variable > default; a --config-file replaces both.
// - kube-proxy: flag > default; a --config file replaces the flags.

import { formatPath, getPath, isMapping, type InventoryObject, type PathSegment } from '../../inventory/model.js';
import type { ComponentFacts } from '../../inventory/node-facts.js';
import { readFlag, type FlagReading } from './components.js';
import { parseGoDuration, parseKeyBoolMap, splitList } from './values.js';

export type HowObtained =
  | 'flag'
  | 'environment'
  | 'config file'
  | 'default'
  | 'config file default'
  | 'legacy flag default';

/** Where a finding about this setting points: the file, and the field or token in it. */
export interface SettingLocation {
  file: string;
  path: string;
  object?: InventoryObject;
  segments?: PathSegment[];
}

export interface Observation {
  /** `kube-apiserver --profiling`, `kubelet authentication.anonymous.enabled (--anonymous-auth)`. */
  subject: string;
  /** Set explicitly by a flag, variable or config file. */
  set: boolean;
  /** The effective value as text (set or default); undefined when absent and without a default. */
  value?: string;
  /** The effective value as a list (comma lists, YAML lists). */
  list: string[];
  how: HowObtained;
  /** Where the value was seen, in words: "process 1234 argv[5]", "config file /var/lib/kubelet/config.yaml". */
  source: string;
  /** Set when the value cannot be known (config file unreadable…): the check must skip. */
  unknown?: string;
  location: SettingLocation;
}

/** Plain command-line flag of any component. `defaultValue` is the upstream default when absent. */
export function observeFlag(c: ComponentFacts, flag: string, defaultValue?: string): Observation {
  const reading = readFlag(c.cmd, flag);
  const subject = `${c.component} --${flag}`;
  if (reading.set) {
    return { subject, set: true, value: reading.value, list: reading.list, how: 'flag', source: flagSource(c, reading), location: flagLocation(c, reading) };
  }
  return {
    subject,
    set: false,
    value: defaultValue,
    list: defaultValue === undefined ? [] : splitList(defaultValue),
    how: 'default',
    source: `${c.where} (flag not set)`,
    location: flagLocation(c, reading),
  };
}

function flagSource(c: ComponentFacts, reading: FlagReading): string {
  const index = reading.last?.valueIndex ?? reading.last?.index ?? 0;
  const repeated = reading.occurrences.length > 1 ? `, given ${reading.occurrences.length} times` : '';
  if (c.origin.kind === 'manifest') return `${c.where} ${formatPath(c.origin.argPaths[index] ?? [])}${repeated}`;
  if (c.origin.kind === 'process') return `${c.where} argv[${index}]${repeated}`;
  const from = c.origin.argSources?.[index];
  return from ? `${c.where}: ${from}${repeated}` : c.where;
}

function flagLocation(c: ComponentFacts, reading: FlagReading): SettingLocation {
  const o = c.origin;
  if (o.kind === 'manifest') {
    const segments = reading.last ? o.argPaths[reading.last.valueIndex ?? reading.last.index] ?? o.appendPath : o.appendPath;
    return { file: o.file, path: formatPath(segments), object: o.object, segments };
  }
  if (o.kind === 'process') return { file: `/proc/${o.pid}/cmdline`, path: reading.last ? `argv[${reading.last.index}]` : 'argv' };
  return { file: o.file, path: '' };
}

// ---------------------------------------------------------------------------------------
// kubelet

export interface KubeletSetting {
  flag: string;
  /** KubeletConfiguration field; undefined for flag-only settings (--hostname-override). */
  field?: string[];
  /** v1beta1 default (config file in use, or a flag-only kubelet for settings without a legacy default). */
  configDefault?: string;
  /** Default of a kubelet started without --config, where it differs (applyLegacyDefaults). */
  legacyDefault?: string;
  /** v1beta1 defaulting treats a zero duration in the file as unset (SetDefaults_KubeletConfiguration). */
  zeroDurationMeansDefault?: boolean;
}

export const KUBELET_SETTINGS: Record<string, KubeletSetting> = {
  'anonymous-auth': { flag: 'anonymous-auth', field: ['authentication', 'anonymous', 'enabled'], configDefault: 'false', legacyDefault: 'true' },
  'authorization-mode': { flag: 'authorization-mode', field: ['authorization', 'mode'], configDefault: 'Webhook', legacyDefault: 'AlwaysAllow' },
  'authentication-token-webhook': { flag: 'authentication-token-webhook', field: ['authentication', 'webhook', 'enabled'], configDefault: 'true', legacyDefault: 'false' },
  'client-ca-file': { flag: 'client-ca-file', field: ['authentication', 'x509', 'clientCAFile'] },
  'read-only-port': { flag: 'read-only-port', field: ['readOnlyPort'], configDefault: '0', legacyDefault: '10255' },
  'streaming-connection-idle-timeout': { flag: 'streaming-connection-idle-timeout', field: ['streamingConnectionIdleTimeout'], configDefault: '4h0m0s', zeroDurationMeansDefault: true },
  'make-iptables-util-chains': { flag: 'make-iptables-util-chains', field: ['makeIPTablesUtilChains'], configDefault: 'true' },
  'hostname-override': { flag: 'hostname-override' },
  'event-qps': { flag: 'event-qps', field: ['eventRecordQPS'], configDefault: '50' },
  'tls-cert-file': { flag: 'tls-cert-file', field: ['tlsCertFile'] },
  'tls-private-key-file': { flag: 'tls-private-key-file', field: ['tlsPrivateKeyFile'] },
  'rotate-certificates': { flag: 'rotate-certificates', field: ['rotateCertificates'], configDefault: 'false' },
  'rotate-server-certificates': { flag: 'rotate-server-certificates', field: ['serverTLSBootstrap'], configDefault: 'false' },
  'tls-cipher-suites': { flag: 'tls-cipher-suites', field: ['tlsCipherSuites'] },
  'pod-max-pids': { flag: 'pod-max-pids', field: ['podPidsLimit'], configDefault: '-1' },
  'seccomp-default': { flag: 'seccomp-default', field: ['seccompDefault'], configDefault: 'false' },
  kubeconfig: { flag: 'kubeconfig' },
  'cni-conf-dir': { flag: 'cni-conf-dir' },
};

export function observeKubelet(c: ComponentFacts, key: string): Observation {
  const setting = KUBELET_SETTINGS[key];
  if (!setting) throw new Error(`unknown kubelet setting ${key}`);
  const flagObs = observeFlag(c, setting.flag);
  const fieldName = setting.field?.join('.');
  const subject = fieldName ? `kubelet ${fieldName} (--${setting.flag})` : `kubelet --${setting.flag}`;
  if (flagObs.set) return { ...flagObs, subject, source: `${flagObs.source} (the flag overrides the config file)` };

  const config = c.config;
  if (config && setting.field) {
    if (config.error) {
      return { ...flagObs, subject, unknown: `the kubelet config file ${config.path} could not be used: ${config.error}` };
    }
    const raw = getPath(config.value, setting.field);
    const location = configLocation(config, setting.field);
    if (raw !== undefined && raw !== null) {
      const text = valueText(raw);
      const file = location.file;
      if (setting.zeroDurationMeansDefault && parseGoDuration(text.value) === 0 && setting.configDefault !== undefined) {
        return {
          subject, set: true, value: setting.configDefault, list: [setting.configDefault], how: 'config file default',
          source: `config file ${file}, ${fieldName}: ${text.value} (a zero duration in the file takes the default ${setting.configDefault})`,
          location,
        };
      }
      return { subject, set: true, ...text, how: 'config file', source: `config file ${file}, ${fieldName}`, location };
    }
    return {
      subject, set: false, value: setting.configDefault, list: setting.configDefault ? [setting.configDefault] : [],
      how: 'config file default',
      source: `not set by flag or in config file ${config.path}; KubeletConfiguration default${setting.configDefault === undefined ? ': none' : ''}`,
      location,
    };
  }
  const def = setting.legacyDefault ?? setting.configDefault;
  return {
    ...flagObs,
    subject,
    value: def,
    list: def === undefined ? [] : [def],
    how: setting.legacyDefault !== undefined ? 'legacy flag default' : 'default',
    source: config
      ? `${c.where}: flag not set (the setting has no config file field)`
      : `${c.where}: flag not set and no --config file, so the ${setting.legacyDefault !== undefined ? 'legacy flag' : 'flag'} default applies`,
  };
}

/** A feature gate of a component: --feature-gates (merged over the kubelet config file's featureGates), else the gate's default. */
export function observeFeatureGate(c: ComponentFacts, gate: string, defaultValue: string): Observation {
  const flag = readFlag(c.cmd, 'feature-gates');
  const fromFlag = parseKeyBoolMap(flag.value ?? '').get(gate);
  const subject = `${c.component} feature gate ${gate}`;
  const flagObs = observeFlag(c, 'feature-gates');
  if (fromFlag !== undefined) return { ...flagObs, subject, set: true, value: fromFlag, list: [fromFlag] };
  if (c.component === 'kubelet' && c.config) {
    if (c.config.error) return { ...flagObs, subject, unknown: `the kubelet config file ${c.config.path} could not be used: ${c.config.error}` };
    const raw = getPath(c.config.value, ['featureGates', gate]);
    if (raw !== undefined && raw !== null) {
      const value = valueText(raw).value;
      const location = configLocation(c.config, ['featureGates', gate]);
      return { subject, set: true, value, list: [value], how: 'config file', source: `config file ${location.file}, featureGates.${gate}`, location };
    }
  }
  return { ...flagObs, subject, set: false, value: defaultValue, list: [defaultValue], how: 'default', source: `${c.where}: gate not set (default ${defaultValue})` };
}

// ---------------------------------------------------------------------------------------
// etcd and kube-proxy: a config file replaces flags

export interface ReplacingSetting {
  flag: string;
  env?: string;
  field: string[];
  defaultValue?: string;
  /** A value in the config file that means "use the default" (kube-proxy's empty metricsBindAddress). */
  emptyMeansDefault?: boolean;
}

export const ETCD_SETTINGS: Record<string, ReplacingSetting> = {
  'cert-file': { flag: 'cert-file', env: 'ETCD_CERT_FILE', field: ['client-transport-security', 'cert-file'] },
  'key-file': { flag: 'key-file', env: 'ETCD_KEY_FILE', field: ['client-transport-security', 'key-file'] },
  'client-cert-auth': { flag: 'client-cert-auth', env: 'ETCD_CLIENT_CERT_AUTH', field: ['client-transport-security', 'client-cert-auth'], defaultValue: 'false' },
  'auto-tls': { flag: 'auto-tls', env: 'ETCD_AUTO_TLS', field: ['client-transport-security', 'auto-tls'], defaultValue: 'false' },
  'trusted-ca-file': { flag: 'trusted-ca-file', env: 'ETCD_TRUSTED_CA_FILE', field: ['client-transport-security', 'trusted-ca-file'] },
  'peer-cert-file': { flag: 'peer-cert-file', env: 'ETCD_PEER_CERT_FILE', field: ['peer-transport-security', 'cert-file'] },
  'peer-key-file': { flag: 'peer-key-file', env: 'ETCD_PEER_KEY_FILE', field: ['peer-transport-security', 'key-file'] },
  'peer-client-cert-auth': { flag: 'peer-client-cert-auth', env: 'ETCD_PEER_CLIENT_CERT_AUTH', field: ['peer-transport-security', 'client-cert-auth'], defaultValue: 'false' },
  'peer-auto-tls': { flag: 'peer-auto-tls', env: 'ETCD_PEER_AUTO_TLS', field: ['peer-transport-security', 'auto-tls'], defaultValue: 'false' },
  'data-dir': { flag: 'data-dir', env: 'ETCD_DATA_DIR', field: ['data-dir'] },
};

export const KUBE_PROXY_SETTINGS: Record<string, ReplacingSetting> = {
  'metrics-bind-address': { flag: 'metrics-bind-address', field: ['metricsBindAddress'], defaultValue: '127.0.0.1:10249', emptyMeansDefault: true },
  kubeconfig: { flag: 'kubeconfig', field: ['clientConnection', 'kubeconfig'] },
};

export function observeReplacing(c: ComponentFacts, setting: ReplacingSetting): Observation {
  const flagObs = observeFlag(c, setting.flag, setting.defaultValue);
  const config = c.config;
  if (config) {
    const subject = `${c.component} ${setting.field.join('.')} (--${setting.flag})`;
    if (config.error) return { ...flagObs, subject, unknown: `the ${c.component} config file ${config.path} could not be used: ${config.error}` };
    const raw = getPath(config.value, setting.field);
    const location = configLocation(config, setting.field);
    const ignored = flagObs.set ? ` (the --${setting.flag} flag is ignored when a config file is given)` : '';
    if (raw !== undefined && raw !== null && !(setting.emptyMeansDefault && raw === '')) {
      return { subject, set: true, ...valueText(raw), how: 'config file', source: `config file ${config.path}, ${setting.field.join('.')}${ignored}`, location };
    }
    return {
      subject, set: false, value: setting.defaultValue, list: setting.defaultValue ? [setting.defaultValue] : [], how: 'config file default',
      source: `not set in config file ${config.path}${ignored}`, location,
    };
  }
  if (flagObs.set || !setting.env) return flagObs;
  const env = c.env.get(setting.env);
  if (env === undefined) return flagObs;
  const location: SettingLocation =
    c.origin.kind === 'manifest' && env.path
      ? { file: c.origin.file, path: formatPath(env.path), object: c.origin.object, segments: env.path }
      : { file: c.origin.kind === 'process' ? `/proc/${c.origin.pid}/environ` : flagObs.location.file, path: setting.env };
  return { ...flagObs, set: true, value: env.value, list: splitList(env.value), how: 'environment', source: `${c.where}, environment variable ${setting.env}`, location };
}

/** The file that set a field: the last kubelet drop-in setting it, else the config file. */
function configLocation(config: NonNullable<ComponentFacts['config']>, field: string[]): SettingLocation {
  const dropIn = [...(config.dropIns ?? [])].reverse().find((d) => getPath(d.value, field) !== undefined);
  if (dropIn) return { file: dropIn.path, path: field.join('.') };
  return { file: config.path, path: field.join('.'), ...(config.object ? { object: config.object, segments: field } : {}) };
}

/** A YAML value as the text a flag would hold. */
function valueText(raw: unknown): { value: string; list: string[] } {
  if (Array.isArray(raw)) {
    const list = raw.map((v) => String(v));
    return { value: list.join(','), list };
  }
  if (isMapping(raw)) {
    const list = Object.entries(raw).map(([k, v]) => `${k}=${String(v)}`);
    return { value: list.join(','), list };
  }
  const value = String(raw);
  return { value, list: splitList(value) };
}
