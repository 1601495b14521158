// The port between the edge's core and a LAN terminal: one XML command out, one XML document back.
// The Node adapter implements it over TCP (edge/adapters/node/iqom-socket.ts); a browser or a
// Worker cannot open a TCP socket, which is why LAN terminals need the edge on a store's Node box.

export type LanSendResult =
  | { readonly kind: 'answer'; readonly xml: string }
  /** Nothing reached the terminal (no connection): safe to say nothing was charged. */
  | { readonly kind: 'not_sent'; readonly reason: string }
  /** The command was written, but no answer came (connection cut, timeout): the outcome is unknown. */
  | { readonly kind: 'lost'; readonly reason: string };

export interface LanLink {
  /** Sends one command and waits for its answer; commands on one link go one at a time. */
  send(xml: string): Promise<LanSendResult>;
  close(): void;
}

/** The link to the terminal at host:port (one per address, kept open between commands). */
export type LanLinks = (address: string) => LanLink;
