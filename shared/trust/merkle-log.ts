/**
 * The custody transparency log: an append-only Merkle tree that follows the design of
 * Certificate Transparency (RFC 6962, RFC 9162 section 2.1). Its roots and proofs are
 * compatible with that system, which tests/unit/custody-log-matches-rfc6962-vectors.test.ts
 * proves against the published vectors.
 *
 * The storage layout is the one of Go's checksum database (golang.org/x/mod/sumdb/tlog): every
 * leaf hash and every hash of a complete subtree is stored once, at a fixed index, when the leaf
 * that completes it is appended. Any root and any proof is then a handful of reads, never a walk
 * over the whole log, and the same code runs over memory, SQLite, PostgreSQL and a bundle.
 */
import { sha256 } from '@noble/hashes/sha2.js';

/** A SHA-256 value: 32 bytes. */
export type Hash = Uint8Array;

export const HASH_BYTES = 32;

/** Reads stored hashes by their storage index (see storedHashIndex). */
export interface HashReader {
  readHashes(indexes: readonly number[]): Promise<Hash[]>;
}

export class LogProofError extends Error {
  override readonly name = 'LogProofError';
}

/** RFC 6962 leaf hash: SHA-256(0x00 || data). */
export function recordHash(data: Uint8Array): Hash {
  const input = new Uint8Array(data.length + 1);
  input.set(data, 1);
  return sha256(input);
}

/** RFC 6962 interior node hash: SHA-256(0x01 || left || right). */
export function nodeHash(left: Hash, right: Hash): Hash {
  const input = new Uint8Array(1 + 2 * HASH_BYTES);
  input[0] = 1;
  input.set(left, 1);
  input.set(right, 1 + HASH_BYTES);
  return sha256(input);
}

/** The root of the empty tree: SHA-256 of nothing. */
export const emptyTreeHash: Hash = sha256(new Uint8Array(0));

export function sameHash(a: Hash, b: Hash): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i += 1) difference |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return difference === 0;
}

/**
 * Where the n-th hash of a level is stored. Level L's n-th hash is written right after level
 * L+1's (2n+1)-th, and level 0's n-th at n + n/2 + n/4 + …, so hashes are appended in order.
 */
export function storedHashIndex(level: number, n: number): number {
  let leaf = n;
  for (let l = level; l > 0; l -= 1) leaf = 2 * leaf + 1;
  let index = 0;
  for (let rest = leaf; rest > 0; rest = Math.floor(rest / 2)) index += rest;
  return index + level;
}

/** How many hashes a log of n records stores. */
export function storedHashCount(n: number): number {
  if (n === 0) return 0;
  let count = storedHashIndex(0, n - 1) + 1;
  // Each trailing 1 bit of n-1 is a subtree the last leaf completed.
  for (let i = n - 1; i % 2 === 1; i = Math.floor(i / 2)) count += 1;
  return count;
}

function trailingZeros(value: number): number {
  let count = 0;
  for (let rest = value; rest > 0 && rest % 2 === 0; rest /= 2) count += 1;
  return count;
}

/**
 * The hashes to store when record n (0-based) is appended with the given data: its leaf hash,
 * then the hash of every subtree it completes, in storage order from storedHashCount(n).
 */
export async function storedHashes(n: number, data: Uint8Array, reader: HashReader): Promise<Hash[]> {
  let hash = recordHash(data);
  const hashes = [hash];
  const completed = trailingZeros(n + 1);
  const indexes: number[] = [];
  for (let i = 0; i < completed; i += 1) indexes[completed - 1 - i] = storedHashIndex(i, Math.floor(n / 2 ** i) - 1);
  const siblings = await readExactly(reader, indexes);
  for (let i = 0; i < completed; i += 1) {
    hash = nodeHash(siblings[completed - 1 - i] as Hash, hash);
    hashes.push(hash);
  }
  return hashes;
}

async function readExactly(reader: HashReader, indexes: readonly number[]): Promise<Hash[]> {
  if (indexes.length === 0) return [];
  const hashes = await reader.readHashes(indexes);
  if (hashes.length !== indexes.length || hashes.some((hash) => hash.length !== HASH_BYTES)) {
    throw new LogProofError(`the log store answered ${hashes.length} hashes for ${indexes.length} indexes`);
  }
  return hashes;
}

/** The largest power of two strictly below n (n > 1), with its exponent. */
function maxPow2(n: number): { k: number; level: number } {
  let level = 0;
  while (2 ** (level + 1) < n) level += 1;
  return { k: 2 ** level, level };
}

/** Storage indexes of the complete subtrees that make up records [lo, hi), left to right. */
function subTreeIndex(lo: number, hi: number, need: number[]): number[] {
  let start = lo;
  while (start < hi) {
    const { k, level } = maxPow2(hi - start + 1);
    need.push(storedHashIndex(level, start / k));
    start += k;
  }
  return need;
}

/** Folds the subtree hashes read for [lo, hi) into that range's hash; returns the rest. */
function subTreeHash(lo: number, hi: number, hashes: readonly Hash[]): { hash: Hash; rest: readonly Hash[] } {
  let trees = 0;
  for (let start = lo; start < hi; trees += 1) start += maxPow2(hi - start + 1).k;
  if (trees === 0 || hashes.length < trees) throw new LogProofError('a subtree hash is missing');
  let hash = hashes[trees - 1] as Hash;
  for (let i = trees - 2; i >= 0; i -= 1) hash = nodeHash(hashes[i] as Hash, hash);
  return { hash, rest: hashes.slice(trees) };
}

/** The root of the first n records. */
export async function treeHash(n: number, reader: HashReader): Promise<Hash> {
  if (n === 0) return emptyTreeHash;
  const hashes = await readExactly(reader, subTreeIndex(0, n, []));
  return subTreeHash(0, n, hashes).hash;
}

/** An inclusion proof (RFC 9162 section 2.1.3): sibling hashes from the leaf up. */
export type RecordProof = Hash[];
/** A consistency proof (RFC 9162 section 2.1.4). */
export type TreeProof = Hash[];

function leafProofIndex(lo: number, hi: number, n: number, need: number[]): number[] {
  if (lo + 1 === hi) return need;
  const { k } = maxPow2(hi - lo);
  if (n < lo + k) {
    leafProofIndex(lo, lo + k, n, need);
    subTreeIndex(lo + k, hi, need);
  } else {
    subTreeIndex(lo, lo + k, need);
    leafProofIndex(lo + k, hi, n, need);
  }
  return need;
}

function leafProof(lo: number, hi: number, n: number, hashes: readonly Hash[]): { proof: Hash[]; rest: readonly Hash[] } {
  if (lo + 1 === hi) return { proof: [], rest: hashes };
  const { k } = maxPow2(hi - lo);
  if (n < lo + k) {
    const left = leafProof(lo, lo + k, n, hashes);
    const right = subTreeHash(lo + k, hi, left.rest);
    return { proof: [...left.proof, right.hash], rest: right.rest };
  }
  const left = subTreeHash(lo, lo + k, hashes);
  const right = leafProof(lo + k, hi, n, left.rest);
  return { proof: [...right.proof, left.hash], rest: right.rest };
}

/** Proves record n is in the tree of size t. */
export async function proveRecord(t: number, n: number, reader: HashReader): Promise<RecordProof> {
  if (!Number.isSafeInteger(t) || !Number.isSafeInteger(n) || n < 0 || n >= t) throw new LogProofError(`record ${n} is not in a log of ${t}`);
  const indexes = leafProofIndex(0, t, n, []);
  return leafProof(0, t, n, await readExactly(reader, indexes)).proof;
}

function runRecordProof(proof: readonly Hash[], lo: number, hi: number, n: number, leaf: Hash): Hash | null {
  if (lo + 1 === hi) return proof.length === 0 ? leaf : null;
  const last = proof[proof.length - 1];
  if (last === undefined) return null;
  const { k } = maxPow2(hi - lo);
  const rest = proof.slice(0, -1);
  if (n < lo + k) {
    const inner = runRecordProof(rest, lo, lo + k, n, leaf);
    return inner && nodeHash(inner, last);
  }
  const inner = runRecordProof(rest, lo + k, hi, n, leaf);
  return inner && nodeHash(last, inner);
}

/** Whether proof shows that the record with leaf hash h is record n of the tree of size t and root th. */
export function checkRecord(proof: readonly Hash[], t: number, th: Hash, n: number, h: Hash): boolean {
  if (!Number.isSafeInteger(t) || !Number.isSafeInteger(n) || n < 0 || n >= t) return false;
  if (proof.some((hash) => hash.length !== HASH_BYTES)) return false;
  const root = runRecordProof(proof, 0, t, n, h);
  return root !== null && sameHash(root, th);
}

function treeProofIndex(lo: number, hi: number, n: number, need: number[]): number[] {
  if (n === hi) return lo === 0 ? need : subTreeIndex(lo, hi, need);
  const { k } = maxPow2(hi - lo);
  if (n <= lo + k) {
    treeProofIndex(lo, lo + k, n, need);
    subTreeIndex(lo + k, hi, need);
  } else {
    subTreeIndex(lo, lo + k, need);
    treeProofIndex(lo + k, hi, n, need);
  }
  return need;
}

function treeProof(lo: number, hi: number, n: number, hashes: readonly Hash[]): { proof: Hash[]; rest: readonly Hash[] } {
  if (n === hi) {
    if (lo === 0) return { proof: [], rest: hashes };
    const whole = subTreeHash(lo, hi, hashes);
    return { proof: [whole.hash], rest: whole.rest };
  }
  const { k } = maxPow2(hi - lo);
  if (n <= lo + k) {
    const left = treeProof(lo, lo + k, n, hashes);
    const right = subTreeHash(lo + k, hi, left.rest);
    return { proof: [...left.proof, right.hash], rest: right.rest };
  }
  const left = subTreeHash(lo, lo + k, hashes);
  const right = treeProof(lo + k, hi, n, left.rest);
  return { proof: [...right.proof, left.hash], rest: right.rest };
}

/** Proves the tree of size n is a prefix of the tree of size t. */
export async function proveTree(t: number, n: number, reader: HashReader): Promise<TreeProof> {
  if (!Number.isSafeInteger(t) || !Number.isSafeInteger(n) || n < 1 || n > t) throw new LogProofError(`a log of ${n} cannot be a prefix of a log of ${t}`);
  const indexes = treeProofIndex(0, t, n, []);
  return treeProof(0, t, n, await readExactly(reader, indexes)).proof;
}

function runTreeProof(proof: readonly Hash[], lo: number, hi: number, n: number, old: Hash): { old: Hash; root: Hash } | null {
  if (n === hi) {
    if (lo === 0) return proof.length === 0 ? { old, root: old } : null;
    const only = proof[0];
    return proof.length === 1 && only ? { old: only, root: only } : null;
  }
  const last = proof[proof.length - 1];
  if (last === undefined) return null;
  const { k } = maxPow2(hi - lo);
  const rest = proof.slice(0, -1);
  if (n <= lo + k) {
    const inner = runTreeProof(rest, lo, lo + k, n, old);
    return inner && { old: inner.old, root: nodeHash(inner.root, last) };
  }
  const inner = runTreeProof(rest, lo + k, hi, n, old);
  return inner && { old: nodeHash(last, inner.old), root: nodeHash(last, inner.root) };
}

/** Whether proof shows that the tree of size n and root h is a prefix of the tree of size t and root th. */
export function checkTree(proof: readonly Hash[], t: number, th: Hash, n: number, h: Hash): boolean {
  if (!Number.isSafeInteger(t) || !Number.isSafeInteger(n) || n < 1 || n > t) return false;
  if (proof.some((hash) => hash.length !== HASH_BYTES)) return false;
  const run = runTreeProof(proof, 0, t, n, h);
  return run !== null && sameHash(run.old, h) && sameHash(run.root, th);
}

/** A reader over hashes held in memory, in storage order: tests, migrations, bundles. */
export function memoryHashReader(hashes: readonly Hash[]): HashReader {
  return {
    async readHashes(indexes) {
      return indexes.map((index) => {
        const hash = hashes[index];
        if (!hash) throw new LogProofError(`no stored hash at index ${index}`);
        return hash;
      });
    },
  };
}

/** Appends records to an in-memory log; returns the stored hashes (tests, bundles, migration). */
export async function appendToMemoryLog(stored: Hash[], leaves: readonly Uint8Array[]): Promise<void> {
  const reader = memoryHashReader(stored);
  let n = 0;
  while (storedHashCount(n) < stored.length) n += 1;
  if (storedHashCount(n) !== stored.length) throw new LogProofError('the stored hashes do not end at a record boundary');
  for (const data of leaves) {
    stored.push(...(await storedHashes(n, data, reader)));
    n += 1;
  }
}
