export interface SseEvent {
  id?: string;
  event: string;
  data: any;
}

export interface SseStream {
  status: number;
  contentType: string | null;
  events: SseEvent[];
  /** Comment lines (heartbeats) received so far. */
  comments: number;
  /** True once the server ended the stream. */
  ended: boolean;
  /** Resolves with the first event (already received or coming) that matches. */
  waitFor(match: (e: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  close(): void;
}

/** A real streaming fetch of a Server-Sent Events endpoint, parsed frame by frame. */
export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const events: SseEvent[] = [];
  const waiters = new Set<() => void>();
  const stream: SseStream = {
    status: response.status,
    contentType: response.headers.get('content-type'),
    events,
    comments: 0,
    ended: false,
    waitFor(match, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(match);
          if (!found) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching event within ${timeoutMs} ms; got: ${events.map((e) => e.event).join(', ') || 'nothing'}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    close: () => controller.abort(),
  };
  if (!response.ok || !response.body) return stream;
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: SseEvent = { event: 'message', data: undefined };
          let data = '';
          let hasData = false;
          for (const line of frame.split('\n')) {
            if (line.startsWith(':')) {
              stream.comments++;
              continue;
            }
            const [field, ...rest] = line.split(':');
            const value = rest.join(':').replace(/^ /, '');
            if (field === 'id') event.id = value;
            else if (field === 'event') event.event = value;
            else if (field === 'data') {
              data += (hasData ? '\n' : '') + value;
              hasData = true;
            }
          }
          if (!hasData) continue;
          try {
            event.data = JSON.parse(data);
          } catch {
            event.data = data;
          }
          events.push(event);
          for (const waiter of [...waiters]) waiter();
        }
      }
    } catch {
      /* aborted */
    }
    stream.ended = true;
  })();
  return stream;
}
