import type http from 'node:http';

/** Reads a request's body whole. */
export async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Sends a request received by a test proxy on to `origin` (its authorization, content type and
 * accept headers, and a POST's body) and returns the upstream status, content type and body.
 */
export async function forward(
  origin: string,
  req: http.IncomingMessage,
  body: Buffer | string,
): Promise<{ status: number; contentType: string; payload: Buffer }> {
  const headers: Record<string, string> = {};
  for (const name of ['authorization', 'content-type', 'accept'])
    if (req.headers[name]) headers[name] = String(req.headers[name]);
  const upstream = await fetch(`${origin}${req.url}`, {
    method: req.method,
    headers,
    body: req.method === 'POST' ? body : undefined,
  });
  return {
    status: upstream.status,
    contentType: upstream.headers.get('content-type') ?? 'application/json',
    payload: Buffer.from(await upstream.arrayBuffer()),
  };
}
