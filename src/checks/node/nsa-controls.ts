// NSA/CISA checklist items that each CIS item of sections 1–4 also evidences, from the
// "overlaps" column of spec/nsa.md. Only where the CIS test decides the NSA item as well:
// N13 (prefer KMS) is stricter than CIS 1.2.28, and P11 is about pods, not the kubelet's
// seccomp default, so neither is derived here.

const NSA_BY_CIS: Readonly<Record<string, readonly string[]>> = {
  '1.1.13': ['N10'], '1.1.14': ['N10'], '1.1.15': ['N10'], '1.1.16': ['N10'], '1.1.17': ['N10'], '1.1.18': ['N10'],
  '1.2.1': ['A1'], '1.2.2': ['A4'], '1.2.4': ['N11'], '1.2.5': ['N11'],
  '1.2.6': ['A5'], '1.2.7': ['A5'], '1.2.8': ['A5'],
  '1.2.16': ['L1'], '1.2.17': ['L2'], '1.2.18': ['L2'], '1.2.19': ['L2'],
  '1.2.23': ['N9'], '1.2.24': ['N8'], '1.2.25': ['N8'], '1.2.26': ['N9'],
  '1.2.27': ['N12'], '1.2.28': ['N12'], '1.2.29': ['N11'],
  '1.3.7': ['N16'], '1.4.2': ['N16'],
  '2.1': ['N9'], '2.2': ['N9'], '2.3': ['N9'], '2.4': ['N9'], '2.5': ['N9'], '2.6': ['N9'], '2.7': ['N9'],
  '3.1.1': ['A4'], '3.1.2': ['A4'], '3.1.3': ['A4'], '3.2.1': ['L1'], '3.2.2': ['L3'],
  '4.1.3': ['N10'], '4.1.4': ['N10'], '4.1.5': ['N10'], '4.1.6': ['N10'],
  '4.2.1': ['A2'], '4.2.2': ['A3'], '4.2.3': ['A3'], '4.2.4': ['N16'], '4.2.8': ['L7'],
  '4.2.12': ['N11'], '4.2.13': ['N7'], '4.2.14': ['L6'], '4.3.1': ['N16'],
};

/** The control references of a CIS item: `cis:ID` and the NSA items it evidences. */
export function controlsOfCisItem(id: string): string[] {
  return [`cis:${id}`, ...(NSA_BY_CIS[id] ?? []).map((n) => `nsa:${n}`)];
}
