/**
 * `npx tsx scripts/bench/heap-diff.ts <before.heapsnapshot> <after.heapsnapshot> <sockets added>`:
 * what the sockets added between two heap snapshots hold, grouped by node type and constructor name
 * (self sizes; bytes and objects per added socket), largest first. Snapshots come from
 * `BENCH_HEAP=<dir> npm run bench -- connections` (scripts/bench/parley-server.ts `heap <file>`).
 */
import { readFileSync } from "node:fs";

type TSnapshot = {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
};

function tally(file: string): Map<string, { size: number; count: number }> {
  const snap = JSON.parse(readFileSync(file, "utf8")) as TSnapshot;
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const [iType, iName, iSize] = [fields.indexOf("type"), fields.indexOf("name"), fields.indexOf("self_size")];
  const out = new Map<string, { size: number; count: number }>();
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + iType]!]!;
    // Strings and code are grouped by type only: their names are their contents.
    const name = type === "object" || type === "closure" || type === "native" ? snap.strings[snap.nodes[i + iName]!]!.slice(0, 60) : "";
    const key = `${type} ${name}`.trim();
    const t = out.get(key) ?? { size: 0, count: 0 };
    t.size += snap.nodes[i + iSize]!;
    t.count++;
    out.set(key, t);
  }
  return out;
}

const [beforeFile, afterFile, added] = process.argv.slice(2);
if (!beforeFile || !afterFile || !added) throw new Error("usage: heap-diff.ts <before> <after> <sockets added>");
const n = Number(added);
const before = tally(beforeFile);
const after = tally(afterFile);
const rows = [...after].map(([key, a]) => {
  const b = before.get(key) ?? { size: 0, count: 0 };
  return { key, bytes: (a.size - b.size) / n, objects: (a.count - b.count) / n };
});
rows.sort((x, y) => y.bytes - x.bytes);
const total = rows.reduce((s, r) => s + r.bytes, 0);
console.log(`per added socket: ${total.toFixed(0)} bytes of self size in all`);
for (const r of rows.slice(0, 40)) console.log(`${r.bytes.toFixed(0).padStart(7)} B ${r.objects.toFixed(2).padStart(6)} objects  ${r.key}`);
