import http from 'node:http';
import type { GqlResponse } from './gateway';

/**
 * POSTs a GraphQL body to `url` from the local address `localAddress` (another loopback
 * address, such as 127.0.0.2), so that the request has a client address of its own.
 */
export function postFrom(
  url: string,
  localAddress: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<GqlResponse> {
  return requestFrom('POST', url, localAddress, body, {
    'content-type': 'application/json',
    ...headers,
  });
}

/** GETs `url` from the local address `localAddress`; the answer must be JSON (an error, say). */
export function getFrom(
  url: string,
  localAddress: string,
  headers: Record<string, string> = {},
): Promise<GqlResponse> {
  return requestFrom('GET', url, localAddress, undefined, headers);
}

function requestFrom(
  method: string,
  url: string,
  localAddress: string,
  body: string | undefined,
  headers: Record<string, string>,
): Promise<GqlResponse> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method,
        localAddress,
        agent: false,
        headers,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: new Headers(res.headers as Record<string, string>),
            body: JSON.parse(text) as GqlResponse['body'],
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
