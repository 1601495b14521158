import { request } from 'node:https';

// The fault run's API client over HTTPS: node:https trusting the run's own CA only (the global
// fetch cannot be given a CA at run time). A body is read until it ends or maxMs passes, so an
// event stream can be read like a plain answer.

export interface HttpsText {
  readonly status: number;
  readonly text: string;
}

export function httpsText(url: string, options: { ca: string; method?: string; headers?: Record<string, string>; body?: string; maxMs: number }): Promise<HttpsText> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    let text = '';
    let status = 0;
    const req = request(
      { host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: options.method ?? 'GET', headers: options.headers, ca: options.ca, agent: false },
      (res) => {
        status = res.statusCode ?? 0;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status, text }));
        res.on('error', () => resolve({ status, text }));
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      if (status > 0) resolve({ status, text });
      else reject(new Error(`no answer within ${options.maxMs} ms`));
    }, options.maxMs);
    req.on('error', (error) => {
      clearTimeout(timer);
      if (status > 0) resolve({ status, text });
      else reject(error);
    });
    req.on('close', () => clearTimeout(timer));
    req.end(options.body);
  });
}

/** The `data:` payloads of a text/event-stream body. */
export function sseData(text: string): string[] {
  return text
    .split('\n\n')
    .map((block) => block.split('\n').find((line) => line.startsWith('data:'))?.slice(5).trimStart())
    .filter((data): data is string => data !== undefined);
}
