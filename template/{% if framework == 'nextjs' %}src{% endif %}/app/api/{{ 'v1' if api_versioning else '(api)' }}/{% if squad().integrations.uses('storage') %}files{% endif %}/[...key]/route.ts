/**
 * `<key>/download-url`: GET answers a short-lived URL to one of the caller's files; `<key>`: DELETE removes it
 * (204). Keys start with `users/<id>/`: another user's key answers 404, as a missing one does.
 */
import { authenticate, requireWriter } from "@/lib/auth";
import { methodNotAllowed } from "@/lib/http";
import { problem } from "@/lib/problem";
import { keyProblem, requireStorage, unlessNotConfigured, userPrefix } from "@/lib/storage";

type Context = { params: Promise<{ key: string[] }> };

const DOWNLOAD_URL = "/download-url";

/** The path after /files/, decoded (an encoded '/' is a separator, as in FastAPI's `{key:path}`). */
async function pathKey(context: Context): Promise<string> {
  return (await context.params).key.join("/");
}

/** `key` if it is well formed (else 422) and the caller's (else 404: other users' keys are not revealed). */
function ownKey(request: Request, key: string, userId: number): string | Response {
  const message = keyProblem(key);
  if (message) return problem(request, 422, message);
  if (!key.startsWith(userPrefix(userId))) return problem(request, 404, "No such file.");
  return key;
}

const notAllowedOnDownloadUrl = methodNotAllowed("GET");
const notAllowedOnFile = methodNotAllowed("DELETE");

/**
 * A stored key never ends in "/download-url" (its last segment is "<hex>-<name>"): such a path is the
 * download-url resource, which answers GET only; any other path is a file, which answers DELETE only.
 */
async function notAllowed(request: Request, context: Context): Promise<Response> {
  const key = await pathKey(context);
  return key.endsWith(DOWNLOAD_URL) ? notAllowedOnDownloadUrl(request) : notAllowedOnFile(request);
}

export async function GET(request: Request, context: Context): Promise<Response> {
  const path = await pathKey(context);
  // The method is wrong before anything else is: no credentials or storage needed to say so.
  if (!path.endsWith(DOWNLOAD_URL)) return notAllowedOnFile(request);
  const principal = await authenticate(request);
  if (principal instanceof Response) return principal;
  const storage = requireStorage(request);
  if (storage instanceof Response) return storage;
  const key = ownKey(request, path.slice(0, -DOWNLOAD_URL.length), principal.userId);
  if (key instanceof Response) return key;
  return unlessNotConfigured(request, async () => {
    if (!(await storage.exists(key))) return problem(request, 404, "No such file.");
    const signed = await storage.presignedGetUrl(key);
    return Response.json({ key, url: signed.url, method: "GET", expires_in: signed.expiresIn, headers: {} });
  });
}

export async function DELETE(request: Request, context: Context): Promise<Response> {
  const path = await pathKey(context);
  if (path.endsWith(DOWNLOAD_URL)) return notAllowedOnDownloadUrl(request);
  const principal = await authenticate(request);
  if (principal instanceof Response) return principal;
  const denied = requireWriter(principal, request);
  if (denied) return denied;
  const storage = requireStorage(request);
  if (storage instanceof Response) return storage;
  const key = ownKey(request, path, principal.userId);
  if (key instanceof Response) return key;
  return unlessNotConfigured(request, async () => {
    if (!(await storage.exists(key))) return problem(request, 404, "No such file.");
    await storage.delete(key);
    return new Response(null, { status: 204 });
  });
}

export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const OPTIONS = notAllowed;
