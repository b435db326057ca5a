import { sessionStore } from '@/modules/auth/states/sessionStore';
import { freshAccessToken, refreshSession } from '@/modules/auth/utils/refreshSession';
import type { LiveEvent, StreamStatus } from '@/modules/live/types/LiveEvent';

/** One user of the stream in this tab: a hook, a toast watcher. */
export type StreamSubscriber = {
  /** The events this subscriber wants; the others never reach it. Every event when absent. */
  accepts?: (event: LiveEvent) => boolean;
  /** Each batch of accepted events as it arrives (never an empty one). */
  onEvents: (events: LiveEvent[]) => void;
  /** The stream (re)opened, asked for a resync, or this subscriber joined it open: reload. */
  onResync: () => void;
  onStatus: (status: StreamStatus) => void;
};

const MAX_BACKOFF_MS = 10_000;
const CONTROL = new Set(['hello', 'resync']);

/** A handler that throws must not keep the event from the other subscribers. */
function deliver(call: () => void): void {
  try {
    call();
  } catch (error) {
    setTimeout(() => {
      throw error; // reported like an error in an event listener
    });
  }
}

/** One WebSocket to `/api/v1/stream` and its reconnections, until `stop`. */
class Connection {
  status: StreamStatus = 'connecting';
  private socket: WebSocket | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private attempts = 0;
  private stopped = false;

  constructor(private readonly subscribers: Set<StreamSubscriber>) {
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.socket?.close();
  }

  private async connect(): Promise<void> {
    const token = await freshAccessToken();
    if (this.stopped || !token) return;
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(`${scheme}://${window.location.host}/api/v1/stream?access_token=${encodeURIComponent(token)}`);
    this.socket = socket;
    socket.onmessage = (message) => {
      if (!this.stopped) this.receive(String(message.data));
    };
    socket.onclose = (event) => {
      if (this.stopped) return;
      this.setStatus('reconnecting');
      if (event.code === 4401) void refreshSession();
      const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.attempts);
      this.attempts += 1;
      this.timer = setTimeout(() => void this.connect(), delay);
    };
  }

  private receive(data: string): void {
    let batch: LiveEvent[];
    try {
      batch = JSON.parse(data) as LiveEvent[];
    } catch {
      return;
    }
    if (batch.some((event) => event.type === 'hello')) {
      this.attempts = 0;
      this.setStatus('open');
    }
    if (batch.some((event) => CONTROL.has(event.type))) this.each((s) => s.onResync());
    const rest = batch.filter((event) => !CONTROL.has(event.type));
    if (!rest.length) return;
    this.each((s) => {
      const wanted = s.accepts ? rest.filter(s.accepts) : rest;
      if (wanted.length) s.onEvents(wanted);
    });
  }

  private setStatus(status: StreamStatus): void {
    this.status = status;
    this.each((s) => s.onStatus(status));
  }

  /** A handler may unsubscribe itself or another one: each still-subscribed one is called once. */
  private each(call: (subscriber: StreamSubscriber) => void): void {
    for (const subscriber of [...this.subscribers]) {
      if (this.subscribers.has(subscriber)) deliver(() => call(subscriber));
    }
  }
}

const subscribers = new Set<StreamSubscriber>();
let connection: Connection | null = null;
let userId: number | undefined;
let unwatchSession: (() => void) | null = null;

/** Another user signed in in this tab: the stream must not carry on as the previous one. */
function followSession(): void {
  const now = sessionStore.get()?.user.id;
  if (now === userId || !connection) return;
  userId = now;
  connection.stop();
  connection = new Connection(subscribers);
  connection.status = 'reconnecting';
  for (const subscriber of [...subscribers]) deliver(() => subscriber.onStatus('reconnecting'));
}

/**
 * The tab's one live connection, shared by every subscriber in it: opened for the first,
 * closed when the last one leaves, reconnecting with backoff in between.
 */
export const sharedStream = {
  subscribe(subscriber: StreamSubscriber): () => void {
    subscribers.add(subscriber);
    if (!connection) {
      userId = sessionStore.get()?.user.id;
      unwatchSession = sessionStore.subscribe(followSession);
      connection = new Connection(subscribers);
    }
    const joined = connection;
    deliver(() => subscriber.onStatus(joined.status));
    // Joining an open stream is this subscriber's (re)connection: it loads its state now.
    if (joined.status === 'open') deliver(() => subscriber.onResync());
    return () => {
      if (!subscribers.delete(subscriber) || subscribers.size) return;
      connection?.stop();
      connection = null;
      unwatchSession?.();
      unwatchSession = null;
    };
  },
};
