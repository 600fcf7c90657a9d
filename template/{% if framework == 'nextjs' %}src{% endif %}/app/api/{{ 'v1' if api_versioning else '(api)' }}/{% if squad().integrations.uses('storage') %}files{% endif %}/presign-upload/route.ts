/** POST answers a presigned URL the client PUTs the file to directly, with the headers it must send as given. */
import { z } from "zod";
import { authenticate, requireWriter } from "@/lib/auth";
import { methodNotAllowed, parseJson } from "@/lib/http";
import { validationProblem } from "@/lib/problem";
import {
  CONTENT_TYPE,
  characters,
  filenameProblem,
  newKey,
  requireStorage,
  unlessNotConfigured,
} from "@/lib/storage";

/** The FastAPI project's PresignUploadRequest: a plain file name, and a media type (lengths in characters). */
const PresignUpload = z.object({
  filename: z.string().superRefine((value, context) => {
    const message = filenameProblem(value);
    if (message) context.addIssue({ code: "custom", message });
  }),
  content_type: z
    .string()
    .refine((value) => characters(value) <= 255, "String should have at most 255 characters")
    .regex(CONTENT_TYPE, `String should match pattern '${CONTENT_TYPE.source}'`)
    .default("application/octet-stream"),
});

export async function POST(request: Request): Promise<Response> {
  const principal = await authenticate(request);
  if (principal instanceof Response) return principal;
  const denied = requireWriter(principal, request);
  if (denied) return denied;
  const storage = requireStorage(request);
  if (storage instanceof Response) return storage;
  const body = await parseJson(request);
  if (body instanceof Response) return body;
  const parsed = PresignUpload.safeParse(body);
  if (!parsed.success) return validationProblem(request, parsed.error);
  const key = newKey(principal.userId, parsed.data.filename);
  return unlessNotConfigured(request, async () => {
    const signed = await storage.presignedPutUrl(key, parsed.data.content_type);
    return Response.json({
      key,
      url: signed.url,
      method: "PUT",
      expires_in: signed.expiresIn,
      headers: signed.headers,
    });
  });
}

const notAllowed = methodNotAllowed("POST");
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = notAllowed;
