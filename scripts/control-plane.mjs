#!/usr/bin/env node
// A real Kubernetes control plane on loopback, for the tests and for anyone reproducing a result:
// etcd + kube-apiserver built from their Go modules, certificates made with openssl, flags as a
// kubeadm cluster has them. Nothing here is a stand-in: it is the upstream code.
//
//   node scripts/control-plane.mjs build [--version 1.37]
//   node scripts/control-plane.mjs up --dir DIR [--version 1.37] [--audit-policy F] [--encryption-config F]
//                                  [--admission-config F] [--drop-flag NAME]... [-- --apiserver-flag=value ...]
//   node scripts/control-plane.mjs down --dir DIR [--keep]
//   node scripts/control-plane.mjs status [--version 1.37]
//
// Builds are cached outside the checkout, keyed by version, in ${KUBEHARDEN_CACHE:-~/.cache/kubeharden}:
// build-k8s-vX.Y.Z/ (a small Go module that requires k8s.io/kubernetes and pins every staging module
// with a replace, as the published go.mod lists them as v0.0.0) and build-etcd-vA.B.C/.
// `up` on a DIR whose control plane runs restarts kube-apiserver with the new flags and files, keeping
// etcd's data, the certificates and the ports (so a test can change the audit policy or the encryption
// configuration between two runs of the same cluster). `down` stops only the processes `up` started
// (checked by their command line) and removes DIR.

import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync,
} from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** The patch each supported minor resolves to: the newest the Go module proxy served when this was written. */
const KNOWN_VERSIONS = { '1.37': '1.37.2', '1.35': '1.35.4' };
const DEFAULT_VERSION = '1.37';
/**
 * etcd: kubeadm v1.37 deploys etcd 3.7.0 (constants.DefaultEtcdVersion) and accepts no external etcd
 * older than 3.5.24; Debian 12's etcd-server is 3.4.23, below that. So we build the etcd kubeadm deploys,
 * the same version k8s.io/kubernetes v1.37 itself requires.
 */
const ETCD_VERSION = { '1.37': '3.7.0', '1.35': '3.7.0' };
const READY_TIMEOUT_MS = 180_000;
const SERVICE_CIDR = '10.96.0.0/12';

const cacheRoot = () => process.env.KUBEHARDEN_CACHE || path.join(os.homedir(), '.cache', 'kubeharden');
const log = (msg) => process.stderr.write(`control-plane: ${msg}\n`);

class Fail extends Error {}

// ---------------------------------------------------------------------------------------------- args

function parseArgs(argv) {
  const [command, ...rest] = argv;
  const opts = { command: command?.startsWith('-') ? 'help' : command, extra: [], drop: [], version: DEFAULT_VERSION };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const value = () => {
      if (i + 1 >= rest.length) throw new Fail(`${a} needs a value`);
      return rest[++i];
    };
    if (a === '--') { opts.extra = rest.slice(i + 1); break; }
    else if (a === '--dir') opts.dir = path.resolve(value());
    else if (a === '--version') opts.version = value();
    else if (a === '--audit-policy') opts.auditPolicy = path.resolve(value());
    else if (a === '--encryption-config') opts.encryptionConfig = path.resolve(value());
    else if (a === '--admission-config') opts.admissionConfig = path.resolve(value());
    else if (a === '--no-audit') opts.auditPolicy = 'none';
    else if (a === '--no-encryption') opts.encryptionConfig = 'none';
    else if (a === '--drop-flag') opts.drop.push(value().replace(/^--/, ''));
    else if (a === '--etcd-binary') opts.etcdBinary = path.resolve(value());
    else if (a === '--keep') opts.keep = true;
    else if (a === '--only') opts.only = value();
    else if (a === '-h' || a === '--help') opts.command = 'help';
    else throw new Fail(`unknown argument ${a} (see --help)`);
  }
  return opts;
}

const HELP = `usage:
  node scripts/control-plane.mjs build  [--version 1.37] [--only k8s|etcd]   build (or find cached) kube-apiserver, kubectl, etcd
  node scripts/control-plane.mjs status [--version 1.37]      print the cached binaries as JSON; exit 1 if not built
  node scripts/control-plane.mjs up --dir DIR [--version 1.37] [options] [-- --apiserver-flag=value ...]
  node scripts/control-plane.mjs down --dir DIR [--keep]

up options:
  --audit-policy FILE        audit Policy for --audit-policy-file (default: Metadata for every request); --no-audit for none
  --encryption-config FILE   EncryptionConfiguration (default: aescbc for Secrets, fresh key); --no-encryption for none
  --admission-config FILE    AdmissionConfiguration for --admission-control-config-file
  --drop-flag NAME           leave one of the default kube-apiserver flags out (repeatable)
  --etcd-binary PATH         use this etcd instead of the built one
  -- FLAGS...                extra kube-apiserver flags; one named like a default replaces it

Run up again on a running DIR to restart kube-apiserver with other flags or files (etcd, its data,
the certificates and the ports stay). A restart takes the flags and files of that call; only the
encryption configuration carries over when none is given. Builds are cached in \${KUBEHARDEN_CACHE:-~/.cache/kubeharden}.
up prints the admin kubeconfig's path; DIR/env.json has binaries, PKI, ports and process ids.

examples:
  node scripts/control-plane.mjs up --dir /tmp/cp
  kubectl --kubeconfig /tmp/cp/admin.kubeconfig get ns
  node scripts/control-plane.mjs up --dir /tmp/cp -- --anonymous-auth=false --tls-min-version=VersionTLS13
  node scripts/control-plane.mjs down --dir /tmp/cp
`;

// --------------------------------------------------------------------------------------------- build

function resolveVersion(v) {
  const clean = String(v).replace(/^v/, '');
  if (/^\d+\.\d+\.\d+$/.test(clean)) return clean;
  if (KNOWN_VERSIONS[clean]) return KNOWN_VERSIONS[clean];
  throw new Fail(`--version ${v}: give a minor this script knows (${Object.keys(KNOWN_VERSIONS).join(', ')}) or an exact 1.N.P`);
}

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...options });
  if (r.error) throw new Fail(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) throw new Fail(`${cmd} ${args.join(' ')} exited ${r.status}: ${(r.stderr || '').slice(-3000)}`);
  return r.stdout;
}

function goAvailable() {
  const r = spawnSync('go', ['version'], { encoding: 'utf8' });
  return !r.error && r.status === 0 ? r.stdout.trim() : undefined;
}

/**
 * A binary counts as built when it exists and reports the version it was built for (a half-written file,
 * or a build without the version stamped in, does not).
 */
function works(bin) {
  const probe = VERSION_PROBES[path.basename(bin)];
  if (!existsSync(bin) || !probe) return false;
  const r = spawnSync(bin, probe.args, { encoding: 'utf8', timeout: 30_000 });
  if (r.error || r.status !== 0) return false;
  const wanted = path.basename(path.dirname(path.dirname(bin))).replace(/^build-(k8s|etcd)-v/, '');
  return probe.version(r.stdout) === wanted;
}

const VERSION_PROBES = {
  'kube-apiserver': { args: ['--version'], version: (out) => /Kubernetes v(\S+)/.exec(out)?.[1] },
  'kube-controller-manager': { args: ['--version'], version: (out) => /Kubernetes v(\S+)/.exec(out)?.[1] },
  kubectl: { args: ['version', '--client', '-o', 'json'], version: (out) => /"gitVersion":\s*"v([^"]+)"/.exec(out)?.[1] },
  etcd: { args: ['--version'], version: (out) => /etcd Version: (\S+)/.exec(out)?.[1] },
};

/**
 * The version stamp Kubernetes' own build puts in (hack/lib/version.sh): without it the binaries say
 * v0.0.0-master, and /version would not be the release's. The commit and date are the module's.
 */
function k8sLdflags(version) {
  const info = JSON.parse(run('go', ['list', '-m', '-json', `k8s.io/kubernetes@v${version}`]));
  const [major, minor] = version.split('.');
  const vars = {
    gitVersion: `v${version}`, gitMajor: major, gitMinor: minor, gitTreeState: 'clean',
    buildDate: new Date(info.Time ?? 0).toISOString().replace(/\.\d+Z$/, 'Z'),
    ...(info.Origin?.Hash ? { gitCommit: info.Origin.Hash } : {}),
  };
  return Object.entries(vars)
    .flatMap(([k, v]) => [`-X 'k8s.io/client-go/pkg/version.${k}=${v}'`, `-X 'k8s.io/component-base/version.${k}=${v}'`])
    .join(' ');
}

function k8sBuild(version) {
  const dir = path.join(cacheRoot(), `build-k8s-v${version}`);
  const bins = { kubeApiserver: path.join(dir, 'bin', 'kube-apiserver'), kubectl: path.join(dir, 'bin', 'kubectl') };
  // kube-controller-manager, for the default version only: the RBAC oracle (test/oracle) runs its
  // clusterrole-aggregation controller so that admin/edit/view hold what a real cluster gives them.
  if (version === KNOWN_VERSIONS[DEFAULT_VERSION]) bins.kubeControllerManager = path.join(dir, 'bin', 'kube-controller-manager');
  return { dir, bins };
}

function etcdBuild(version) {
  const dir = path.join(cacheRoot(), `build-etcd-v${version}`);
  return { dir, bins: { etcd: path.join(dir, 'bin', 'etcd') } };
}

function binaries(version) {
  const minor = version.split('.').slice(0, 2).join('.');
  const k8s = k8sBuild(version);
  const etcd = etcdBuild(ETCD_VERSION[minor] ?? ETCD_VERSION[DEFAULT_VERSION]);
  return { k8s, etcd, all: { ...k8s.bins, ...etcd.bins } };
}

/** Waits for and takes a lock directory, so two suites starting at once do not build the same thing twice. */
async function withLock(dir, fn) {
  mkdirSync(dir, { recursive: true });
  const lock = path.join(dir, '.lock');
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      let holder;
      try { holder = Number(readFileSync(path.join(lock, 'pid'), 'utf8')); } catch { holder = undefined; }
      if (holder && !alive(holder)) { rmSync(lock, { recursive: true, force: true }); continue; }
      await sleep(2000);
    }
  }
  try { return await fn(); } finally { rmSync(lock, { recursive: true, force: true }); }
}

/** The published go.mod of k8s.io/kubernetes lists its staging modules as v0.0.0 with ./staging replaces. */
function stagingModules(version) {
  const info = JSON.parse(run('go', ['mod', 'download', '-json', `k8s.io/kubernetes@v${version}`]));
  const gomod = readFileSync(info.GoMod, 'utf8');
  const names = [...gomod.matchAll(/^\s*(k8s\.io\/[\w.-]+)\s+=>\s+\.\/staging\/src\//gm)].map((m) => m[1]);
  if (names.length === 0) throw new Fail(`no staging replaces in the go.mod of k8s.io/kubernetes@v${version}`);
  return names;
}

async function buildModule({ dir, bins }, { module, version, packages, replaces = [], ldflags = '' }) {
  await withLock(dir, async () => {
    if (Object.values(bins).every(works)) return;
    if (!goAvailable()) throw new Fail(`Go is not installed: cannot build ${module}@${version} (install Go 1.26+, or run .ci/run)`);
    const started = Date.now();
    log(`building ${Object.keys(packages).join(', ')} from ${module}@${version} in ${dir} (several minutes the first time)`);
    const imports = Object.values(packages).map((p) => `\t_ "${p}"`).join('\n');
    writeFileSync(path.join(dir, 'tools.go'), `//go:build tools\n\npackage tools\n\nimport (\n${imports}\n)\n`);
    const replaceBlock = replaces.length ? `\nreplace (\n${replaces.map(([m, v]) => `\t${m} => ${m} ${v}`).join('\n')}\n)\n` : '';
    if (!existsSync(path.join(dir, 'go.mod'))) {
      writeFileSync(path.join(dir, 'go.mod'), `module kubeharden.local/controlplane\n\ngo 1.26\n\nrequire ${module} ${version}\n${replaceBlock}`);
    }
    const logFile = path.join(dir, 'build.log');
    const fd = openSync(logFile, 'a');
    // Static binaries, as Kubernetes' and etcd's release builds make them.
    const env = { ...process.env, GOFLAGS: '-mod=mod', CGO_ENABLED: process.env.CGO_ENABLED ?? '0' };
    try {
      const step = (args) => {
        const r = spawnSync('go', args, { cwd: dir, env, stdio: ['ignore', fd, fd] });
        if (r.status !== 0) throw new Fail(`go ${args.join(' ')} failed in ${dir} (see ${logFile}):\n${tail(logFile, 30)}`);
      };
      step(['mod', 'tidy']);
      mkdirSync(path.join(dir, 'bin'), { recursive: true });
      for (const [key, pkg] of Object.entries(packages)) {
        const out = bins[key];
        if (works(out)) continue;
        const tmp = `${out}.partial`;
        step(['build', '-trimpath', ...(ldflags ? ['-ldflags', ldflags] : []), '-o', tmp, pkg]);
        renameSync(tmp, out);
      }
    } finally {
      closeSync(fd);
    }
    log(`built ${module}@${version} in ${Math.round((Date.now() - started) / 1000)} s`);
  });
}

async function build(version, only) {
  const b = binaries(version);
  const stage = version.split('.').slice(1).join('.'); // 1.37.2 -> 37.2
  if (only !== 'etcd' && !Object.values(b.k8s.bins).every(works)) {
    if (!goAvailable()) throw new Fail(`Go is not installed: cannot build kube-apiserver v${version} (install Go 1.26+, or run .ci/run)`);
    const replaces = stagingModules(version).map((m) => [m, `v0.${stage}`]);
    await buildModule(b.k8s, {
      module: 'k8s.io/kubernetes', version: `v${version}`, replaces, ldflags: k8sLdflags(version),
      packages: Object.fromEntries(Object.entries({
        kubeApiserver: 'k8s.io/kubernetes/cmd/kube-apiserver',
        kubectl: 'k8s.io/kubernetes/cmd/kubectl',
        kubeControllerManager: 'k8s.io/kubernetes/cmd/kube-controller-manager',
      }).filter(([key]) => key in b.k8s.bins)),
    });
  }
  const etcdVersion = path.basename(b.etcd.dir).replace('build-etcd-v', '');
  if (only !== 'k8s' && !works(b.etcd.bins.etcd)) {
    await buildModule(b.etcd, { module: 'go.etcd.io/etcd/server/v3', version: `v${etcdVersion}`, packages: { etcd: 'go.etcd.io/etcd/server/v3' } });
  }
  return b.all;
}

// ----------------------------------------------------------------------------------------------- PKI

function openssl(args, cwd) {
  run('openssl', args, { cwd });
}

/** Certificates as kubeadm lays them out: a cluster CA, an etcd CA, a front-proxy CA, and the SA key pair. */
function makePki(pki) {
  mkdirSync(pki, { recursive: true, mode: 0o700 });
  const ca = (name, cn) => {
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '365',
      '-subj', `/CN=${cn}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign,digitalSignature'], pki);
  };
  const leaf = (name, caName, subj, ext) => {
    writeFileSync(path.join(pki, `${name}.ext`), ext);
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subj], pki);
    openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', `${caName}.crt`, '-CAkey', `${caName}.key`, '-CAcreateserial',
      '-out', `${name}.crt`, '-days', '365', '-extfile', `${name}.ext`], pki);
    rmSync(path.join(pki, `${name}.csr`));
    rmSync(path.join(pki, `${name}.ext`));
  };
  const server = 'keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n';
  const client = 'keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n';
  ca('ca', 'kubernetes');
  leaf('apiserver', 'ca', '/CN=kube-apiserver',
    server + 'subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local\n');
  leaf('admin', 'ca', '/O=system:masters/CN=kubernetes-admin', client);
  leaf('apiserver-kubelet-client', 'ca', '/O=kubeadm:cluster-admins/CN=kube-apiserver-kubelet-client', client);
  ca('etcd-ca', 'etcd-ca');
  leaf('etcd-server', 'etcd-ca', '/CN=etcd-server', 'keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n');
  leaf('etcd-peer', 'etcd-ca', '/CN=etcd-peer', 'keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n');
  leaf('apiserver-etcd-client', 'etcd-ca', '/CN=kube-apiserver-etcd-client', client);
  ca('front-proxy-ca', 'front-proxy-ca');
  leaf('front-proxy-client', 'front-proxy-ca', '/CN=front-proxy-client', client);
  openssl(['genrsa', '-out', 'sa.key', '2048'], pki);
  openssl(['rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], pki);
  for (const f of readdirSync(pki)) if (f.endsWith('.srl')) rmSync(path.join(pki, f));
}

// ------------------------------------------------------------------------------------------ processes

function alive(pid) {
  try { process.kill(pid, 0); return true; } catch (err) { return err.code === 'EPERM'; }
}

/** True when PID is a process this script started for DIR (its command line names DIR), so a reused pid is never killed. */
function ours(pid, binary, dir) {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return cmdline[0] === binary && cmdline.some((a) => a.includes(dir));
  } catch {
    return false;
  }
}

async function stop(pid, binary, dir) {
  if (!pid || !ours(pid, binary, dir)) return;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 150 && alive(pid) && ours(pid, binary, dir); i++) await sleep(100);
  if (alive(pid) && ours(pid, binary, dir)) process.kill(pid, 'SIGKILL');
  for (let i = 0; i < 50 && alive(pid) && ours(pid, binary, dir); i++) await sleep(100);
}

function start(binary, args, logFile) {
  const fd = openSync(logFile, 'a');
  // Everything here is on loopback: a proxy from the environment (used for the Go module download)
  // must not carry etcd's gRPC or the API server's webhook calls.
  const noProxy = ['127.0.0.1', 'localhost', '::1', process.env.NO_PROXY ?? process.env.no_proxy].filter(Boolean).join(',');
  const env = { ...process.env, NO_PROXY: noProxy, no_proxy: noProxy };
  const child = spawn(binary, args, { detached: true, stdio: ['ignore', fd, fd], env });
  closeSync(fd);
  child.unref();
  return child.pid;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function tail(file, lines) {
  try { return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n'); } catch { return ''; }
}

function get(url, tls) {
  return new Promise((resolve) => {
    const req = https.get(url, { ...tls, agent: false, timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => resolve({ status: 0, body: err.message }));
  });
}

async function waitReady({ url, tls, pid, binary, dir, logFile, what }) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = '';
  while (Date.now() < deadline) {
    if (!ours(pid, binary, dir)) throw new Fail(`${what} exited while starting; the end of ${logFile}:\n${tail(logFile, 40)}`);
    const answer = await get(url, tls);
    if (answer.status === 200) return;
    last = `${answer.status} ${answer.body.slice(0, 2000)}`;
    await sleep(500);
  }
  throw new Fail(`${what} was not ready within ${READY_TIMEOUT_MS / 1000} s (last answer: ${last}); the end of ${logFile}:\n${tail(logFile, 40)}`);
}

// ------------------------------------------------------------------------------------------- config

const DEFAULT_AUDIT_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
- level: Metadata
`;

function defaultEncryptionConfig() {
  return `apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
- resources: [secrets]
  providers:
  - aescbc:
      keys:
      - name: key1
        secret: ${randomBytes(32).toString('base64')}
  - identity: {}
`;
}

/** Copies a config file into DIR/config under a name that changes with its content (so a restart sees the new one). */
function placeConfig(dir, kind, source, fallback) {
  if (source === 'none') return undefined;
  const text = source ? readFileSync(source) : Buffer.from(fallback());
  const digest = createHash('sha256').update(text).digest('hex').slice(0, 12);
  const target = path.join(dir, 'config', `${kind}-${digest}.yaml`);
  mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
  writeFileSync(target, text, { mode: 0o600 });
  return target;
}

function etcdArgs(dir, ports) {
  const pki = path.join(dir, 'pki');
  const client = `https://127.0.0.1:${ports.etcdClient}`;
  const peer = `https://127.0.0.1:${ports.etcdPeer}`;
  // kubeadm's etcd static pod flags, on loopback.
  return [
    '--name=controlplane', `--data-dir=${path.join(dir, 'etcd-data')}`,
    `--listen-client-urls=${client}`, `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`, `--initial-advertise-peer-urls=${peer}`, `--initial-cluster=controlplane=${peer}`,
    `--listen-metrics-urls=http://127.0.0.1:${ports.etcdMetrics}`,
    `--cert-file=${pki}/etcd-server.crt`, `--key-file=${pki}/etcd-server.key`,
    '--client-cert-auth=true', `--trusted-ca-file=${pki}/etcd-ca.crt`,
    `--peer-cert-file=${pki}/etcd-peer.crt`, `--peer-key-file=${pki}/etcd-peer.key`,
    '--peer-client-cert-auth=true', `--peer-trusted-ca-file=${pki}/etcd-ca.crt`,
    '--snapshot-count=10000',
  ];
}

/** kube-apiserver's flags as kubeadm v1.37 writes them, plus audit, encryption and PodSecurity. */
function apiserverFlags(dir, ports, files) {
  const pki = path.join(dir, 'pki');
  const flags = new Map(Object.entries({
    // Only what the "kubernetes" Service's endpoints say (nothing connects to it here: no pods
    // run). The API server refuses a loopback address for it, so it is one of TEST-NET-1.
    'advertise-address': '192.0.2.1',
    'bind-address': '127.0.0.1',
    'secure-port': String(ports.apiserver),
    'allow-privileged': 'true',
    'authorization-mode': 'Node,RBAC',
    'client-ca-file': `${pki}/ca.crt`,
    'enable-admission-plugins': 'NodeRestriction,PodSecurity',
    'enable-bootstrap-token-auth': 'true',
    'etcd-cafile': `${pki}/etcd-ca.crt`,
    'etcd-certfile': `${pki}/apiserver-etcd-client.crt`,
    'etcd-keyfile': `${pki}/apiserver-etcd-client.key`,
    'etcd-servers': `https://127.0.0.1:${ports.etcdClient}`,
    'kubelet-client-certificate': `${pki}/apiserver-kubelet-client.crt`,
    'kubelet-client-key': `${pki}/apiserver-kubelet-client.key`,
    'kubelet-preferred-address-types': 'InternalIP,ExternalIP,Hostname',
    'proxy-client-cert-file': `${pki}/front-proxy-client.crt`,
    'proxy-client-key-file': `${pki}/front-proxy-client.key`,
    'requestheader-allowed-names': 'front-proxy-client',
    'requestheader-client-ca-file': `${pki}/front-proxy-ca.crt`,
    'requestheader-extra-headers-prefix': 'X-Remote-Extra-',
    'requestheader-group-headers': 'X-Remote-Group',
    'requestheader-username-headers': 'X-Remote-User',
    'service-account-issuer': 'https://kubernetes.default.svc.cluster.local',
    'service-account-key-file': `${pki}/sa.pub`,
    'service-account-signing-key-file': `${pki}/sa.key`,
    'service-cluster-ip-range': SERVICE_CIDR,
    'tls-cert-file': `${pki}/apiserver.crt`,
    'tls-private-key-file': `${pki}/apiserver.key`,
  }));
  if (files.auditPolicy) {
    flags.set('audit-policy-file', files.auditPolicy);
    flags.set('audit-log-path', path.join(dir, 'audit.log'));
    flags.set('audit-log-maxage', '30');
    flags.set('audit-log-maxbackup', '10');
    flags.set('audit-log-maxsize', '100');
  }
  if (files.encryptionConfig) flags.set('encryption-provider-config', files.encryptionConfig);
  if (files.admissionConfig) flags.set('admission-control-config-file', files.admissionConfig);
  return flags;
}

/** Extra flags replace defaults of the same name; --drop-flag removes one. */
function mergeFlags(flags, extra, drop) {
  for (const name of drop) flags.delete(name);
  const rest = [];
  for (let i = 0; i < extra.length; i++) {
    const m = /^--([^=]+)(?:=(.*))?$/s.exec(extra[i]);
    if (!m) { rest.push(extra[i]); continue; }
    let value = m[2];
    if (value === undefined && i + 1 < extra.length && !extra[i + 1].startsWith('--')) value = extra[++i];
    flags.set(m[1], value ?? 'true');
  }
  return [...[...flags].map(([k, v]) => `--${k}=${v}`), ...rest];
}

function kubeconfig(server, pki) {
  const b64 = (f) => readFileSync(path.join(pki, f)).toString('base64');
  return `apiVersion: v1
kind: Config
clusters:
- name: kubeharden-test
  cluster:
    server: ${server}
    certificate-authority-data: ${b64('ca.crt')}
users:
- name: kubernetes-admin
  user:
    client-certificate-data: ${b64('admin.crt')}
    client-key-data: ${b64('admin.key')}
contexts:
- name: kubernetes-admin@kubeharden-test
  context: {cluster: kubeharden-test, user: kubernetes-admin}
current-context: kubernetes-admin@kubeharden-test
`;
}

// -------------------------------------------------------------------------------------------- up/down

function readEnv(dir) {
  const file = path.join(dir, 'env.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

function writeEnv(dir, env) {
  const file = path.join(dir, 'env.json');
  writeFileSync(`${file}.tmp`, JSON.stringify(env, null, 2) + '\n');
  renameSync(`${file}.tmp`, file);
}

async function up(opts) {
  if (!opts.dir) throw new Fail('up needs --dir DIR');
  const dir = opts.dir;
  const version = resolveVersion(opts.version);
  const bins = await build(version);
  if (opts.etcdBinary) bins.etcd = opts.etcdBinary;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let env = readEnv(dir);
  if (!env && readdirSync(dir).length > 0) throw new Fail(`${dir} is not empty and holds no control plane (env.json); give an empty or new folder`);
  const pki = path.join(dir, 'pki');
  const tls = () => ({ ca: readFileSync(path.join(pki, 'ca.crt')), cert: readFileSync(path.join(pki, 'admin.crt')), key: readFileSync(path.join(pki, 'admin.key')) });
  const etcdTls = () => ({ ca: readFileSync(path.join(pki, 'etcd-ca.crt')), cert: readFileSync(path.join(pki, 'apiserver-etcd-client.crt')), key: readFileSync(path.join(pki, 'apiserver-etcd-client.key')) });

  if (!env) {
    makePki(pki);
    const ports = { apiserver: await freePort(), etcdClient: await freePort(), etcdPeer: await freePort(), etcdMetrics: await freePort() };
    env = { version, dir, binaries: bins, pki, ports, pids: {}, files: {} };
  }
  env.binaries = bins;
  const { ports } = env;

  // etcd: started once per DIR, kept across restarts of the API server.
  if (!env.pids.etcd || !ours(env.pids.etcd, bins.etcd, dir)) {
    const args = etcdArgs(dir, ports);
    const logFile = path.join(dir, 'etcd.log');
    env.pids.etcd = start(bins.etcd, args, logFile);
    env.etcdArgs = args;
    writeEnv(dir, env);
    await waitReady({ url: `https://127.0.0.1:${ports.etcdClient}/health`, tls: etcdTls(), pid: env.pids.etcd, binary: bins.etcd, dir, logFile, what: 'etcd' });
    log(`etcd ready on 127.0.0.1:${ports.etcdClient}`);
  }

  // kube-apiserver: (re)started with this call's flags and files.
  await stop(env.pids.kubeApiserver, bins.kubeApiserver, dir);
  const files = {
    auditPolicy: placeConfig(dir, 'audit-policy', opts.auditPolicy, () => DEFAULT_AUDIT_POLICY),
    // A restart keeps the previous encryption configuration unless one is given (or --no-encryption):
    // a fresh random key would make every Secret already written unreadable.
    encryptionConfig: !opts.encryptionConfig && env.files.encryptionConfig
      ? env.files.encryptionConfig
      : placeConfig(dir, 'encryption-config', opts.encryptionConfig, defaultEncryptionConfig),
    admissionConfig: opts.admissionConfig ? placeConfig(dir, 'admission-config', opts.admissionConfig) : undefined,
  };
  const args = mergeFlags(apiserverFlags(dir, ports, files), opts.extra, opts.drop);
  const logFile = path.join(dir, 'kube-apiserver.log');
  writeFileSync(logFile, '');
  env.pids.kubeApiserver = start(bins.kubeApiserver, args, logFile);
  env.apiserverArgs = args;
  env.files = { ...files, auditLog: files.auditPolicy ? path.join(dir, 'audit.log') : undefined, apiserverLog: logFile, etcdLog: path.join(dir, 'etcd.log') };
  env.server = `https://127.0.0.1:${ports.apiserver}`;
  env.etcd = { endpoint: `https://127.0.0.1:${ports.etcdClient}`, cacert: `${pki}/etcd-ca.crt`, cert: `${pki}/apiserver-etcd-client.crt`, key: `${pki}/apiserver-etcd-client.key` };
  env.kubeconfig = path.join(dir, 'admin.kubeconfig');
  writeFileSync(env.kubeconfig, kubeconfig(env.server, pki), { mode: 0o600 });
  writeEnv(dir, env);
  try {
    await waitReady({ url: `${env.server}/readyz`, tls: tls(), pid: env.pids.kubeApiserver, binary: bins.kubeApiserver, dir, logFile, what: 'kube-apiserver' });
  } catch (err) {
    // Nothing left running behind a failed start (a server refusing its flags exits by itself; one
    // that never gets ready is stopped). etcd stays for `down` or the next `up`.
    await stop(env.pids.kubeApiserver, bins.kubeApiserver, dir);
    throw err;
  }
  log(`kube-apiserver v${version} ready at ${env.server}`);
  process.stdout.write(env.kubeconfig + '\n');
}

async function down(opts) {
  if (!opts.dir) throw new Fail('down needs --dir DIR');
  const env = readEnv(opts.dir);
  if (!env) {
    // An `up` that failed before starting anything leaves at most its certificates: removed too.
    if (!existsSync(opts.dir)) return;
    if (readdirSync(opts.dir).every((f) => f === 'pki')) return rmSync(opts.dir, { recursive: true, force: true });
    throw new Fail(`${opts.dir} holds no control plane (env.json); nothing stopped`);
  }
  await stop(env.pids.kubeApiserver, env.binaries.kubeApiserver, env.dir);
  await stop(env.pids.etcd, env.binaries.etcd, env.dir);
  if (!opts.keep) rmSync(env.dir, { recursive: true, force: true });
  log(`stopped the control plane in ${env.dir}${opts.keep ? ' (files kept)' : ' and removed it'}`);
}

async function status(opts) {
  const version = resolveVersion(opts.version);
  const b = binaries(version);
  const built = Object.fromEntries(Object.entries(b.all).map(([k, f]) => [k, works(f) ? f : null]));
  process.stdout.write(JSON.stringify({ version, cache: cacheRoot(), go: goAvailable() ?? null, binaries: built }, null, 2) + '\n');
  if (Object.values(built).some((v) => !v)) process.exitCode = 1;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  switch (opts.command) {
    case 'build': {
      const bins = await build(resolveVersion(opts.version), opts.only);
      process.stdout.write(JSON.stringify(bins, null, 2) + '\n');
      return;
    }
    case 'up': return up(opts);
    case 'down': return down(opts);
    case 'status': return status(opts);
    case 'help': case undefined: process.stdout.write(HELP); return;
    default: throw new Fail(`unknown command ${opts.command} (build, status, up, down)`);
  }
}

main().catch((err) => {
  log(err instanceof Fail ? err.message : err.stack);
  process.exitCode = err instanceof Fail ? 2 : 1;
});
