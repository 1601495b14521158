import { AuditLog } from './auth/audit-log.js';
import { Revocations } from './auth/revocations.js';
import type { EdgePorts } from './edge-ports.js';
import { shopProfile } from './http/shop.js';
import { KeyedMutex } from './keyed-mutex.js';
import { CloudChannel } from './payments/channels/cloud.js';
import { LanChannel } from './payments/channels/lan.js';
import { OnlineChannel } from './payments/channels/online.js';
import { CheckoutLinks } from './payments/checkout-links.js';
import { PaymentService } from './payments/payment-service.js';
import { TerminalService } from './terminals.js';

// The edge's services over its ports: the composition of the payment channels (the one place,
// with the operations table, that knows there is a cloud and a LAN), terminals, audit, revocations.

export type EdgeServices = ReturnType<typeof createServices>;

export function createServices(ports: EdgePorts) {
  const { store, bus, clock, logger, config } = ports;
  // One lock per terminal, shared by its channel's sends, checks, cancels and settling by hand.
  const locks = new KeyedMutex();
  const cloud = new CloudChannel({ ...ports, locks, timings: config.timings, capCents: config.capCents });
  const lan = new LanChannel({ store, bus, clock, logger, locks, links: ports.lanLinks, receipts: config.lanReceipts });
  const online = ports.online
    ? {
        ports: ports.online,
        channel: new OnlineChannel({ store, bus, clock, logger, scheduler: ports.scheduler, locks: new KeyedMutex(), ...ports.online }),
        links: new CheckoutLinks(ports.online.linkKey),
      }
    : undefined;
  return {
    // Recovery order: a LAN payment cut off by a restart is failed or unknown (never resent) before the cloud's resume.
    payments: new PaymentService({ store, bus, clock, logger, channels: online ? [lan, cloud, online.channel] : [lan, cloud] }),
    online,
    terminals: new TerminalService({ ...ports, watch: config.terminalWatch }),
    audit: new AuditLog(ports.access, clock, logger, { key: ports.auditKey, head: ports.auditHead }),
    revocations: new Revocations(),
    profile: shopProfile(ports.catalogue, config.shop),
  };
}
