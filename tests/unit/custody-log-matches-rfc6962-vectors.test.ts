import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../shared/custody/crypto-port';
import {
  appendToMemoryLog,
  checkRecord,
  checkTree,
  emptyTreeHash,
  memoryHashReader,
  proveRecord,
  proveTree,
  recordHash,
  storedHashCount,
  treeHash,
  type Hash,
} from '../../shared/trust/merkle-log';

interface Vectors {
  leaves_hex: string[];
  empty_tree_root: string;
  roots_by_size: Record<string, string>;
  inclusion: { tree_size: number; leaf_index: number; path: string[] }[];
  consistency: { first_size: number; second_size: number; proof: string[] }[];
}

const vectors = JSON.parse(readFileSync(new URL('../fixtures/trust/merkle-tree.json', import.meta.url), 'utf8')) as Vectors;
const leaves = vectors.leaves_hex.map((hex) => fromHex(hex));

async function logOf(data: readonly Uint8Array[]): Promise<Hash[]> {
  const stored: Hash[] = [];
  await appendToMemoryLog(stored, data);
  return stored;
}

function flipped(hash: Hash, bit: number): Hash {
  const copy = new Uint8Array(hash);
  copy[Math.floor(bit / 8) % copy.length] = (copy[Math.floor(bit / 8) % copy.length] ?? 0) ^ (1 << bit % 8);
  return copy;
}

describe('the custody log reproduces the RFC 6962 reference tree', () => {
  it('has the empty-tree root', () => {
    expect(toHex(emptyTreeHash)).toBe(vectors.empty_tree_root);
  });

  it('has the published root at every size from 1 to 8', async () => {
    const stored = await logOf(leaves);
    expect(stored.length).toBe(storedHashCount(8));
    for (const [size, root] of Object.entries(vectors.roots_by_size)) {
      expect(toHex(await treeHash(Number(size), memoryHashReader(stored))), `size ${size}`).toBe(root);
    }
  });

  it('makes the published inclusion proofs, accepts them and refuses each with one bit changed', async () => {
    const reader = memoryHashReader(await logOf(leaves));
    for (const vector of vectors.inclusion) {
      const proof = await proveRecord(vector.tree_size, vector.leaf_index, reader);
      expect(proof.map(toHex)).toEqual(vector.path);
      const root = fromHex(vectors.roots_by_size[String(vector.tree_size)] ?? '');
      const leaf = recordHash(leaves[vector.leaf_index] ?? new Uint8Array());
      expect(checkRecord(proof, vector.tree_size, root, vector.leaf_index, leaf)).toBe(true);
      for (let i = 0; i < proof.length; i += 1) {
        const bad = proof.map((hash, j) => (i === j ? flipped(hash, 13) : hash));
        expect(checkRecord(bad, vector.tree_size, root, vector.leaf_index, leaf)).toBe(false);
      }
      expect(checkRecord(proof, vector.tree_size, flipped(root, 0), vector.leaf_index, leaf)).toBe(false);
      expect(checkRecord(proof, vector.tree_size, root, vector.leaf_index, flipped(leaf, 200))).toBe(false);
      expect(checkRecord(proof.slice(1), vector.tree_size, root, vector.leaf_index, leaf)).toBe(false);
    }
  });

  it('makes the published consistency proofs, accepts them and refuses each with one bit changed', async () => {
    const reader = memoryHashReader(await logOf(leaves));
    for (const vector of vectors.consistency) {
      const proof = await proveTree(vector.second_size, vector.first_size, reader);
      expect(proof.map(toHex)).toEqual(vector.proof);
      const oldRoot = fromHex(vectors.roots_by_size[String(vector.first_size)] ?? '');
      const newRoot = fromHex(vectors.roots_by_size[String(vector.second_size)] ?? '');
      expect(checkTree(proof, vector.second_size, newRoot, vector.first_size, oldRoot)).toBe(true);
      for (let i = 0; i < proof.length; i += 1) {
        const bad = proof.map((hash, j) => (i === j ? flipped(hash, 77) : hash));
        expect(checkTree(bad, vector.second_size, newRoot, vector.first_size, oldRoot)).toBe(false);
      }
      expect(checkTree(proof, vector.second_size, newRoot, vector.first_size, flipped(oldRoot, 3))).toBe(false);
    }
  });
});

describe('every proof the log makes its checker accepts, and a changed one it refuses', () => {
  it('holds for inclusion at any size and index', async () => {
    const stored = await logOf(Array.from({ length: 70 }, (_, i) => new Uint8Array([i, i >> 8])));
    const reader = memoryHashReader(stored);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 70 }), fc.nat(), fc.nat(255), async (size, pick, bit) => {
        const index = pick % size;
        const root = await treeHash(size, reader);
        const leaf = recordHash(new Uint8Array([index, index >> 8]));
        const proof = await proveRecord(size, index, reader);
        expect(checkRecord(proof, size, root, index, leaf)).toBe(true);
        if (proof.length > 0) {
          const bad = proof.map((hash, j) => (j === pick % proof.length ? flipped(hash, bit) : hash));
          expect(checkRecord(bad, size, root, index, leaf)).toBe(false);
        }
        if (size > 1) expect(checkRecord(proof, size, root, (index + 1) % size, leaf)).toBe(false);
      }),
      { seed: 6962, numRuns: 300 },
    );
  });

  it('holds for consistency between any two sizes', async () => {
    const stored = await logOf(Array.from({ length: 70 }, (_, i) => new Uint8Array([i, 7])));
    const reader = memoryHashReader(stored);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 70 }), fc.nat(255), async (a, b, bit) => {
        const [small, large] = a <= b ? [a, b] : [b, a];
        const proof = await proveTree(large, small, reader);
        const oldRoot = await treeHash(small, reader);
        const newRoot = await treeHash(large, reader);
        expect(checkTree(proof, large, newRoot, small, oldRoot)).toBe(true);
        if (proof.length > 0) {
          const bad = proof.map((hash, j) => (j === bit % proof.length ? flipped(hash, bit) : hash));
          expect(checkTree(bad, large, newRoot, small, oldRoot)).toBe(false);
        }
        if (small < large) expect(checkTree(proof, large, newRoot, small, newRoot)).toBe(false);
      }),
      { seed: 9162, numRuns: 300 },
    );
  });
});
