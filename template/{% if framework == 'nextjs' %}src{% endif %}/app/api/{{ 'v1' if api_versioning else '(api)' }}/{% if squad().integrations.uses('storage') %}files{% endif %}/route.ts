/**
 * POST uploads a small file through the API (201), at most the provider's *_MAX_UPLOAD_BYTES; large files go
 * straight to the bucket with a presigned URL (presign-upload), so they never pass through the app.
 */
import { authenticate, requireWriter } from "@/lib/auth";
import { methodNotAllowed, readBody } from "@/lib/http";
import { problem } from "@/lib/problem";
import {
  CONTENT_TYPE,
  characters,
  filenameProblem,
  newKey,
  requireStorage,
  unlessNotConfigured,
} from "@/lib/storage";

/** Room for the multipart framing and other fields around the file before the body counts as too large. */
const FORM_OVERHEAD_BYTES = 1024 * 1024;
const FORM_TYPES = /^(multipart\/form-data|application\/x-www-form-urlencoded)\s*(;|$)/i;

/** The form, empty when the body is not one (as FastAPI reads it), or the problem to return. */
async function readForm(request: Request, maxUploadBytes: number): Promise<FormData | Response> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!FORM_TYPES.test(contentType)) return new FormData();
  const body = await readBody(request, maxUploadBytes + FORM_OVERHEAD_BYTES);
  if (!body) return problem(request, 413, `The file is larger than ${maxUploadBytes} bytes.`);
  try {
    return await new Response(body, { headers: { "content-type": contentType } }).formData();
  } catch {
    return problem(request, 400, "There was an error parsing the body");
  }
}

/** 422 for a `file` field that is missing or not a file, located like FastAPI's. */
function fileProblem(request: Request, value: FormDataEntryValue | null): Response {
  const error =
    value === null || value === ""
      ? { loc: ["body", "file"], msg: "Field required", type: "missing" }
      : {
          loc: ["body", "file"],
          msg: "Value error, Expected UploadFile, received: <class 'str'>",
          type: "value_error",
        };
  return problem(request, 422, "The request is invalid; see errors.", { errors: [error] });
}

export async function POST(request: Request): Promise<Response> {
  const principal = await authenticate(request);
  if (principal instanceof Response) return principal;
  const denied = requireWriter(principal, request);
  if (denied) return denied;
  const storage = requireStorage(request);
  if (storage instanceof Response) return storage;
  const form = await readForm(request, storage.maxUploadBytes);
  if (form instanceof Response) return form;
  const file = form.getAll("file").at(-1) ?? null; // the last one, as Starlette reads a repeated field
  if (!(file instanceof File)) return fileProblem(request, file);
  const filename = file.name || "file";
  const badName = filenameProblem(filename);
  if (badName) return problem(request, 422, badName);
  const limit = storage.maxUploadBytes;
  if (file.size > limit) return problem(request, 413, `The file is larger than ${limit} bytes.`);
  // An unusable type is stored as plain bytes rather than refused: browsers send what the OS guesses.
  let contentType = file.type || "application/octet-stream";
  if (!CONTENT_TYPE.test(contentType) || characters(contentType) > 255)
    contentType = "application/octet-stream";
  const key = newKey(principal.userId, filename);
  const data = new Uint8Array(await file.arrayBuffer());
  return unlessNotConfigured(request, async () => {
    await storage.upload(key, data, contentType);
    return Response.json({ key, size: data.byteLength, content_type: contentType }, { status: 201 });
  });
}

const notAllowed = methodNotAllowed("POST");
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = notAllowed;
