/**
 * POST events from a sender you share WEBHOOK_SIGNING_SECRET with (no credentials: the X-Webhook-Signature header
 * proves the sender). Each (source, event id) is processed once; a redelivery answers `duplicate: true`.
 */
import { z } from "zod";
import { methodNotAllowed } from "@/lib/http";
import { validationProblem } from "@/lib/problem";
import { handle } from "@/lib/resources/common/crud";
import { receiveIncoming, SOURCE } from "@/lib/webhooks/incoming";

const Path = z.object({ source: z.string().regex(SOURCE) });

export async function POST(
  request: Request,
  { params }: { params: Promise<{ source: string }> },
): Promise<Response> {
  const path = Path.safeParse(await params);
  if (!path.success) return validationProblem(request, path.error, "path");
  return handle(request, async () => Response.json(await receiveIncoming(path.data.source, request)));
}

const notAllowed = methodNotAllowed("POST");
export const GET = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = notAllowed;
