/**
 * A CPU quota for a server under test: a cgroup (v2 `cpu.max`, or v1 `cpu.cfs_quota_us`) that lets its
 * processes run `pct` % of one CPU, so a benchmark can push a server past saturation with a number of
 * viewers the load generator can still drive. Every process started into it (and their children) share
 * the quota. Needs root and a writable cgroup file system; `cpuQuotaAvailability()` says why not.
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const V2 = '/sys/fs/cgroup';
const V1 = '/sys/fs/cgroup/cpu';
/** Scheduler period of the quota: short, so a throttled server stalls for milliseconds, not 100 ms at a time. */
const PERIOD_US = 10_000;

/** Empty when quotas can be made here, else why not. */
export function cpuQuotaAvailability() {
  try {
    const q = cpuQuota(50);
    q.remove();
    return '';
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

let seq = 0;

/**
 * Makes a cgroup limited to `pct` % of one CPU. `procs` is the file a process writes its PID to to
 * join (see startProc's `cgroup`); `remove()` deletes the group once its processes are gone.
 * @param {number} pct
 * @returns {{ procs: string, pct: number, remove(): void }}
 */
export function cpuQuota(pct) {
  const quotaUs = Math.max(1000, Math.round((PERIOD_US * pct) / 100));
  const name = `livegate-bench-${process.pid}-${seq++}`;
  let dir;
  try {
    if (existsSync(join(V2, 'cgroup.controllers'))) {
      if (!readFileSync(join(V2, 'cgroup.subtree_control'), 'utf8').includes('cpu')) writeFileSync(join(V2, 'cgroup.subtree_control'), '+cpu');
      dir = join(V2, name);
      mkdirSync(dir);
      writeFileSync(join(dir, 'cpu.max'), `${quotaUs} ${PERIOD_US}`);
    } else if (existsSync(join(V1, 'cpu.cfs_quota_us'))) {
      dir = join(V1, name);
      mkdirSync(dir);
      writeFileSync(join(dir, 'cpu.cfs_period_us'), String(PERIOD_US));
      writeFileSync(join(dir, 'cpu.cfs_quota_us'), String(quotaUs));
    } else {
      throw new Error('no cgroup cpu controller (neither cgroup v2 nor v1 cpu is mounted)');
    }
  } catch (e) {
    if (dir && existsSync(dir)) rmdirSync(dir);
    throw new Error(`cannot make a CPU quota: ${e instanceof Error ? e.message : e}`);
  }
  const group = dir;
  const remove = () => {
    try {
      if (existsSync(group)) rmdirSync(group);
    } catch {
      /* still has processes: the kernel keeps it until they exit; nothing else to do */
    }
  };
  process.on('exit', remove);
  return { procs: join(group, 'cgroup.procs'), pct, remove };
}
