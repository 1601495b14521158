// Who asks, as the services see it: the HTTP layer turns its principal into this, and the services
// check it again, so no caller (a route, a tool, a Worker object) can skip the rule.

export interface Actor {
  /** "admin" or "device:<id>": the audit log's actor. */
  readonly name: string;
  readonly admin: boolean;
  /** The TIDs it may use; ['*'] for all. */
  readonly terminals: readonly string[];
}

export function mayUseTerminal(actor: Actor, tid: string): boolean {
  return actor.admin || actor.terminals.includes('*') || actor.terminals.includes(tid);
}
