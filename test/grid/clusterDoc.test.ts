// docs/cluster.md's recipes must stay runnable: its YAML parses, the worker
// Deployment asks for a GPU, mounts a ReadWriteMany volume at the folder it
// passes as --runs, reaches Redis through the Service the doc defines, and
// the worker flags in every recipe are flags the worker command has.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { workerCommand } from '../../src/cli/worker.js';

const doc = readFileSync(new URL('../../docs/cluster.md', import.meta.url), 'utf8');
const blocks = (lang: string) => [...doc.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);

type K8s = { kind: string; metadata: { name: string }; spec: Record<string, any> };

describe('docs/cluster.md', () => {
  const resources = blocks('yaml').flatMap((text) => parseAllDocuments(text).map((d) => {
    expect(d.errors, String(d.errors)).toEqual([]);
    return d.toJS() as K8s;
  }));
  const find = (kind: string, name: string) => resources.find((r) => r.kind === kind && r.metadata.name === name)!;

  test('the YAML holds the volume, Redis and the worker Deployment', () => {
    expect(resources.map((r) => `${r.kind}/${r.metadata.name}`)).toEqual(['PersistentVolumeClaim/grid-runs', 'Deployment/grid-redis', 'Service/grid-redis', 'Deployment/grid-worker']);
    expect(find('PersistentVolumeClaim', 'grid-runs').spec.accessModes).toEqual(['ReadWriteMany']);
    expect(find('Service', 'grid-redis').spec.ports[0].port).toBe(6379);
  });

  test('each worker pod requests a GPU and mounts the shared volume where --runs points', () => {
    const pod = find('Deployment', 'grid-worker').spec.template.spec;
    const [worker] = pod.containers;
    expect(worker.resources.limits['nvidia.com/gpu']).toBe(1);
    const args: string[] = worker.args;
    expect(args[0]).toBe('worker');
    const flag = (name: string) => args[args.indexOf(name) + 1];
    expect(flag('--queue')).toBe('redis://grid-redis:6379');
    const mount = worker.volumeMounts.find((m: { name: string }) => m.name === 'shared');
    expect(flag('--runs').startsWith(`${mount.mountPath}/`)).toBe(true);
    expect(pod.volumes.find((v: { name: string }) => v.name === 'shared').persistentVolumeClaim.claimName).toBe('grid-runs');
    // Longer than a step plus a checkpoint, so SIGTERM requeues the job with its progress.
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(60);
  });

  test('every worker flag the recipes use is one the worker command declares', () => {
    const declared = new Set(workerCommand().options.map((o) => o.long));
    // The flags after "worker" on each line that runs it (shell, YAML args, systemd ExecStart, prose).
    const used = [...doc.matchAll(/\bworker\b([^\n]*)/g)].flatMap((m) => [...m[1].matchAll(/--[a-z][\w-]*/g)].map((f) => f[0]));
    expect(used.length).toBeGreaterThan(6);
    for (const f of used) expect(declared.has(f), f).toBe(true);
  });
});
