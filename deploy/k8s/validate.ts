/**
 * Static check of the Kubernetes manifests in this folder (no cluster, and no published JSON
 * schema is available offline): every YAML document parses, matches a zod schema of the fields
 * these manifests use (apiVersion/kind pairs, names, selectors, containers, probes, env), and the
 * references hold: a workload's selector matches its pod labels, every Service selects a workload
 * and targets a port it declares, every secretKeyRef names the pupero-secrets Secret and a key that
 * `npm run deploy:init` writes, every configMap volume exists, every service URL in an env value
 * (http, redis, postgres) names a Service and one of its ports, and a gateway run as several
 * replicas shares its rate-limit counters (REDIS_URL). Exit 1 with every problem listed.
 *   node --import tsx deploy/k8s/validate.ts
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';

const dir = fileURLToPath(new URL('.', import.meta.url));
const name = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a DNS-1123 name');
const labels = z.record(z.string(), z.string());
const metadata = z.object({ name, labels: labels.optional() });
const port = z.number().int().min(1).max(65535);
const probe = z
  .object({
    httpGet: z.object({ path: z.string().startsWith('/'), port: z.union([port, name]) }).optional(),
    exec: z.object({ command: z.array(z.string()).min(1) }).optional(),
  })
  .refine((p) => Boolean(p.httpGet) !== Boolean(p.exec), 'a probe needs exactly one of httpGet, exec');
const envVar = z
  .strictObject({
    name: z.string().regex(/^[A-Z_][A-Z0-9_]*$/),
    value: z.string().optional(),
    valueFrom: z.object({ secretKeyRef: z.object({ name, key: z.string() }) }).optional(),
  })
  .refine((e) => (e.value === undefined) !== (e.valueFrom === undefined), 'env needs exactly one of value, valueFrom');
const container = z.object({
  name,
  image: z.string().min(1),
  args: z.array(z.string()).optional(),
  ports: z.array(z.object({ name: name.optional(), containerPort: port })).optional(),
  env: z.array(envVar).optional(),
  readinessProbe: probe,
  livenessProbe: probe.optional(),
  volumeMounts: z.array(z.object({ name, mountPath: z.string().startsWith('/') })).optional(),
});
const podTemplate = z.object({
  metadata: z.object({ labels }),
  spec: z.object({
    containers: z.array(container).min(1),
    volumes: z.array(z.object({ name, configMap: z.object({ name }).optional() })).optional(),
  }),
});
const workloadSpec = z.object({ replicas: z.number().int().min(1), selector: z.object({ matchLabels: labels }), template: podTemplate });
const manifest = z.discriminatedUnion('kind', [
  z.object({ apiVersion: z.literal('apps/v1'), kind: z.literal('Deployment'), metadata, spec: workloadSpec }),
  z.object({
    apiVersion: z.literal('apps/v1'),
    kind: z.literal('StatefulSet'),
    metadata,
    spec: workloadSpec.extend({ serviceName: name }),
  }),
  z.object({
    apiVersion: z.literal('v1'),
    kind: z.literal('Service'),
    metadata,
    spec: z.object({
      selector: labels,
      ports: z.array(z.object({ name: name.optional(), port, targetPort: z.union([port, name]) })).min(1),
    }),
  }),
  z.object({ apiVersion: z.literal('v1'), kind: z.literal('ConfigMap'), metadata, data: z.record(z.string(), z.string()) }),
]);
type Manifest = z.infer<typeof manifest>;

/** The keys `npm run deploy:init` writes to deploy/.env (the Secret is created from that file). */
function secretKeys(): Set<string> {
  const source = readFileSync(join(dir, '..', 'init-env.mjs'), 'utf8');
  return new Set([...source.matchAll(/`([A-Z_]+)=/g)].flatMap((m) => (m[1] ? [m[1]] : [])));
}

export function validate(files: Array<{ file: string; text: string }>, keys: Set<string>): { problems: string[]; count: number } {
  const problems: string[] = [];
  const docs: Array<{ where: string; m: Manifest }> = [];
  for (const { file, text } of files) {
    parseAllDocuments(text).forEach((doc, i) => {
      const where = `${file}#${i + 1}`;
      if (doc.errors.length) return void problems.push(`${where}: YAML: ${doc.errors.map((e) => e.message).join('; ')}`);
      const parsed = manifest.safeParse(doc.toJS());
      if (!parsed.success)
        return void problems.push(`${where}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
      docs.push({ where, m: parsed.data });
    });
  }
  const workloads = docs.flatMap(({ where, m }) => (m.kind === 'Deployment' || m.kind === 'StatefulSet' ? [{ where, m }] : []));
  const configMaps = new Set(docs.flatMap(({ m }) => (m.kind === 'ConfigMap' ? [m.metadata.name] : [])));
  const seen = new Set<string>();
  for (const { where, m } of docs) {
    const id = `${m.kind}/${m.metadata.name}`;
    if (seen.has(id)) problems.push(`${where}: ${id} is defined twice`);
    seen.add(id);
  }
  const matches = (selector: Record<string, string>, l: Record<string, string>) => Object.entries(selector).every(([k, v]) => l[k] === v);
  for (const { where, m } of workloads) {
    if (!matches(m.spec.selector.matchLabels, m.spec.template.metadata.labels))
      problems.push(`${where}: selector does not match the pod labels`);
    for (const c of m.spec.template.spec.containers) {
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        if (ref && ref.name !== 'pupero-secrets')
          problems.push(`${where}: ${c.name} env ${e.name} uses secret ${ref.name} (expected pupero-secrets)`);
        if (ref && !keys.has(ref.key))
          problems.push(`${where}: ${c.name} env ${e.name} uses key ${ref.key}, which deploy:init does not write`);
      }
    }
    for (const v of m.spec.template.spec.volumes ?? []) {
      if (v.configMap && !configMaps.has(v.configMap.name))
        problems.push(`${where}: volume ${v.name} uses the missing ConfigMap ${v.configMap.name}`);
    }
  }
  for (const { where, m } of docs) {
    if (m.kind !== 'Service') continue;
    const target = workloads.find((w) => matches(m.spec.selector, w.m.spec.template.metadata.labels));
    if (!target) {
      problems.push(`${where}: Service ${m.metadata.name} selects no workload`);
      continue;
    }
    const declared = target.m.spec.template.spec.containers.flatMap((c) => c.ports ?? []);
    for (const p of m.spec.ports) {
      const ok = declared.some((d) => d.containerPort === p.targetPort || d.name === p.targetPort);
      if (!ok)
        problems.push(
          `${where}: Service ${m.metadata.name} targets port ${p.targetPort}, which ${target.m.metadata.name} does not declare`,
        );
    }
  }
  // Service URLs in env values (comma lists too) name a Service and a port it serves.
  const services = new Map(
    docs.flatMap(({ m }) => (m.kind === 'Service' ? [[m.metadata.name, m.spec.ports.map((p) => p.port)] as const] : [])),
  );
  for (const { where, m } of workloads) {
    for (const c of m.spec.template.spec.containers) {
      for (const e of c.env ?? []) {
        for (const url of (e.value ?? '').split(',').filter((v) => /^(https?|redis|postgres):\/\//.test(v))) {
          const u = new URL(url);
          if (['localhost', '127.0.0.1'].includes(u.hostname)) continue;
          const served = services.get(u.hostname);
          const want = Number(u.port || { 'http:': 80, 'https:': 443, 'redis:': 6379, 'postgres:': 5432 }[u.protocol]);
          if (!served) problems.push(`${where}: ${c.name} env ${e.name} names ${u.hostname}, which no Service is called`);
          else if (!served.includes(want))
            problems.push(
              `${where}: ${c.name} env ${e.name} uses port ${want} of Service ${u.hostname}, which serves ${served.join(', ')}`,
            );
        }
      }
      // Several gateways with per-process counters would each allow the full per-address limit.
      if (c.args?.[0] === 'gateway' && m.spec.replicas > 1 && !(c.env ?? []).some((e) => e.name === 'REDIS_URL')) {
        problems.push(`${where}: ${m.spec.replicas} gateway replicas without REDIS_URL: each would count the rate limit on its own`);
      }
    }
  }
  return { problems, count: docs.length };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((file) => ({ file, text: readFileSync(join(dir, file), 'utf8') }));
  const { problems, count } = validate(files, secretKeys());
  if (problems.length) {
    console.error(`deploy/k8s: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`deploy/k8s: ${count} manifests in ${files.length} files valid`);
}
