// No test may reach the network. @pathcheck/dcc-sdk fetches a trust list from GitHub when it
// meets an unknown kid: make every outbound request fail loudly instead.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

export const attempts = [];
const refuse = (what) => (...args) => {
  attempts.push(`${what} ${String(args[0]?.href ?? args[0]?.host ?? args[0])}`);
  throw new Error(`network access in tests: ${what}`);
};
for (const m of [http, https]) {
  m.request = refuse('http.request');
  m.get = refuse('http.get');
}
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const opts = typeof args[0] === 'object' ? args[0] : { port: args[0], host: args[1] };
  const host = opts.host ?? 'localhost';
  if (opts.path || ['127.0.0.1', 'localhost', '::1'].includes(host)) return connect.apply(this, args);
  return refuse('socket')(`${host}:${opts.port}`);
};
globalThis.fetch = async (...args) => refuse('fetch')(...args);
