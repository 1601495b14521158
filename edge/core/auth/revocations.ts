/** Tells the open streams of a device that it was revoked, so they close at once. */
export class Revocations {
  private readonly listeners = new Map<string, Set<() => void>>();

  onRevoked(deviceId: string, listener: () => void): () => void {
    let set = this.listeners.get(deviceId);
    if (!set) {
      set = new Set();
      this.listeners.set(deviceId, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  revoke(deviceId: string): void {
    for (const listener of this.listeners.get(deviceId) ?? []) listener();
    this.listeners.delete(deviceId);
  }
}
