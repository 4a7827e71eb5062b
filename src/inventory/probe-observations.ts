// What the live probes (`etcd probe`, `probe apiserver`) observed on the network: plain data
// the sources fill and the probe checks (src/checks/probes/) judge.

export interface ServerCertificate {
  subject: string;
  subjectAltNames: string;
  validFrom: Date;
  validTo: Date;
  /** Whether the chain verifies against the given CA (or the system CAs). */
  trusted: boolean;
  trustError?: string;
  /** Why the certificate does not cover the host of the endpoint, if it does not. */
  hostnameError?: string;
}

/** answered: etcd served the data; denied: etcd spoke but its own authentication refused; refused: no etcd answer. */
export type Answer = 'answered' | 'denied' | 'refused';

export interface EndpointReport {
  url: string;
  /** A plain-HTTP range request: answered means anyone on the network reads etcd. */
  plaintext?: Answer;
  /** A TLS range request without a client certificate. */
  withoutClientCert?: Answer;
  certificate?: ServerCertificate;
  /** Why the endpoint could not be probed (fully or in part). */
  error?: string;
}

export interface SecretRef {
  etcdKey: string;
  namespace: string;
  name: string;
}

export interface SecretsReport {
  /** The endpoint and how the Secrets were read. */
  readFrom: string;
  total: number;
  /** Count per storage prefix: `k8s:enc:aescbc:v1:key1:`, or `plain (protobuf)` / `plain (json)` / `plain (unrecognised)`. */
  byStorage: Record<string, number>;
  plain: SecretRef[];
  /** With an EncryptionConfiguration only. */
  verification?: {
    /** Read as the API server would, with the key (or identity) that wrote them first: current. */
    current: number;
    /** Plain values read by an identity provider that is not first (already counted in `plain`). */
    plainReadable: number;
    /** Readable, but through a provider or key other than the first: not re-encrypted since a change. */
    stale: (SecretRef & { readWith: string })[];
    /** Not readable with the configuration (missing key, wrong key, or KMS plugin needed). */
    unreadable: (SecretRef & { reason: string })[];
  };
}

export interface ProbeReport {
  endpoints: EndpointReport[];
  secrets?: SecretsReport;
  /** Why the Secrets were not inspected, when they were not. */
  secretsSkipped?: string;
}

export interface AnonymousAnswer {
  path: string;
  status?: number;
  error?: string;
}

export interface ApiServerProbeReport {
  url: string;
  anonymous: AnonymousAnswer[];
  /** TLS version → accepted; undefined when the handshake failed for another reason. */
  tlsVersions: Record<string, boolean | undefined>;
  /** IANA names of the TLS 1.0–1.2 cipher suites the server accepted. */
  cipherSuites: string[];
  certificate?: ServerCertificate;
  /** Set when the server could not be probed at all. */
  error?: string;
}
