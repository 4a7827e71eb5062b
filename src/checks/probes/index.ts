// The checks of live probes (`etcd probe`, `probe apiserver`). Their metadata joins the check
// catalog so that `checks list`, `checks explain` and the generated docs show them like every
// other check.

import type { CheckMeta } from '../types.js';
import { APISERVER_PROBE_CHECK_CATALOG } from './apiserver.js';
import { ETCD_PROBE_CHECK_CATALOG } from './etcd.js';

export const PROBE_CHECK_CATALOG: readonly CheckMeta[] = [...ETCD_PROBE_CHECK_CATALOG, ...APISERVER_PROBE_CHECK_CATALOG];
