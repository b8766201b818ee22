// Subscribes to a Server-Sent Events stream (cookie session, same origin) while the component is mounted.
// EventSource reconnects by itself and sends Last-Event-ID, so the server replays what was missed.
import { useEffect, useRef } from 'react';

export function useEventSource(url: string | null, event: string, onData: (data: any) => void): void {
  const handler = useRef(onData);
  handler.current = onData;
  useEffect(() => {
    if (!url || typeof EventSource === 'undefined') return undefined;
    const source = new EventSource(url, { withCredentials: true });
    const listener = (e: MessageEvent) => {
      try {
        handler.current(JSON.parse(e.data));
      } catch {
        /* a malformed event is skipped */
      }
    };
    source.addEventListener(event, listener as EventListener);
    return () => {
      source.removeEventListener(event, listener as EventListener);
      source.close();
    };
  }, [url, event]);
}
