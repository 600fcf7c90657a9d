/**
 * What every storage provider offers (`ObjectStorage`), the error for missing settings, and the key and filename
 * rules. The routes and the rest of the app depend on this interface only, so switching provider is a setting.
 */
import { randomUUID } from "node:crypto";

/** S3's and GCS's limit, in UTF-8 bytes. */
export const MAX_KEY_LENGTH = 1024;
export const MAX_FILENAME_LENGTH = 255;
/**
 * A media type such as `image/png`. `\w` is spelt out as the FastAPI project's Pydantic (Rust regex) reads it,
 * letters and digits of any script, so both stacks accept the same values.
 */
export const CONTENT_TYPE =
  /^[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}.+-]+\/[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}.+-]+$/u;
const UNSAFE_FILENAME_CHARACTERS = /[^A-Za-z0-9._-]+/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the pattern is there to find control characters.
const CONTROL_CHARACTERS = /[\x00-\x1f\x7f]/;

/** Storage was used without a setting it needs; the message names the env var (the routes answer 503). */
export class StorageNotConfigured extends Error {
  constructor(
    readonly envVar: string,
    hint = "",
  ) {
    super(`File storage is not configured: set ${envVar}${hint ? ` (${hint})` : ""}.`);
    this.name = "StorageNotConfigured";
  }
}

/** A URL a client uses without credentials: the lifetime and required headers depend on the provider. */
export type SignedUrl = {
  url: string;
  /** Seconds. */
  expiresIn: number;
  /** To send exactly as given (they are signed). */
  headers: Record<string, string>;
};

/** A bucket of objects addressed by key; every provider implements it. */
export interface ObjectStorage {
  /** The largest file POST /files accepts. */
  readonly maxUploadBytes: number;
  upload(key: string, data: Uint8Array, contentType?: string): Promise<void>;
  /** The object's bytes (whole: for large files hand out a presigned URL instead). */
  download(key: string): Promise<Uint8Array>;
  exists(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
  presignedGetUrl(key: string): Promise<SignedUrl>;
  /** The uploader must send the returned headers, Content-Type included: it is signed. */
  presignedPutUrl(key: string, contentType: string): Promise<SignedUrl>;
}

/** Length in characters as Python counts them (code points), not UTF-16 units. */
export function characters(text: string): number {
  return [...text].length;
}

/** Why `key` is not an acceptable object key, or null. */
export function keyProblem(key: string): string | null {
  if (!key || new TextEncoder().encode(key).length > MAX_KEY_LENGTH) {
    return `The key must be 1 to ${MAX_KEY_LENGTH} bytes long.`;
  }
  if (key.startsWith("/") || key.includes("\\") || CONTROL_CHARACTERS.test(key)) {
    return "The key must not start with '/' or contain backslashes or control characters.";
  }
  if (key.split("/").some((part) => part === "" || part === "." || part === "..")) {
    return "The key must not contain empty, '.' or '..' segments.";
  }
  return null;
}

/** The filename as it appears in a key: letters, digits, '.', '_' and '-' only. */
export function safeFilename(filename: string): string {
  return filename.replace(UNSAFE_FILENAME_CHARACTERS, "_").replace(/^[._]+|[._]+$/g, "") || "file";
}

/** Why `filename` is not acceptable (a name, not a path), or null. */
export function filenameProblem(filename: string): string | null {
  if (!filename || characters(filename) > MAX_FILENAME_LENGTH) {
    return `The filename must be 1 to ${MAX_FILENAME_LENGTH} characters long.`;
  }
  if (
    filename.includes("/") ||
    filename.includes("\\") ||
    filename === "." ||
    filename === ".." ||
    CONTROL_CHARACTERS.test(filename)
  ) {
    return "The filename must be a plain name: no '/', '\\', control characters, '.' or '..'.";
  }
  return null;
}

/** Every key of a user's files starts with this: a caller only ever sees their own. */
export function userPrefix(userId: number): string {
  return `users/${userId}/`;
}

/** Unique per upload, so two files with the same name never overwrite each other. */
export function newKey(userId: number, filename: string): string {
  return `${userPrefix(userId)}${randomUUID().replaceAll("-", "")}-${safeFilename(filename)}`;
}
