/** A typed, synchronous event emitter; listeners that throw do not stop the others. */
export class EventBus<E> {
  private readonly listeners = new Map<keyof E, Set<(payload: never) => void>>();

  on<K extends keyof E>(name: K, listener: (payload: E[K]) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) {
      set = new Set();
      this.listeners.set(name, set);
    }
    set.add(listener as (payload: never) => void);
    return () => {
      set.delete(listener as (payload: never) => void);
    };
  }

  emit<K extends keyof E>(name: K, payload: E[K]): void {
    for (const listener of [...(this.listeners.get(name) ?? [])]) {
      try {
        (listener as (payload: E[K]) => void)(payload);
      } catch {
        // A faulty listener must not break delivery to the others.
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
