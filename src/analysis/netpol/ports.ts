// Sets of (protocol, port) as sorted, disjoint inclusive ranges per protocol. A reachability
// answer between two endpoints is one of these: the ports on which a connection is allowed.

export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export const MIN_PORT = 1;
export const MAX_PORT = 65535;

type Ranges = readonly (readonly [number, number])[];

/**
 * Immutable and interned: equal sets are the same object, and the result of each union or
 * intersection of two sets is remembered. A reachability matrix combines a handful of distinct
 * sets millions of times, so the operations become lookups.
 */
export class PortSet {
  private static readonly interned = new Map<string, PortSet>();
  private readonly unions = new Map<PortSet, PortSet>();
  private readonly intersections = new Map<PortSet, PortSet>();

  private constructor(private readonly ranges: Readonly<Record<Protocol, Ranges>>) {}

  private static make(ranges: Record<Protocol, Ranges>): PortSet {
    const key = JSON.stringify(ranges);
    let set = PortSet.interned.get(key);
    if (!set) PortSet.interned.set(key, (set = new PortSet(ranges)));
    return set;
  }

  static readonly NONE = PortSet.make({ TCP: [], UDP: [], SCTP: [] });
  static readonly ALL = PortSet.make({ TCP: [[MIN_PORT, MAX_PORT]], UDP: [[MIN_PORT, MAX_PORT]], SCTP: [[MIN_PORT, MAX_PORT]] });

  /** Ports `from`..`to` (inclusive) of one protocol. */
  static range(protocol: Protocol, from: number, to: number = from): PortSet {
    return PortSet.make({ ...PortSet.NONE.ranges, [protocol]: from <= to ? [[from, to]] : [] });
  }

  /** Every port of one protocol. */
  static protocol(protocol: Protocol): PortSet {
    return PortSet.range(protocol, MIN_PORT, MAX_PORT);
  }

  has(protocol: Protocol, port: number): boolean {
    return this.ranges[protocol].some(([a, b]) => a <= port && port <= b);
  }

  get isEmpty(): boolean {
    return this === PortSet.NONE;
  }

  get isAll(): boolean {
    return this === PortSet.ALL;
  }

  union(other: PortSet): PortSet {
    if (this === other || this === PortSet.NONE || other === PortSet.ALL) return other;
    if (other === PortSet.NONE || this === PortSet.ALL) return this;
    let result = this.unions.get(other);
    if (!result) this.unions.set(other, (result = this.combine(other, unionRanges)));
    return result;
  }

  intersect(other: PortSet): PortSet {
    if (this === other || this === PortSet.ALL || other === PortSet.NONE) return other;
    if (other === PortSet.ALL || this === PortSet.NONE) return this;
    let result = this.intersections.get(other);
    if (!result) this.intersections.set(other, (result = this.combine(other, intersectRanges)));
    return result;
  }

  /** Ports of this set that are not in `other`. */
  minus(other: PortSet): PortSet {
    return this.combine(other, (a, b) => intersectRanges(a, complement(b)));
  }

  equals(other: PortSet): boolean {
    return this === other;
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
    return PortSet.make({
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
