// The etcd items of the CIS benchmark (section 2): etcd's flags and its own CA. Node checks:
// they read the etcd process or static pod. What a live etcd answers on the network is a probe
// (src/checks/probes/etcd.ts).

import type { NodeCheck } from '../node/types.js';
import { settingCheck } from '../templates/setting-item.js';
import { etcdUsesOwnCa } from './etcd-own-ca.js';
import { ETCD_ITEMS } from './items.js';

export const etcdChecks: NodeCheck[] = [...ETCD_ITEMS.map(settingCheck), etcdUsesOwnCa];
