export type Toast = {
  id: number;
  tone: 'success' | 'error' | 'info';
  title: string;
  detail?: string;
  /** Where the notice's subject is shown (a hash route). */
  link?: { href: string; label: string };
};

type Listener = (toasts: Toast[]) => void;

const LIFETIME_MS = 8000;
let toasts: Toast[] = [];
let nextId = 1;
const listeners = new Set<Listener>();

function emit() {
  listeners.forEach((listener) => listener(toasts));
}

/** Short notices in a corner of every screen (a background job ended, a download is ready). */
export const toastStore = {
  push(toast: Omit<Toast, 'id'>, lifetimeMs = LIFETIME_MS): number {
    const id = nextId++;
    toasts = [...toasts, { ...toast, id }];
    emit();
    if (lifetimeMs > 0) setTimeout(() => toastStore.dismiss(id), lifetimeMs);
    return id;
  },
  dismiss(id: number): void {
    toasts = toasts.filter((toast) => toast.id !== id);
    emit();
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    listener(toasts);
    return () => listeners.delete(listener);
  },
};
