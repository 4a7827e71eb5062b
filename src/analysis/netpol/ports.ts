// Sets of (protocol, port) as sorted, disjoint inclusive ranges per protocol. A reachability
// answer between two endpoints is one of these: the ports on which a connection is allowed.

export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export const MIN_PORT = 1;
export const MAX_PORT = 65535;

type Ranges = readonly (readonly [number, number])[];

export class PortSet {
  private constructor(private readonly ranges: Readonly<Record<Protocol, Ranges>>) {}

  static readonly NONE = new PortSet({ TCP: [], UDP: [], SCTP: [] });
  static readonly ALL = new PortSet({ TCP: [[MIN_PORT, MAX_PORT]], UDP: [[MIN_PORT, MAX_PORT]], SCTP: [[MIN_PORT, MAX_PORT]] });

  /** Ports `from`..`to` (inclusive) of one protocol. */
  static range(protocol: Protocol, from: number, to: number = from): PortSet {
    return new PortSet({ ...PortSet.NONE.ranges, [protocol]: from <= to ? [[from, to]] : [] });
  }

  /** Every port of one protocol. */
  static protocol(protocol: Protocol): PortSet {
    return PortSet.range(protocol, MIN_PORT, MAX_PORT);
  }

  has(protocol: Protocol, port: number): boolean {
    return this.ranges[protocol].some(([a, b]) => a <= port && port <= b);
  }

  get isEmpty(): boolean {
    return PROTOCOLS.every((p) => this.ranges[p].length === 0);
  }

  get isAll(): boolean {
    return PROTOCOLS.every((p) => {
      const r = this.ranges[p];
      return r.length === 1 && r[0]![0] === MIN_PORT && r[0]![1] === MAX_PORT;
    });
  }

  union(other: PortSet): PortSet {
    if (this.isEmpty || other.isAll) return other;
    if (other.isEmpty || this.isAll) return this;
    return this.combine(other, unionRanges);
  }

  intersect(other: PortSet): PortSet {
    if (this.isAll || other.isEmpty) return other;
    if (other.isAll || this.isEmpty) return this;
    return this.combine(other, intersectRanges);
  }

  /** Ports of this set that are not in `other`. */
  minus(other: PortSet): PortSet {
    return this.combine(other, (a, b) => intersectRanges(a, complement(b)));
  }

  equals(other: PortSet): boolean {
    return PROTOCOLS.every((p) => JSON.stringify(this.ranges[p]) === JSON.stringify(other.ranges[p]));
  }

  /** `all`, `none`, or `TCP 80,8080-8090; UDP 53`. */
  toString(): string {
    if (this.isAll) return 'all';
    if (this.isEmpty) return 'none';
    return PROTOCOLS.filter((p) => this.ranges[p].length)
      .map((p) => {
        const r = this.ranges[p];
        const whole = r.length === 1 && r[0]![0] === MIN_PORT && r[0]![1] === MAX_PORT;
        return `${p} ${whole ? 'all' : r.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',')}`;
      })
      .join('; ');
  }

  /** JSON form: `{"TCP": ["80", "8000-8080"]}`; protocols with no port are left out. */
  toJSON(): Partial<Record<Protocol, string[]>> {
    const out: Partial<Record<Protocol, string[]>> = {};
    for (const p of PROTOCOLS) {
      if (this.ranges[p].length) out[p] = this.ranges[p].map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`));
    }
    return out;
  }

  private combine(other: PortSet, op: (a: Ranges, b: Ranges) => Ranges): PortSet {
    return new PortSet({
      TCP: op(this.ranges.TCP, other.ranges.TCP),
      UDP: op(this.ranges.UDP, other.ranges.UDP),
      SCTP: op(this.ranges.SCTP, other.ranges.SCTP),
    });
  }
}

function unionRanges(a: Ranges, b: Ranges): Ranges {
  const all = [...a, ...b].sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [s, e] of all) {
    const last = out[out.length - 1];
    if (last && s <= last[1] + 1) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

function intersectRanges(a: Ranges, b: Ranges): Ranges {
  const out: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const [as, ae] = a[i]!;
    const [bs, be] = b[j]!;
    const s = Math.max(as, bs);
    const e = Math.min(ae, be);
    if (s <= e) out.push([s, e]);
    if (ae < be) i++;
    else j++;
  }
  return out;
}

function complement(r: Ranges): Ranges {
  const out: [number, number][] = [];
  let next = MIN_PORT;
  for (const [s, e] of r) {
    if (s > next) out.push([next, s - 1]);
    next = e + 1;
  }
  if (next <= MAX_PORT) out.push([next, MAX_PORT]);
  return out;
}
