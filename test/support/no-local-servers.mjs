// Preloaded (node --import) into a service that must run with nothing installed: any attempt to
// reach the machine's PostgreSQL (5432) or Redis (6379) fails loudly and is reported on stderr.
import net from 'node:net';

const FORBIDDEN_PORTS = new Set([5432, 6379]);
const connect = net.Socket.prototype.connect;

net.Socket.prototype.connect = function guardedConnect(...args) {
  const options = typeof args[0] === 'object' && args[0] !== null ? args[0] : { port: args[0] };
  const port = Number(options.port);
  if (FORBIDDEN_PORTS.has(port)) {
    process.stderr.write(`FORBIDDEN CONNECTION to port ${port}\n`);
    throw new Error(`This process must not use the local server on port ${port}`);
  }
  return connect.apply(this, args);
};
